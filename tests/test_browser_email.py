"""The email edition in a real browser: ``lettre.html`` of the December letter,
as a mail client's web view shows it, in Debian's Chromium driven by Playwright
against ``build/email`` served on localhost.

At the widths of a mail client (600 px, the message's own width; 375 px, a
phone), light and dark: no horizontal scrolling, no serious accessibility
violation, dark colours that really are dark; the same layout with every
``<style>`` element removed (what a client that drops them shows: the inlining
at work); nothing loaded but the message itself; the preheader hidden.

Full-page screenshots are kept under ``build/test-artifacts/email/`` for a
reviewer: ``lettre-600-clair.png``, ``lettre-375-sombre.png``,
``lettre-600-sans-style.png``…
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from almanach.email.builder import STYLESHEET
from browsing import ARTIFACTS, axe_violations, open_page, served

pytestmark = pytest.mark.browser

EMAIL_ARTIFACTS = ARTIFACTS / "email"
LETTER = "2021-12"
MODES = {"clair": False, "sombre": True}
#: The one-cell tables of the letter's blocks.
BLOCK_CELLS = (".almanach-update-cell", ".almanach-quote-cell", ".almanach-resource-cell")
#: Where a page may fetch from: the served folder (loopback), or no network at all.
LOCAL_SCHEMES = {"file", "data", "about", "blob"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: The published site the message links to (tests/conftest.py: EMAIL_SETTINGS).
PUBLISHED = "https://exemple.github.io/almanach/"

#: Every element that has a box, with where that box is: (tag.classes, left, right).
BOXES = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getClientRects().length)
  .map(e => {
    const box = e.getBoundingClientRect();
    return [e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''),
            box.left, box.right];
  })"""

#: The computed properties that make the layout and the look of an element.
LAYOUT_PROPERTIES = [
    *(f"margin-{side}" for side in ("top", "right", "bottom", "left")),
    *(f"padding-{side}" for side in ("top", "right", "bottom", "left")),
    *(
        f"border-{side}-{what}"
        for side in ("top", "right", "bottom", "left")
        for what in ("width", "style", "color")
    ),
    "background-color",
    "color",
    "display",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "letter-spacing",
    "line-height",
    "text-align",
    "text-decoration-line",
    "text-transform",
]

#: body and each element in it, in document order: its name, its box and its
#: LAYOUT_PROPERTIES.
COMPUTED_LAYOUT = """properties => [document.body, ...document.body.querySelectorAll('*')]
  .map(e => {
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    return {
      element: e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''),
      box: [box.x, box.y, box.width, box.height].map(v => Math.round(v * 10) / 10),
      style: Object.fromEntries(properties.map(p => [p, style.getPropertyValue(p)])),
    };
  })"""

#: Every visible element with text of its own: (its name, its text, its colour).
TEXT_COLOURS = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getClientRects().length
          && [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.data.trim()))
  .map(e => [e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''),
             e.textContent.trim().slice(0, 40), getComputedStyle(e).color])"""

#: Every element with a background of its own: (its name, its background colour).
BACKGROUNDS = """() => [document.body, ...document.body.querySelectorAll('*')]
  .map(e => [e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''),
             getComputedStyle(e).backgroundColor])
  .filter(([, colour]) => colour !== 'rgba(0, 0, 0, 0)')"""

#: Without its <style> elements. The body's margin is then Chromium's 8 px for
#: a document: a mail client shows a message in its own frame, not as a page
#: (the kept stylesheet zeroes it for the clients that show it as a page).
WITHOUT_STYLE_ELEMENTS = """() => {
  document.querySelectorAll('style').forEach(s => s.remove());
  document.body.style.margin = '0';
}"""

#: The message as written before inlining: no style attribute but the
#: preheader's (the template's own), the light stylesheet as a <style> element.
AS_AUTHORED = """css => {
  document.querySelectorAll('style').forEach(s => s.remove());
  document.querySelectorAll('[style]:not(.almanach-preheader)')
    .forEach(e => e.removeAttribute('style'));
  const sheet = document.createElement('style');
  sheet.textContent = css;
  document.head.append(sheet);
  document.body.style.margin = '0';
}"""

#: What a message may not contain: scripts, forms and their fields, frames,
#: embedded objects, linked stylesheets or fonts.
FORBIDDEN = (
    "script, noscript, form, input, button, select, textarea, iframe, frame, object, embed, "
    "link[rel~='stylesheet'], link[rel~='preload'], link[rel~='prefetch'], base"
)


@pytest.fixture(scope="module")
def email_site(project_email):
    """The email edition served on localhost: its base URL."""
    outdir, _warnings = project_email
    with served(outdir) as url:
        yield url


@pytest.fixture(scope="module")
def letter_source(project_email) -> Path:
    """The December letter's source, as ``lettre.json`` names it."""
    outdir, _warnings = project_email
    summary = json.loads((outdir / LETTER / "lettre.json").read_text(encoding="utf-8"))
    return outdir.parent.parent / summary["source"]


