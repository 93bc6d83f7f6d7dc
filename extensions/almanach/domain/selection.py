"""What each gathered view shows, as queries over the letters' records — and so
what each gathering page depends on.

A view (:class:`almanach.gathered.view.View`) reads records only through
:class:`Selection`, with the queries it declares, plus the queries that
:func:`follow` derives from the records it shows (a quotation's source, a
resource's citations, a rubrique's contents). :func:`page_key` evaluates the
same queries before writing: a gathering page is written again only when the
digests of what its views would show changed — editing one territory's news
rewrites that territory's page, not every page that gathers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import records

if TYPE_CHECKING:
    from .domain import AlmanachDomain


@dataclass(frozen=True)
class Query:
    """The records of one kind whose ``by`` field holds ``value`` (``by="all"``:
    every record of the kind), in date order; ``body``: the view shows their
    bodies, so it depends on them."""

    kind: str  # letters, updates, quotes, resources, mentions, rubriques
    by: str = "all"
    value: Any = None
    body: bool = False
    follow: bool = True  # the view also shows what :func:`follow` finds


#: How each indexed field is read from a record (a field may hold several values).
FIELDS: dict[str, Callable[[Any], Iterable[Any]]] = {
    "territory": lambda r: (r.territory,),
    "speakers": lambda r: r.speakers,
    "speaker": lambda r: (r.speaker,),
    "publisher": lambda r: (r.publisher,),
    "rubrique": lambda r: (r.rubrique,),
    "mention": lambda r: ((r.kind, r.target),),
    "section": lambda r: ((r.place.docname, r.place.section),),
}


def mentions_of(kind: str, target: str) -> Query:
    return Query("mentions", "mention", (kind, target))


def in_section(kind: str, place: records.Place) -> Query:
    return Query(kind, "section", (place.docname, place.section))


def follow(record: Any) -> tuple[Query, ...]:
    """The queries a view makes about a record it shows."""
    if isinstance(record, records.ResourceLink):  # where else it is cited
        return (mentions_of("resource", record.id),)
    if isinstance(record, records.RubriqueSection):  # its news and resources
        return (in_section("updates", record.place), in_section("resources", record.place))
    return ()


class Selection:
    """The letters' records, indexed for the views' queries: one for the records
    as they are (:func:`selection_of`), shared by every page."""

    def __init__(self, domain: AlmanachDomain) -> None:
        self.domain = domain
        self.letters = {letter.docname: letter for letter in domain.letters()}
        self._sorted: dict[str, list[Any]] = {}
        self._indexes: dict[tuple[str, str], dict[Any, list[Any]]] = {}
        self._targets: str | None = None

    def records(self, kind: str) -> list[Any]:
        """The letters' records of one kind (``letters``: the letters
        themselves), in date order."""
        if kind not in self._sorted:
            if kind == "letters":
                self._sorted[kind] = list(self.letters.values())
            else:
                self._sorted[kind] = [
                    r for r in self.domain.records(kind) if r.place.docname in self.letters
                ]
        return self._sorted[kind]

    def get(self, query: Query) -> list[Any]:
        if query.by == "all":
            return self.records(query.kind)
        key = (query.kind, query.by)
        if key not in self._indexes:
            index: dict[Any, list[Any]] = {}
            read = FIELDS[query.by]
            for record in self.records(query.kind):
                for value in read(record):
                    index.setdefault(value, []).append(record)
            self._indexes[key] = index
        return self._indexes[key].get(query.value, [])

    def resource(self, resource_id: str) -> records.ResourceLink | None:
        return self.domain.resource(resource_id)

    # -- dependencies ------------------------------------------------------------

    def page_key(
        self,
        placeholders: Iterable[tuple[str, str]],
        queries: Callable[[str, str], Iterable[Query]],
    ) -> str:
        """A digest of everything the views of one page show: ``queries(view,
        target)`` are the queries of a placeholder's view."""
        digest = hashlib.sha256(self.targets_digest().encode())  # where mentions link
        for letter in self.letters.values():  # every view names letters
            digest.update(repr(_letter_fields(letter)).encode())
        for view, target in placeholders:
            digest.update(f"\1{view}\0{target}".encode())
            for part in self._digests(queries(view, target)):
                digest.update(part.encode())
        return digest.hexdigest()

    def targets_digest(self) -> str:
        """Where each registry entry has its page or section (mentions link there)."""
        if self._targets is None:
            targets = sorted(
                (docname, key, anchor)
                for docname, per_doc in self.domain.data["targets"].items()
                for key, anchor in per_doc.items()
            )
            self._targets = hashlib.sha256(repr(targets).encode()).hexdigest()
        return self._targets

    def _digests(self, queries: Iterable[Query]) -> Iterator[str]:
        for query in queries:
            yield "\2"
            for record in self.get(query):
                if isinstance(record, records.Letter):  # its other fields are in every key
                    yield repr(record.summary)
                    continue
                yield record.digest[1 if query.body else 0]
                cited = list(self.cited(record)) if query.body else []
                if isinstance(record, records.Quotation) and record.source:
                    cited.append(record.source)  # a resource's title, or plain text
                for resource_id in cited:
                    resource = self.resource(resource_id)
                    yield resource.digest[0] if resource else "\3"
                if query.follow:
                    yield from self._digests(follow(record))

    def cited(self, record: Any) -> list[str]:
        """The resources a record's body mentions: their titles and addresses show."""
        return list(getattr(record, "cited", ()))


def _letter_fields(letter: records.Letter) -> tuple[str, int, str, str, str]:
    return (letter.docname, letter.number, letter.date, letter.title, letter.status)


def selection_of(domain: AlmanachDomain) -> Selection:
    """The selection of the domain's records as they are, shared by every page
    (built again once they changed: :meth:`AlmanachDomain.derived`)."""
    return domain.derived("selection", lambda: Selection(domain))
