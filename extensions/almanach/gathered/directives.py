"""Gathered views: pages that collect content from every letter.

The directives below leave :class:`~almanach.reading.nodes.gathered` placeholders
(and, where the registry gives the structure, real sections). The placeholders
are filled by :mod:`almanach.gathered.views`. Pages
that gather are rewritten whenever the collected records change
(``env-get-updated``), so an incremental build is never stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.locale import _

from ..domain.domain import GATHERING, AlmanachDomain
from ..domain.selection import selection_of
from ..model.letters import span_label
from ..model.registry import Entry
from ..reading.directives.base import AlmanachDirective
from ..reading.nodes import gathered
from ..reading.roles import mention

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


# -- directives -------------------------------------------------------------------


class GatheringDirective(AlmanachDirective):
    has_content = False
    optional_arguments = 1

    def placeholder(self, view: str, target: str = "") -> gathered:
        self.domain.note_gathering(self.env.docname, view, target)
        node = gathered(view=view, target=target, docname=self.env.docname)
        self.set_source_info(node)
        return node

    def section(self, anchor: str, title: str) -> nodes.section:
        section = nodes.section(ids=[anchor], names=[nodes.fully_normalize_name(title)])
        self.set_source_info(section)
        section += nodes.title(title, title)
        return section

    def facts(self, rows: Iterable[tuple[str, Any]]) -> nodes.field_list:
        """A field list of the facts a registry entry gives (absent facts are left out)."""
        field_list = nodes.field_list(classes=["almanach-facts"])
        for name, value in rows:
            if value in (None, "", []):
                continue
            body = nodes.paragraph()
            if isinstance(value, nodes.Node):
                body += value
            else:
                body += nodes.Text(str(value))
            field_list += nodes.field("", nodes.field_name(name, name), nodes.field_body("", body))
        return field_list

    def website(self, entry: Entry) -> nodes.Node | None:
        url = entry.get("website")
        if not url:
            return None
        return nodes.reference(url, url, refuri=url, internal=False)

    def link(self, kind: str, entry: Entry) -> nodes.Node:
        return mention(kind, entry.id, entry.label, self.env.docname, False)


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
            ("territory-updates", _("Nouvelles")),
            ("territory-quotes", _("Citations")),
            ("territory-mentions", _("Mentions dans les lettres")),
        ):
            part = self.section(f"{anchor}-{view.partition('-')[2]}", title)
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


def territory_facts(directive: GatheringDirective, territory: Entry) -> nodes.Element:
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
                entry += self.placeholder("territory-mentions", territory.id)
                section += entry
            result.append(section)
        return result


class PeopleDirectory(GatheringDirective):
    """Every person: role, organisation, territory; updates, quotations, mentions."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        registry = self.domain.registry
        result = []
        for person in sorted(registry.people.values(), key=lambda p: p.label):
            anchor = f"personne-{person.id}"
            self.domain.add_target(self.env.docname, "person", person.id, anchor)
            section = self.section(anchor, person.label)
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
            section += self.placeholder("person", person.id)
            result.append(section)
        return result


class OrganisationDirectory(GatheringDirective):
    """Every organisation: website, people, resources published, mentions."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        registry = self.domain.registry
        result = []
        for organisation in sorted(registry.organisations.values(), key=lambda o: o.label.lower()):
            anchor = f"organisation-{organisation.id}"
            self.domain.add_target(self.env.docname, "organisation", organisation.id, anchor)
            section = self.section(anchor, organisation.label)
            people = [
                p for p in registry.people.values() if p.get("organisation") == organisation.id
            ]
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
            section += self.placeholder("organisation", organisation.id)
            result.append(section)
        return result


class Agenda(GatheringDirective):
    """The programme's events in date order, with the letters that mention them."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        events = sorted(self.domain.registry.events.values(), key=lambda e: (e.get("start"), e.id))
        result = []
        for event in events:
            anchor = f"evenement-{event.id}"
            self.domain.add_target(self.env.docname, "event", event.id, anchor)
            section = self.section(anchor, event.label)
            where = _("en visioconférence") if event.get("visio") else event.get("place")
            section += self.facts(
                [
                    (_("Date"), span_label(event.get("start"), event.get("end"))),
                    (_("Lieu"), where),
                ]
            )
            section += self.placeholder("event", event.id)
            result.append(section)
        return result


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
            section += self.placeholder("rubrique", rubrique.id)
            result.append(section)
        return result


