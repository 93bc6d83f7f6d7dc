"""French typography and French strings, as a reader meets them in Chromium.

On the home page, a letter, a territory page, the people, the resources, the
agenda, the search (with results) and the 404 page: no text the page shows
breaks a line before ``; : ! ? »`` or after « (an ordinary space or a newline
there), no ``; ! ?`` glued to a word, and no English left by the theme in the
text or in what a screen reader or a tooltip says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browsing import DESKTOP, MOBILE, open_page, screenshot

pytestmark = pytest.mark.browser

#: The text nodes a reader sees (not code, scripts or styles), with the URLs
#: written in them taken out; the page's title; its description.
VISIBLE_TEXTS = """() => {
  const skipped = new Set(['SCRIPT', 'STYLE', 'CODE', 'PRE', 'KBD', 'SAMP', 'TEXTAREA',
                           'NOSCRIPT', 'TEMPLATE']);
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let hidden = false;
    for (let e = node.parentElement; e; e = e.parentElement) {
      if (skipped.has(e.tagName)) { hidden = true; break; }
    }
    if (!hidden && node.data.trim()) texts.push(node.data);
  }
  for (const meta of document.querySelectorAll(
      'meta[name="description"], meta[property="og:description"], meta[property="og:title"]')) {
    texts.push(meta.content);
  }
  return texts;
}"""

#: Every string a screen reader or a tooltip says: names, titles, placeholders.
SPOKEN_STRINGS = """() => {
  const found = [];
  for (const e of document.querySelectorAll('*')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description',
                        'data-bs-original-title', 'aria-roledescription']) {
      const value = e.getAttribute(name);
      if (value) found.push([e.tagName, name, value]);
    }
  }
  return found;
}"""

URL = re.compile(r"(?:https?|ftp|file)://\S+|mailto:\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: French punctuation that would break from its word: an ordinary space or a
#: newline before ; : ! ? », after «; or no space at all before ; ! ?.
BREAKING = re.compile(r"\w[;!?]|[ \n][;:!?»]|«[ \n]")
#: The theme's English (a whole value, or a phrase within one).
ENGLISH_VALUES = {"Main", "Page", "Search"}
ENGLISH_PHRASES = re.compile(
    r"\bToggle\b|\bSearch\b|Back to top|Skip to main content|\bCopyright\b|^By |\bBy [A-Z]"
)


def reader_pages(site_html: Path) -> list[str]:
    """The pages to read: home, a letter, a territory, the people, the
    resources, the agenda, the search (with results) and the 404 page."""
    letter = sorted(p.name for p in (site_html / "lettres").glob("*.html"))[-1]
    territory = sorted(
        p.name for p in (site_html / "territoires").glob("*.html") if p.name != "index.html"
    )[0]
    return [
        "index.html",
        f"lettres/{letter}",
        f"territoires/{territory}",
        "territoires/index.html",
        "personnes.html",
        "ressources.html",
        "agenda.html",
        "search.html?q=territoire",
        "404.html",
    ]


def load(page, site: str, path: str) -> None:
    page.goto(site + path, wait_until="load")
    if path.startswith("search.html"):
        page.wait_for_selector("#search-results ul.search li", timeout=15000)


def badly_spaced(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        bare = URL.sub(" URL ", text)
        for match in BREAKING.finditer(bare):
            start = max(0, match.start() - 25)
            found.append(repr(bare[start : match.end() + 10]))
    return found


def english(strings: list[str]) -> list[str]:
    return [s for s in strings if s.strip() in ENGLISH_VALUES or ENGLISH_PHRASES.search(s.strip())]


def test_no_line_break_before_french_punctuation(browser, site, site_html) -> None:
    for viewport, name in ((DESKTOP, "desktop"), (MOBILE, "mobile")):
        page = open_page(browser, viewport=viewport)
        try:
            for path in reader_pages(site_html):
                load(page, site, path)
                problems = badly_spaced(page.evaluate(VISIBLE_TEXTS))
                assert not problems, f"{path} ({name}): {problems[:8]}"
                if path in reader_pages(site_html)[:4]:  # for a reviewer's eyes
                    stem = path.split("?")[0].replace("/", "-")[: -len(".html")]
                    screenshot(page, f"typography-{stem}-{name}", full_page=True)
        finally:
            page.context.close()


def test_no_english_left_for_readers(browser, site, site_html) -> None:
    for dark in (False, True):
        page = open_page(browser, viewport=MOBILE if dark else DESKTOP, dark=dark)
        try:
            for path in reader_pages(site_html):
                load(page, site, path)
                texts = page.evaluate(VISIBLE_TEXTS)
                spoken = page.evaluate(SPOKEN_STRINGS)
                found = english(texts) + [
                    f"{tag} {name}={value!r}" for tag, name, value in spoken if english([value])
                ]
                assert not found, f"{path}: {found}"
        finally:
            page.context.close()


def test_footer_names_the_author_and_the_letters_years(page, site) -> None:
    load(page, site, "index.html")
    footer = page.locator("footer.bd-footer-content").inner_text()
    assert "Par l’Association de Promotion de la Fabrique des Transitions" in footer
    # The real letters are of 2021 and later; the years are the letters', never
    # the build's (a literal year here would age: read the letters' dates).
    years = re.search(r"© (\d{4})(?:–(\d{4}))?", footer)
    assert years, footer
    letters = sorted((Path(__file__).parents[1] / "issues").glob("*.md"))
    dates = sorted(
        re.search(r"^date:\s*(\d{4})-", p.read_text("utf-8"), re.M).group(1) for p in letters
    )
    assert years.group(1) == dates[0]
    assert (years.group(2) or years.group(1)) == dates[-1]


def test_field_labels_do_not_break_within_a_word(browser, site, site_html) -> None:
    """A territory's facts at 390 px: each label on as many lines as its words
    need, never cut inside a word; « Type : » with a no-break space."""
    territories = sorted(
        p.name for p in (site_html / "territoires").glob("*.html") if p.name != "index.html"
    )
    page = open_page(browser, viewport=MOBILE)
    try:
        for territory in territories:
            load(page, site, f"territoires/{territory}")
            labels = page.locator("dl.field-list > dt")
            assert labels.count() > 0, territory
            for i in range(labels.count()):
                label = labels.nth(i)
                text = label.inner_text()
                assert re.search(r"\w\u00a0:$", text), repr(text)
                # Each word of the label fits on one line: the label's lines are
                # at most its words.
                lines = label.evaluate(
                    """e => { const r = document.createRange(); r.selectNodeContents(e);
                              const tops = new Set([...r.getClientRects()]
                                .map(x => Math.round(x.top)));
                              return tops.size; }"""
                )
                words = len(re.split(r"[ \n]+", text.strip()))  # not at no-break spaces
                assert lines <= words, (territory, text, lines)
            screenshot(page, f"typography-territory-{territory[:-5]}-mobile")
    finally:
        page.context.close()
