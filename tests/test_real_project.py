"""The foundation: the real project builds cleanly, the December letter keeps
every word of the seed, in HTML and in the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers import (
    SEED,
    chunks,
    first_missing,
    in_order_ratio,
    require_tool,
    words,
)

RUBRIQUES = [
    "🗣️ Édito : Coopérer pour changer",
    "📖 En théorie…",
    "📝 En pratique…",
    "🔎 Les nouvelles des territoires…",
    "📍 En chantier…",
    "🔜 À suivre…",
    "👉 Inspiration par Territoires Audacieux…",
]


def letter_soup(html_dir: Path) -> BeautifulSoup:
    page = html_dir / "lettres" / "2021-12.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert article is not None
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    return article


def test_real_project_builds_without_warnings(project_html):
    html_dir, warnings = project_html
    assert warnings == ""
    assert (html_dir / "index.html").is_file()


def test_letter_has_every_rubrique_heading(project_html):
    article = letter_soup(project_html[0])
    # (the site's typography puts a no-break space before « : »)
    headings = [
        h.get_text(" ", strip=True).replace("\N{NO-BREAK SPACE}", " ")
        for h in article.find_all("h2")
    ]
    assert headings == RUBRIQUES


def test_letter_holds_every_seed_word_in_order(project_html):
    seed = chunks(SEED.read_text(encoding="utf-8"), apostrophes_alike=True)
    page = chunks(letter_soup(project_html[0]).get_text(), apostrophes_alike=True)
    missing = first_missing(seed, page)
    assert missing is None, (
        f"seed word {missing} missing: {' '.join(seed[missing : missing + 8])!r}"
    )


def test_word_check_notices_a_lost_word(project_html):
    """The comparison above fails if one word of the letter disappears."""
    seed = chunks(SEED.read_text(encoding="utf-8"))
    page = chunks(letter_soup(project_html[0]).get_text())
    lost = page.index("écosystème")
    assert first_missing(seed, page[:lost] + page[lost + 1 :]) is not None


def test_home_page_links_to_the_pdf(project_html):
    soup = BeautifulSoup((project_html[0] / "index.html").read_text("utf-8"), "html.parser")
    link = soup.select_one("p.almanach-pdf-download a")
    assert link is not None
    assert link["href"] == "territoires-pilotes.pdf"
    assert link.get_text() == "Télécharger le compendium (PDF)"


def test_letter_cites_the_bibliography(project_html):
    html_dir = project_html[0]
    article = letter_soup(html_dir)
    citation = article.find("a", href=lambda href: href and "bibliographie.html#id" in href)
    assert citation is not None
    bibliography = (html_dir / "bibliographie.html").read_text("utf-8")
    assert "Manuel de transition" in bibliography


@pytest.mark.pdf
def test_pdf_is_built_once_with_french_metadata(project_pdf):
    builddir, warnings = project_pdf
    assert warnings == ""
    pdfs = list((builddir / "pdf").glob("*.pdf"))
    assert [pdf.name for pdf in pdfs] == ["territoires-pilotes.pdf"]
    reader = PdfReader(pdfs[0])
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    assert reader.metadata.title == "Territoires Pilotes — le compendium"
    assert reader.metadata.author == "Association de Promotion de la Fabrique des Transitions"


@pytest.mark.pdf
def test_pdf_embeds_every_font(project_pdf):
    pdffonts = require_tool("pdffonts")
    pdf = project_pdf[0] / "pdf" / "territoires-pilotes.pdf"
    lines = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
    fonts = lines.stdout.splitlines()[2:]
    assert fonts, "no font listed"
    for font in fonts:
        columns = font.split()
        assert columns[-5] == "yes", f"font not embedded: {font}"
        assert "Type 3" not in font, f"Type 3 font: {font}"


@pytest.mark.pdf
def test_pdf_text_holds_the_seed_words(project_pdf):
    pdftotext = require_tool("pdftotext")
    pdf = project_pdf[0] / "pdf" / "territoires-pilotes.pdf"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True)
    seed = words(SEED.read_text(encoding="utf-8"))
    assert in_order_ratio(seed, words(text.stdout)) >= 0.99


@pytest.mark.pdf
def test_latex_log_has_no_missing_character(project_pdf):
    log = (project_pdf[0] / "latex" / "territoires-pilotes.log").read_text("utf-8", "replace")
    assert "Missing character" not in log
    assert "Output written on territoires-pilotes.pdf" in log
