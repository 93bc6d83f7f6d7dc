"""The registry of gathered views, and the post-transform that fills them.

Each module of this package is one family of gathering pages: its views
(:class:`almanach.gathered.view.View` objects, in its ``VIEWS``) and the
directives that leave their placeholders (its ``DIRECTIVES``, by directive
name). Adding a view is one ``View`` in its family's ``VIEWS``, and its
directive if a new one leaves it; a new family is one more module in
:data:`FAMILIES`.

:class:`FillGatheredViews` is a post-transform that runs before references are
resolved (ReferencesResolver has priority 10), so the links it adds resolve
like any other; in LaTeX it runs on the assembled book, so each placeholder
carries the document it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.transforms.post_transforms import SphinxPostTransform

from ... import _compat
from ...reading.nodes import gathered
from ..render import PdfPage, WebPage
from . import agenda, directories, home, quotes, resources, rubriques, territories

if TYPE_CHECKING:
    from ...domain.domain import AlmanachDomain
    from ...domain.selection import Query
    from ..directives import GatheringDirective
    from ..view import View

FAMILIES = (territories, directories, agenda, rubriques, resources, quotes, home)


def _by_name(pairs: list[tuple[str, Any]], what: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name in found:
            raise ValueError(f"two gathered {what} named {name!r}")
        found[name] = value
    return found


#: Every gathered view, by name (the name its placeholders carry).
VIEWS: dict[str, View] = _by_name(
    [(view.name, view) for family in FAMILIES for view in family.VIEWS], "views"
)
#: Every gathering directive, by directive name.
DIRECTIVES: dict[str, type[GatheringDirective]] = _by_name(
    [pair for family in FAMILIES for pair in family.DIRECTIVES.items()], "directives"
)


def queries_of(view: str, target: str) -> tuple[Query, ...]:
    """The queries of a placeholder's view (what its page depends on)."""
    return VIEWS[view].queries(target)


class FillGatheredViews(SphinxPostTransform):
    """Replace each placeholder with what the letters say, before references
    are resolved (ReferencesResolver has priority 10)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: AlmanachDomain = self.env.domains["almanach"]  # type: ignore[assignment]
        # The one choice of medium: each view's web or PDF rendering follows.
        page_type = PdfPage if _compat.builder_format(self.env) == "latex" else WebPage
        # Links to places are made here, resolved: gathered pages hold thousands
        # (the builder, as Sphinx's ReferencesResolver reaches it).
        builder = _compat.running_builder(self.env)
        for node in list(self.document.findall(gathered)):
            page = page_type(domain, node["docname"], builder)
            content = page.show(VIEWS[node["view"]], node["target"]) or [page.empty()]
            for part in content:
                # Search leads to the letters, where the text is: a gathered view
                # repeats them (the page itself is found by its titles).
                part["classes"].append("no-search")
            node.replace_self(content)
