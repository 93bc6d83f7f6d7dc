"""The search page in a real browser: what a reader sees of each hit (where it
is, the sentence around it, the query's words marked, accents or not), the
order of the results, and the theme's search box (French, shown once).

Against the real site (the ``site`` fixture) and against a site of other
letters built here, so that nothing holds only for the December letter.
Screenshots are kept under ``build/test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from browsing import DESKTOP, MOBILE, axe_violations, open_page, screenshot, served
from helpers import ROOT, build, letter, project_with_letters

pytestmark = pytest.mark.browser

#: What the page header's buttons say: never an excerpt.
HEADER_LABELS = re.compile(r"Paramètres système|\bClair\b|\bSombre\b|\bPDF\b")
RUBRIQUES = yaml.safe_load((ROOT / "docs" / "registres" / "rubriques.yaml").read_text("utf-8"))
RUBRIQUE_TITLES = {entry["title"] for entry in RUBRIQUES.values()}
RESULT_LINKS = "#search-results ul.search li > a"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def search(page, site: str, query: str) -> list[dict]:
    """Search ``query`` on the search page; each result once its excerpt is
    shown: its link's text and address, its excerpt and the excerpt's marks."""
    page.goto(f"{site}search.html?q={query}")
    page.locator("#search-results p.search-summary").filter(has_text="Recherche").wait_for()
    page.locator(RESULT_LINKS).first.wait_for(timeout=15000)
    # Each excerpt comes with its page (read once the list is shown).
    page.wait_for_function(
        """() => [...document.querySelectorAll("#search-results ul.search > li")].every(
            (item) => item.dataset.almanachExcerpt === "done")"""
    )
    return page.evaluate(
        """() => [...document.querySelectorAll("#search-results ul.search > li")].map(
            (item) => {
              const excerpt = item.querySelector("p.context");
              return {
                link: item.querySelector(":scope > a").textContent,
                href: item.querySelector(":scope > a").getAttribute("href"),
                excerpt: excerpt ? excerpt.textContent : "",
                marks: [...(excerpt ? excerpt.querySelectorAll("mark") : [])].map(
                  (mark) => mark.textContent),
              };
            })"""
    )


def article_text(page, url: str) -> str:
    """The text of the article of the page at ``url``, breaking spaces collapsed
    (its no-break spaces are French typography, kept in the excerpts too)."""
    page.goto(url)
    text = page.evaluate("document.querySelector('article.bd-article').textContent")
    return re.sub(r"[ \t\n\r\f\v]+", " ", text)


def in_dark(page) -> None:
    """The reader chose the dark theme (whatever the site's default)."""
    if page.evaluate("document.documentElement.dataset.theme") != "dark":
        page.evaluate("localStorage.setItem('mode', 'dark')")
        page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


# -- the real site ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["sobriété", "sobriete"])
def test_search_finds_the_letter_with_or_without_accents(site, page, query):
    results = search(page, site, query)
    assert any("lettres/2021-12" in result["href"] for result in results), results
    assert page.errors == []


def test_the_first_hit_is_a_sentence_of_the_letter_around_the_word(site, page):
    results = search(page, site, "sobriete")
    screenshot(page, "search-sobriete")
    first = results[0]
    assert first["href"].startswith("lettres/2021-12.html"), results
    assert "sobriété" in first["excerpt"], first
    assert first["marks"] and all(fold(mark).startswith("sobriet") for mark in first["marks"])
    for result in results:
        assert not HEADER_LABELS.search(result["excerpt"]), result
    # The excerpt is the letter's own text (its sentences, cut at most at a word).
    letter_text = article_text(page, site + "lettres/2021-12.html")
    for part in first["excerpt"].strip("…").split("…"):
        assert part.strip() in letter_text, part
    # Its link leads to the rubrique that holds it.
    anchor = first["href"].split("#", 1)[1]
    section = page.locator(f"section[id='{anchor}']")
    assert "sobriétés" in section.inner_text()
    assert page.errors == []


def test_each_result_says_its_letter_and_rubrique(site, page):
    for query in ("sobriete", "deliberation", "Fradin"):
        first = search(page, site, query)[0]
        letter_label, _, rubrique = first["link"].partition(" › ")
        assert letter_label == "Lettre n° 2 — décembre 2021", first
        assert rubrique in RUBRIQUE_TITLES, first
    assert page.errors == []


@pytest.mark.parametrize("query", ["sobriete", "rubrique", "Lomme", "Fradin"])
def test_letters_come_first_and_the_editors_guide_last(site, page, query):
    hrefs = [result["href"] for result in search(page, site, query)]
    assert hrefs[0].startswith("lettres/"), hrefs
    letters = [index for index, href in enumerate(hrefs) if href.startswith("lettres/")]
    assert letters == list(range(len(letters))), hrefs
    guide = [index for index, href in enumerate(hrefs) if href.startswith("guide/")]
    assert guide in ([], [len(hrefs) - 1]), hrefs
    assert page.errors == []


def test_search_leads_to_the_letters_and_finds_gathered_pages_by_title(site, page):
    """A word of a territory's news leads to the letter, not to the pages that
    repeat it; the territory's page is found by its name."""
    hrefs = [result["href"] for result in search(page, site, "délibération")]
    assert any("lettres/2021-12" in href for href in hrefs), hrefs
    assert not [href for href in hrefs if "territoires/" in href or "personnes" in href], hrefs
    hrefs = [result["href"] for result in search(page, site, "Lomme")]
    assert any("territoires/lomme" in href for href in hrefs), hrefs
    assert page.errors == []


@pytest.mark.parametrize("dark", [False, True], ids=["clair", "sombre"])
@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "390"])
def test_results_are_readable_in_both_themes_and_on_a_phone(site, browser, viewport, dark):
    page = open_page(browser, viewport=viewport, dark=dark)
    try:
        page.goto(site + "search.html")
        if dark:
            in_dark(page)
        results = search(page, site, "sobriete")
        name = f"search-results-{viewport['width']}-{'dark' if dark else 'light'}"
        # (The sidebar slides in as a page opens: its picture once it stands.)
        page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')")
        screenshot(page, name, full_page=True)
        assert results[0]["marks"]
        # Nothing wider than the screen: the results wrap.
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        for selector in (RESULT_LINKS, "#search-results p.context"):
            box = page.locator(selector).first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], selector
        assert axe_violations(page, name) == []
        assert mark_contrast(page) >= 4.5
        assert page.errors == []
    finally:
        page.context.close()


