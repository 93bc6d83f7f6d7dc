"""Links the domain makes: to a place of a page, and to a resource.

What ``make_refnode`` makes, with the relative address of each pair of pages
computed once per builder: the gathered pages link to the same letters
thousands of times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.locale import _

from ..html.accessibility import accessible

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from ..model import records

#: The attribute of a builder that holds its relative addresses, by pair of pages.
#: Kept on the builder itself: the addresses are its own, and go with it (a
#: module-level cache would outlive it, and mix the builders of several builds).
_URIS = "_almanach_relative_uris"


def relative_uri(builder: Builder, fromdocname: str, todocname: str) -> str | None:
    """The address of ``todocname`` from ``fromdocname`` (``None``: the builder
    has none for it, ``NoUri``). The LaTeX builder's addresses depend on the
    document being assembled: cached for the HTML builders only."""
    if builder.format == "html":
        uris = builder.__dict__.setdefault(_URIS, {})
    else:
        uris = {}
    pair = (fromdocname, todocname)
    if pair not in uris:
        try:
            uris[pair] = builder.get_relative_uri(fromdocname, todocname)
        except NoUri:
            uris[pair] = None
    return uris[pair]


def refnode(
    builder: Builder,
    fromdocname: str,
    todocname: str,
    anchor: str,
    contnode: nodes.Node,
    title: str | None = None,
) -> nodes.Node:
    """A reference to ``anchor`` in ``todocname`` holding ``contnode`` (or
    ``contnode`` itself when the builder has no address for it)."""
    if fromdocname == todocname and anchor:
        reference = nodes.reference("", "", internal=True, refid=anchor)
    else:
        uri = relative_uri(builder, fromdocname, todocname)
        if uri is None:
            return contnode
        reference = nodes.reference(
            "", "", internal=True, refuri=uri + "#" + anchor if anchor else uri
        )
    if title:
        reference["reftitle"] = title
    reference += contnode
    return reference


def resource_link(
    builder: Builder, fromdocname: str, resource: records.ResourceLink, contnode: nodes.Node
) -> nodes.Node:
    """A resource's title: a link to its address, or to where it is declared
    with « (lien à venir) »."""
    if resource.url:
        reference = nodes.reference(
            "",
            "",
            contnode,
            refuri=resource.url,
            internal=False,
            reftitle=resource.title,
            classes=["almanach-resource-link"],
        )
        return accessible(reference, resource.title)
    pending = nodes.inline("", "", classes=["almanach-pending"])
    linked = refnode(
        builder,
        fromdocname,
        resource.place.docname,
        resource.place.anchor,
        contnode,
        resource.title,
    )
    if isinstance(linked, nodes.reference):
        linked = accessible(linked, f"{resource.title} ({_('lien à venir')})")
    pending += linked
    # The space outside the mark: inside, the mark's box would swallow it
    # (« ici(lien à venir) »); a no-break one keeps the mark with its word.
    pending += nodes.Text("\u00a0")
    mark = _("(lien à venir)")
    pending += nodes.inline(mark, mark, classes=["almanach-pending-mark"])
    return pending
