"""What the gathered views are drawn with: the page being filled, on the web or
in the PDF, and the blocks several views share.

A view's renderings (:class:`almanach.gathered.view.View`) receive a
:class:`WebPage` or a :class:`PdfPage`: each knows how its medium shows a place
in a letter, a mention and a list of places, so a rendering shared by both
media holds no test of the medium. Which one is made is decided once, by
:class:`almanach.gathered.views.FillGatheredViews`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _

from ..config import almanach_config
from ..domain.domain import AlmanachDomain
from ..domain.selection import selection_of
from ..model import records
from ..model.letters import letter_label
from ..reading.nodes import page_reference
from ..reading.roles import mention
from ..rules.ids import MENTION_KINDS

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .view import View


class Page(ABC):
    """One page being filled with views (in LaTeX, the document of the book a
    placeholder came from): the links it makes and the records it reads."""

    def __init__(self, domain: AlmanachDomain, docname: str, builder: Builder) -> None:
        self.domain = domain
        self.docname = docname
        self.builder = builder
        self.selection = selection_of(domain)
        self.letters = self.selection.letters

    @property
    def preview(self) -> bool:
        """A preview build (``almanach_preview``, ``make preview``): what is
        for the editors shows too."""
        env = getattr(self.domain, "env", None)
        return env is not None and almanach_config(env.config).preview

    @abstractmethod
    def show(self, view: View, target: str) -> list[nodes.Node]:
        """The nodes of ``view`` for ``target``, in this page's medium."""

    @abstractmethod
    def where(self, place: records.Place) -> nodes.Node:
        """A place in a letter, linked to it."""

    @abstractmethod
    def mention(self, kind: str, target: str, label: str | None = None) -> nodes.Node:
        """A mention of an entry, labelled from the registry unless ``label`` is given."""

    @abstractmethod
    def places(self, places: Iterable[records.Place]) -> list[nodes.Node]:
        """Where each was published (nothing when there is no place)."""

    def empty(self) -> nodes.paragraph:
        text = _("Rien pour l’instant dans les lettres.")
        return nodes.paragraph(text, text, classes=["almanach-empty"])

    def link(self, docname: str, anchor: str, text: str) -> nodes.Node:
        """A link to a place of a letter (what ``make_refnode`` makes)."""
        inline = nodes.inline(text, text)
        return self.domain.refnode(self.builder, self.docname, docname, anchor, inline)

    def label(self, kind: str, target: str) -> str:
        """A registry entry's label (its id if it is not in the registry)."""
        entry = self.domain.registry.lookup(MENTION_KINDS[kind] or "", target)
        return entry.label if entry is not None else target

    def copy(self, body: Iterable[nodes.Node]) -> list[nodes.Node]:
        """A record's body, its references made from this page (a packed body
        unpacks a fresh copy; nodes given as such are copied)."""
        if isinstance(body, records.PackedNodes):
            copies = body.nodes()
        else:
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


class WebPage(Page):
    """A page of the site: places named in full, mentions resolved here."""

    def show(self, view: View, target: str) -> list[nodes.Node]:
        return view.html(self, view.results(self.selection, target))

    def where(self, place: records.Place) -> nodes.Node:
        """« Lettre n° 2 — décembre 2021, 🔎 Les nouvelles… », linked to the place."""
        letter = self.letters[place.docname]
        text = letter_label(letter)
        if place.section and place.section not in (letter.title, text):
            text = f"{text}, {place.section}"
        return self.link(place.docname, place.anchor, text)

    def mention(self, kind: str, target: str, label: str | None = None) -> nodes.Node:
        """Resolved here, as the domain resolves the role."""
        if label is None:
            label = self.label(kind, target)
        return self.domain.resolve_mention(self.builder, self.docname, kind, target, label)

    def places(self, places: Iterable[records.Place]) -> list[nodes.Node]:
        """A list, one place an item."""
        items = nodes.bullet_list()
        for place in places:
            items += nodes.list_item("", nodes.paragraph("", "", self.where(place)))
        return [items] if len(items) else []


