"""``resource``: a resource shared by a letter.

::

    :::{resource} master-plan-puy-de-dome
    :title: Le Master Plan du Puy-de-Dôme
    :kind: document
    :pending:
    :::

``:url:`` gives the address; ``:pending:`` says it is not known yet: the
resource is then rendered as text with a visible « lien à venir » mark, never
as a dead link, and listed for editors. ``:publisher:`` is an organisation id,
``:bib:`` a key of ``references.bib`` (a real citation); the content is the
description.

The resource is one card: its description first, then the line that presents
it (kind, title, publisher) — a description often introduces the resource
(« … à retrouver sous forme audio : »), so the line it announces follows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _

from ..collect import CARD_LINE
from ..nodes import resource_link
from ..roles import mention
from .base import AlmanachDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class Resource(AlmanachDirective):
    def run(self) -> list[nodes.Node]:
        checked = self.checked()
        values = checked.values
        resource_id = checked.argument
        title_nodes = self.inline(values.get("title", "") or resource_id, "title")
        title = "".join(node.astext() for node in title_nodes)
        node = resource_link(
            id=resource_id,
            title=title,
            url=values.get("url", ""),
            pending=bool(values.get("pending")),
            kind=values.get("kind", ""),
            publisher=values.get("publisher", ""),
            bibkey=values.get("bib", ""),
        )
        self.set_source_info(node)
        if resource_id:
            node["ids"] = [f"ressource-{resource_id}"]
        self.body(node)  # the description, which introduces the card's line
        node += self.card(node, title_nodes)
        return [node]

    def card(self, node: resource_link, title_nodes: list[nodes.Node]) -> nodes.paragraph:
        """The line that presents the resource: kind, title (linked), publisher, citation."""
        card = nodes.paragraph(classes=[CARD_LINE])
        if node["kind"]:
            kind = node["kind"].capitalize()
            card += nodes.inline(kind, kind, classes=["almanach-resource-kind"])
            card += nodes.Text(" : ")
        title = nodes.strong()
        if node["url"]:
            # A link cannot hold links: the title is plain text here.
            title += nodes.Text(node["title"])
            card += nodes.reference("", "", title, refuri=node["url"], internal=False)
        else:
            title += title_nodes
            card += title
        if node["publisher"]:
            publisher = self.domain.registry.organisations[node["publisher"]]
            card += nodes.Text(" — ")
            card += mention("organisation", publisher.id, publisher.label, self.env.docname, False)
        if node["bibkey"]:
            card += nodes.Text(" ")
            card += self.inline(f"{{cite:p}}`{node['bibkey']}`")
        if node["pending"]:
            mark = _("lien à venir")
            card += nodes.Text(" ")
            card += nodes.inline(mark, mark, classes=["almanach-pending-mark"])
        return card


def setup_resource(app: Sphinx) -> None:
    app.add_directive("resource", Resource)
