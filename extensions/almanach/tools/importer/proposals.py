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

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ...config import AlmanachConfig
from ...model.registry import Registry
from ...model.schemas import SCHEMAS
from .departments import COMPOUND_NAMES, DEPARTMENTS, NUMBER, department_label, department_number
from .inline import NameIndex, fold, name_key, unknown_people

#: The registries a letter's names go to, in the order proposals are listed.
PROPOSED = ("people", "territories", "organisations")


class ProposalError(Exception):
    """Proposals that cannot be written: a French message for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Proposal:
    """One registry entry to propose: its registry, id, name and other fields
    (as the registry file writes them), and where the letter names it."""

    registry: str  # people | territories | organisations
    id: str
    name: str
    fields: tuple[tuple[str, str], ...]
    line: int
    sentence: str

    def get(self, name: str, default: str = "") -> str:
        return dict(self.fields).get(name, default)


def registry_files(registries: Path) -> dict[str, Path]:
    """The files of the proposed registries in the registries' folder
    (``Project(root).registries``)."""
    return {name: registries / SCHEMAS[name].filename for name in PROPOSED}


# -- words ----------------------------------------------------------------------------

_UP, _LOW = "A-ZÀ-ÖØ-ÞŒ", "a-zß-öø-ÿœ"
_CAP = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)*"
_APOSTROPHE = "[’']"
#: A word of a proper name: capitalised, or an acronym, or « Colab.Studio ».
_PROPER = rf"[{_UP}](?:[\w&]|[.-](?=\w))*"
#: A person's name: given name(s) and family name, a lower-case particle only
#: after a single given name (« Sandro de Gasparo », « Aude Van Haeringen »).
_PERSON = (
    rf"{_CAP}(?:\s(?:de|du|des|van|von|der|le|la)\s{_CAP}|\sd{_APOSTROPHE}{_CAP}"
    rf"|(?:\s{_CAP}){{1,2}})"
)
_PERSON_RE = re.compile(rf"(?<![\w’'.-]){_PERSON}(?![\w’'-])")

#: The words a role starts with (folded; a compound « intervenant-chercheur »
#: by its first part), after « premier », « vice- »…
ROLE_HEADS = frozenset(
    """directeur directrice president presidente charge chargee chef cheffe maire adjoint
    adjointe delegue deleguee elu elue conseiller conseillere responsable coordinateur
    coordinatrice coordonnateur coordonnatrice fondateur fondatrice cofondateur cofondatrice
    facilitateur facilitatrice ergonome chercheur chercheuse enseignant enseignante intervenant
    intervenante consultant consultante animateur animatrice ingenieur ingenieure doctorant
    doctorante agent agente secretaire tresorier tresoriere dga dgs dgst dgas membre expert
    experte sociologue economiste philosophe journaliste auteur autrice professeur professeure
    geographe urbaniste architecte designer gerant gerante associe associee manager
    administrateur administratrice benevole militant militante psychologue historien
    historienne juriste redacteur redactrice formateur formatrice co""".split()
)
_ROLE_PREFIXES = frozenset("premier premiere vice ancien ancienne co".split())
#: Roles held in a place: « première adjointe à Faverges », « maire de X ».
_PLACE_ROLES = frozenset(
    "maire adjoint adjointe elu elue conseiller conseillere dga dgs dgst dgas".split()
)
#: Verbs and words that end a role's apposition.
_CLAUSE_WORDS = frozenset(
    """est a ont sont etait etaient sera seront revient raconte explique souligne rappelle
    presente intervient temoigne nous vous il elle ils elles qui que dans pour puis on
    participe anime propose partage decrit detaille montre insiste""".split()
)
#: Verbs after which a bare name is someone speaking or acting.
_PERSON_VERBS = frozenset(
    """a est revient raconte explique souligne rappelle presente intervient temoigne
    insiste decrit detaille montre partage""".split()
)
#: Words that say what the name after them is, for organisations (folded) and
#: the description proposed for it.
_ORGANISATION_CUES = {
    "association": "association",
    "laboratoire": "laboratoire",
    "labo": "laboratoire",
    "institut": "institut",
    "cabinet": "cabinet",
    "agence": "agence",
    "media": "média",
    "collectif": "collectif",
    "fondation": "fondation",
    "cooperative": "coopérative",
    "federation": "fédération",
    "reseau": "réseau",
    "entreprise": "entreprise",
    "societe": "société",
}
#: Lower-case words that may end an organisation's name (« Quadrant conseil »).
_ORGANISATION_TAILS = frozenset("conseil conseils consultants consulting associes studio".split())
#: Acronyms that are roles, procedures or plans, not organisations.
_NOT_ORGANISATIONS = frozenset(
    """dga dgs dgst dgas drh daf dsi dg pvd crte ami aap appel copil cotech pat pcaet scot plu
    plui epci petr zae rse ess tpe pme eti etp cdi cdd faq pdf url ok tv rdv cr odd ges co2 eit
    enr btp qpv sig tepos tepcv zfe dsp rgpd cop pib hlm sru nb ps ue usa cifre mooc""".split()
)
#: Nouns before an acronym that make it a project, plan or law, not an organisation.
_NOT_ORGANISATION_BEFORE = frozenset(
    "projet programme dispositif plan demarche appel label loi contrat charte".split()
)
#: Common nouns that a sentence may capitalise before « en transition ».
_COMMON_NOUNS = frozenset(
    """territoires territoire villes ville communes commune collectivites citoyens
    entreprises ecoles quartiers""".split()
)
_CONNECTORS = frozenset("de du des la le les en pour sur aux".split())
_PLACE_CONNECTORS = _CONNECTORS | {"et", "sous"}
_SINGLE_PLACE = _CONNECTORS | {"sous"}


def _key(text: str) -> str:
    return name_key(fold(text))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _sentence_start(text: str, position: int) -> bool:
    """Whether ``position`` starts a sentence: nothing but bullets and emoji
    before it on the line, or the end of a sentence or an opening quotation."""
    before = text[:position].rstrip()
    if not re.search(r"\w", before):
        return True
    return before[-1] in '.!?…:«“"(' or before.endswith(("➡️", "👉"))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end``, at most about 200 characters."""
    begin = 0
    for match in re.finditer(r"[.!?…](?:\s|$)", text):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end:
            text = text[: match.end()]
            break
    sentence = text[begin:].strip()
    if len(sentence) > 200:
        sentence = sentence[:199].rstrip() + "…"
    return sentence


