"""The catalogue of resources, by kind: each with its publisher and the letters
that cite it."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.locale import _

from ...domain.selection import Query, mentions_of
from ...model import records
from ...rules.directives import RESOURCE_KINDS
from ..directives import SimpleView
from ..render import Page, PdfPage, WebPage, resource_titles, titled
from ..view import Results, View

#: How one resource of the catalogue shows.
ShowResource = Callable[[Page, records.ResourceLink], nodes.paragraph]


def by_kind(
    page: Page, resources: list[records.ResourceLink], entry: ShowResource
) -> list[nodes.Node]:
    """The resources under their kind (the directive's kinds in order, then
    the others), each shown by ``entry``."""
    result: list[nodes.Node] = []
    kinds = sorted(
        {r.kind for r in resources},
        key=lambda k: (
            k not in RESOURCE_KINDS,
            RESOURCE_KINDS.index(k) if k in RESOURCE_KINDS else 0,
            k,
        ),
    )
    for kind in kinds:
        label = (kind or _("autre")).capitalize()
        items = nodes.bullet_list(classes=["almanach-catalogue"])
        for resource in resources:
            if resource.kind == kind:
                items += nodes.list_item("", entry(page, resource))
        result += titled(label, [items])
    return result


def entry(page: Page, resource: records.ResourceLink) -> nodes.paragraph:
    """Title — publisher — cité dans : the letter that shares it."""
    paragraph = nodes.paragraph()
    paragraph += page.mention("resource", resource.id, resource.title)
    if resource.publisher:
        paragraph += nodes.Text(" — ")
        paragraph += page.mention("organisation", resource.publisher)
    paragraph += nodes.Text(_(" — cité dans : "))
    paragraph += page.where(resource.place)
    return paragraph


def entry_with_citations(page: Page, resource: records.ResourceLink) -> nodes.paragraph:
    """The entry, then every other section of a letter that mentions it."""
    paragraph = entry(page, resource)
    seen = {(resource.place.docname, resource.place.section)}
    for mention_record in page.selection.get(mentions_of("resource", resource.id)):
        key = (mention_record.place.docname, mention_record.place.section)
        if key not in seen:
            seen.add(key)
            paragraph += nodes.Text(" ; ")
            paragraph += page.where(mention_record.place)
    return paragraph


def catalogue_html(page: WebPage, results: Results) -> list[nodes.Node]:
    """Every place each resource is cited, then, in a preview build only, the
    editors' list of addresses to find (readers see each pending resource's
    « lien à venir » where it is listed)."""
    (resources,) = results
    result = by_kind(page, resources, entry_with_citations)
    pending = [r for r in resources if r.pending]
    if pending and page.preview:
        title = _("Liens à retrouver")
        result.append(nodes.rubric(title, title, classes=["almanach-pending-list"]))
        text = _(
            "Ces ressources n’ont pas encore d’adresse : l’équipe éditoriale doit la retrouver."
        )
        result.append(nodes.paragraph(text, text))
        result += resource_titles(page, pending)
    return result


def catalogue_pdf(page: PdfPage, results: Results) -> list[nodes.Node]:
    """The letter that shares each resource: the index of resources gives
    every place."""
    (resources,) = results
    return by_kind(page, resources, entry)


RESOURCES = View(
    "resources",
    lambda t: (Query("resources"),),
    html=catalogue_html,
    pdf=catalogue_pdf,
)

VIEWS = (RESOURCES,)


class ResourceCatalogue(SimpleView):
    view = RESOURCES


DIRECTIVES = {"resource-catalogue": ResourceCatalogue}
