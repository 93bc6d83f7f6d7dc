"""What the domain collects from the letters: one record type per content type.

Records are plain, picklable data, keyed by the document that defines them.
Bump ``AlmanachDomain.data_version`` when a record's shape changes.

Each record of a letter carries its ``digest`` (set by
:func:`almanach.domain.digests.document_digest` when the letter is read): a pair of digests
of what a view can show of it, without and with its body — see
:mod:`almanach.domain.selection`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes

#: The digest pair of a record not digested yet.
NO_DIGEST = ("", "")


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
    body: list[nodes.Node] = field(default_factory=list)
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)


@dataclass(slots=True)
class Quotation:
    place: Place
    speaker: str
    source: str
    context: str
    territory: str  # the territory it is about: enclosing update's, or speaker's
    body: list[nodes.Node] = field(default_factory=list)
    digest: tuple[str, str] = field(default=NO_DIGEST, compare=False, repr=False)


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