_PROPER_RE = re.compile(_PROPER)


@lru_cache(maxsize=8)
def _join(connectors: frozenset[str]) -> re.Pattern[str]:
    """What may join two words of a proper name: spaces, ``connectors`` and an
    elided article (« de l’ », « et des »)."""
    words = "|".join(sorted(connectors))
    return re.compile(
        rf"(?:\s+(?:{words})(?=\s))*(?:\s+[dl]{_APOSTROPHE}|\s+)(?=[{_UP}])"
        if words
        else rf"(?:\s+[dl]{_APOSTROPHE}|\s+)(?=[{_UP}])"
    )


def proper_run(
    text: str,
    start: int,
    connectors: frozenset[str] = _CONNECTORS,
    tails: frozenset[str] = frozenset(),
) -> int:
    """The end of the proper name that starts at ``start``: capitalised words
    joined by ``connectors`` (« Pôle Territorial de l’Albigeois et des
    Bastides »), and one lower-case word of ``tails`` at its end (« Quadrant
    conseil »); ``start`` when no capitalised word starts there."""
    match = _PROPER_RE.match(text, start)
    if not match:
        return start
    end = match.end()
    join = _join(connectors)
    while (gap := join.match(text, end)) and (word := _PROPER_RE.match(text, gap.end())):
        end = word.end()
    tail = re.compile(rf"\s+([{_LOW}]+)(?![\w’'-])").match(text, end)
    if tails and tail and fold(tail.group(1)) in tails:
        end = tail.end()
    return end


#: Words a capitalised run may start with at the start of a sentence, that are
#: not part of the name (« Avec Rodez Agglomération »).
_LEADING_WORDS = frozenset(
    "avec pour dans et chez selon a au aux en sur par de du des le la les l d ou mais".split()
)


def _trim_leading(text: str, start: int, end: int) -> int:
    """``start`` moved past the function words a run starts with."""
    while start < end:
        word = re.compile(r"(\w+)(?:[’']|\s+)").match(text, start)
        if not word or fold(word.group(1)) not in _LEADING_WORDS:
            return start
        start = word.end()
    return start


def slug(name: str, elided: bool = True) -> str:
    """An id from a name: ASCII, lower case, words joined by hyphens;
    ``elided``: keep « l’ » and « d’ » (for people's names)."""
    if not elided:
        name = re.sub(rf"(?<!\w)[dlDL]{_APOSTROPHE}", " ", name)
    words = re.findall(r"[a-z0-9]+", fold(name).encode("ascii", "ignore").decode())
    text = "-".join(words)
    while len(text) > 60 and "-" in text:
        text = text.rsplit("-", 1)[0]
    return text


# -- the proposer --------------------------------------------------------------------


@dataclass
class _Entity:
    registry: str
    id: str
    name: str
    line: int
    sentence: str
    fields: dict[str, str] = field(default_factory=dict)
    proposed: bool = True


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    entity: _Entity


@dataclass
class _Person:
    start: int
    end: int
    name: str
    role: str = ""
    role_span: tuple[int, int] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    organisation: _Entity | None = None
    #: Whether the letter gives the person a role (a line's one territory may be theirs).
    placed: bool = False