def mark_contrast(page) -> float:
    """The contrast ratio of the first marked word, text on its background."""
    colours = page.evaluate(
        """() => {
          const style = getComputedStyle(document.querySelector("#search-results p.context mark"));
          return [style.color, style.backgroundColor];
        }"""
    )
    text, background = (luminance(colour) for colour in colours)
    return (max(text, background) + 0.05) / (min(text, background) + 0.05)


def luminance(colour: str) -> float:
    red, green, blue, *alpha = (float(part) for part in re.findall(r"[\d.]+", colour))
    assert not alpha or alpha[0] == 1, colour  # an opaque background: its own colour

    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def test_the_search_dialog_is_french_and_leads_to_the_results(site, page):
    page.goto(site + "lettres/2021-12.html")
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    assert field.get_attribute("placeholder") == "Rechercher…"
    assert field.get_attribute("aria-label") == "Rechercher…"
    screenshot(page, "search-dialog")
    field.fill("sobriete")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=sobriete")
    page.locator(RESULT_LINKS).first.wait_for()
    assert page.locator("form.bd-search input[name=q]").first.get_attribute("placeholder") == (
        "Rechercher…"
    )
    assert page.locator(".search-button-field").first.inner_text().startswith("Rechercher")
    assert page.errors == []


def visible_search_boxes(page) -> list[dict]:
    """The search boxes and buttons a reader sees in the window."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
              ".search-button-field, .search-button, form.bd-search")]
            .filter((element) => {
              const box = element.getBoundingClientRect();
              const style = getComputedStyle(element);
              return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
                && box.bottom > 0 && box.top < window.innerHeight;
            })
            .map((element) => {
              const box = element.getBoundingClientRect();
              return {class: element.className, x: box.x, y: box.y, width: box.width};
            })"""
    )