class PdfPage(Page):
    """A document of the book: places given with their page, mentions resolved
    with the assembled book."""

    def show(self, view: View, target: str) -> list[nodes.Node]:
        return view.pdf(self, view.results(self.selection, target))

    def where(self, place: records.Place) -> nodes.Node:
        """« Lettre n° 2 — décembre 2021 (p. 5) », linked to the place."""
        where = nodes.inline()
        where += self.link(place.docname, place.anchor, letter_label(self.letters[place.docname]))
        where += page_reference(docname=place.docname, anchor=place.anchor)
        return where

    def mention(self, kind: str, target: str, label: str | None = None) -> nodes.Node:
        """A mention node, resolved with the book like the role's."""
        if label is None:
            label = self.label(kind, target)
        return mention(kind, target, label, self.docname, False)

    def places(self, places: Iterable[records.Place]) -> list[nodes.Node]:
        """One line, the places separated by semicolons."""
        line = nodes.paragraph(classes=["almanach-places"])
        for place in places:
            if len(line):
                line += nodes.Text(" ; ")
            line += self.where(place)
        return [line] if len(line) else []


# -- blocks shared by several views ---------------------------------------------------


def titled(title: str, content: list[nodes.Node]) -> list[nodes.Node]:
    """``content`` under a rubric, or nothing when it is empty."""
    if not content:
        return []
    return [nodes.rubric(title, title), *content]


def mention_list(page: Page, mentions: list[records.Mention]) -> list[nodes.Node]:
    """Where an entry is mentioned, once per section of a letter."""
    seen: dict[tuple[str, str], records.Place] = {}
    for mention_record in mentions:
        place = mention_record.place
        seen.setdefault((place.docname, place.section), place)
    return page.places(seen.values())


def quote_block(page: Page, quote: records.Quotation) -> nodes.Element:
    """A quotation in full, attributed once: the attribution its letter shows
    (speaker, source, context, rendered as in the letter), then the letter."""
    block = nodes.block_quote(classes=["almanach-quote"])
    body = page.copy(quote.body)
    block.extend(node for node in body if not isinstance(node, nodes.attribution))
    written = next((node for node in body if isinstance(node, nodes.attribution)), None)
    attribution = written if written is not None else attribution_of(page, quote)
    if len(attribution):
        attribution += nodes.Text(", ")
    attribution += page.where(quote.place)
    block += attribution
    return block


def attribution_of(page: Page, quote: records.Quotation) -> nodes.attribution:
    """An attribution made from the record's fields (a quotation whose body
    holds none)."""
    attribution = nodes.attribution()
    parts: list[nodes.Node] = []
    if quote.speaker:
        parts.extend(page.people([quote.speaker]))
    if quote.source:
        parts.append(
            page.mention("resource", quote.source, quote.source)
            if page.selection.resource(quote.source)
            else nodes.Text(quote.source)
        )
    if quote.context:
        parts.append(nodes.Text(quote.context))
    for index, part in enumerate(parts):
        if index:
            attribution += nodes.Text(", ")
        attribution += part
    return attribution


def quotes_in_full(page: Page, quotes: list[records.Quotation]) -> list[nodes.Node]:
    """Quotations in full (on the site)."""
    return [quote_block(page, quote) for quote in quotes]


def quotes_by_place(page: Page, quotes: list[records.Quotation]) -> list[nodes.Node]:
    """Where the quotations are (in the PDF: its quotations' chapter and the
    letters print them)."""
    return page.places(quote.place for quote in quotes)


def resource_titles(page: Page, resources: list[records.ResourceLink]) -> list[nodes.Node]:
    """Resources by title, with the letter that shares them (the catalogue
    gives their publisher and every letter that cites them)."""
    items = nodes.bullet_list(classes=["almanach-resource-titles"])
    for resource in resources:
        paragraph = nodes.paragraph()
        paragraph += page.mention("resource", resource.id, resource.title)
        paragraph += nodes.Text(" — ")
        paragraph += page.where(resource.place)
        items += nodes.list_item("", paragraph)
    return [items] if resources else []