class _Proposer:
    """The entities of one letter: those the registries know, those proposed,
    and where each line names them."""

    def __init__(self, registry: Registry, programme: str) -> None:
        self.index = NameIndex(registry)
        self.registry = registry
        self.entities: dict[str, _Entity] = {}  # name key -> entity
        self.spans: dict[int, list[_Span]] = {}
        self.taken = {
            name: set(registry[name]) | set(registry.rejected.get(name, {})) for name in PROPOSED
        }
        self.excluded = {_key(programme)} | {
            _key(str(entry.get("title", "")).rstrip("…. ")) for entry in registry.rubriques.values()
        }

    # known and proposed entities

    def known(self, name: str) -> _Entity | None:
        """The registry entry called ``name`` (case and accents aside), if any."""
        found = self.index.names.get(_key(name))
        if found is None:
            return None
        registry = {"person": "people", "territory": "territories"}.get(found.kind, "organisations")
        return _Entity(registry, found.id, found.label, 0, "", proposed=False)

    def add(
        self,
        registry: str,
        name: str,
        line: int,
        text: str,
        span: tuple[int, int],
        fields: dict[str, str] | None = None,
    ) -> _Entity | None:
        """The entity called ``name``: a known or already proposed one, or a new
        proposal of ``registry``; None for a name never proposed. The span of
        the line is noted as naming it."""
        name = " ".join(name.split()).strip(" ,;:.–-")
        key = _key(name)
        if not key or key in self.excluded or not re.match(rf"[{_UP}0-9]", name):
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
            entity = _Entity(
                registry, entity_id, name, line, _sentence(text, *span), dict(fields or {})
            )
            self.entities[key] = entity
        self.spans.setdefault(line, []).append(_Span(*span, entity))
        return entity

    def _alias(self, key: str) -> _Entity | None:
        """The organisation whose name holds ``key``'s words in a row (« la
        Fabrique des transitions » for « Association de Promotion de la Fabrique
        des Transitions », « GIEC » for « GIEC du comportement »)."""
        wanted = f" {key} "
        for name in self.index.names.values():
            if name.kind == "organisation" and wanted in f" {_key(name.label)} ":
                return self.known(name.label)
        for other_key, entity in self.entities.items():
            if entity.registry == "organisations" and wanted in f" {other_key} ":
                return entity
        return None

    def claimed(self, line: int, start: int, end: int) -> _Span | None:
        """The span of ``line`` already naming an entity that overlaps ``start:end``."""
        return next((s for s in self.spans.get(line, ()) if s.start < end and start < s.end), None)

    def within(self, line: int, start: int, end: int, registry: str) -> list[_Entity]:
        """The entities of ``registry`` named inside ``start:end`` of ``line``,
        known ones included, in the order of the text."""
        spans = [
            s
            for s in self.spans.get(line, ())
            if s.entity.registry == registry and start <= s.start and s.end <= end
        ]
        return [s.entity for s in sorted(spans, key=lambda s: s.start)]

    def proposals(self) -> list[Proposal]:
        entities = [e for e in self.entities.values() if e.proposed]
        order = {name: rank for rank, name in enumerate(PROPOSED)}
        entities.sort(key=lambda e: (order[e.registry], e.line))
        return [
            Proposal(e.registry, e.id, e.name, _ordered(e), e.line, e.sentence) for e in entities
        ]


def _ordered(entity: _Entity) -> tuple[tuple[str, str], ...]:
    """An entity's fields in its schema's order, without its name."""
    schema = SCHEMAS[entity.registry]
    return tuple(
        (spec.name, entity.fields[spec.name])
        for spec in schema.fields
        if spec.name != "name" and entity.fields.get(spec.name)
    )


# -- territories -------------------------------------------------------------------------

_KIND_CUES = (
    # (pattern of the cue before the name, kind, whether the cue is part of the name)
    (r"(?i:ville|commune)\s+(?:de\s+|d[’'])", "commune", False),
    (
        r"(?i:communauté)\s+de\s+communes\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])?",
        "communauté de communes",
        True,
    ),
    (
        r"(?i:communauté)\s+d[’']agglomération\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])?",
        "agglomération",
        True,
    ),
    (r"Métropole\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])", "métropole", True),
    (r"Pays\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])", "PETR/pays", True),
    (r"Pôle\s+[Tt]erritorial\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])", "PETR/pays", True),
    (r"PETR\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])?", "PETR/pays", True),
    (r"(?i:département)\s+(?:(?:de|du|des)\s+|d[’']|de\s+la\s+|de\s+l[’'])", "département", False),
)
_KIND_CUE_RE = [
    (re.compile(rf"(?<!\w){cue}(?=[{_UP}])"), kind, named) for cue, kind, named in _KIND_CUES
]
_SUFFIX_CUE = re.compile(r"(?<!\w)(Agglomération|Agglo|Métropole)(?!\w)")
_SUFFIX_KINDS = {
    "Agglomération": "agglomération",
    "Agglo": "agglomération",
    "Métropole": "métropole",
}
_DEPARTMENT_NUMBER = re.compile(rf"\s*\(({NUMBER})\)")
_IN_TRANSITION = re.compile(rf"^({_PROPER})\s+en\s+[Tt]ransitions?$")
_PLACE_ROLE = re.compile(
    r"(?<!\w)(?i:maire|adjointe?(?:\s+au\s+maire)?|élue?|conseill(?:er|ère)\s+municipale?)"
    rf"\s+(?:à\s+|de\s+|d[’'])(?=[{_UP}])"
)
_COMPOUND_DEPARTMENT = re.compile(
    r"(?<![\w’'-])(?:"
    + "|".join(re.escape(n).replace("’", "[’']").replace(r"\-", "[-\\s]") for n in COMPOUND_NAMES)
    + rf")(?![\w-])(?!\s+[{_UP}])"
)