class SimpleView(GatheringDirective):
    """``resource-catalogue``, ``quote-collection``: one placeholder."""

    view: ClassVar[str] = ""

    def run(self) -> list[nodes.Node]:
        self.checked()
        return [self.placeholder(self.view)]


class ResourceCatalogue(SimpleView):
    view = "resources"


class QuoteCollection(SimpleView):
    view = "quotes"


# -- keeping gathered pages fresh ---------------------------------------------------


#: In an output folder while its gathering pages' keys are not known to be written:
#: a build stopped while writing leaves it, and the next build rewrites them all.
WRITING_MARK = ".almanach-writing"


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: what must be written again because the collected
    records changed since this output (builder and folder) was last written —
    builders may share one environment (``make pdf`` then ``make html``), so
    each keeps its own marks:

    - every page, when the registries changed since this output was written (a
      label may be on any page; the documents were read again for the first
      output only);
    - the gathering pages whose views would show something else (their key,
      :meth:`almanach.domain.selection.Selection.page_key`, changed), all of them when
      the last build of this output stopped while writing;
    - the pages that mention a resource whose address, title or place changed
      (a mention links to the address, or shows « lien à venir »).
    """
    domain: AlmanachDomain = env.domains["almanach"]  # type: ignore[assignment]
    output = f"{app.builder.name}:{app.outdir}"
    registry = domain.registry.fingerprint
    everything = domain.data["registry_state"].get(output) != registry
    domain.data["registry_state"][output] = registry
    mark = Path(app.outdir) / WRITING_MARK
    fingerprint = domain.collected_fingerprint()
    if domain.data["fingerprint"].get(output) == fingerprint and not (everything or mark.exists()):
        return []
    domain.data["fingerprint"][output] = fingerprint
    selection = selection_of(domain)
    keys = {
        docname: selection.page_key(placeholders)
        for docname, placeholders in domain.data[GATHERING].items()
    }
    before_keys = {} if mark.exists() else domain.data["page_keys"].get(output, {})
    domain.data["page_keys"][output] = keys
    _mark_writing(app)
    gathering = {docname for docname, key in keys.items() if before_keys.get(docname) != key}
    resources = {
        resource.id: (resource.title, resource.url, resource.place.docname, resource.place.anchor)
        for resource in domain.records("resources")
    }
    before = domain.data["resource_state"].get(output, {})
    domain.data["resource_state"][output] = resources
    changed = {
        rid for rid in resources.keys() | before.keys() if resources.get(rid) != before.get(rid)
    }
    citing = {
        m.place.docname
        for m in domain.records("mentions")
        if m.kind == "resource" and m.target in changed
    }
    if everything:
        return sorted(env.found_docs)
    return sorted((gathering | citing) & env.found_docs)


def _mark_writing(app: Sphinx) -> None:
    """The keys just stored hold once the pages are written: until then, the mark."""
    mark = Path(app.outdir) / WRITING_MARK
    mark.parent.mkdir(parents=True, exist_ok=True)
    mark.touch()


def pages_written(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the pages are written, the keys hold."""
    if exception is None:
        (Path(app.outdir) / WRITING_MARK).unlink(missing_ok=True)


def setup_gathered(app: Sphinx) -> None:
    from .views import FillGatheredViews

    """Register the gathering directives, the filling transform and the freshness hook."""
    app.add_directive("territory-page", TerritoryPage)
    app.add_directive("territory-directory", TerritoryDirectory)
    app.add_directive("people-directory", PeopleDirectory)
    app.add_directive("organisation-directory", OrganisationDirectory)
    app.add_directive("agenda", Agenda)
    app.add_directive("rubrique-browser", RubriqueBrowser)
    app.add_directive("resource-catalogue", ResourceCatalogue)
    app.add_directive("quote-collection", QuoteCollection)
    app.add_post_transform(FillGatheredViews)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("build-finished", pages_written)
