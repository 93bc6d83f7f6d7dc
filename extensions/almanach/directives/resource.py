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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _

from ..nodes import resource_link
from ..registry import ID_PATTERN
from ..roles import mention
from ..warnings_ import AlmanachWarning
from .base import AlmanachDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The kinds of resource, as editors write them and readers read them.
RESOURCE_KINDS = (
    "article",
    "audio",
    "vidéo",
    "interview",
    "document",
    "synthèse",
    "compte-rendu",
    "mallette",
    "site",
    "livre",
    "outil",
    "autre",
)


class Resource(AlmanachDirective):
    known_options = ("title", "url", "pending", "kind", "publisher", "bib")
    required_options = ("title", "kind")

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        resource_id = self.argument("identifiant de la ressource", "master-plan-puy-de-dome")
        if resource_id and not ID_PATTERN.match(resource_id):
            self.problem(
                AlmanachWarning.BAD_VALUE,
                f"identifiant « {resource_id} » invalide : minuscules, chiffres et tirets "
                "seulement (par exemple « master-plan-puy-de-dome »)",
            )
            resource_id = ""
        kind = options.get("kind", "")
        if kind and kind not in RESOURCE_KINDS:
            self.problem(
                AlmanachWarning.BAD_VALUE,
                f"type « {kind} » inconnu ; types possibles : {', '.join(RESOURCE_KINDS)}",
            )
            kind = ""
        pending = "pending" in options
        url = options.get("url", "")
        if url and pending:
            self.problem(
                AlmanachWarning.BAD_VALUE,
                "« :url: » et « :pending: » à la fois : gardez l’adresse si elle est connue, "
                "sinon « :pending: » seul",
            )
            pending = False
        if not url and not pending:
            self.problem(
                AlmanachWarning.MISSING_OPTION,
                "ni « :url: » ni « :pending: » : donnez l’adresse de la ressource, ou écrivez "
                "« :pending: » si elle n’est pas connue",
            )
            pending = True
        if url:
            url = self.check_url(url)
            pending = not url
        publisher = options.get("publisher", "")
        if publisher and self.lookup("organisations", publisher, ":publisher:") is None:
            publisher = ""
        bibkey = options.get("bib", "")
        if bibkey and not self.known_bibkey(bibkey):
            bibkey = ""
        title_nodes = self.inline(options.get("title", "") or resource_id)
        title = "".join(node.astext() for node in title_nodes)

        node = resource_link(
            id=resource_id,
            title=title,
            url=url,
            pending=pending,
            kind=kind,
            publisher=publisher,
            bibkey=bibkey,
        )
        self.set_source_info(node)
        if resource_id:
            node["ids"] = [f"ressource-{resource_id}"]
        node += self.card(node, title_nodes)
        self.body(node, required=False)
        return [node]

    def card(self, node: resource_link, title_nodes: list[nodes.Node]) -> nodes.paragraph:
        """The line that presents the resource: kind, title (linked), publisher, citation."""
        card = nodes.paragraph(classes=["almanach-resource-card"])
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

    def known_bibkey(self, key: str) -> bool:
        entries = self.bib_keys()
        if key in entries:
            return True
        from ..warnings_ import close_matches

        self.problem(
            AlmanachWarning.UNKNOWN_BIBKEY,
            f"clé bibliographique « {key} » absente de references.bib"
            f"{close_matches(key, entries, 'clés')} ; corrigez la clé ou ajoutez l’ouvrage",
        )
        return False


def setup_resource(app: Sphinx) -> None:
    app.add_directive("resource", Resource)