def test_one_search_box_at_1280_px_and_a_search_button_on_a_phone(site, browser, page):
    page.goto(site + "lettres/2021-12.html")
    boxes = visible_search_boxes(page)
    assert len(boxes) == 1, boxes
    assert "search-button-field" in boxes[0]["class"]
    # Scrolled: no header box over the sidebar (the sidebar's box scrolls with it).
    page.evaluate("window.scrollTo(0, 1500)")
    assert page.evaluate("window.scrollY") > 0
    assert len(visible_search_boxes(page)) == 1, visible_search_boxes(page)
    assert page.locator("header.bd-header .search-button-field").count() == 0

    phone = open_page(browser, viewport=MOBILE)
    try:
        phone.goto(site + "lettres/2021-12.html")
        boxes = visible_search_boxes(phone)
        assert len(boxes) == 1, boxes
        phone.locator(".search-button").first.click()
        field = phone.locator("#pst-search-dialog input[name=q]")
        field.wait_for(state="visible")
        assert field.get_attribute("placeholder") == "Rechercher…"
        screenshot(phone, "search-dialog-390")
        assert phone.errors == []
    finally:
        phone.context.close()


# -- other letters ----------------------------------------------------------------

#: Letters of another year: the same word in a rubrique of each (in a
#: territory's news for the older), in text, never in a title.
OTHER_LETTERS = {
    "2030-01.md": letter(
        "Bonjour à toutes et à tous.\n\n"
        "::::{rubrique} nouvelles\n\n"
        ":::{territory-update} lomme\n"
        "La ville avance. Elle a choisi l’écoconception pour ses bâtiments scolaires "
        "et ses équipements sportifs, avec les agents.\n"
        ":::\n\n"
        "::::\n",
        number=90,
        date="2030-01",
        title="Lettre n° 90 — janvier 2030",
    ),
    "2030-02.md": letter(
        "Bonjour à toutes et à tous.\n\n"
        "::::{rubrique} inspiration\n\n"
        "Une phrase d’introduction sans le mot cherché, assez longue pour compter. "
        "La démarche d’écoconception gagne les services publics des territoires ruraux.\n\n"
        "::::\n",
        number=91,
        date="2030-02",
        title="Lettre n° 91 — février 2030",
    ),
}
#: A rubrique's title in the registry that is markup: shown as text, run never.
HOSTILE_TITLE = "Inspiration </script><script>window.almanachInjected = 1</script> & <b>co</b>"


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("search-other-letters")
    srcdir = project_with_letters(base, OTHER_LETTERS)
    guide = srcdir / "guide" / "index.md"
    guide.write_text(
        guide.read_text("utf-8") + "\nUn exemple de rubrique : l’écoconception des services.\n",
        encoding="utf-8",
    )
    rubriques = srcdir / "registres" / "rubriques.yaml"
    registry = yaml.safe_load(rubriques.read_text("utf-8"))
    registry["inspiration"]["title"] = HOSTILE_TITLE
    rubriques.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    app, warnings = build(srcdir, "html", base / "build")
    assert warnings == ""
    with served(Path(app.outdir)) as url:
        yield url


def test_other_letters_newest_first_each_with_its_rubrique(other_site, page):
    results = search(page, other_site, "ecoconception")
    screenshot(page, "search-other-letters")
    hrefs = [result["href"] for result in results]
    assert [href.split("#")[0] for href in hrefs[:2]] == [
        "lettres/2030-02.html",
        "lettres/2030-01.html",
    ], hrefs
    assert hrefs[-1].startswith("guide/"), hrefs
    newer, older = results[:2]
    assert newer["link"] == f"Lettre n° 91 — février 2030 › {HOSTILE_TITLE}"
    assert newer["href"] == "lettres/2030-02.html#rubrique-inspiration"
    assert newer["excerpt"] == (
        "La démarche d’écoconception gagne les services publics des territoires ruraux."
    )
    assert newer["marks"] == ["écoconception"]
    # A territory's news: the rubrique that holds it.
    assert older["link"] == "Lettre n° 90 — janvier 2030 › Les nouvelles des territoires…"
    assert older["marks"] == ["écoconception"]
    assert older["excerpt"].startswith("Elle a choisi l’écoconception")
    # The registry's markup stayed text.
    assert page.evaluate("window.almanachInjected") is None
    assert page.locator("#search-results b").count() == 0
    assert page.errors == []
