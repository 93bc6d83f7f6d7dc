"""Filling the gathered views: what each placeholder left by
:mod:`almanach.gathered.directives` shows, built from the domain's records.

:class:`FillGatheredViews` is a post-transform that runs before references are
resolved (ReferencesResolver has priority 10), so the links it adds resolve
like any other; in LaTeX it runs on the assembled book, so each placeholder
carries the document it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import _compat
from ..domain.domain import MENTION_KINDS, AlmanachDomain
from ..domain.selection import in_section, mentions_of, selection_of
from ..model import records
from ..model.letters import letter_label
from ..reading.nodes import gathered, page_reference
from ..reading.roles import mention

if TYPE_CHECKING:
    from sphinx.builders import Builder


class FillGatheredViews(SphinxPostTransform):
    """Replace each placeholder with what the letters say, before references
    are resolved (ReferencesResolver has priority 10)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: AlmanachDomain = self.env.domains["almanach"]  # type: ignore[assignment]
        # The PDF prints each update once, in its letter: its other places refer to it.
        compact = _compat.builder_format(self.env) == "latex"
        # Links to places are made here, resolved: gathered pages hold thousands
        # (the builder, as Sphinx's ReferencesResolver reaches it).
        builder = _compat.running_builder(self.env)
        for node in list(self.document.findall(gathered)):
            view = ViewBuilder(domain, node["docname"], builder, compact=compact)
            content = view.build(node["view"], node["target"]) or [view.empty()]
            for part in content:
                # Search leads to the letters, where the text is: a gathered view
                # repeats them (the page itself is found by its titles).
                part["classes"].append("no-search")
            node.replace_self(content)


