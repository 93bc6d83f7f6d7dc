"""The PDF's indices (almanach.pdf.indices): people by family name, and each
page of an entry's places printed once (« n° 2 (p. 4) », not « p. 4, 4 »)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.pdf

INDICES = (
    "Index des territoires",
    "Index des personnes",
    "Index des ressources",
    "Index des organisations et des rendez-vous",
)


@pytest.fixture(scope="module")
def pdf(project_pdf) -> Path:
    return project_pdf[0] / "pdf" / "territoires-pilotes.pdf"


@pytest.fixture(scope="module")
def tex(project_pdf) -> str:
    return (project_pdf[0] / "latex" / "territoires-pilotes.tex").read_text("utf-8")


def in_reading_order(pdf: Path, title: str) -> str:
    """An index's text column by column (the index is set in two columns):
    each fragment placed by its page, its column, then from top to bottom."""
    reader = PdfReader(pdf)
    roots = [item for item in reader.outline if not isinstance(item, list)]
    starts = [reader.get_destination_page_number(item) for item in roots]
    where = next(i for i, item in enumerate(roots) if item.title == title)
    end = starts[where + 1] if where + 1 < len(starts) else len(reader.pages)
    fragments: list[tuple[int, bool, float, float, str]] = []
    for number in range(starts[where], max(end, starts[where] + 1)):
        page = reader.pages[number]
        middle = float(page.mediabox.width) / 2

        def visit(text, _cm, tm, _font, _size, number=number, middle=middle):
            if text.strip():
                fragments.append((number, tm[4] > middle, -tm[5], tm[4], text))

        page.extract_text(visitor_text=visit)
    text = " ".join(" ".join(f[4] for f in sorted(fragments)).split())
    assert text.startswith(title)
    return text


def test_people_index_by_family_name(pdf):
    text = in_reading_order(pdf, "Index des personnes")
    order = [
        "Abinal, Marie-Claire",
        "Frat, Julien",
        "de Gasparo, Sandro",
        "Ketterer, Anne Sophie",
        "Nicoloso, Barbara",
        "Van Haeringen, Aude",
        "Verjus, Gaëlle",
    ]
    positions = [text.find(name) for name in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert "Anne Sophie Ketterer" not in text


@pytest.mark.parametrize("title", INDICES)
def test_no_entry_repeats_a_page(pdf, title):
    lists = re.findall(r"\(p\. ([^)]*)\)", in_reading_order(pdf, title))
    assert lists, f"{title}: no place in the letters"
    for pages in lists:
        numbers = [page.strip() for page in pages.split(",")]
        assert len(numbers) == len(set(numbers)), f"{title}: (p. {pages})"


def test_two_places_on_one_page_print_it_once(pdf, tex):
    # The reported case: two places of letter 2 (a rubrique and a resource in
    # it) on one page.
    entry = tex.index(r"\sphinxstyleindexentry{Nicoloso, Barbara}")
    places = tex[entry : tex.index(r"\end{almanachsubentries}", entry)]
    assert places.count(r"\almanachpage{") == 2
    text = in_reading_order(pdf, "Index des personnes")
    # (pypdf reads a space before « ) » in the tagged PDF, where none is drawn)
    assert re.search(r"Nicoloso, Barbara, \d+ n° 2 \(p\. \d+ ?\)", text), text
