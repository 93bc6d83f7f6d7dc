"""The territories: a pilot's page (facts, people, then its news, quotations and
mentions from every letter) and the directory of every territory."""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import _

from ...domain.selection import Query, mentions_of
from ...model import records
from ...model.registry import Entry
from ..directives import GatheringDirective
from ..render import Page, PdfPage, WebPage, mention_list, quotes_by_place, quotes_in_full
from ..view import Results, View

# -- renderings ----------------------------------------------------------------------


def update_heading(page: Page, update: records.TerritoryUpdate) -> nodes.container:
    """An update without its text: where it was published, question, speakers."""
    container = nodes.container(classes=["almanach-gathered-update"])
    heading = nodes.paragraph(classes=["almanach-gathered-where"])
    heading += nodes.strong("", "", page.where(update.place))
    container += heading
    if update.question:
        container += nodes.paragraph(
            update.question, update.question, classes=["almanach-question"]
        )
    if update.speakers:
        line = nodes.paragraph(classes=["almanach-speakers"])
        line += nodes.Text(_("Avec : "))
        line.extend(page.people(update.speakers))
        container += line
    return container


def updates_html(page: WebPage, results: Results) -> list[nodes.Node]:
    """Each update in full."""
    (updates,) = results
    blocks = []
    for update in updates:
        block = update_heading(page, update)
        block.extend(page.copy(update.body))
        blocks.append(block)
    return blocks


def updates_pdf(page: PdfPage, results: Results) -> list[nodes.Node]:
    """Each update's heading, with the page of its letter: the PDF prints each
    update once, in its letter."""
    (updates,) = results
    return [update_heading(page, update) for update in updates]


def quotes_html(page: WebPage, results: Results) -> list[nodes.Node]:
    (quotes,) = results
    return quotes_in_full(page, quotes)


def quotes_pdf(page: PdfPage, results: Results) -> list[nodes.Node]:
    (quotes,) = results
    return quotes_by_place(page, quotes)


def mentions(page: Page, results: Results) -> list[nodes.Node]:
    """Where the territory is mentioned (web and PDF)."""
    (found,) = results
    return mention_list(page, found)


# -- views -----------------------------------------------------------------------------

TERRITORY_UPDATES = View(
    "territory-updates",
    lambda t: (Query("updates", "territory", t, body=True),),
    html=updates_html,
    pdf=updates_pdf,
)
TERRITORY_QUOTES = View(
    "territory-quotes",
    lambda t: (Query("quotes", "territory", t, body=True),),
    html=quotes_html,
    pdf=quotes_pdf,
)
TERRITORY_MENTIONS = View(
    "territory-mentions",
    lambda t: (mentions_of("territory", t),),
    html=mentions,
    pdf=mentions,
)

VIEWS = (TERRITORY_UPDATES, TERRITORY_QUOTES, TERRITORY_MENTIONS)


# -- directives ------------------------------------------------------------------------


class TerritoryPage(GatheringDirective):
    """The page of one pilot territory: its facts, then its news from every letter."""

    def run(self) -> list[nodes.Node]:
        territory_id = self.checked().argument
        territory = self.domain.registry.territories.get(territory_id)
        if territory is None:
            return []
        anchor = f"territoire-{territory_id}"
        self.domain.add_target(self.env.docname, "territory", territory_id, anchor)
        page = self.section(anchor, territory.label)
        page += territory_facts(self, territory)
        people = [
            p for p in self.domain.registry.people.values() if p.get("territory") == territory_id
        ]
        if people:
            page += self.people_list(people)
        for view, title in (
            (TERRITORY_UPDATES, _("Nouvelles")),
            (TERRITORY_QUOTES, _("Citations")),
            (TERRITORY_MENTIONS, _("Mentions dans les lettres")),
        ):
            part = self.section(f"{anchor}-{view.name.partition('-')[2]}", title)
            part += self.placeholder(view, territory_id)
            page += part
        return [page]

    def people_list(self, people: list[Entry]) -> nodes.Element:
        paragraph = nodes.paragraph(classes=["almanach-territory-people"])
        paragraph += nodes.Text(_("Personnes : "))
        for index, person in enumerate(people):
            if index:
                paragraph += nodes.Text(", ")
            paragraph += self.link("person", person)
            if person.get("role"):
                paragraph += nodes.Text(f" ({person.get('role')})")
        return paragraph


def territory_facts(directive: GatheringDirective, territory: Entry) -> list[nodes.field_list]:
    return directive.facts(
        [
            (_("Type"), territory.get("kind")),
            (_("Département"), territory.get("departement")),
            (_("Territoire pilote"), _("oui") if territory.get("pilot") else _("non")),
            (_("Site web"), directive.website(territory)),
        ]
    )


class TerritoryDirectory(GatheringDirective):
    """Every territory of the registry: pilots link to their page, the others
    have their section here."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        registry = self.domain.registry
        result: list[nodes.Node] = []
        pilots = [t for t in registry.territories.values() if t.get("pilot")]
        others = [t for t in registry.territories.values() if not t.get("pilot")]
        if pilots:
            section = self.section("territoires-pilotes", _("Les territoires pilotes"))
            items = nodes.bullet_list()
            for territory in sorted(pilots, key=lambda t: t.label):
                item = nodes.paragraph()
                item += self.link("territory", territory)
                items += nodes.list_item("", item)
            section += items
            result.append(section)
        if others:
            section = self.section("autres-territoires", _("Les autres territoires cités"))
            for territory in sorted(others, key=lambda t: t.label):
                anchor = f"territoire-{territory.id}"
                self.domain.add_target(self.env.docname, "territory", territory.id, anchor)
                entry = self.section(anchor, territory.label)
                entry += territory_facts(self, territory)
                entry += self.placeholder(TERRITORY_MENTIONS, territory.id)
                section += entry
            result.append(section)
        return result


DIRECTIVES = {"territory-page": TerritoryPage, "territory-directory": TerritoryDirectory}
