"""Registry entries proposed for the people, territories and organisations that
a letter names but no registry knows.

Contract: :func:`propose` reads the lines of an imported letter and returns one
:class:`Proposal` per unknown entity, at the first line that names it, with an
id that no registry entry nor other proposal has, and the fields the sentence
says (a person's role, organisation and territory; a territory's kind and
department; an organisation's description). It is conservative: a proposal
needs a cue — a role after a name (« Prénom Nom, rôle »), a speaker line, a
word that says what a name is (« l’association X », « la ville de X »,
« X Agglomération », « X (69) »…) or an acronym in capitals. Common words,
rubrique titles, the programme's own name and capitals that only start a
sentence are never proposed.

:func:`registry_patch` writes the proposals as a unified diff that ``git apply``
applies to the registries; :func:`apply_proposals` appends them to the files.
Both write each registry's own YAML style and never replace an entry: the
proposals are for an editor to check, never silently written into the
registries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...config import AlmanachConfig
from ...model.registry import Registry
from ...model.schemas import SCHEMAS
from .inline import NameIndex
from .name_cues import (
    UP,
    find_acronyms,
    find_organisations,
    find_publishers,
    find_territories,
    key_of,
    sentence_around,
    slug,
)
from .people import LinePeople
from .registry_entries import (
    PROPOSED,
    Proposal,
    ProposalError,
    apply_proposals,
    entries_text,
    registry_files,
    registry_patch,
)

# -- the proposer --------------------------------------------------------------------


@dataclass
class Entity:
    """A person, territory or organisation of the letter: known (a registry's
    entry) or proposed, with the fields the letter gives it."""

    registry: str
    id: str
    name: str
    line: int
    sentence: str
    fields: dict[str, str] = field(default_factory=dict)
    proposed: bool = True


@dataclass(frozen=True)
class Span:
    """Where a line names an entity."""

    start: int
    end: int
    entity: Entity


class Proposer:
    """The entities of one letter: those the registries know, those proposed,
    and where each line names them."""

    def __init__(self, registry: Registry, programme: str) -> None:
        self.index = NameIndex(registry)
        self.registry = registry
        self.entities: dict[str, Entity] = {}  # name key -> entity
        self.spans: dict[int, list[Span]] = {}
        self.taken = {
            name: set(registry[name]) | set(registry.rejected.get(name, {})) for name in PROPOSED
        }
        self.excluded = {key_of(programme)} | {
            key_of(str(entry.get("title", "")).rstrip("…. "))
            for entry in registry.rubriques.values()
        }

    # known and proposed entities

    def known(self, name: str) -> Entity | None:
        """The registry entry called ``name`` (case and accents aside), if any."""
        found = self.index.names.get(key_of(name))
        if found is None:
            return None
        registry = {"person": "people", "territory": "territories"}.get(found.kind, "organisations")
        return Entity(registry, found.id, found.label, 0, "", proposed=False)

    def add(
        self,
        registry: str,
        name: str,
        line: int,
        text: str,
        span: tuple[int, int],
        fields: dict[str, str] | None = None,
    ) -> Entity | None:
        """The entity called ``name``: a known or already proposed one, or a new
        proposal of ``registry``; None for a name never proposed. The span of
        the line is noted as naming it."""
        name = " ".join(name.split()).strip(" ,;:.–-")
        key = key_of(name)
        if not key or key in self.excluded or not re.match(rf"[{UP}0-9]", name):
            return None
        entity = self.known(name) or self.entities.get(key)
        if entity is None and registry == "organisations":
            entity = self._alias(key)
        if entity is None:
            base = slug(name, elided=registry == "people")
            if not base:
                return None
            entity_id, suffix = base, 1
            while entity_id in self.taken[registry]:
                suffix += 1
                entity_id = f"{base}-{suffix}"
            self.taken[registry].add(entity_id)
            entity = Entity(
                registry, entity_id, name, line, sentence_around(text, *span), dict(fields or {})
            )
            self.entities[key] = entity
        self.spans.setdefault(line, []).append(Span(*span, entity))
        return entity

    def _alias(self, key: str) -> Entity | None:
        """The organisation whose name holds ``key``'s words in a row (« la
        Fabrique des transitions » for « Association de Promotion de la Fabrique
        des Transitions », « GIEC » for « GIEC du comportement »)."""
        wanted = f" {key} "
        for name in self.index.names.values():
            if name.kind == "organisation" and wanted in f" {key_of(name.label)} ":
                return self.known(name.label)
        for other_key, entity in self.entities.items():
            if entity.registry == "organisations" and wanted in f" {other_key} ":
                return entity
        return None

    def claimed(self, line: int, start: int, end: int) -> Span | None:
        """The span of ``line`` already naming an entity that overlaps ``start:end``."""
        return next((s for s in self.spans.get(line, ()) if s.start < end and start < s.end), None)

    def within(self, line: int, start: int, end: int, registry: str) -> list[Entity]:
        """The entities of ``registry`` named inside ``start:end`` of ``line``,
        known ones included, in the order of the text."""
        spans = [
            s
            for s in self.spans.get(line, ())
            if s.entity.registry == registry and start <= s.start and s.end <= end
        ]
        return [s.entity for s in sorted(spans, key=lambda s: s.start)]

    def proposals(self) -> list[Proposal]:
        """The proposed entities: people, territories, organisations, each by line."""
        entities = [e for e in self.entities.values() if e.proposed]
        order = {name: rank for rank, name in enumerate(PROPOSED)}
        entities.sort(key=lambda e: (order[e.registry], e.line))
        return [
            Proposal(e.registry, e.id, e.name, _ordered(e), e.line, e.sentence) for e in entities
        ]


def _ordered(entity: Entity) -> tuple[tuple[str, str], ...]:
    """An entity's fields in its schema's order, without its name."""
    schema = SCHEMAS[entity.registry]
    return tuple(
        (spec.name, entity.fields[spec.name])
        for spec in schema.fields
        if spec.name != "name" and entity.fields.get(spec.name)
    )


def propose(
    lines: Iterable[tuple[int, str]],
    registry: Registry,
    *,
    programme: str = AlmanachConfig.programme,
) -> list[Proposal]:
    """The registry entries to propose for what the letter's ``lines`` (line
    number, text) name and ``registry`` does not know: people, then
    territories, then organisations, each at the first line that names it.
    ``programme``: the programme's own name, never proposed."""
    lines = [(number, text) for number, text in lines if text.strip()]
    proposer = Proposer(registry, programme)
    for number, text in lines:
        for found in proposer.index.find(text):
            entity = proposer.known(found.name.label)
            if entity is not None:
                proposer.spans.setdefault(number, []).append(Span(found.start, found.end, entity))
    for number, text in lines:
        for start, end, name, fields in find_territories(text):
            if not proposer.claimed(number, start, end):
                proposer.add(
                    "territories", name, number, text, (start, end), {**fields, "pilot": "false"}
                )
        for start, end, name, fields in (*find_organisations(text), *find_publishers(text)):
            if not proposer.claimed(number, start, end):
                proposer.add("organisations", name, number, text, (start, end), fields)
    for number, text in lines:
        LinePeople(proposer, number, text).propose()
    for number, text in lines:
        for start, end, name in find_acronyms(text):
            if not proposer.claimed(number, start, end):
                proposer.add("organisations", name, number, text, (start, end))
    _organisations_from_emails(proposer)
    return proposer.proposals()


def _organisations_from_emails(proposer: Proposer) -> None:
    """A proposed person's organisation from their address's domain, when an
    organisation's id or name gives it (« lea@territoires-audacieux.fr »)."""
    organisations = {entry.id: entry.id for entry in proposer.registry.organisations.values()}
    organisations.update(
        {
            slug(entry.label, elided=False): entry.id
            for entry in proposer.registry.organisations.values()
        }
    )
    for entity in proposer.entities.values():
        if entity.registry == "organisations" and entity.proposed:
            organisations.setdefault(entity.id, entity.id)
            organisations.setdefault(slug(entity.name, elided=False), entity.id)
    for entity in proposer.entities.values():
        email = entity.fields.get("email", "")
        if entity.registry == "people" and email and "organisation" not in entity.fields:
            domain = email.rsplit("@", 1)[-1].rsplit(".", 1)[0].rsplit(".", 1)[-1]
            if domain in organisations:
                entity.fields["organisation"] = organisations[domain]


__all__ = [
    "PROPOSED",
    "Proposal",
    "ProposalError",
    "apply_proposals",
    "entries_text",
    "propose",
    "registry_files",
    "registry_patch",
]
