"""The web indices in a browser: readable at a phone's width and in the dark
theme (no horizontal scrolling, no serious axe violation, proportional text),
their letters jumping to their headings."""

from __future__ import annotations

import pytest

from browsing import DESKTOP, MOBILE, axe_violations, open_page, screenshot

pytestmark = pytest.mark.browser

INDICES = ("almanach-personnes", "almanach-territoires", "almanach-ressources")


@pytest.mark.parametrize("name", INDICES)
@pytest.mark.parametrize(("viewport", "dark"), [(DESKTOP, False), (MOBILE, True)])
def test_index_reads_at_every_width_and_theme(browser, site, name, viewport, dark):
    page = open_page(browser, viewport=viewport, dark=dark)
    try:
        if dark:  # the site opens light; the reader picked the dark theme
            page.goto(site + f"{name}.html")
            page.evaluate("['mode', 'theme'].forEach(key => localStorage.setItem(key, 'dark'))")
        page.goto(site + f"{name}.html")
        theme = page.evaluate("document.documentElement.dataset.theme")
        assert theme == ("dark" if dark else "light")
        shot = f"index-{name}-{viewport['width']}-{theme}"
        screenshot(page, shot, full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        fonts = page.eval_on_selector_all(
            ".almanach-index-name, .almanach-index-place",
            "els => [...new Set(els.map(e => getComputedStyle(e).fontFamily))]",
        )
        assert fonts and not any("mono" in font.lower() for font in fonts), fonts
        assert axe_violations(page, shot) == []
        for link in page.locator("nav.almanach-index-letters a").all():
            target = link.get_attribute("href")
            link.click()
            assert page.evaluate("location.hash") == target
            heading = page.locator(f'h2[id="{target[1:]}"]')
            assert heading.inner_text() == link.inner_text()
            assert heading.is_visible()
        assert page.errors == []
    finally:
        page.context.close()
