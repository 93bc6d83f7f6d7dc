"""The PDF compendium as a book: cover, parts, outline, metadata, fonts, links,
French bibliography, a letter that tries to break LaTeX, and reproducibility.

The cover and the first page of the December letter are rendered to PNG under
``build/test-artifacts/`` (from the repository root) for a reviewer to look at.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string
from pypdf import PdfReader

from almanach.model.letters import day_label
from almanach.model.records import Letter
from almanach.pdf.build import PdfReport, check_log, overfull_boxes
from almanach.pdf.cover import build_date, letters_span, year_span
from almanach.reading.bibliography import FrenchAuthorYearReferenceStyle, FrenchStyle
from helpers import (
    FIXTURES,
    ROOT,
    build,
    compile_pdf,
    copy_project,
    goto_targets,
    in_order_ratio,
    project_with_letters,
    require_tool,
    warning_lines,
    words,
)

PDF_NAME = "territoires-pilotes.pdf"
ARTIFACTS = ROOT / "build" / "test-artifacts"
STRESS = FIXTURES / "stress-letter.md"
PUBLISHER = "Association de Promotion de la Fabrique des Transitions"


# -- reading the project and the PDF ----------------------------------------------------


def published_letter_titles(issues: Path) -> list[str]:
    """The chapter titles (first heading) of the published letters, in file order."""
    titles = []
    for path in sorted(issues.glob("*.md")):
        text = path.read_text("utf-8")
        front = yaml.safe_load(text.split("---")[1])
        if front.get("status") != "published":
            continue
        heading = re.search(r"^# (.+)$", text, re.MULTILINE)
        assert heading, path
        titles.append(heading.group(1).strip())
    return titles


def pilot_labels() -> list[str]:
    registry = yaml.safe_load((ROOT / "docs/registres/territoires.yaml").read_text("utf-8"))
    return [entry["name"] for entry in registry.values() if entry.get("pilot")]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def page_text(pdf: Path, first: int, last: int | None = None, layout: bool = False) -> str:
    """Text of pages ``first``..``last`` (1-based), as pdftotext gives it."""
    pdftotext = require_tool("pdftotext")
    last = last or first
    command = [pdftotext, *(["-layout"] if layout else []), "-f", str(first), "-l", str(last)]
    command += [str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def render_page(pdf: Path, page: int, target: Path) -> Path:
    """One page as a PNG (``target`` without suffix), for a human to look at."""
    pdftoppm = require_tool("pdftoppm")
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [pdftoppm, "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(pdf), str(target)], check=True)
    return target.with_suffix(".png")


def colour_images(pdf: Path, page: int) -> int:
    """Colour images on a page (colour emoji are embedded as RGB images)."""
    pdfimages = require_tool("pdfimages")
    command = [pdfimages, "-list", "-f", str(page), "-l", str(page), str(pdf)]
    lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return sum(1 for line in lines.splitlines()[2:] if line.split()[5] == "rgb")


def letter_pages(reader: PdfReader, title: str) -> tuple[int, int]:
    """First and last page (1-based) of the chapter titled ``title``."""
    entries = outline(reader)
    index = next(i for i, entry in enumerate(entries) if entry[1] == title)
    depth, _title, start = entries[index]
    following = [page for d, _t, page in entries[index + 1 :] if d <= depth]
    end = (following[0] if following else len(reader.pages)) - 1
    return start + 1, max(start, end) + 1


# -- the real project -------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(project_pdf) -> tuple[Path, PdfReader]:
    pdf = project_pdf[0] / "pdf" / PDF_NAME
    return pdf, PdfReader(pdf)


@pytest.mark.pdf
def test_cover_names_programme_years_publisher_and_build_date(book):
    pdf, _reader = book
    text = page_text(pdf, 1)
    assert "Territoires Pilotes" in text
    assert "2021" in text  # the December 2021 letter
    assert PUBLISHER in text
    assert f"Édition du {day_label(build_date())}" in text
    assert "<Set title" not in text and "Release" not in text
    render_page(pdf, 1, ARTIFACTS / "cover")


@pytest.mark.pdf
def test_letter_first_page_is_rendered_with_colour_emoji(book):
    pdf, reader = book
    first, _last = letter_pages(reader, "Lettre n° 2 — décembre 2021")
    assert "Lettre n° 2 — décembre 2021" in page_text(pdf, first)
    # 🗣️, 📖 and the ➡️ arrows, as colour images.
    assert colour_images(pdf, first) >= 3
    render_page(pdf, first, ARTIFACTS / "letter")


@pytest.mark.pdf
def test_outline_has_parts_letters_and_pilot_territories(book):
    _pdf, reader = book
    entries = outline(reader)
    top = [title for depth, title, _page in entries if depth == 0]
    parts = ["I Les lettres", "II Les territoires", "III Ressources"]
    assert [title for title in top if title in parts] == parts
    assert top[:2] == ["Table des matières", "Introduction"]
    assert top[-5:] == [
        "Bibliographie",
        "Index des territoires",
        "Index des personnes",
        "Index des ressources",
        "Index des organisations et des rendez-vous",
    ]
    chapters = [title for depth, title, _page in entries if depth == 1]
    for title in published_letter_titles(ROOT / "issues"):
        assert title in chapters, f"no bookmark for the letter {title}"
    for label in pilot_labels():
        assert label in chapters, f"no bookmark for the pilot territory {label}"
    # The rubriques are sections of their letter, emoji included.
    sections = [title for depth, title, _page in entries if depth == 2]
    assert "🗣️ Édito : Coopérer pour changer" in sections
    assert "🔎 Les nouvelles des territoires…" in sections


@pytest.mark.pdf
def test_territory_pages_refer_to_the_pages_of_their_news(book):
    """The PDF prints each update once, in its letter: the territory's chapter
    gives where it was published and the page, which holds the update."""
    pdf, reader = book
    first, last = letter_pages(reader, "Lomme")
    chapter = page_text(pdf, first, last)
    assert "Quels projets impulsent les transitions sur votre territoire ?" in chapter
    assert "délibération cadre" not in chapter  # the text is in the letter only
    found = re.search(r"Lettre n° 2 — décembre 2021.*?\(p\. (\d+)\)", chapter, re.S)
    assert found, chapter
    # \pageref gives the printed number: find the page that bears it.
    page = page_text(pdf, reader.page_labels.index(found.group(1)) + 1)
    assert "Guillaume Demeyer" in page and "Lomme en Transitions" in page


def test_letters_come_in_date_order(book):
    _pdf, reader = book
    pages = {title: page for depth, title, page in outline(reader) if depth == 1}
    letters = published_letter_titles(ROOT / "issues")
    assert [pages[title] for title in letters] == sorted(pages[title] for title in letters)


@pytest.mark.pdf
def test_metadata(book):
    _pdf, reader = book
    meta = reader.metadata
    assert meta.title == "Territoires Pilotes — le compendium"
    assert meta.author == PUBLISHER
    assert meta.subject == "Lettres mensuelles du programme Territoires Pilotes"
    assert "territoires pilotes" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


@pytest.mark.pdf
def test_running_heads_name_the_part_and_the_letter(book):
    pdf, reader = book
    first, last = letter_pages(reader, "Lettre n° 2 — décembre 2021")
    assert last > first + 1
    heads = [
        page_text(pdf, page, layout=True).strip().splitlines()[0].split()
        for page in (first + 1, first + 2)
    ]
    # Even pages: the page number, then the part; odd pages: the letter, then the number.
    even, odd = sorted(heads, key=lambda head: not head[0].isdigit())
    assert even[0].isdigit() and " ".join(even[1:]) == "Les lettres", heads
    assert " ".join(odd[:-1]) == "Lettre n° 2 — décembre 2021" and odd[-1].isdigit(), heads


@pytest.mark.pdf
def test_external_addresses_are_printed_and_pending_resources_marked(book):
    pdf, reader = book
    first, last = letter_pages(reader, "Lettre n° 2 — décembre 2021")
    text = page_text(pdf, first, last)
    # The PACT2 link's address is in a footnote as well as behind the link.
    assert text.count("https://pact2.fr") >= 1
    assert "lien à venir" in text


@pytest.mark.pdf
def test_bibliography_has_no_empty_chapter(book):
    pdf, reader = book
    page = next(p for d, t, p in outline(reader) if t == "Bibliographie") + 1
    text = page_text(pdf, page)
    assert text.count("Bibliographie") == 1, text
    assert "Manuel de transition" in text
    assert " and " not in text and "In:" not in text


@pytest.mark.pdf
def test_domain_indices_have_real_subentries(project_pdf):
    tex = (project_pdf[0] / "latex" / "territoires-pilotes.tex").read_text("utf-8")
    block = tex[tex.index(r"\renewcommand{\indexname}{Index des territoires}") :]
    block = block[: block.index(r"\end{sphinxtheindex}")]
    assert r"\begin{almanachsubentries}" in block
    lomme = block.index(r"\sphinxstyleindexentry{Lomme}")
    assert block.index(r"\begin{almanachsubentries}", lomme) < block.index(r"\item", lomme + 1)


@pytest.mark.pdf
def test_book_structure_in_the_latex(project_pdf):
    tex = (project_pdf[0] / "latex" / "territoires-pilotes.tex").read_text("utf-8")
    assert r"\documentclass[a4paper,11pt,openany,french]{sphinxmanual}" in tex
    assert r"\def\sphinxdocclass{book}" in tex
    order = [
        r"\almanachcover",
        r"\almanachtableofcontents",
        r"\chapter{Introduction}",
        r"\mainmatter",
        r"\almanachpart{Les lettres}",
        r"\part{Les territoires}",
        r"\almanachpart{Ressources}",
        r"\almanachbackmatter",
        r"\chapter{Bibliographie}",
        r"\renewcommand{\indexname}{Index des organisations et des rendez-vous}",
    ]
    positions = [tex.index(marker) for marker in order]
    assert positions == sorted(positions)


# -- French bibliography ------------------------------------------------------------------

BIB = r"""
@incollection{a, author = {Dupont, Jean and Durand, Marie}, editor = {Martin, Paul},
  title = {Un chapitre}, booktitle = {Un livre}, publisher = {Écosociété},
  year = {2020}, pages = {10--20}}
