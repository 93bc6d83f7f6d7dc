"""What the domain collects from the letters: one record type per content type.

Records are plain, picklable data, keyed by the document that defines them.
Bump ``AlmanachDomain.data_version`` when a record's shape changes.

Each record of a letter carries its ``digest`` (set by
:func:`almanach.domain.digests.document_digest` when the letter is read): a pair of digests
of what a view can show of it, without and with its body — see
:mod:`almanach.domain.selection`.

A territory update's or a quotation's body (the nodes a gathered page shows
again) is kept packed (:class:`PackedNodes`: pickled and compressed): the
environment holds every letter's records in every build, a no-op one included,
and nodes are some thirty times larger in memory than packed. Each reading of
``body`` unpacks a fresh copy.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes

#: The digest pair of a record not digested yet.
NO_DIGEST = ("", "")


class PackedNodes:
    """A list of nodes, pickled and compressed; iterating unpacks a fresh copy."""

    __slots__ = ("data",)

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    @classmethod
    def of(cls, body: Iterable[nodes.Node]) -> PackedNodes:
        body = list(body)
        return cls(zlib.compress(pickle.dumps(body, protocol=5), 1) if body else b"")

    def nodes(self) -> list[nodes.Node]:
        return pickle.loads(zlib.decompress(self.data)) if self.data else []

    def __iter__(self) -> Iterator[nodes.Node]:
        return iter(self.nodes())

    def __bool__(self) -> bool:
        return bool(self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackedNodes) and other.data == self.data

    def __hash__(self) -> int:
        return hash(self.data)

    def __getstate__(self) -> bytes:
        return self.data

    def __setstate__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"PackedNodes({len(self.data)} bytes)"


def cited_resources(body: Iterable[nodes.Node]) -> tuple[str, ...]:
    """The resources a body mentions (their titles and addresses show where it
    is gathered), in order."""
    return tuple(
        xref["reftarget"]
        for node in body
        if isinstance(node, nodes.Element)
        for xref in node.findall(addnodes.pending_xref)
        if xref.get("refdomain") == "almanach" and xref.get("reftype") == "resource"
    )


def _pack_body(record: TerritoryUpdate | Quotation) -> None:
    """A record's body given as nodes, packed; the resources it cites noted."""
    if not isinstance(record.body, PackedNodes):
        body = list(record.body)
        record.cited = cited_resources(body)
        record.body = PackedNodes.of(body)


@dataclass(slots=True)
class Place:
    """Where something stands in a letter: the document, the anchor, the line."""

    docname: str
    anchor: str
    line: int
    order: int  # position in its document, for a stable date-then-position sort
    section: str = ""  # title of the enclosing section (rubrique), as shown


@dataclass(slots=True)
class Letter:
    docname: str
    number: int
    date: str  # YYYY-MM
    title: str
    status: str
    line: int = 1  # of its number, in its front matter
    summary: str = ""  # the front matter's summary, else the letter's first words

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.date, self.number, self.docname)


@dataclass(slots=True)
class TerritoryUpdate:
    place: Place
    territory: str
    speakers: tuple[str, ...]
    question: str
    body: PackedNodes | list[nodes.Node] = field(default_factory=PackedNodes)
    cited: tuple[str, ...] = ()  # the resources its body mentions (set from the body)
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)

    def __post_init__(self) -> None:
        _pack_body(self)


@dataclass(slots=True)
class Quotation:
    place: Place
    speaker: str
    source: str
    context: str
    territory: str  # the territory it is about: enclosing update's, or speaker's
    body: PackedNodes | list[nodes.Node] = field(default_factory=PackedNodes)
    cited: tuple[str, ...] = ()  # the resources its body mentions (set from the body)
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)

    def __post_init__(self) -> None:
        _pack_body(self)


@dataclass(slots=True)
class ResourceLink:
    place: Place
    id: str
    title: str
    url: str
    pending: bool
    kind: str
    publisher: str
    bibkey: str
    description: str
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)


@dataclass(slots=True)
class Mention:
    """An inline mention (role) of a registry entry or a resource."""

    place: Place
    kind: str  # territory, person, organisation, resource, event
    target: str
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)


@dataclass(slots=True)
class RubriqueSection:
    place: Place
    rubrique: str
    title: str
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)
