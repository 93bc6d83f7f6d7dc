"""The rubriques: one section per rubrique, listing its occurrences across the
letters."""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import _

from ...domain.selection import Query, in_section
from ...model import records
from ...model.letters import letter_label
from ..directives import GatheringDirective
from ..render import PdfPage, WebPage
from ..view import Results, View


def occurrences_html(page: WebPage, results: Results) -> list[nodes.Node]:
    """Each occurrence, linked, with the news and resources it holds."""
    (sections,) = results
    items = nodes.bullet_list()
    for section in sections:
        paragraph = nodes.paragraph()
        paragraph += page.link(
            section.place.docname,
            section.place.anchor,
            f"{letter_label(page.letters[section.place.docname])} : {section.title}",
        )
        item = nodes.list_item("", paragraph)
        inside = contents(page, section)
        if inside:
            item += inside
        items += item
    return [items] if sections else []


def contents(page: WebPage, section: records.RubriqueSection) -> nodes.bullet_list | None:
    """The updates and resources of one rubrique of one letter."""
    found = nodes.bullet_list()
    for update in page.selection.get(in_section("updates", section.place)):
        paragraph = nodes.paragraph()
        paragraph += page.link(
            update.place.docname,
            update.place.anchor,
            _("Nouvelles : ") + page.label("territory", update.territory),
        )
        found += nodes.list_item("", paragraph)
    for resource in page.selection.get(in_section("resources", section.place)):
        paragraph = nodes.paragraph()
        paragraph += page.link(
            resource.place.docname, resource.place.anchor, _("Ressource : ") + resource.title
        )
        found += nodes.list_item("", paragraph)
    return found if len(found) else None


def occurrences_pdf(page: PdfPage, results: Results) -> list[nodes.Node]:
    """Where the rubrique is: the book's table of contents and the letters
    show the rest."""
    (sections,) = results
    return page.places(section.place for section in sections)


RUBRIQUE = View(
    "rubrique",
    lambda t: (Query("rubriques", "rubrique", t),),
    html=occurrences_html,
    pdf=occurrences_pdf,
)

VIEWS = (RUBRIQUE,)


class RubriqueBrowser(GatheringDirective):
    """One section per rubrique, listing its occurrences across the letters."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        result = []
        for rubrique in self.domain.registry.rubriques.values():
            section = self.section(f"rubrique-{rubrique.id}", rubrique.label)
            if rubrique.get("description"):
                text = rubrique.get("description")
                section += nodes.paragraph(text, text, classes=["almanach-rubrique-description"])
            section += self.placeholder(RUBRIQUE, rubrique.id)
            result.append(section)
        return result


DIRECTIVES = {"rubrique-browser": RubriqueBrowser}
