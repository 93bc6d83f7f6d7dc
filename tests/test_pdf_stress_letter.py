"""A letter written to break LaTeX (tests/fixtures/stress-letter.md): it compiles,
keeps its words, its emoji in colour, its links, fonts and outline."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import (
    FIXTURES,
    build,
    colour_images,
    compile_pdf,
    goto_targets,
    in_order_ratio,
    letter_pages,
    outline,
    page_text,
    project_with_letters,
    require_tool,
    warning_lines,
    words,
)

PDF_NAME = "territoires-pilotes.pdf"
STRESS = FIXTURES / "stress-letter.md"


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
