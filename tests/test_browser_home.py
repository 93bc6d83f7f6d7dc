"""The front page and the gathered pages in a real browser, at 1280 and 390 px,
light and dark: the latest letter leads, the « S'abonner » links work, the
news blocks and the resource cards hold their text away from their rules.

The site is a small generated project (three letters of different months,
written in another order than their dates), built once for the module.
Screenshots are kept under ``build/test-artifacts/screenshots/``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from benchmarks.letters import Registries

from browsing import DESKTOP, MOBILE, axe_violations, open_page, screenshot, served
from fixture_project import letter_specs, render_letter
from helpers import build, project_with_letters

pytestmark = pytest.mark.browser

#: Three of the generated letters, in the order they are written: not their dates'.
DATES = ("2022-03", "2022-05", "2022-01")
#: Their titles, newest first (« Lettre de mai » is number 7).
NEWEST_FIRST = ["Lettre de mai", "Lettre de mars", "Lettre de janvier"]
WIDTHS = {"1280": DESKTOP, "390": MOBILE}


@pytest.fixture(scope="module")
def home_site(tmp_path_factory) -> str:
    """The generated site, built and served: its base URL."""
    base = tmp_path_factory.mktemp("home-site")
    docs = project_with_letters(base, {})
    registries = Registries.load(docs / "registres")
    specs = {spec.date: spec for spec in letter_specs(registries)}
    for date in DATES:
        # Each cites no other letter's resource: the others are not here.
        spec = replace(specs[date], cited_resource="")
        (base / "issues" / spec.filename).write_text(
            render_letter(spec, registries), encoding="utf-8"
        )
    app, warnings = build(docs, "html", base / "build")
    assert warnings == ""
    with served(Path(app.outdir)) as url:
        yield url


def opened(browser, url: str, width: str, dark: bool):
    """A page at ``width`` px, in the site's light or dark theme, at ``url``."""
    page = open_page(browser, viewport=WIDTHS[width], dark=dark)
    if dark:  # the site's default is light: the reader chose dark
        page.context.add_init_script("localStorage.setItem('mode', 'dark');")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if dark:
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_shows_the_latest_letter_first(browser, home_site, width):
    page = opened(browser, home_site + "index.html", width, dark=False)
    lead = page.locator("#a-la-une .almanach-home-latest")
    assert lead.is_visible()
    assert lead.locator(".almanach-home-title").inner_text() == "Lettre de mai"
    assert lead.locator(".almanach-home-kicker").inner_text() == "Lettre n° 7 — mai 2022"
    # The lead comes before every other letter on the page.
    titles = page.locator("article .almanach-home-title, article .almanach-home-letter-title")
    assert titles.all_inner_texts() == ["Lettre de mai", *NEWEST_FIRST]
    lead_box = lead.bounding_box()
    list_box = page.locator("#toutes-les-lettres").bounding_box()
    assert lead_box["y"] + lead_box["height"] <= list_box["y"]
    # « Lire la lettre » opens it.
    page.locator(".almanach-home-read a").click()
    page.wait_for_url("**/lettres/2022-05.html")
    assert page.locator("h1").first.inner_text() == "Lettre n° 7 — mai 2022"
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_subscribe_links_are_visible_and_lead_to_the_feeds(browser, home_site, width):
    page = opened(browser, home_site + "index.html", width, dark=False)
    heading = page.locator("#s-abonner h2")
    assert heading.inner_text().startswith("S’abonner")
    feeds = page.locator("#s-abonner a.almanach-feed")
    assert feeds.count() == 2
    for index in range(2):
        feeds.nth(index).scroll_into_view_if_needed()
        assert feeds.nth(index).is_visible()
    atom = page.request.get(page.url.rsplit("/", 1)[0] + "/" + feeds.nth(0).get_attribute("href"))
    assert atom.ok and "<feed" in atom.text()
    assert "Lettre de mai" in atom.text()
    calendar = page.request.get(
        page.url.rsplit("/", 1)[0] + "/" + feeds.nth(1).get_attribute("href")
    )
    assert calendar.ok and calendar.text().startswith("BEGIN:VCALENDAR")
    page.context.close()


def padding_left(page, selector: str) -> float:
    return page.locator(selector).first.evaluate(
        "element => parseFloat(getComputedStyle(element).paddingLeft)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_news_and_resource_cards_keep_their_text_off_their_rules(browser, home_site, width):
    page = opened(browser, home_site + "territoires/lomme.html", width, dark=False)
    news = page.locator(".almanach-gathered-update").first
    assert padding_left(page, ".almanach-gathered-update") >= 12
    text = news.locator("p").nth(1).bounding_box()
    assert text["x"] - news.bounding_box()["x"] >= 12
    page.goto(home_site + "lettres/2022-03.html")
    card = page.locator("div.almanach-resource").first
    assert padding_left(page, "div.almanach-resource") >= 8
    description, line = card.locator("> p").first, card.locator("> p").last
    assert line.get_attribute("class") == "almanach-resource-card"
    assert description.bounding_box()["y"] < line.bounding_box()["y"]  # inside, above its line
    assert page.errors == []
    page.context.close()


PAGES = {
    "home": "index.html",
    "territory": "territoires/lomme.html",
    "quotations": "citations.html",
    "resources": "ressources.html",
}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_home_and_gathered_pages_are_accessible(browser, home_site, width, dark):
    """No serious axe violation (contrast included) on the front page and the
    gathered pages, at both widths, in both themes; a screenshot of each."""
    mode = "dark" if dark else "light"
    for name, address in PAGES.items():
        page = opened(browser, home_site + address, width, dark)
        screenshot(page, f"home-{name}-{width}-{mode}", full_page=True)
        assert axe_violations(page, f"home-{name}-{width}-{mode}") == [], name
        assert page.errors == [], name
        page.context.close()