class ViewBuilder:
    """Builds the nodes of one gathered view for one page."""

    def __init__(
        self,
        domain: AlmanachDomain,
        docname: str,
        builder: Builder,
        *,
        compact: bool = False,
    ) -> None:
        self.domain = domain
        self.docname = docname
        self.builder = builder
        self.compact = compact
        self.selection = selection_of(domain)
        self.letters = self.selection.letters

    def query(self, view: str, target: str) -> list[list[Any]]:
        """What a view shows: the records of its declared queries."""
        return self.selection.view(view, target)

    def build(self, view: str, target: str) -> list[nodes.Node]:
        method = getattr(self, "view_" + view.replace("-", "_"))
        return method(target)

    def empty(self) -> nodes.paragraph:
        text = _("Rien pour l’instant dans les lettres.")
        return nodes.paragraph(text, text, classes=["almanach-empty"])

    # helpers

    def where(self, place: records.Place) -> nodes.inline:
        """« Lettre n° 2 — décembre 2021, 🔎 Les nouvelles… », linked to the place;
        compact, « Lettre n° 2 — décembre 2021 (p. 5) »."""
        letter = self.letters[place.docname]
        text = letter_label(letter)
        if self.compact:
            where = nodes.inline()
            where += self.link(place.docname, place.anchor, text)
            where += page_reference(docname=place.docname, anchor=place.anchor)
            return where
        if place.section and place.section not in (_title_of(letter), text):
            text = f"{text}, {place.section}"
        return self.link(place.docname, place.anchor, text)

    def link(self, docname: str, anchor: str, text: str) -> nodes.Node:
        """A link to a place of a letter (what ``make_refnode`` makes)."""
        inline = nodes.inline(text, text)
        return self.domain.refnode(self.builder, self.docname, docname, anchor, inline)

    def label(self, kind: str, target: str) -> str:
        """A registry entry's label (its id if it is not in the registry)."""
        entry = self.domain.registry.lookup(MENTION_KINDS[kind] or "", target)
        return entry.label if entry is not None else target

    def mention(self, kind: str, target: str, label: str | None = None) -> nodes.Node:
        """A mention of an entry (labelled from the registry unless ``label`` is
        given), resolved here on screen as the domain resolves the role (the PDF
        resolves it with the assembled book)."""
        if label is None:
            label = self.label(kind, target)
        if self.compact:
            return mention(kind, target, label, self.docname, False)
        return self.domain.resolve_mention(self.builder, self.docname, kind, target, label)

    def places(self, places: Iterable[records.Place]) -> list[nodes.Node]:
        """Where each was published: a list on screen, one line in the PDF."""
        if not self.compact:
            items = nodes.bullet_list()
            for place in places:
                items += nodes.list_item("", nodes.paragraph("", "", self.where(place)))
            return [items] if len(items) else []
        line = nodes.paragraph(classes=["almanach-places"])
        for place in places:
            if len(line):
                line += nodes.Text(" ; ")
            line += self.where(place)
        return [line] if len(line) else []

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
            result.append(self.mention("person", person_id))
        return result

    def update_block(self, update: records.TerritoryUpdate) -> nodes.container:
        """An update: where it was published, question, speakers, then its text —
        in full on screen; compact (in the PDF), with the page of its letter instead."""
        container = nodes.container(classes=["almanach-gathered-update"])
        heading = nodes.paragraph(classes=["almanach-gathered-where"])
        heading += nodes.strong("", "", self.where(update.place))
        container += heading
        if update.question:
            container += nodes.paragraph(
                update.question, update.question, classes=["almanach-question"]
            )
        if update.speakers:
            line = nodes.paragraph(classes=["almanach-speakers"])
            line += nodes.Text(_("Avec : "))
            line.extend(self.people(update.speakers))
            container += line
        if not self.compact:
            container.extend(self.copy(update.body))
        return container

    def update_list(self, updates: list[records.TerritoryUpdate]) -> list[nodes.Node]:
        """Updates as links: the letter and rubrique, the territory, the question."""
        items = nodes.bullet_list(classes=["almanach-update-list"])
        for update in updates:
            paragraph = nodes.paragraph()
            paragraph += self.where(update.place)
            paragraph += nodes.Text(" — ")
            paragraph += self.mention("territory", update.territory)
            if update.question:
                paragraph += nodes.Text(f" : « {update.question} »")
            items += nodes.list_item("", paragraph)
        return [items] if updates else []

    def quote_block(self, quote: records.Quotation) -> nodes.Element:
        block = nodes.block_quote(classes=["almanach-quote"])
        block.extend(self.copy(quote.body))
        attribution = nodes.attribution()
        parts: list[nodes.Node] = []
        if quote.speaker:
            parts.extend(self.people([quote.speaker]))
        if quote.source:
            parts.append(
                self.mention("resource", quote.source, quote.source)
                if self.selection.resource(quote.source)
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

    def mention_list(self, mentions: list[records.Mention]) -> list[nodes.Node]:
        """Where an entry is mentioned, once per section of a letter."""
        seen: dict[tuple[str, str], records.Place] = {}
        for mention_record in mentions:
            place = mention_record.place
            seen.setdefault((place.docname, place.section), place)
        return self.places(seen.values())

    def quotes(self, quotes: list[records.Quotation]) -> list[nodes.Node]:
        """Quotations in full; in the PDF, where they are (the quotations'
        chapter and the letters print them)."""
        if self.compact:
            return self.places(quote.place for quote in quotes)
        return [self.quote_block(quote) for quote in quotes]

    def titled(self, title: str, content: list[nodes.Node]) -> list[nodes.Node]:
        if not content:
            return []
        return [nodes.rubric(title, title), *content]

    # views

    def view_territory_updates(self, target: str) -> list[nodes.Node]:
        (updates,) = self.query("territory-updates", target)
        return [self.update_block(u) for u in updates]

    def view_territory_quotes(self, target: str) -> list[nodes.Node]:
        (quotes,) = self.query("territory-quotes", target)
        return self.quotes(quotes)

    def view_territory_mentions(self, target: str) -> list[nodes.Node]:
        (mentions,) = self.query("territory-mentions", target)
        return self.mention_list(mentions)

    def view_person(self, target: str) -> list[nodes.Node]:
        updates, quotes, mentions = self.query("person", target)
        # The news themselves are on the territory pages and in the letters:
        # here, where the person spoke, and on what.
        result = self.titled(_("Nouvelles des territoires"), self.update_list(updates))
        result += self.titled(_("Citations"), self.quotes(quotes))
        result += self.titled(_("Mentions"), self.mention_list(mentions))
        return result

    def view_organisation(self, target: str) -> list[nodes.Node]:
        resources, mentions = self.query("organisation", target)
        result = self.titled(_("Ressources publiées"), self.resource_titles(resources))
        result += self.titled(_("Mentions"), self.mention_list(mentions))
        return result

    def view_event(self, target: str) -> list[nodes.Node]:
        (mentions,) = self.query("event", target)
        return self.titled(_("Dans les lettres"), self.mention_list(mentions))

    def view_rubrique(self, target: str) -> list[nodes.Node]:
        (sections,) = self.query("rubrique", target)
        if self.compact:  # the PDF's table of contents and the letters show the rest
            return self.places(section.place for section in sections)
        items = nodes.bullet_list()
        for section in sections:
            paragraph = nodes.paragraph()
            paragraph += self.link(
                section.place.docname,
                section.place.anchor,
                f"{letter_label(self.letters[section.place.docname])} : {section.title}",
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
        for update in self.selection.get(in_section("updates", section.place)):
            paragraph = nodes.paragraph()
            paragraph += self.link(
                update.place.docname,
                update.place.anchor,
                _("Nouvelles : ") + self.label("territory", update.territory),
            )
            found += nodes.list_item("", paragraph)
        for resource in self.selection.get(in_section("resources", section.place)):
            paragraph = nodes.paragraph()
            paragraph += self.link(
                resource.place.docname, resource.place.anchor, _("Ressource : ") + resource.title
            )
            found += nodes.list_item("", paragraph)
        return found if len(found) else None

    def resource_titles(self, resources: list[records.ResourceLink]) -> list[nodes.Node]:
        """Resources by title, with the letter that shares them (the catalogue
        gives their publisher and every letter that cites them)."""
        items = nodes.bullet_list(classes=["almanach-resource-titles"])
        for resource in resources:
            paragraph = nodes.paragraph()
            paragraph += self.mention("resource", resource.id, resource.title)
            paragraph += nodes.Text(" — ")
            paragraph += self.where(resource.place)
            items += nodes.list_item("", paragraph)
        return [items] if resources else []

    def resource_list(self, resources: list[records.ResourceLink]) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["almanach-catalogue"])
        for resource in resources:
            paragraph = nodes.paragraph()
            paragraph += self.mention("resource", resource.id, resource.title)
            if resource.publisher:
                paragraph += nodes.Text(" — ")
                paragraph += self.mention("organisation", resource.publisher)
            paragraph += nodes.Text(_(" — cité dans : "))
            paragraph += self.where(resource.place)
            items += nodes.list_item("", paragraph)
            if self.compact:  # the index of resources gives every place
                continue
            seen = {(resource.place.docname, resource.place.section)}
            for mention_record in self.selection.get(mentions_of("resource", resource.id)):
                key = (mention_record.place.docname, mention_record.place.section)
                if key not in seen:
                    seen.add(key)
                    paragraph += nodes.Text(" ; ")
                    paragraph += self.where(mention_record.place)
        return [items] if resources else []

    def view_resources(self, target: str) -> list[nodes.Node]:
        from ..rules.directives import RESOURCE_KINDS

        (resources,) = self.query("resources", target)
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
        # The editors' list of addresses to find: on the site (the PDF marks each
        # pending resource « lien à venir » where it is listed).
        if pending and not self.compact:
            title = _("Liens à retrouver")
            result.append(nodes.rubric(title, title, classes=["almanach-pending-list"]))
            text = _(
                "Ces ressources n’ont pas encore d’adresse : l’équipe éditoriale doit la retrouver."
            )
            result.append(nodes.paragraph(text, text))
            result += self.resource_titles(pending)
        return result

    def view_quotes(self, target: str) -> list[nodes.Node]:
        (quotes,) = self.query("quotes", target)
        return [self.quote_block(q) for q in quotes]


def _title_of(letter: records.Letter) -> str:
    return letter.title
