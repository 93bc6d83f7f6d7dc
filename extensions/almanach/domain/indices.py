"""Domain indices: territories, people and resources, with every place in the
letters where each appears. They become pages of the site and indices at the
end of the PDF (``latex_domain_indices``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup, escape
from sphinx.domains import Index, IndexEntry
from sphinx.locale import _

from ..model.letters import letter_label
from ..model.names import PersonName, collation_key, entry_name, sort_key, sort_letter

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..model.records import Place
    from .domain import AlmanachDomain


class Item(NamedTuple):
    """One entry of an index, before sorting: its main target and its places."""

    id: str
    label: str
    docname: str
    anchor: str
    places: list[Place]
    #: A person's name, printed and sorted as an index does (« Ketterer, Anne Sophie »).
    name: PersonName | None = None

    @property
    def shown(self) -> str:
        return self.name.display if self.name else self.label

    @property
    def key(self) -> tuple:
        return self.name.key if self.name else sort_key(self.label)

    @property
    def letter(self) -> str:
        return self.name.letter if self.name else sort_letter(self.label)


def letter_key(letter: str) -> tuple[int, str]:
    """The order of the headings: « # » (no letter) first, then the letters."""
    return (letter != "#", collation_key(letter), letter)


class PlacesIndex(Index):
    """Entries with a main target and one sub-entry per place in the letters,
    under the letter each sorts by."""

    kind = ""
    #: One sentence under the title of the index's page (French).
    intro = ""

    @property
    def almanach(self) -> AlmanachDomain:
        return self.domain  # type: ignore[return-value]

    def items(self) -> Iterable[Item]:
        """Each entry of the index."""
        raise NotImplementedError

    def generate(self, docnames: Iterable[str] | None = None):
        self._mentions = None  # the records may have changed since the last call
        labels = {letter.docname: letter_label(letter) for letter in self.almanach.letters()}
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        for item in sorted(self.items(), key=lambda item: (item.key, item.id)):
            places = [p for p in item.places if p.docname in labels and p.anchor]
            entries = content[item.letter]
            entries.append(
                IndexEntry(item.shown, 1 if places else 0, item.docname, item.anchor, "", "", "")
            )
            seen = set()
            for place in places:
                if (place.docname, place.anchor) in seen:
                    continue
                seen.add((place.docname, place.anchor))
                name = labels[place.docname]
                if place.section and place.section != name:
                    name = f"{name}, {place.section}"
                entries.append(IndexEntry(name, 2, place.docname, place.anchor, "", "", ""))
        return sorted(content.items(), key=lambda item: letter_key(item[0])), True

    def registry_items(
        self,
        kind: str,
        registry: str,
        places_of: Callable[[str], list[Place]],
        *,
        people: bool = False,
    ) -> Iterator[Item]:
        """The registry's entries that have a page or section, with their places:
        ``places_of`` (updates, quotations…) and the mentions; ``people``: the
        entries are people, sorted by family name."""
        domain = self.almanach
        for entry in domain.registry[registry].values():
            target = domain.target(kind, entry.id)
            if target is None:
                continue
            places = places_of(entry.id) + self.mention_places(kind, entry.id)
            places.sort(key=lambda p: (p.docname, p.order))
            name = entry_name(entry) if people else None
            yield Item(entry.id, entry.label, target[0], target[1], places, name)

    def mention_places(self, kind: str, target: str) -> list[Place]:
        """The places that mention one entry (the mentions are grouped once per index)."""
        if getattr(self, "_mentions", None) is None:
            grouped: dict[tuple[str, str], list[Place]] = defaultdict(list)
            for mention in self.almanach.records("mentions"):
                grouped[mention.kind, mention.target].append(mention.place)
            self._mentions = grouped
        return list(self._mentions.get((kind, target), ()))


class TerritoryIndex(PlacesIndex):
    name = "territoires"
    localname = _("Index des territoires")
    shortname = _("territoires")
    intro = _(
        "Les territoires dont parlent les lettres, avec chaque lettre et chaque rubrique "
        "où il en est question."
    )

    def items(self):
        updates = self.almanach.records("updates")
        return self.registry_items(
            "territory",
            "territories",
            lambda territory: [u.place for u in updates if u.territory == territory],
        )


class PersonIndex(PlacesIndex):
    name = "personnes"
    localname = _("Index des personnes")
    shortname = _("personnes")
    intro = _(
        "Les personnes citées par les lettres, dans l’ordre alphabétique des noms de "
        "famille, avec chaque lettre et chaque rubrique où elles apparaissent."
    )

    def items(self):
        updates = self.almanach.records("updates")
        quotes = self.almanach.records("quotes")
        return self.registry_items(
            "person",
            "people",
            lambda person: (
                [u.place for u in updates if person in u.speakers]
                + [q.place for q in quotes if q.speaker == person]
            ),
            people=True,
        )