def _territories(text: str) -> Iterator[tuple[int, int, str, dict[str, str]]]:
    """The territories a line names with a cue: (start, end, name, fields)."""
    place = _PLACE_CONNECTORS
    for pattern, kind, named in _KIND_CUE_RE:
        # « et » joins a name's words after a cue that is part of the name only
        # (« Pôle Territorial de l’Albigeois et des Bastides »), not after « la
        # ville de » (« la ville de Lille et Camille Exemple »).
        for match in pattern.finditer(text):
            end = proper_run(text, match.end(), place if named else _SINGLE_PLACE)
            start = match.start() if named else match.end()
            name = text[start:end]
            fields = {"kind": kind}
            if kind == "département":
                number = department_number(name, _key)
                if number is None:
                    continue
                fields["departement"] = department_label(number)
            yield start, end, name[:1].upper() + name[1:], fields
    for match in _SUFFIX_CUE.finditer(text):
        start = _run_before(text, match.start())
        if start is not None:
            yield (
                start,
                match.end(),
                text[start : match.end()],
                {"kind": _SUFFIX_KINDS[match.group(1)]},
            )
    for start, end in _runs(text, place):
        number = _DEPARTMENT_NUMBER.match(text, end)
        if number:
            name = text[start:end]
            if _key(name) == _key(DEPARTMENTS[number.group(1)]):
                kind = "département"
            else:
                kind = "commune"
            yield start, end, name, {"kind": kind, "departement": department_label(number.group(1))}
        elif transition := _IN_TRANSITION.match(text[start:end]):
            # « Lomme en Transitions »: a town's transition programme
            end = start + len(transition.group(1))
            name = text[start:end]
            if not _sentence_start(text, start) and fold(name) not in _COMMON_NOUNS:
                yield start, end, name, {"kind": "commune"}
    for match in _PLACE_ROLE.finditer(text):
        end = proper_run(text, match.end(), _SINGLE_PLACE)
        yield match.end(), end, text[match.end() : end], {"kind": "commune"}
    for match in _COMPOUND_DEPARTMENT.finditer(text):
        number = department_number(match.group(), _key)
        if number:
            yield (
                match.start(),
                match.end(),
                DEPARTMENTS[number],
                {
                    "kind": "département",
                    "departement": department_label(number),
                },
            )


def _runs(text: str, connectors: frozenset[str]) -> Iterator[tuple[int, int]]:
    """The capitalised runs of a line, the function words they start with left out."""
    position = 0
    for match in re.finditer(rf"(?<![\w’'.-])[{_UP}]", text):
        if match.start() < position:
            continue
        end = proper_run(text, match.start(), connectors)
        position = end
        start = _trim_leading(text, match.start(), end)
        if start < end:
            yield start, end


def _run_before(text: str, end: int) -> int | None:
    """The start of the capitalised words (up to three) that end just before ``end``."""
    start = None
    for _ in range(3):
        match = re.search(
            rf"(?<![\w’'.-])({_PROPER})\s+$", text[: start if start is not None else end]
        )
        if not match:
            break
        if fold(match.group(1)) in _LEADING_WORDS:
            break
        start = match.start(1)
    return start


# -- organisations ---------------------------------------------------------------------

_ORGANISATION_CUE = re.compile(
    r"(?<!\w)(?P<cue>(?i:association|laboratoire|labo|institut|cabinet|agence|média|collectif"
    r"|fondation|coopérative|fédération|réseau|entreprise|société))(?!\w)"
)
#: What comes before a cue word: an article (« l’association », « le cabinet »).
_CUE_ARTICLE = re.compile(
    rf"(?:(?<!\w)(?:la|le|au|du|un|une|son|sa|leur|notre|votre)\s+|(?<!\w)[lLdD]{_APOSTROPHE})$"
)
_ACRONYM = re.compile(rf"(?<![\w-])([{_UP}][{_UP}0-9]{{2,}})(?![\w-])")
_PUBLISHED = re.compile(
    r"(?<!\w)(?i:articles?|interviews?|tribunes?|rapports?|études?|dossiers?|podcasts?"
    rf"|émissions?|vidéos?|chroniques?)\s+(?:de\s+|du\s+|d[’'])(?=[{_UP}])"
)
_ROMAN = re.compile(r"^[IVXLCDM]+$")


def _organisations(text: str) -> Iterator[tuple[int, int, str, dict[str, str]]]:
    """The organisations a line names after a cue word: (start, end, name, fields)."""
    for match in _ORGANISATION_CUE.finditer(text):
        cue = match.group("cue")
        if not _CUE_ARTICLE.search(text[: match.start()]):
            continue
        if cue[0].isupper():  # « l’Association de Promotion de… »: the cue is part of the name
            end = proper_run(text, match.start("cue"), _CONNECTORS, _ORGANISATION_TAILS)
            if end > match.end("cue") + 1:
                yield match.start("cue"), end, text[match.start("cue") : end], {}
            continue
        after = re.compile(r"\s+").match(text, match.end())
        if after is None:
            continue
        end = proper_run(text, after.end(), _CONNECTORS, _ORGANISATION_TAILS)
        if end > after.end():
            description = _ORGANISATION_CUES[fold(cue)]
            yield after.end(), end, text[after.end() : end], {"description": description}