@book{b, author = {Dupont, Jean and Durand, Marie and Petit, Anne}, title = {Un livre},
  publisher = {Écosociété}, edition = {Second}, volume = {2}, series = {Essais}, year = {2021}}
@phdthesis{c, author = {Petit, Anne}, title = {Une thèse}, school = {Université}, year = {2019}}
@misc{d, author = {Petit, Anne}, title = {Un site}, url = {https://example.org},
  urldate = {2024-01-02}, year = {2024}}
"""


def test_french_bibliography_style_has_no_english_words():
    entries = parse_string(BIB, "bibtex").entries.values()
    text = " ".join(entry.text.render_as("text") for entry in FrenchStyle().format_entries(entries))
    for english in (" and ", "In ", "editor", "pages", "Volume", " of ", "PhD", "visited"):
        assert english not in text, (english, text)
    for french in (" et ", "Dans", "(éd.)", "p. 10", "Vol. 2", "Thèse de doctorat", "consulté"):
        assert french in text, (french, text)


def test_french_citations_join_authors_with_et():
    style = FrenchAuthorYearReferenceStyle()
    assert (style.person.sep2, style.person.last_sep) == (" et ", " et ")


def test_cover_facts_from_the_letters():
    def letter(date):
        return Letter(f"lettres/{date}", 1, date, "Titre", "published")

    assert year_span([]) == ""
    assert year_span([letter("2021-12")]) == "2021"
    assert year_span([letter("2021-12"), letter("2022-08")]) == "2021–2022"
    assert letters_span([letter("2021-12")]) == "1 lettre, décembre 2021"
    assert (
        letters_span([letter("2021-12"), letter("2022-08")])
        == "2 lettres, de décembre 2021 à août 2022"
    )


def test_build_summary_locates_overfull_boxes(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("Overfull \\hbox (3.5pt too wide) in paragraph at lines 120--121\n[]\n", "utf-8")
    report = PdfReport(tmp_path / "x.pdf", 12, check_log(log), overfull_boxes(log))
    assert report.summary().splitlines() == [
        f"PDF : {tmp_path / 'x.pdf'} — 12 pages, 1 boîte(s) trop pleine(s) (overfull)",
        "  Overfull \\hbox (3.5pt too wide) in paragraph at lines 120--121",
    ]


def test_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1638316800")  # 2021-12-01 00:00 UTC
    assert day_label(build_date()) == "1er décembre 2021"


# -- a letter that tries to break LaTeX ------------------------------------------------------


@pytest.fixture(scope="module")
def stress_pdf(tmp_path_factory) -> tuple[Path, str, Path]:
    """The real project plus the stress letter, built to a PDF: (pdf, warnings, srcdir)."""
    require_tool("latexmk")
    base = tmp_path_factory.mktemp("stress")
    srcdir = project_with_letters(base, {"2030-01.md": STRESS.read_text("utf-8")}, keep_real=True)
    builddir = base / "build"
    _app, warnings = build(srcdir, "latex", builddir, freshenv=True)
    compile_pdf(builddir)
    return builddir / "pdf" / PDF_NAME, warnings, srcdir


@pytest.mark.pdf
def test_stress_letter_compiles_without_missing_characters(stress_pdf):
    pdf, warnings, srcdir = stress_pdf
    # Raw HTML is refused (shown as text) with a located warning; nothing else.
    assert all("[almanach.raw-html]" in line for line in warning_lines(warnings, srcdir))
    log = (pdf.parent.parent / "latex" / "territoires-pilotes.log").read_text("utf-8", "replace")
    assert "Missing character" not in log


@pytest.mark.pdf
def test_stress_letter_keeps_its_words(stress_pdf):
    pdf, _warnings, _srcdir = stress_pdf
    reader = PdfReader(pdf)
    first, last = letter_pages(reader, "Lettre n° 99 — janvier 2030")
    text = page_text(pdf, first, last)
    source = STRESS.read_text("utf-8").split("---", 2)[2]
    prose = re.sub(r"<?https?://\S+|\]\([^)]*\)|:::+\{rubrique\} \w+|`[^`]*`", " ", source)
    assert in_order_ratio(words(prose), words(text)) >= 0.98
    joined = "".join(words(text))
    for long_word in (
        "anticonstitutionnellement",
        "hexakosioihexekontahexaphobie",
        "llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        "transitionsécologiquesénergétiquessolidairesdémocratiquesterritoriales",
        "extraordinairementlongsanscoupurepossiblepourvoirsilalignedeborde",
    ):
        assert long_word in joined, long_word
    flat = "".join(text.split())
    for special in "#$%&_{}~^\\":
        assert special in flat, special
    assert r"\textbf{commande}\section{titre}" in flat
    assert '<script>alert("piège")</script>' in flat
    assert "https://www.example.org/territoires-pilotes/ressources/2030/janvier/" in flat
    assert "#ancre-finale" in flat
    # The link whose text differs prints its address in a footnote.
    assert "https://www.example.org/un/autre/chemin_avec_des_soulignes" in flat


@pytest.mark.pdf
def test_stress_letter_emoji_are_in_colour(stress_pdf):
    pdf, _warnings, _srcdir = stress_pdf
    reader = PdfReader(pdf)
    first, last = letter_pages(reader, "Lettre n° 99 — janvier 2030")
    images = sum(colour_images(pdf, page) for page in range(first, last + 1))
    assert images >= 20  # 19 emoji in a row, the arrows, the rubrique's emoji


@pytest.mark.pdf
def test_stress_pdf_links_fonts_and_outline(stress_pdf):
    pdf, _warnings, _srcdir = stress_pdf
    reader = PdfReader(pdf)
    names = set(reader.named_destinations)
    targets = {target for page in reader.pages for target in goto_targets(page)}
    assert targets and targets <= names
    entries = outline(reader)
    assert (1, "Lettre n° 99 — janvier 2030") in [entry[:2] for entry in entries]
    # Emoji asked in emoji presentation (➡️) and joined (👩‍🌾) stay whole in bookmarks.
    assert (2, "🔜 À suivre… : ➡️ la suite, 👩‍🌾 aux champs") in [entry[:2] for entry in entries]
    pdffonts = require_tool("pdffonts")
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
    for font in listing.stdout.splitlines()[2:]:
        assert font.split()[-5] == "yes", font
        assert "Type 3" not in font, font


# -- reproducibility -----------------------------------------------------------------------


def digest_tree(folder: Path) -> dict[str, str]:
    """sha256 of every published file (Sphinx's pickled doctrees aside)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }


def build_like_make(base: Path) -> Path:
    """A copy of the project built as ``make pdf`` then ``make html`` do."""
    copy_project(base)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    sphinx = [sys.executable, "-m", "sphinx", "-c", "docs", "-W", "--keep-going", "-n", "-q"]
    for command in (
        [*sphinx, "-b", "latex", "docs", "build/latex"],
        [sys.executable, "-m", "almanach.pdf.build", "build"],
        [*sphinx, "-b", "html", "docs", "build/html"],
    ):
        result = subprocess.run(command, cwd=base, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    return base / "build"


@pytest.mark.pdf
def test_two_builds_in_two_folders_are_identical(tmp_path):
    require_tool("latexmk")
    first = build_like_make(tmp_path / "un")
    second = build_like_make(tmp_path / "deux" / "ailleurs")
    pdf = f"pdf/{PDF_NAME}"
    assert (first / pdf).read_bytes() == (second / pdf).read_bytes()
    html_first, html_second = digest_tree(first / "html"), digest_tree(second / "html")
    assert "index.html" in html_first
    assert html_first == html_second
