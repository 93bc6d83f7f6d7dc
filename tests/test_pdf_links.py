"""The PDF's internal links land somewhere: every GoTo target is a named
destination, and the domain indices at the end carry working page references."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from helpers import goto_targets

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def reader(project_pdf) -> PdfReader:
    return PdfReader(project_pdf[0] / "pdf" / "territoires-pilotes.pdf")


def test_every_internal_link_has_a_destination(reader):
    names = set(reader.named_destinations)
    targets = [target for page in reader.pages for target in goto_targets(page)]
    assert targets, "no internal link at all"
    assert sorted(set(targets) - names) == []


@pytest.mark.parametrize(
    ("title", "entry"),
    [
        ("Index des territoires", "Lomme"),
        ("Index des personnes", "Demeyer, Guillaume"),
        ("Index des ressources", "PACT2"),
        ("Index des organisations et des rendez-vous", "ADEME"),
    ],
)
def test_domain_index_has_page_references(reader, title, entry):
    # The index's pages: from its bookmark to the next one at the root.
    roots = [item for item in reader.outline if not isinstance(item, list)]
    starts = [reader.get_destination_page_number(item) for item in roots]
    where = next(i for i, item in enumerate(roots) if item.title == title)
    end = starts[where + 1] if where + 1 < len(starts) else len(reader.pages)
    pages = reader.pages[starts[where] : max(end, starts[where] + 1)]
    assert title in pages[0].extract_text()
    assert entry in "".join(page.extract_text() for page in pages)
    links = [link for page in pages for link in goto_targets(page)]
    assert len(links) >= 3
    assert set(links) <= set(reader.named_destinations)
