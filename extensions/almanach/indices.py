"""Domain indices: territories, people and resources, with every place in the
letters where each appears. They become pages of the site and indices at the
end of the PDF (``latex_domain_indices``)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from sphinx.domains import Index, IndexEntry
from sphinx.locale import _

from .letters import letter_label

if TYPE_CHECKING:
    from .domain import AlmanachDomain
    from .records import Place


def initial(label: str) -> str:
    base = unicodedata.normalize("NFD", label)
    letters = [char for char in base if char.isalnum()]
    return letters[0].upper() if letters else "#"


class PlacesIndex(Index):
    """Entries with a main target and one sub-entry per place in the letters."""

    kind = ""

    @property
    def almanach(self) -> AlmanachDomain:
        return self.domain  # type: ignore[return-value]

    def items(self) -> Iterable[tuple[str, str, str, str, list[Place]]]:
        """(id, label, docname, anchor, places) for each entry of the index."""
        raise NotImplementedError

    def generate(self, docnames: Iterable[str] | None = None):
        self._mentions = None  # the records may have changed since the last call
        letters = {letter.docname: letter for letter in self.almanach.letters()}
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        for _id, label, docname, anchor, places in sorted(
            self.items(), key=lambda item: _sort_key(item[1])
        ):
            places = [p for p in places if p.docname in letters and p.anchor]
            entries = content[initial(label)]
            entries.append(IndexEntry(label, 1 if places else 0, docname, anchor, "", "", ""))
            seen = set()
            for place in places:
                if (place.docname, place.anchor) in seen:
                    continue
                seen.add((place.docname, place.anchor))
                name = letter_label(letters[place.docname])
                if place.section and place.section != name:
                    name = f"{name}, {place.section}"
                entries.append(IndexEntry(name, 2, place.docname, place.anchor, "", "", ""))
        return sorted(content.items(), key=lambda item: _sort_key(item[0])), True

    def registry_items(
        self, kind: str, registry: str, places_of: Callable[[str], list[Place]]
    ) -> Iterator[tuple[str, str, str, str, list[Place]]]:
        """The registry's entries that have a page or section, with their places:
        ``places_of`` (updates, quotations…) and the mentions."""
        domain = self.almanach
        for entry in domain.registry[registry].values():
            target = domain.target(kind, entry.id)
            if target is None:
                continue
            places = places_of(entry.id) + self.mention_places(kind, entry.id)
            places.sort(key=lambda p: (p.docname, p.order))
            yield entry.id, entry.label, target[0], target[1], places

    def mention_places(self, kind: str, target: str) -> list[Place]:
        """The places that mention one entry (the mentions are grouped once per index)."""
        if getattr(self, "_mentions", None) is None:
            grouped: dict[tuple[str, str], list[Place]] = defaultdict(list)
            for mention in self.almanach.records("mentions"):
                grouped[mention.kind, mention.target].append(mention.place)
            self._mentions = grouped
        return list(self._mentions.get((kind, target), ()))


def _sort_key(label: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", label.lower()) if char.isalnum())


class TerritoryIndex(PlacesIndex):
    name = "territoires"
    localname = _("Index des territoires")
    shortname = _("territoires")

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
        )


class ResourceIndex(PlacesIndex):
    name = "ressources"
    localname = _("Index des ressources")
    shortname = _("ressources")

    def items(self):
        domain = self.almanach
        letters = {letter.docname for letter in domain.letters()}
        for resource in domain.records("resources"):
            if resource.place.docname not in letters:
                continue
            places = self.mention_places("resource", resource.id)
            yield (
                resource.id,
                resource.title,
                resource.place.docname,
                resource.place.anchor,
                places,
            )
