"""The collection of every quotation, in full."""

from __future__ import annotations

from docutils import nodes

from ...domain.selection import Query
from ..directives import SimpleView
from ..render import Page, quotes_in_full
from ..view import Results, View


def collection(page: Page, results: Results) -> list[nodes.Node]:
    """Every quotation in full (web and PDF: the book's chapter of quotations)."""
    (quotes,) = results
    return quotes_in_full(page, quotes)


QUOTES = View(
    "quotes",
    lambda t: (Query("quotes", body=True),),
    html=collection,
    pdf=collection,
)

VIEWS = (QUOTES,)


class QuoteCollection(SimpleView):
    view = QUOTES


DIRECTIVES = {"quote-collection": QuoteCollection}
