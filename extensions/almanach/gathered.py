"""Gathered views: pages that collect content from every letter.

The directives below leave :class:`~almanach.nodes.gathered` placeholders
(and, where the registry gives the structure, real sections). The placeholders
are filled by :class:`FillGatheredViews`, a post-transform that runs before
references are resolved, so the links it adds resolve like any other. Pages
that gather are rewritten whenever the collected records change
(``env-get-updated``), so an incremental build is never stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import records
from .directives.base import AlmanachDirective
from .domain import AlmanachDomain
from .letters import letter_label, span_label
from .nodes import gathered
from .registry import Entry
from .roles import anchor_link, mention

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


# -- directives -------------------------------------------------------------------


class GatheringDirective(AlmanachDirective):
    has_content = False
    optional_arguments = 1

    def placeholder(self, view: str, target: str = "") -> gathered:
        self.domain.note_gathering(self.env.docname)
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
        self.checked_options()
        territory_id = self.argument("identifiant du territoire", "lomme")
        territory = self.lookup("territories", territory_id, "argument")
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
        self.checked_options()
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
        self.checked_options()
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
        self.checked_options()
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
        self.checked_options()
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
        self.checked_options()
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
        self.checked_options()
        return [self.placeholder(self.view)]


class ResourceCatalogue(SimpleView):
    view = "resources"


class QuoteCollection(SimpleView):
    view = "quotes"


# -- filling the placeholders -----------------------------------------------------


class FillGatheredViews(SphinxPostTransform):
    """Replace each placeholder with what the letters say, before references
    are resolved (ReferencesResolver has priority 10)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: AlmanachDomain = self.env.domains["almanach"]  # type: ignore[assignment]
        for node in list(self.document.findall(gathered)):
            view = ViewBuilder(domain, node["docname"])
            content = view.build(node["view"], node["target"])
            node.replace_self(content or [view.empty()])


