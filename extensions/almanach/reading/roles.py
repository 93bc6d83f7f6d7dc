"""Inline mentions: ``{territory}``, ``{person}``, ``{organisation}``,
``{resource}`` and ``{event}``.

Each role leaves a ``pending_xref`` of the ``almanach`` domain; the domain
renders the display name (unless the text is given, as in
``{person}`Léa <lea-tramontin>```) and links it to its page or anchor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..domain.domain import MENTION_KINDS, MentionRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class PlainMentionRole(MentionRole):
    """The domain's role under its bare name (``{person}``, not ``{almanach:person}``)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = "almanach", self.name.rpartition(":")[2]
        self.classes = ["xref", "almanach", f"almanach-{self.reftype}"]
        return self.create_xref_node()


def mention(kind: str, target: str, text: str, docname: str, explicit: bool = True):
    """A mention built by code (gathered views, directive options)."""
    node = addnodes.pending_xref(
        "",
        nodes.inline(text, text, classes=["xref", "almanach", f"almanach-{kind}"]),
        refdomain="almanach",
        reftype=kind,
        reftarget=target,
        refexplicit=explicit,
        refwarn=False,
        refdoc=docname,
    )
    node["almanach_explicit"] = explicit
    # Built by code (a label, an attribution, a gathered view), not written by
    # an editor: not counted as a mention.
    node["almanach_auto"] = True
    return node


def setup_roles(app: Sphinx) -> None:
    """Register the mention roles under their bare names."""
    for kind in MENTION_KINDS:
        app.add_role(kind, PlainMentionRole(innernodeclass=nodes.inline))