def _publishers(text: str) -> Iterator[tuple[int, int, str, dict[str, str]]]:
    """The publisher of an article, an interview… (« cet article de The
    Conversation »): one word, or a name that starts with an article; two
    capitalised words after « article de » are more likely its author."""
    for match in _PUBLISHED.finditer(text):
        end = proper_run(text, match.end(), _CONNECTORS, _ORGANISATION_TAILS)
        name = text[match.end() : end]
        if name in ("The", "Le", "La", "Les"):
            following = re.compile(r"\s+[\w’'-]+").match(text, end)
            if following is None:
                continue
            end = (
                proper_run(text, following.end(), _CONNECTORS)
                if text[following.start() + 1 :][:1].isupper()
                else following.end()
            )
        elif " " in name:
            continue
        yield match.end(), end, text[match.end() : end], {}


def _acronyms(text: str) -> Iterator[tuple[int, int, str]]:
    """Acronyms in capitals that may be organisations (« L’ADEME »), but not
    roles, plans or projects (« DGS », « le projet PACT2 »), abbreviations of
    the name before them (« Petites Villes de Demain (PVD) ») or words of a
    line written in capitals."""
    for match in _ACRONYM.finditer(text):
        word = match.group(1)
        letters = sum(char.isalpha() for char in word)
        if letters < 3 or fold(word) in _NOT_ORGANISATIONS or _ROMAN.match(word):
            continue
        before = _words(text[: match.start()])
        if before and before[-1] in _NOT_ORGANISATION_BEFORE:
            continue
        if re.search(rf"[{_UP}][\w-]*\s*\($", text[: match.start()]):
            continue
        neighbours = re.findall(
            r"[^\W\d_]{2,}", text[max(0, match.start() - 30) : match.end() + 30]
        )
        if sum(w.isupper() for w in neighbours) > 2:
            continue
        yield match.start(1), match.end(1), word


# -- people -------------------------------------------------------------------------------

_NOT_NAME_BEFORE = frozenset(
    """le la les l un une des du au aux ce cet cette son sa ses leur leurs notre votre nos vos
    sur dans""".split()
)
_NOT_NAME_START = frozenset(
    """pour dans enfin ensemble puis et mais comme avec selon ainsi nous vous ils elles on les
    le la des un une ce cette si bonjour merci quels quel quelle quelles comment chaque tous
    toutes""".split()
)
#: Words a role's apposition cannot hold: a verb or a pronoun starts a new clause.
_CLAUSE = frozenset(
    """est a ont sont était étaient sera seront revient raconte explique souligne rappelle
    présente intervient témoigne nous vous il elle ils elles qui que puis on participe anime
    propose partage décrit détaille montre insiste""".split()
)
_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[A-Za-z]{2,}")
_MEMBERSHIP = re.compile(rf"^(?:de\s+l[’']|d[’']|de\s+la\s+|du\s+|des\s+|de\s+)(?=[{_UP}])")
_ROLE_ORGANISATION = re.compile(
    rf"(?<!\w)(?:de\s+l[’']|d[’']|de\s+la\s+|du\s+|des\s+|de\s+|au\s+|à\s+l[’'])(?=[{_UP}])"
)


def _role_head(role: str) -> bool:
    """Whether ``role`` starts as a role does: « directrice… », « DGA… »,
    « en thèse… », « de l’association X… »."""
    words = [w.split("-")[0] for w in re.findall(r"[\w-]+", fold(role))[:3]]
    while words and words[0] in _ROLE_PREFIXES:
        words = words[1:]
    if not words:
        return False
    if words[0] in ROLE_HEADS or (words[0] == "en" and words[1:2] in (["these"], ["charge"])):
        return True
    return bool(_MEMBERSHIP.match(role))


def _role_end(text: str, start: int, limit: int) -> int:
    """Where the apposition that starts at ``start`` (after « Prénom Nom, »)
    ends, at ``limit`` at the latest: at « : », « ( », « ; », the end of the
    sentence, a word that starts a new clause (a verb, a pronoun), or a comma
    that no other role follows."""
    ends = re.compile(r"\s*:(?:\s|$)|\s*[(;]|[.!?…](?:\s|$)").search(text, start, limit)
    if ends:
        limit = ends.start()
    position = start
    while True:
        comma = text.find(",", position, limit)
        segment_end = limit if comma < 0 else comma
        for word in re.finditer(r"[\w’'-]+", text[position:segment_end]):
            if word.group().lower() in _CLAUSE:
                return position + word.start()
        if comma < 0:
            return limit
        following = (
            comma + 1 + (len(text[comma + 1 : limit]) - len(text[comma + 1 : limit].lstrip()))
        )
        if not _role_head(text[following:limit]):
            return comma
        position = following


