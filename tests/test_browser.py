"""The built site in a real browser: Debian's Chromium driven by Playwright
(no browser download), against the site served on localhost.

Screenshots are kept under ``build/test-artifacts/screenshots/`` for a reviewer.
"""

from __future__ import annotations

import pytest

from browsing import DESKTOP, MOBILE, axe_violations, open_page, screenshot

pytestmark = pytest.mark.browser


def test_navigation_through_the_cross_links(site, page):
    page.goto(site + "index.html")
    assert page.evaluate("document.documentElement.lang") == "fr"
    screenshot(page, "home")
    page.locator("article a", has_text="Lettre n° 2 — décembre 2021").first.click()
    page.wait_for_url("**/lettres/2021-12.html")
    assert page.locator("h1").first.inner_text().startswith("Lettre n° 2")
    screenshot(page, "letter")
    page.locator(".almanach-update-territory a", has_text="Lomme").first.click()
    page.wait_for_url("**/territoires/lomme.html#territoire-lomme")
    assert page.locator("h1").first.inner_text().startswith("Lomme")
    screenshot(page, "territory")
    page.locator(".almanach-gathered-where a").first.click()
    page.wait_for_url("**/lettres/2021-12.html#nouvelle-lomme-*")
    assert page.errors == []


def test_pdf_link_serves_a_pdf(site, page):
    page.goto(site + "index.html")
    href = page.locator("p.almanach-pdf-download a").get_attribute("href")
    response = page.request.get(site + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


#: The pages a reader meets, each kind once.
READER_PAGES = [
    "index.html",
    "lettres/2021-12.html",
    "territoires/lomme.html",
    "almanach-personnes.html",
    "ressources.html",
    "agenda.html",
    "search.html?q=sobriété",
    "404.html",
]


def open_in_mode(browser, viewport: dict, mode: str):
    """A page as a reader sees it after picking « Clair » or « Sombre » (the
    theme keeps the choice in the browser's storage)."""
    page = open_page(browser, viewport=viewport, dark=mode == "dark")
    page.add_init_script(
        f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
    )
    return page


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", ["1280", "390"])
@pytest.mark.parametrize("path", READER_PAGES)
def test_no_serious_accessibility_violation(site, browser, path, width, mode):
    """axe-core, on each kind of page, light and dark, laptop and phone: no
    serious or critical violation, and every part of the page in a landmark
    (the moderate ``region`` rule)."""
    page = open_in_mode(browser, DESKTOP if width == "1280" else MOBILE, mode)
    try:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        name = f"{path.split('?')[0].replace('/', '-')}-{mode}-{width}"
        screenshot(page, f"page-{name}")
        violations = axe_violations(page, name, impacts=("serious", "critical"), rules=("region",))
        assert violations == []
        assert page.evaluate("document.documentElement.lang") == "fr"
    finally:
        page.context.close()


def test_dark_system_gives_the_dark_theme_and_its_colours(site, browser):
    """A reader who never picked a theme gets the dark one when their system
    prefers it, with our own colours in their dark version."""
    page = open_page(browser, dark=True)
    try:
        page.goto(site + "lettres/2021-12.html")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dataset.mode") == "auto"
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        mark = page.locator(".almanach-pending-mark").first
        assert mark.evaluate("node => getComputedStyle(node).color") == "rgb(240, 180, 107)"
        screenshot(page, "letter-dark-system")
    finally:
        page.context.close()
