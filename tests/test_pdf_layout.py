"""The PDF compendium without blemishes: no heading at the foot of a page, blank
pages really blank, territory chapters that follow each other, each address
footnoted once per page, author–year labels in the bibliography, a tagged PDF.

Checked on the real project and on a generated letter whose many headings,
lead-in lines and repeated links fall anywhere on the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import (
    ROOT,
    build,
    compile_pdf,
    copy_project,
    letter,
    outline,
    page_text,
    project_with_letters,
    render_page,
    require_tool,
    warning_lines,
)

pytestmark = pytest.mark.pdf

PDF_NAME = "territoires-pilotes.pdf"
ARTIFACTS = ROOT / "build" / "test-artifacts" / "pdf"

#: The text block's limits on an A4 page, in points from the bottom (almanach.sty:
#: top margin 26 mm, bottom 30 mm): the running head is above, the page number
#: of a chapter's first page below.
BODY_TOP = 842 - 26 * 72 / 25.4 + 4
BODY_BOTTOM = 30 * 72 / 25.4 - 6


@dataclass(frozen=True)
class Line:
    """A line of a page: its height on the page, its text and its fonts (name,
    size)."""

    y: float
    text: str
    fonts: frozenset[tuple[str, float]]

    @property
    def in_body(self) -> bool:
        return BODY_BOTTOM < self.y < BODY_TOP

    @property
    def is_heading(self) -> bool:
        """Headings are the only lines set in bold sans serif at the body's size
        or larger (TeX Gyre Heros Bold)."""
        return all("Heros-Bold" in name and size >= 10.5 for name, size in self.fonts)


def page_lines(page) -> list[Line]:
    """A page's lines, top to bottom (pypdf: each piece of text, its font and where
    it is; pieces on the same baseline make a line)."""
    rows: dict[int, list[tuple[str, float, str]]] = defaultdict(list)

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        name = str(font.get("/BaseFont", "")) if font else ""
        rows[round(y)].append((name, round(size * (tm[3] or 1) * (cm[3] or 1), 1), text.strip()))

    page.extract_text(visitor_text=visit)
    return [
        Line(y, " ".join(piece[2] for piece in rows[y]), frozenset(p[:2] for p in rows[y]))
        for y in sorted(rows, reverse=True)
    ]


def is_part_title_page(lines: list[Line]) -> bool:
    return any(re.fullmatch(r"\S+ partie", line.text) for line in lines)


def headings_at_the_foot(reader: PdfReader) -> list[tuple[int, str]]:
    """(page, heading) for each page whose last line of text is a heading, from
    the first page after the table of contents (whose entries are set like
    headings) to the end; part title pages are made of their title."""
    start = next(page for depth, title, page in outline(reader) if title == "Introduction")
    found = []
    for number, page in enumerate(reader.pages[start:], start=start + 1):
        body = [line for line in page_lines(page) if line.in_body]
        if body and body[-1].is_heading and not is_part_title_page(body):
            found.append((number, body[-1].text))
    return found


def lonely_running_heads(reader: PdfReader) -> list[tuple[int, str]]:
    """(page, text) for each page with nothing in its text block but with a
    running head or a page number."""
    found = []
    for number, page in enumerate(reader.pages, start=1):
        lines = page_lines(page)
        if lines and not any(line.in_body for line in lines):
            found.append((number, " / ".join(line.text for line in lines)))
    return found


FOOTNOTE = re.compile(r"^\s*(\d+)\.\s+((?:https?|ftp)://\S+)\s*$")


def footnoted_addresses(pdf: Path, page: int) -> list[str]:
    """The addresses printed in the footnotes of a page (« 1. https://… »)."""
    return [
        found.group(2)
        for line in page_text(pdf, page, layout=True).splitlines()
        if (found := FOOTNOTE.match(line))
    ]


def linked_addresses(page) -> list[str]:
    """The external addresses the links of a page go to."""
    addresses = []
    for annotation in page.get("/Annots") or []:
        action = annotation.get_object().get("/A")
        if action is not None and action.get("/S") == "/URI":
            addresses.append(str(action["/URI"]))
    return addresses


def pages_linking_twice(reader: PdfReader, address: str | None = None) -> list[int]:
    """The pages (from 1) that link ``address`` — or any one address — twice or more."""
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        linked = linked_addresses(page)
        if any(linked.count(site) >= 2 for site in ([address] if address else set(linked))):
            pages.append(number)
    return pages


def repeated_footnotes(pdf: Path, reader: PdfReader) -> list[tuple[int, str]]:
    found = []
    for number in range(1, len(reader.pages) + 1):
        addresses = footnoted_addresses(pdf, number)
        found += [(number, address) for address in set(addresses) if addresses.count(address) > 1]
    return found


# -- the real project ---------------------------------------------------------------


@pytest.fixture(scope="module")
def book(project_pdf) -> tuple[Path, PdfReader]:
    pdf = project_pdf[0] / "pdf" / PDF_NAME
    return pdf, PdfReader(pdf)


def test_no_page_ends_with_a_heading(book):
    pdf, reader = book
    assert headings_at_the_foot(reader) == []
    # The people's page where « Rob Hopkins » was left alone at the foot.
    people = next(page for _d, title, page in outline(reader) if title == "Les personnes")
    for page in (people + 2, people + 4):
        render_page(pdf, page, ARTIFACTS / f"personnes-{page}")


def test_heading_detection_sees_the_headings(book):
    """The check above would see a heading at the foot: headings are found as such."""
    _pdf, reader = book
    people = next(page for _d, title, page in outline(reader) if title == "Les personnes")
    lines = page_lines(reader.pages[people])
    headings = [line.text for line in lines if line.is_heading]
    assert headings[:2] == ["Les personnes", "Abinal, Marie-Claire"], headings
    assert not any(line.is_heading for line in lines if "Lettre n°" in line.text)


def test_blank_pages_have_no_running_head(book):
    pdf, reader = book
    assert lonely_running_heads(reader) == []
    # The main matter starts on a recto: the verso after the introduction is blank.
    part = next(page for _d, title, page in outline(reader) if title == "I Les lettres")
    assert part % 2 == 0  # 0-based: an odd page
    blank = reader.pages[part - 1]
    assert page_lines(blank) == [], page_text(pdf, part)
    render_page(pdf, part, ARTIFACTS / "verso-blanc")


def test_territory_chapters_follow_each_other(book):
    """A pilot territory's chapter is a few lines of registry data and references:
    chapters share pages instead of each starting its own."""
    pdf, reader = book
    entries = outline(reader)
    part = next(i for i, (_d, title, _p) in enumerate(entries) if title == "II Les territoires")
    chapters = []
    for depth, title, page in entries[part + 1 :]:
        if depth == 0:
            break
        if depth == 1:
            chapters.append((title, page))
    assert len(chapters) >= 4
    starts = [page for _title, page in chapters]
    assert len(set(starts)) < len(starts), chapters
    # ... and the bookmarks still list each one, in order.
    assert starts == sorted(starts)
    # The first one starts a page of its own, after the part's title page.
    assert chapters[0][0] not in page_text(pdf, starts[0])
    render_page(pdf, starts[1] + 1, ARTIFACTS / "territoires")


def test_each_address_is_footnoted_once_per_page(book):
    pdf, reader = book
    assert repeated_footnotes(pdf, reader) == []
    # The December letter links PACT2's site twice on one page: one footnote, and
    # the second link bears the first one's mark.
    pages = pages_linking_twice(reader, "https://pact2.fr")
    assert pages, "no page links PACT2 twice"
    for number in pages:
        assert footnoted_addresses(pdf, number).count("https://pact2.fr") == 1
    render_page(pdf, pages[0], ARTIFACTS / "note-unique")


def test_bibliography_labels_are_those_of_the_citations(book):
    pdf, reader = book
    page = next(p for _d, title, p in outline(reader) if title == "Bibliographie") + 1
    text = " ".join(page_text(pdf, page).split())
    assert "[Hopkins, 2010] Rob Hopkins. Manuel de transition" in text, text
    assert not re.search(r"\[\d+\]", text), text
    letter_text = " ".join(page_text(pdf, 1, len(reader.pages)).split())
    assert "[Hopkins, 2010]" in letter_text.replace(text, "")


def test_pdf_says_its_language_and_title_untagged(book):
    """/Lang fr-FR and the title shown; not tagged by default: LaTeX's tagging costs
    superlinear time in the links (38 minutes for 12 letters, ``make bench``)."""
    pdf, reader = book
    pdfinfo = require_tool("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+no$", info, re.MULTILINE), info
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_tagging_is_asked_for_by_a_setting(tmp_path):
    """``almanach_pdf_tagged = True``: the LaTeX source asks for phase-II tagging
    in French, before the class."""
    from almanach.pdf.translator import DOCUMENT_METADATA

    for tagged in (False, True):
        srcdir = copy_project(tmp_path / str(tagged))
        app, warnings = build(
            srcdir, "latex", tmp_path / str(tagged) / "build",
            confoverrides={"almanach_pdf_tagged": tagged},
        )  # fmt: skip
        assert warnings == ""
        tex = Path(app.outdir, "territoires-pilotes.tex").read_text("utf-8")
        assert tex.startswith(DOCUMENT_METADATA) is tagged
        assert "lang=fr-FR" in DOCUMENT_METADATA


def test_bibliography_labels_in_the_site(project_html):
    html = (project_html[0] / "bibliographie.html").read_text("utf-8")
    labels = re.findall(r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<', html)
    assert labels == ["Hopkins, 2010"], labels


# -- a generated letter -------------------------------------------------------------

WORDS = (
    "territoire transition coopération sobriété alimentation énergie mobilité habitants "
    "élus agents démarche projet atelier journée récit évaluation délibération commune"
).split()


def sentence(seed: int, length: int) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return (" ".join(words) + ".").capitalize()


def paragraph(seed: int) -> str:
    """A paragraph of 1 to 9 lines, its length drawn from its seed."""
    return " ".join(sentence(seed + i, 9 + (seed + i) % 5) for i in range(1 + (seed * 5) % 8))


def layout_letter() -> str:
    """Many headings (sections, subsections), lead-in lines in bold or ending with
    a colon, and the same addresses linked again and again: some heading or
    lead-in line is bound to fall at the foot of a page, some address to be
    linked twice on one page."""
    parts = []
    for section in range(1, 16):
        parts.append(f"## Partie {section}\n")
        for sub in range(1 + section % 3):
            seed = section * 10 + sub
            if sub:
                parts.append(f"### Point {section}.{sub}\n")
            parts.append(paragraph(seed) + "\n")
            if seed % 2:
                parts.append(f"**Témoignage {section}.{sub}, chargée de mission :**\n")
            else:
                parts.append(f"Ce qu’il faut retenir du point {section}.{sub} :\n")
            parts.append(paragraph(seed + 3) + "\n")
            site = ("https://example.org/un", "https://example.org/deux")[seed % 2]
            parts.append(
                f"Voir [le site]({site}), puis [encore le site]({site}) et "
                f"[le même]({site}) ; {paragraph(seed + 5)}\n"
            )
    return letter("\n".join(parts), number=90, date="2030-01", title="Lettre n° 90 — janvier 2030")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, PdfReader]:
    require_tool("latexmk")
    base = tmp_path_factory.mktemp("layout")
    srcdir = project_with_letters(base, {"2030-01.md": layout_letter()})
    builddir = base / "build"
    _app, warnings = build(srcdir, "latex", builddir, freshenv=True)
    assert warning_lines(warnings, srcdir) == []
    compile_pdf(builddir)
    pdf = builddir / "pdf" / PDF_NAME
    return pdf, PdfReader(pdf)


def test_generated_letter_has_no_heading_at_the_foot_of_a_page(generated):
    pdf, reader = generated
    assert len(reader.pages) > 20
    assert headings_at_the_foot(reader) == []
    assert lonely_running_heads(reader) == []
    render_page(pdf, 9, ARTIFACTS / "lettre-generee-9")


def test_generated_letter_lead_in_lines_stay_with_what_follows(generated):
    _pdf, reader = generated
    for number, page in enumerate(reader.pages, start=1):
        body = [line for line in page_lines(page) if line.in_body]
        last = body[-1].text if body else ""
        assert not re.match(r"(Témoignage \d+\.\d+, chargée de mission :|Ce qu’il faut)", last), (
            number,
            last,
        )


def test_generated_letter_footnotes_each_address_once_per_page(generated):
    pdf, reader = generated
    assert repeated_footnotes(pdf, reader) == []
    twice = pages_linking_twice(reader)
    assert twice
    for number in twice:
        notes = footnoted_addresses(pdf, number)
        assert notes and len(notes) == len(set(notes)), (number, notes)


def test_every_page_is_kept_as_a_picture(book):
    """Every page of the book as a PNG under build/test-artifacts/pdf/pages/, for
    a reviewer to look at (what a reader of the printed record sees)."""
    pdf, reader = book
    pdftoppm = require_tool("pdftoppm")
    folder = ARTIFACTS / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run([pdftoppm, "-png", "-r", "50", str(pdf), str(folder / "page")], check=True)
    pictures = sorted(folder.glob("page-*.png"))
    assert len(pictures) == len(reader.pages)
    assert all(picture.stat().st_size > 1000 for picture in pictures)
