"""The directories of people and organisations: each entry's facts, then what
the letters say of it."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.locale import _

from ...domain.selection import Query, mentions_of
from ...model import records
from ...model.names import entry_name, sort_key
from ..directives import GatheringDirective
from ..render import (
    Page,
    PdfPage,
    WebPage,
    mention_list,
    quotes_by_place,
    quotes_in_full,
    resource_titles,
    titled,
)
from ..view import Results, View

# -- renderings ----------------------------------------------------------------------


def update_list(page: Page, updates: list[records.TerritoryUpdate]) -> list[nodes.Node]:
    """Updates as links: the letter and rubrique, the territory, the question."""
    items = nodes.bullet_list(classes=["almanach-update-list"])
    for update in updates:
        paragraph = nodes.paragraph()
        paragraph += page.where(update.place)
        paragraph += nodes.Text(" — ")
        paragraph += page.mention("territory", update.territory)
        if update.question:
            paragraph += nodes.Text(f" : « {update.question} »")
        items += nodes.list_item("", paragraph)
    return [items] if updates else []


def person_sections(
    page: Page,
    results: Results,
    quotes: Callable[[Page, list[records.Quotation]], list[nodes.Node]],
) -> list[nodes.Node]:
    """Where the person spoke, and on what (the news themselves are on the
    territory pages and in the letters); ``quotes`` shows the quotations."""
    updates, quotations, mentions = results
    result = titled(_("Nouvelles des territoires"), update_list(page, updates))
    result += titled(_("Citations"), quotes(page, quotations))
    result += titled(_("Mentions"), mention_list(page, mentions))
    return result


def person_html(page: WebPage, results: Results) -> list[nodes.Node]:
    """The quotations in full."""
    return person_sections(page, results, quotes_in_full)


def person_pdf(page: PdfPage, results: Results) -> list[nodes.Node]:
    """The quotations by place (the book prints them in their letter)."""
    return person_sections(page, results, quotes_by_place)


def organisation_sections(page: Page, results: Results) -> list[nodes.Node]:
    """The resources it published, by title, and its mentions (web and PDF)."""
    resources, mentions = results
    result = titled(_("Ressources publiées"), resource_titles(page, resources))
    result += titled(_("Mentions"), mention_list(page, mentions))
    return result


# -- views -----------------------------------------------------------------------------

PERSON = View(
    "person",
    lambda t: (
        Query("updates", "speakers", t),
        Query("quotes", "speaker", t, body=True),
        mentions_of("person", t),
    ),
    html=person_html,
    pdf=person_pdf,
)
ORGANISATION = View(
    "organisation",
    lambda t: (
        Query("resources", "publisher", t, follow=False),  # titles and letters only
        mentions_of("organisation", t),
    ),
    html=organisation_sections,
    pdf=organisation_sections,
)

VIEWS = (PERSON, ORGANISATION)


# -- directives ------------------------------------------------------------------------


class PeopleDirectory(GatheringDirective):
    """Every person, as an index prints and sorts them (« Ketterer, Anne
    Sophie », by family name): role, organisation, territory; updates,
    quotations, mentions."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        registry = self.domain.registry
        result = []
        names = {person.id: entry_name(person) for person in registry.people.values()}
        for person in sorted(registry.people.values(), key=lambda p: (names[p.id].key, p.id)):
            anchor = f"personne-{person.id}"
            self.domain.add_target(self.env.docname, "person", person.id, anchor)
            section = self.section(anchor, names[person.id].display)
            organisation = registry.organisations.get(person.get("organisation") or "")
            territory = registry.territories.get(person.get("territory") or "")
            section += self.facts(
                [
                    (_("Rôle"), person.get("role")),
                    (
                        _("Organisation"),
                        self.link("organisation", organisation) if organisation else None,
                    ),
                    (_("Territoire"), self.link("territory", territory) if territory else None),
                ]
            )
            section += self.placeholder(PERSON, person.id)
            result.append(section)
        return result


class OrganisationDirectory(GatheringDirective):
    """Every organisation: website, people, resources published, mentions."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        registry = self.domain.registry
        result = []
        by_name = sorted(registry.organisations.values(), key=lambda o: (sort_key(o.label), o.id))
        for organisation in by_name:
            anchor = f"organisation-{organisation.id}"
            self.domain.add_target(self.env.docname, "organisation", organisation.id, anchor)
            section = self.section(anchor, organisation.label)
            people = sorted(
                (p for p in registry.people.values() if p.get("organisation") == organisation.id),
                key=lambda p: (entry_name(p).key, p.id),
            )
            people_nodes = nodes.inline()
            for index, person in enumerate(people):
                if index:
                    people_nodes += nodes.Text(", ")
                people_nodes += self.link("person", person)
            section += self.facts(
                [
                    (_("Présentation"), organisation.get("description")),
                    (_("Site web"), self.website(organisation)),
                    (_("Personnes"), people_nodes if people else None),
                ]
            )
            section += self.placeholder(ORGANISATION, organisation.id)
            result.append(section)
        return result


DIRECTIVES = {"people-directory": PeopleDirectory, "organisation-directory": OrganisationDirectory}