class ResourceIndex(PlacesIndex):
    name = "ressources"
    localname = _("Index des ressources")
    shortname = _("ressources")
    intro = _(
        "Les ressources partagées par les lettres, par titre, avec les lettres qui les citent."
    )

    def items(self):
        domain = self.almanach
        letters = {letter.docname for letter in domain.letters()}
        for resource in domain.records("resources"):
            if resource.place.docname not in letters:
                continue
            places = self.mention_places("resource", resource.id)
            yield Item(
                resource.id, resource.title, resource.place.docname, resource.place.anchor, places
            )


# -- the HTML pages ------------------------------------------------------------------------


def grouped(entries: list[IndexEntry]) -> list[tuple[IndexEntry, list[IndexEntry]]]:
    """Each main entry of a letter's group with its places (its sub-entries)."""
    result: list[tuple[IndexEntry, list[IndexEntry]]] = []
    for entry in entries:
        if entry[1] == 2 and result:
            result[-1][1].append(entry)
        else:
            result.append((entry, []))
    return result


def same_label(places: list[IndexEntry]) -> list[list[IndexEntry]]:
    """The places grouped by label (one letter's rubrique), in their order."""
    groups: dict[str, list[IndexEntry]] = {}
    for place in places:
        groups.setdefault(place[0], []).append(place)
    return list(groups.values())


def heading_id(letter: str) -> str:
    """The id of a letter's heading: « cap-A », « cap-autres » for « # »."""
    return f"cap-{escape(letter)}" if letter.isalnum() else "cap-autres"


def index_body(context: dict, intro: str = "") -> str:
    """The body of one of almanach's index pages, a reader's index: the title,
    ``intro``, the letters to jump to, then under each letter its entries, each
    a link to its page followed by the links to its places in the letters.
    Every label is escaped (the registries' names are untrusted text)."""
    pathto = context["pathto"]
    content = context["content"]
    pages: dict[str, str] = {}

    def link(entry: IndexEntry, css: str, text: str = "", named: str = "") -> str:
        """A link to ``entry``'s place, showing its name or ``text`` (markup),
        with ``named`` as its accessible name."""
        name, _subtype, page, anchor = entry[:4]
        shown = text or escape(name)
        if not page:
            return f'<span class="{css}">{shown}</span>'
        href = pages.get(page)
        if href is None:
            href = pages[page] = str(escape(pathto(page)))
        target = f"{href}#{escape(anchor)}" if anchor else href
        aria = f' aria-label="{escape(named)}"' if named else ""
        return f'<a class="{css}" href="{target}"{aria}>{shown}</a>'

    out = [f"\n<h1>{escape(context['indextitle'])}</h1>\n"]
    if intro:
        out.append(f'<p class="almanach-index-intro">{escape(intro)}</p>\n')
    if content:
        label = escape(_("Lettres de l’index"))
        out.append(f'<nav class="almanach-index-letters" aria-label="{label}">\n<ul>')
        for letter, _entries in content:
            out.append(f'<li><a href="#{heading_id(letter)}">{escape(letter)}</a></li>')
        out.append("</ul>\n</nav>\n")
    for letter, entries in content:
        out.append(
            f'<section class="almanach-index-group" aria-labelledby="{heading_id(letter)}">\n'
            f'<h2 id="{heading_id(letter)}">{escape(letter)}</h2>\n'
            '<ul class="almanach-index-entries">'
        )
        for entry, places in grouped(entries):
            out.append('\n<li class="almanach-index-entry">')
            out.append(link(entry, "almanach-index-name"))
            if entry[4]:
                out.append(f' <span class="almanach-index-extra">({escape(entry[4])})</span>')
            if places:
                out.append('\n<ul class="almanach-index-places">')
                for first, *again in same_label(places):
                    out.append(f"<li>{link(first, 'almanach-index-place')}")
                    for number, place in enumerate(again, start=2):
                        # Another place of the same letter and rubrique: its rank,
                        # named in full (the visible words included) for a screen reader.
                        named = _("%(place)s, %(number)de passage") % {
                            "place": place[0],
                            "number": number,
                        }
                        text = _("%(number)d<sup>e</sup> passage") % {"number": number}
                        again_link = link(place, "almanach-index-place", text, named)
                        out.append(f' <span class="almanach-index-again">· {again_link}</span>')
                    out.append("</li>")
                out.append("</ul>")
            out.append("</li>")
        out.append("\n</ul>\n</section>\n")
    return "".join(out)


def prerender_index(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the body of almanach's indices, for our
    ``domainindex.html`` (which falls back on the theme's when it is absent)."""
    if templatename != "domainindex.html" or pagename not in INDEX_PAGES:
        return
    if "content" not in context or "pathto" not in context:
        return
    context["almanach_index_body"] = Markup(index_body(context, str(INDEX_PAGES[pagename].intro)))


def setup_indices(app: Sphinx) -> None:
    for index in (TerritoryIndex, PersonIndex, ResourceIndex):
        app.add_index_to_domain("almanach", index)
    app.connect("html-page-context", prerender_index)


#: The pages of almanach's indices, and their index.
INDEX_PAGES: dict[str, type[PlacesIndex]] = {
    f"almanach-{index.name}": index for index in (TerritoryIndex, PersonIndex, ResourceIndex)
}