def is_local(url: str) -> bool:
    """Whether fetching ``url`` stays on this machine (loopback or no network)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOOPBACK


def open_letter(browser, site: str, *, width: int, dark: bool = False):
    """The December letter's ``lettre.html`` at ``width`` (light, or dark as the
    reader's system prefers), loaded. Every request the page makes is kept in
    ``page.requested``; any that would leave the machine is aborted."""
    page = open_page(browser, viewport={"width": width, "height": 900}, dark=dark)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.context.route(lambda url: not is_local(url), lambda route: route.abort())
    page.requested = requested
    page.goto(f"{site}{LETTER}/lettre.html")
    page.wait_for_load_state("networkidle")
    return page


def keep_screenshot(page, name: str) -> None:
    EMAIL_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(EMAIL_ARTIFACTS / f"{name}.png"), full_page=True)


def rgb(colour: str) -> tuple[float, ...]:
    """``rgb(r, g, b)`` or ``rgba(r, g, b, a)``, as the browser computes it."""
    match = re.fullmatch(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)", colour)
    assert match, f"unexpected computed colour {colour!r}"
    return tuple(float(value) for value in match.groups() if value is not None)


def luminance(colour: str) -> float:
    """The relative luminance of an opaque colour (WCAG 2)."""
    red, green, blue = (
        channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4
        for channel in (value / 255 for value in rgb(colour)[:3])
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def computed_layout(page) -> list[dict]:
    return page.evaluate(COMPUTED_LAYOUT, LAYOUT_PROPERTIES)


def differences(expected: list[dict], actual: list[dict]) -> list[str]:
    """Where two ``computed_layout`` of the same document differ (the first 20)."""
    assert len(expected) == len(actual), "not the same elements"
    found = []
    for index, (before, after) in enumerate(zip(expected, actual, strict=True)):
        where = f"#{index} {before['element']}"
        if before["box"] != after["box"]:
            found.append(f"{where}: box {before['box']} -> {after['box']}")
        found += [
            f"{where}: {name} {value!r} -> {after['style'][name]!r}"
            for name, value in before["style"].items()
            if after["style"][name] != value
        ]
    return found[:20]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", [600, 375, 320])
def test_fits_the_width_of_a_mail_client_and_is_accessible(browser, email_site, width, mode):
    """At 600 px and on a phone, light and dark: no horizontal scrolling, no
    element wider than the screen, no serious or critical axe-core violation
    (colour contrast included), nothing fetched beyond this machine."""
    page = open_letter(browser, email_site, width=width, dark=MODES[mode])
    try:
        keep_screenshot(page, f"lettre-{width}-{mode}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        overflowing = [
            (element, left, right)
            for element, left, right in page.evaluate(BOXES)
            if left < -0.5 or right > width + 0.5
        ]
        assert overflowing == []
        assert axe_violations(page, f"email-lettre-{width}-{mode}") == []
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert [url for url in page.requested if not is_local(url)] == []
    finally:
        page.context.close()


def test_dark_mode_changes_the_colours(browser, email_site):
    """When the reader's system prefers dark: the backgrounds go dark and every
    text light (and the reverse in light mode), the letter's text readable on
    its background."""
    light = open_letter(browser, email_site, width=600)
    dark = open_letter(browser, email_site, width=600, dark=True)
    try:
        for selector in (".almanach-wrapper", ".almanach-container", ".almanach-content"):
            light_background = light.locator(selector).first.evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            dark_background = dark.locator(selector).first.evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            assert luminance(light_background) > 0.8, (selector, light_background)
            assert luminance(dark_background) < 0.05, (selector, dark_background)

        assert [(e, c) for e, c in light.evaluate(BACKGROUNDS) if luminance(c) < 0.8] == []
        assert [(e, c) for e, c in dark.evaluate(BACKGROUNDS) if luminance(c) > 0.05] == []

        light_texts = light.evaluate(TEXT_COLOURS)
        dark_texts = dark.evaluate(TEXT_COLOURS)
        assert len(dark_texts) == len(light_texts) > 100
        assert [text for text in light_texts if luminance(text[2]) > 0.2] == []
        assert [text for text in dark_texts if luminance(text[2]) < 0.3] == []

        content = dark.locator(".almanach-content").evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
        assert contrast(*content) >= 7
    finally:
        light.context.close()
        dark.context.close()


@pytest.mark.parametrize("width", [600, 1024])
def test_the_inlined_styles_hold_without_style_elements(browser, email_site, width):
    """A client that drops ``<style>`` elements shows the same message: every
    element keeps its box and its look (as with the styles, and as the light
    stylesheet would make it without inlining), the container at most 600 px
    wide and centred, the blocks with their borders, paddings and backgrounds,
    the headings at their size."""
    styled = open_letter(browser, email_site, width=width)
    bare = open_letter(browser, email_site, width=width)
    authored = open_letter(browser, email_site, width=width)
    try:
        bare.evaluate(WITHOUT_STYLE_ELEMENTS)
        assert bare.evaluate("document.styleSheets.length") == 0
        authored.evaluate(AS_AUTHORED, STYLESHEET.read_text(encoding="utf-8"))
        keep_screenshot(bare, f"lettre-{width}-sans-style")

        bare_layout = computed_layout(bare)
        assert differences(computed_layout(styled), bare_layout) == []
        assert differences(computed_layout(authored), bare_layout) == []

        container = bare.locator(".almanach-container").bounding_box()
        assert container["width"] <= 600
        assert container["width"] == min(width, 600)
        assert abs(container["x"] - (width - container["x"] - container["width"])) <= 1

        for cell in BLOCK_CELLS:
            styles = bare.locator(cell).evaluate_all(
                """cells => cells.map(c => {
                     const s = getComputedStyle(c);
                     return [s.borderLeftWidth, s.borderLeftStyle, s.paddingLeft,
                             s.paddingTop, s.backgroundColor];
                   })"""
            )
            assert styles, f"no {cell} in the letter"
            for border, style, padding_left, padding_top, _background in styles:
                assert style == "solid" and float(border[:-2]) >= 1, (cell, border, style)
                assert float(padding_left[:-2]) >= 12, (cell, padding_left)
                assert float(padding_top[:-2]) > 0, (cell, padding_top)
            if cell == ".almanach-quote-cell":
                assert all(rgb(s[4]) != (0, 0, 0, 0) for s in styles), styles

        sizes = bare.evaluate(
            """() => ['.almanach-content', 'h1', 'h2'].map(
                 s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
        )
        body_size, h1_size, h2_size = sizes
        assert h1_size > h2_size > body_size, sizes
        # Chromium's own sizes (2em, 1.5em) are not the stylesheet's.
        assert h1_size != 2 * body_size and h2_size != 1.5 * body_size, sizes
    finally:
        for page in (styled, bare, authored):
            page.context.close()