class ViewBuilder:
    """Builds the nodes of one gathered view for one page."""

    def __init__(self, domain: AlmanachDomain, docname: str) -> None:
        self.domain = domain
        self.docname = docname
        self.letters = {letter.docname: letter for letter in domain.letters()}

    def build(self, view: str, target: str) -> list[nodes.Node]:
        method = getattr(self, "view_" + view.replace("-", "_"))
        return method(target)

    def empty(self) -> nodes.paragraph:
        text = _("Rien pour l’instant dans les lettres.")
        return nodes.paragraph(text, text, classes=["almanach-empty"])

    # helpers

    def in_letters(self, items: Iterable[Any]) -> list[Any]:
        return [item for item in items if item.place.docname in self.letters]

    def where(self, place: records.Place) -> nodes.inline:
        """« Lettre n° 2 — décembre 2021, 🔎 Les nouvelles… », linked to the place."""
        letter = self.letters[place.docname]
        text = letter_label(letter)
        if place.section and place.section != _title_of(letter):
            text = f"{text}, {place.section}"
        return anchor_link(place.docname, place.anchor, text, self.docname)

    def copy(self, body: list[nodes.Node]) -> list[nodes.Node]:
        copies = [child.deepcopy() for child in body]
        for copy in copies:
            for xref in copy.findall(nodes.Element):
                if xref.get("refdoc"):
                    xref["refdoc"] = self.docname
        return copies

    def people(self, ids: Iterable[str]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for index, person_id in enumerate(ids):
            if index:
                result.append(nodes.Text(", "))
            person = self.domain.registry.people.get(person_id)
            label = person.label if person else person_id
            result.append(mention("person", person_id, label, self.docname, False))
        return result

    def update_block(self, update: records.TerritoryUpdate, with_territory: bool = False):
        container = nodes.container(classes=["almanach-gathered-update"])
        heading = nodes.paragraph(classes=["almanach-gathered-where"])
        heading += nodes.strong("", "", self.where(update.place))
        container += heading
        if with_territory:
            territory = self.domain.registry.territories.get(update.territory)
            line = nodes.paragraph()
            line += nodes.Text(_("Territoire : "))
            line += mention(
                "territory",
                update.territory,
                territory.label if territory else update.territory,
                self.docname,
                False,
            )
            container += line
        if update.question:
            container += nodes.paragraph(
                update.question, update.question, classes=["almanach-question"]
            )
        if update.speakers:
            line = nodes.paragraph(classes=["almanach-speakers"])
            line += nodes.Text(_("Avec : "))
            line.extend(self.people(update.speakers))
            container += line
        container.extend(self.copy(update.body))
        return container

    def quote_block(self, quote: records.Quotation) -> nodes.Element:
        block = nodes.block_quote(classes=["almanach-quote"])
        block.extend(self.copy(quote.body))
        attribution = nodes.attribution()
        parts: list[nodes.Node] = []
        if quote.speaker:
            parts.extend(self.people([quote.speaker]))
        if quote.source:
            parts.append(
                mention("resource", quote.source, quote.source, self.docname, False)
                if self.domain.resource(quote.source)
                else nodes.Text(quote.source)
            )
        if quote.context:
            parts.append(nodes.Text(quote.context))
        parts.append(self.where(quote.place))
        for index, part in enumerate(parts):
            if index:
                attribution += nodes.Text(", ")
            attribution += part
        block += attribution
        return block

    def mention_list(self, kind: str, target: str) -> list[nodes.Node]:
        mentions = [
            m
            for m in self.in_letters(self.domain.records("mentions"))
            if m.kind == kind and m.target == target
        ]
        seen, items = set(), nodes.bullet_list()
        for mention_record in mentions:
            key = (mention_record.place.docname, mention_record.place.section)
            if key in seen:
                continue
            seen.add(key)
            paragraph = nodes.paragraph()
            paragraph += self.where(mention_record.place)
            items += nodes.list_item("", paragraph)
        return [items] if seen else []

    def titled(self, title: str, content: list[nodes.Node]) -> list[nodes.Node]:
        if not content:
            return []
        return [nodes.rubric(title, title), *content]

    # views

    def view_territory_updates(self, target: str) -> list[nodes.Node]:
        updates = self.in_letters(self.domain.records("updates"))
        return [self.update_block(u) for u in updates if u.territory == target]

    def view_territory_quotes(self, target: str) -> list[nodes.Node]:
        quotes = self.in_letters(self.domain.records("quotes"))
        return [self.quote_block(q) for q in quotes if q.territory == target]

    def view_territory_mentions(self, target: str) -> list[nodes.Node]:
        return self.mention_list("territory", target)

    def view_person(self, target: str) -> list[nodes.Node]:
        updates = [
            u for u in self.in_letters(self.domain.records("updates")) if target in u.speakers
        ]
        quotes = [q for q in self.in_letters(self.domain.records("quotes")) if q.speaker == target]
        result = self.titled(
            _("Nouvelles des territoires"),
            [self.update_block(u, with_territory=True) for u in updates],
        )
        result += self.titled(_("Citations"), [self.quote_block(q) for q in quotes])
        result += self.titled(_("Mentions"), self.mention_list("person", target))
        return result

    def view_organisation(self, target: str) -> list[nodes.Node]:
        resources = [
            r for r in self.in_letters(self.domain.records("resources")) if r.publisher == target
        ]
        result = self.titled(_("Ressources publiées"), self.resource_list(resources))
        result += self.titled(_("Mentions"), self.mention_list("organisation", target))
        return result

    def view_event(self, target: str) -> list[nodes.Node]:
        return self.titled(_("Dans les lettres"), self.mention_list("event", target))

    def view_rubrique(self, target: str) -> list[nodes.Node]:
        sections = [
            s for s in self.in_letters(self.domain.records("rubriques")) if s.rubrique == target
        ]
        items = nodes.bullet_list()
        for section in sections:
            paragraph = nodes.paragraph()
            paragraph += anchor_link(
                section.place.docname,
                section.place.anchor,
                f"{letter_label(self.letters[section.place.docname])} : {section.title}",
                self.docname,
            )
            item = nodes.list_item("", paragraph)
            inside = self.inside(section)
            if inside:
                item += inside
            items += item
        return [items] if sections else []

    def inside(self, section: records.RubriqueSection) -> nodes.bullet_list | None:
        """The updates, quotations and resources of one rubrique of one letter."""
        found = nodes.bullet_list()
        for update in self.domain.records("updates"):
            if (
                update.place.docname == section.place.docname
                and update.place.section == section.title
            ):
                territory = self.domain.registry.territories.get(update.territory)
                paragraph = nodes.paragraph()
                paragraph += anchor_link(
                    update.place.docname,
                    update.place.anchor,
                    _("Nouvelles : ") + (territory.label if territory else update.territory),
                    self.docname,
                )
                found += nodes.list_item("", paragraph)
        for resource in self.domain.records("resources"):
            if (
                resource.place.docname == section.place.docname
                and resource.place.section == section.title
            ):
                paragraph = nodes.paragraph()
                paragraph += anchor_link(
                    resource.place.docname,
                    resource.place.anchor,
                    _("Ressource : ") + resource.title,
                    self.docname,
                )
                found += nodes.list_item("", paragraph)
        return found if len(found) else None

    def resource_list(self, resources: list[records.ResourceLink]) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["almanach-catalogue"])
        for resource in resources:
            paragraph = nodes.paragraph()
            paragraph += mention("resource", resource.id, resource.title, self.docname, False)
            if resource.publisher:
                organisation = self.domain.registry.organisations.get(resource.publisher)
                paragraph += nodes.Text(" — ")
                paragraph += mention(
                    "organisation",
                    resource.publisher,
                    organisation.label if organisation else resource.publisher,
                    self.docname,
                    False,
                )
            paragraph += nodes.Text(_(" — cité dans : "))
            paragraph += self.where(resource.place)
            seen = {(resource.place.docname, resource.place.section)}
            for mention_record in self.in_letters(self.domain.records("mentions")):
                key = (mention_record.place.docname, mention_record.place.section)
                if mention_record.kind != "resource" or mention_record.target != resource.id:
                    continue
                if key not in seen:
                    seen.add(key)
                    paragraph += nodes.Text(" ; ")
                    paragraph += self.where(mention_record.place)
            items += nodes.list_item("", paragraph)
        return [items] if resources else []

    def view_resources(self, target: str) -> list[nodes.Node]:
        from .directives.resource import RESOURCE_KINDS

        resources = self.in_letters(self.domain.records("resources"))
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
            result += self.titled(
                label, self.resource_list([r for r in resources if r.kind == kind])
            )
        pending = [r for r in resources if r.pending]
        if pending:
            title = _("Liens à retrouver")
            result.append(nodes.rubric(title, title, classes=["almanach-pending-list"]))
            text = _(
                "Ces ressources n’ont pas encore d’adresse : l’équipe éditoriale doit la retrouver."
            )
            result.append(nodes.paragraph(text, text))
            result += self.resource_list(pending)
        return result

    def view_quotes(self, target: str) -> list[nodes.Node]:
        return [self.quote_block(q) for q in self.in_letters(self.domain.records("quotes"))]


def _title_of(letter: records.Letter) -> str:
    return letter.title


# -- keeping gathered pages fresh ---------------------------------------------------


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: the gathering pages, when any collected record changed."""
    domain: AlmanachDomain = env.domains["almanach"]  # type: ignore[assignment]
    fingerprint = domain.collected_fingerprint()
    if fingerprint == domain.data["fingerprint"]:
        return []
    domain.data["fingerprint"] = fingerprint
    citing = {m.place.docname for m in domain.records("mentions") if m.kind == "resource"}
    return sorted((set(domain.data["gathering"]) | citing) & env.found_docs)


def setup_gathered(app: Sphinx) -> None:
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
