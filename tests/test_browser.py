"""The built site in a real browser: Debian's Chromium driven by Playwright
(no browser download), against the site served on localhost.

Screenshots are kept under ``build/test-artifacts/screenshots/`` for a reviewer.
"""

from __future__ import annotations

import pytest

from browsing import axe_violations, screenshot

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


@pytest.mark.parametrize(
    "path",
    ["index.html", "lettres/2021-12.html", "territoires/lomme.html", "search.html?q=sobriété"],
)
def test_no_serious_accessibility_violation(site, page, path):
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    name = path.split("?")[0].replace("/", "-")
    assert axe_violations(page, name) == []
    assert page.evaluate("document.documentElement.lang") == "fr"