def test_loads_nothing_beyond_the_message(browser, email_site):
    """No script, form, frame or linked stylesheet; no web font; every style
    without a remote address; the only request the message itself, though it
    links to the published site."""
    page = open_letter(browser, email_site, width=600)
    try:
        assert page.locator(FORBIDDEN).count() == 0
        assert page.evaluate("document.fonts.size") == 0
        styles = page.evaluate(
            """() => [...document.querySelectorAll('style')].map(s => s.textContent)
                 .concat([...document.querySelectorAll('[style]')]
                         .map(e => e.getAttribute('style')))"""
        )
        assert [s for s in styles if re.search(r"@import|@font-face|url\(", s, re.I)] == []
        assert page.locator(f"a[href^='{PUBLISHED}']").count() > 10
        assert page.requested == [f"{email_site}{LETTER}/lettre.html"]
    finally:
        page.context.close()


def test_preheader_is_hidden_and_is_the_summary(browser, email_site, letter_source):
    """The preheader, first in the body (where a client takes its preview
    line), is not shown, and says the letter's summary."""
    front_matter = letter_source.read_text(encoding="utf-8").split("---\n")[1]
    summary = yaml.safe_load(front_matter)["summary"]
    page = open_letter(browser, email_site, width=600)
    try:
        preheader = page.locator(".almanach-preheader")
        assert preheader.count() == 1
        assert page.evaluate("document.body.firstElementChild.className") == "almanach-preheader"
        assert not preheader.is_visible()
        assert preheader.bounding_box() is None
        text = preheader.text_content().replace("\u034f", "")
        assert " ".join(text.split()) == " ".join(summary.split())
    finally:
        page.context.close()


def test_a_long_address_written_out_does_not_widen_the_message(browser, tmp_path):
    """A letter that writes out a long address (no space to break it): at
    320 px the message still does not scroll sideways."""
    from helpers import build, letter, slim_project

    docs = slim_project(tmp_path)
    address = (
        "https://www.exemple-de-collectivite.fr/actualites/transition-ecologique-"
        "deliberation-cadre-adoptee-a-l-unanimite-par-le-conseil-municipal"
    )
    body = f"Le compte rendu est en ligne : <{address}>, à lire avant la journée.\n"
    (tmp_path / "issues" / "2030-01.md").write_text(letter(body), encoding="utf-8")
    app, warnings = build(
        docs, "email", tmp_path / "build", confoverrides={"html_baseurl": "https://exemple.fr/"}
    )
    assert warnings == ""
    page = open_page(browser, viewport={"width": 320, "height": 900})
    try:
        page.goto(Path(app.outdir, "2030-01", "lettre.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        keep_screenshot(page, "lettre-320-adresse-longue")
    finally:
        page.context.close()
