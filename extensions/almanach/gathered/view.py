"""What a gathered view is: one object that names it, declares the records it
shows and renders them, once for the site and once for the PDF.

The views themselves are declared by family in :mod:`almanach.gathered.views`,
each next to the directive that leaves its placeholders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..domain.selection import Query, Selection

if TYPE_CHECKING:
    from .render import PdfPage, WebPage

#: What a view's queries found, one list of records per query, in the order declared.
Results = list[list[Any]]


@dataclass(frozen=True)
class View:
    """A gathered view.

    ``queries(target)``: the queries of the records it shows for one target (a
    registry id, or ``""`` for a view of everything). They are all it reads,
    with the queries :func:`almanach.domain.selection.follow` derives from the
    records found, and so all a gathering page depends on
    (:meth:`almanach.domain.selection.Selection.page_key`).

    ``html(page, results)`` and ``pdf(page, results)``: its nodes on a page of
    the site and in a document of the book, from the results of its queries.
    A view that shows the same on both gives the same function twice: the page
    (:mod:`almanach.gathered.render`) draws its places and mentions for its medium.
    """

    name: str
    queries: Callable[[str], tuple[Query, ...]]
    html: Callable[[WebPage, Results], list[nodes.Node]]
    pdf: Callable[[PdfPage, Results], list[nodes.Node]]

    def results(self, selection: Selection, target: str) -> Results:
        """The records of this view's queries for ``target``, in the order declared."""
        return [selection.get(query) for query in self.queries(target)]
