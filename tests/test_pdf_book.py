"""The PDF compendium as a book: cover, parts, outline, metadata, fonts, links,
French bibliography (a letter that tries to break LaTeX: test_pdf_stress_letter.py;
reproducibility: test_pdf_reproducible.py).

The cover and the first page of the December letter are rendered to PNG under
``build/test-artifacts/`` (from the repository root) for a reviewer to look at.
"""

from __future__ import annotations

import re
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
    colour_images,
    letter_pages,
    outline,
    page_text,
    render_page,
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
    # Territory chapters follow each other: Lomme's starts at its title.
    chapter = page_text(pdf, first, last)
    chapter = chapter[chapter.index("\nLomme\n") :]
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