def _trim_role(role: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` of a role without the « et » or punctuation it ends with
    before the next name."""
    text = role[start:end]
    trimmed = re.sub(r"(?:\s+et|\s*[,–-])\s*$", "", text.rstrip())
    return start, start + len(trimmed)


def _names(text: str) -> Iterator[re.Match[str]]:
    """Every name-like run of capitalised words of a line, each start tried."""
    for word in re.finditer(rf"(?<![\w’'.-])[{_UP}]", text):
        match = re.compile(_PERSON + r"(?![\w’'-])").match(text, word.start())
        if match:
            yield match


_TESTIMONY = re.compile(r"(?<!\w)[Tt]émoignages?\s+(?:de\s+|d[’'])$")
_ROLE_BEFORE = re.compile(r"(?:^|[.!?…]\s+|^\W+)(?:La|Le|L[’'])\s*([^,.;:!?]{3,80}),\s*$")
_AUTHOR = re.compile(rf"\s*[-–—:]\s*({_EMAIL.pattern})\s*$")
_GROUP = re.compile(
    rf"\s+et\s+({_PERSON})\s+(?:de\s+l[’']|de\s+la\s+|du\s+|de\s+|d[’'])(?=[{_UP}])"
)
_PARENTHESIS = re.compile(r"\s*\(([^()]{2,120})\)")
_NEXT_SENTENCE_ROLE = re.compile(r"\.\s+(?:Le|La|L[’'])\s*")


def _noun_phrase_end(text: str, start: int) -> int:
    """The end of the noun phrase at ``start`` (« directeur du Pôle Territorial
    de l’Albigeois et des Bastides », before « revient »)."""
    stop = re.compile(r"[,.;:!?()]").search(text, start)
    limit = stop.start() if stop else len(text)
    after_capital, end = False, start
    for word in re.finditer(r"[\w’'-]+", text[start:limit]):
        core = re.sub(rf"^[dlDL]{_APOSTROPHE}", "", word.group())
        lower = core.lower()
        if core[:1].isupper():
            after_capital = True
        elif lower in _CLAUSE or (after_capital and lower not in _PLACE_CONNECTORS):
            break
        end = start + word.end()
    return end


class _People:
    """The people of one line, with their roles and what the roles name."""

    def __init__(self, proposer: _Proposer, number: int, text: str) -> None:
        self.proposer = proposer
        self.number = number
        self.text = text
        self.flagged = {(start, end) for start, end, _ in unknown_people(text)}

    def find(self) -> list[_Person]:
        people: list[_Person] = []
        position = 0
        for match in _names(self.text):
            if match.start() < position:
                continue
            found = self.cue(match)
            if found:
                people.extend(found)
                position = found[-1].end
        return people

    def cue(self, match: re.Match[str]) -> list[_Person]:
        """The person (or people) that ``match`` names, if a cue says it is one."""
        text, start, end, name = self.text, match.start(), match.end(), match.group()
        span = self.proposer.claimed(self.number, start, end)
        if span is not None and not (span.entity.registry == "people" and span.start == start):
            return []
        if _words(name)[0] in _NOT_NAME_START:
            return []
        before = _words(text[:start])
        person = _Person(start, end, name)
        if _TESTIMONY.search(text[:start]):
            role = _NEXT_SENTENCE_ROLE.match(text, end)
            if role:
                role_end = _noun_phrase_end(text, role.end())
                if _role_head(text[role.end() : role_end]):
                    person.role_span, person.placed = (role.end(), role_end), True
            return [person]
        if before and before[-1] in _NOT_NAME_BEFORE:
            return []
        author = _AUTHOR.match(text, end)
        if author and _sentence_start(text, start):
            person.fields["email"] = author.group(1)
            return [person]
        comma = re.compile(r"\s*,\s*").match(text, end)
        if comma:
            previous = _ROLE_BEFORE.search(text[:start])
            if previous and _role_head(previous.group(1)):
                person.role_span, person.placed = previous.span(1), True
                return [person]
            if (start, end) in self.flagged or _role_head(text[comma.end() :]):
                person.role_span, person.placed = (comma.end(), len(text)), True
                return [person]
            return []
        parenthesis = _PARENTHESIS.match(text, end)
        if parenthesis and _role_head(parenthesis.group(1)):
            person.role_span, person.placed = parenthesis.span(1), True
            return [person]
        group = _GROUP.match(text, end)
        if group:
            second = _Person(group.start(1), group.end(1), group.group(1))
            organisation_end = proper_run(text, group.end(), _CONNECTORS, _ORGANISATION_TAILS)
            organisation = self.proposer.add(
                "organisations",
                text[group.end() : organisation_end],
                self.number,
                text,
                (group.end(), organisation_end),
            )
            if organisation is not None and organisation.registry == "organisations":
                person.organisation = second.organisation = organisation
                return [person, second]
            return []
        verb = re.compile(r"\s+(\w+)").match(text, end)
        if (
            verb
            and verb.group(1) in _PERSON_VERBS
            and (_sentence_start(text, start) or text[:start].rstrip().endswith(","))
        ):
            return [person]
        if re.compile(r"\s*:\s*$").match(text, end) and _sentence_start(text, start):
            return [person]
        return [person] if (start, end) in self.flagged else []

    def read_roles(self, people: list[_Person]) -> None:
        """Each person's role: up to the next person at the latest."""
        starts = sorted(p.start for p in people)
        for person in people:
            if person.role_span is None:
                continue
            role_start, role_end = person.role_span
            if role_end == len(self.text):  # « Prénom Nom, rôle… »: find where the role ends
                limit = next((s for s in starts if s > role_start), len(self.text))
                role_end = _role_end(self.text, role_start, limit)
            role = self.text[role_start:role_end]
            trimmed = re.sub(r"(?:\s+et|\s*[,–-])\s*$", "", role.rstrip())
            person.role_span = (role_start, role_start + len(trimmed))

    def place(self, person: _Person) -> None:
        """The organisation and territory that a person's role names; the role
        without the organisation it starts with (« de l’Institut X et Président
        du Y ») and the territory it ends with (« première adjointe à Faverges »)."""
        if person.role_span is None:
            return
        proposer, text, number = self.proposer, self.text, self.number
        whole = start, end = person.role_span
        membership = _MEMBERSHIP.match(text[start:end])
        if membership:
            run_end = proper_run(text, start + membership.end(), _CONNECTORS, _ORGANISATION_TAILS)
            self._organisation(start + membership.end(), run_end)
            rest = re.compile(r"[\s,]+(?:et\s+)?").match(text, run_end)
            start = min(end, rest.end() if rest else run_end)
        for match in _ROLE_ORGANISATION.finditer(text, start, end):
            proper = match.end()
            word_before = re.search(r"([\w-]+)\s*$", text[start : match.start()])
            if (
                word_before
                and word_before.group(1)[:1].isupper()
                and not _role_head(word_before.group(1))
            ):
                continue  # inside a name: « Petites Villes de Demain »
            run_end = proper_run(text, proper, _CONNECTORS, _ORGANISATION_TAILS)
            word = text[proper : _PROPER_RE.match(text, proper).end()]
            if fold(word) in _NOT_ORGANISATIONS or proposer.claimed(number, proper, run_end):
                continue
            rest = text[run_end:end].split()
            if len(rest) <= 3 and all(w[:1].islower() for w in rest):
                run_end = end  # « Président du GIEC du comportement »
            self._organisation(proper, run_end)
        organisations = proposer.within(number, *whole, "organisations")
        territories = proposer.within(number, *whole, "territories")
        if person.organisation is None and organisations:
            person.organisation = organisations[0]
        if territories:
            person.fields["territory"] = territories[0].id
            last = max(
                (s for s in proposer.spans[number] if s.entity is territories[-1]),
                key=lambda s: s.end,
            )
            # The place a role ends with is its territory (« première adjointe à
            # Faverges », « Chargée de mission … Rodez Agglomération »), but
            # « directeur du Pôle Territorial… » keeps what it directs.
            before = text[start : last.start]
            if not text[last.end : end].strip(" .,:") and not re.search(
                r"(?<!\w)(?:de|du|des|d[’'])\s*$", before
            ):
                cut = re.sub(r"\s+à\s*$", "", before).rstrip(" ,–-")
                if _role_head(cut):
                    end = start + len(cut)
        person.role = " ".join(text[start:end].split())

    def _organisation(self, start: int, end: int) -> None:
        if start >= end or self.proposer.claimed(self.number, start, end):
            return
        self.proposer.add(
            "organisations", self.text[start:end], self.number, self.text, (start, end)
        )

    def propose(self) -> None:
        people = self.find()
        self.read_roles(people)
        for person in people:
            self.place(person)
        territories = {
            s.entity.id
            for s in self.proposer.spans.get(self.number, ())
            if s.entity.registry == "territories"
        }
        for person in people:
            fields = dict(person.fields)
            if person.role:
                fields["role"] = person.role
            if person.organisation is not None:
                fields["organisation"] = person.organisation.id
            elif person.placed and "territory" not in fields and len(territories) == 1:
                fields["territory"] = next(iter(territories))
            self.proposer.add(
                "people", person.name, self.number, self.text, (person.start, person.end), fields
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
    proposer = _Proposer(registry, programme)
    for number, text in lines:
        for found in proposer.index.find(text):
            entity = proposer.known(found.name.label)
            if entity is not None:
                proposer.spans.setdefault(number, []).append(_Span(found.start, found.end, entity))
    for number, text in lines:
        for start, end, name, fields in _territories(text):
            if not proposer.claimed(number, start, end):
                proposer.add(
                    "territories", name, number, text, (start, end), {**fields, "pilot": "false"}
                )
        for start, end, name, fields in (*_organisations(text), *_publishers(text)):
            if not proposer.claimed(number, start, end):
                proposer.add("organisations", name, number, text, (start, end), fields)
    for number, text in lines:
        _People(proposer, number, text).propose()
    for number, text in lines:
        for start, end, name in _acronyms(text):
            if not proposer.claimed(number, start, end):
                proposer.add("organisations", name, number, text, (start, end))
    _organisations_from_emails(proposer)
    return proposer.proposals()


def _organisations_from_emails(proposer: _Proposer) -> None:
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


# -- writing the proposals --------------------------------------------------------------

_TOP_LEVEL_KEY = re.compile(r"^([^\s#:'\"][^:\n]*?|'[^'\n]*'|\"[^\"\n]*\")\s*:(?:[ \t]|$)", re.M)


def _existing_ids(text: str) -> dict[str, int]:
    """The ids a registry file defines (its top-level keys), with their lines."""
    return {
        match.group(1).strip("'\""): text.count("\n", 0, match.start()) + 1
        for match in _TOP_LEVEL_KEY.finditer(text)
    }


def _yaml_line(name: str, value: str, kind: str) -> str:
    """``name: value`` as YAML writes it, quoted when it must be."""
    scalar: str | bool = value
    if kind == "bool":
        scalar = value == "true"
    return yaml.safe_dump(
        {name: scalar}, allow_unicode=True, default_flow_style=False, width=1_000_000
    ).rstrip("\n")


def entries_text(proposals: Iterable[Proposal], source: str = "", indent: str = "  ") -> str:
    """The YAML of the proposals of one registry, as its file writes entries: a
    comment that says where they come from, then each entry, a blank line
    between them."""
    origin = f" ({source})" if source else ""
    blocks = []
    for proposal in proposals:
        schema = SCHEMAS[proposal.registry]
        lines = [f"{proposal.id}:"]
        for name, value in (("name", proposal.name), *proposal.fields):
            spec = schema.field(name)
            if spec is None:
                raise ProposalError(
                    f"« {proposal.id} » : champ « {name} » inconnu de {schema.filename}"
                )
            lines.append(indent + _yaml_line(name, value, spec.kind))
        blocks.append("\n".join(lines) + "\n")
    return f"# Proposé par almanach import{origin} : à vérifier\n" + "\n".join(blocks)


def _additions(
    proposals: Iterable[Proposal], files: dict[str, Path], source: str
) -> dict[Path, tuple[str, str]]:
    """Each registry file to change: its text now, and with the proposals
    appended. Refuses an id that a file already defines."""
    by_registry: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        by_registry.setdefault(proposal.registry, []).append(proposal)
    changes = {}
    for registry, entries in by_registry.items():
        path = files.get(registry)
        if path is None:
            raise ProposalError(f"aucun fichier de registre donné pour « {registry} »")
        try:
            old = path.read_text(encoding="utf-8") if path.exists() else ""
        except (OSError, UnicodeDecodeError) as error:
            raise ProposalError(f"{path} ne se lit pas : {error}") from None
        existing = _existing_ids(old)
        seen: set[str] = set()
        for proposal in entries:
            if proposal.id in existing:
                raise ProposalError(
                    f"{path}:{existing[proposal.id]}: l’identifiant « {proposal.id} » existe "
                    "déjà ; la proposition n’est pas écrite (aucune entrée n’est remplacée) : "
                    "renommez-la ou retirez-la"
                )
            if proposal.id in seen:
                raise ProposalError(f"« {proposal.id} » est proposé deux fois pour {path}")
            seen.add(proposal.id)
        newline = "\r\n" if "\r\n" in old else "\n"
        indent = re.search(r"^( +)\S", old, re.M)
        block = entries_text(entries, source, indent.group(1) if indent else "  ")
        new = old
        if new and not new.endswith("\n"):
            new += newline
        if new.strip():
            new += newline
        new += block.replace("\n", newline)
        changes[path] = (old, new)
    return changes


def _lines(text: str) -> list[str]:
    """``text``'s lines with their ends, split at « \\n » only (as ``git apply``)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _append_diff(shown: str, old: str, new: str) -> str:
    """A unified diff that appends to ``old`` what ``new`` adds after it, with
    up to three lines of context, as ``git apply`` reads it."""
    old_lines, new_lines = _lines(old), _lines(new)
    context = old_lines[-3:]
    first = len(old_lines) - len(context)
    body = [f" {line}" for line in context]
    added = new_lines[len(old_lines) :]
    if old and not old.endswith("\n"):  # the last line gets its end of line
        body[-1] = f"-{context[-1]}\n\\ No newline at end of file\n"
        added = new_lines[len(old_lines) - 1 :]
    body += [f"+{line}" for line in added]
    old_range = f"{first + 1},{len(context)}" if context else "0,0"
    header = f"@@ -{old_range} +{first + 1},{len(new_lines) - first} @@\n"
    return "".join(
        [f"diff --git a/{shown} b/{shown}\n", f"--- a/{shown}\n", f"+++ b/{shown}\n", header, *body]
    )


def registry_patch(
    proposals: Iterable[Proposal], root: Path, files: dict[str, Path], *, source: str = ""
) -> str:
    """A unified diff, for ``git apply`` in ``root``, that appends the proposals
    to their registry files (``files``: registry name -> file, see
    :func:`registry_files`); ``source`` (the draft, « issues/2022-01.md ») is
    named in the comment above them. Empty when there is nothing to propose."""
    patches = []
    for path, (old, new) in _additions(proposals, files, source).items():
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise ProposalError(f"{path} n’est pas dans le projet {root}") from None
        patches.append(_append_diff(shown, old, new))
    return "".join(patches)


def apply_proposals(
    proposals: Iterable[Proposal], files: dict[str, Path], source: str
) -> list[Path]:
    """Appends the proposals to their registry files, each written atomically
    (a temporary file, then a rename); the files changed. Nothing is written
    when an id is already in its file (:class:`ProposalError`)."""
    changes = _additions(proposals, files, source)
    for path, (_old, new) in changes.items():
        _write_atomically(path, new)
    return list(changes)


def _write_atomically(path: Path, text: str) -> None:
    """``text`` written to ``path`` through a temporary file and a rename, so
    that an interruption never leaves half a registry; the file keeps its mode."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ProposalError(f"impossible d’écrire {path} : {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ProposalError(f"impossible d’écrire {path} : {error.strerror or error}") from None
        raise
