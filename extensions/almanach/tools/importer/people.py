"""The people a line of a letter names, with the role, organisation and
territory that the sentence gives them: « Prénom Nom, rôle… », « Prénom Nom
(rôle) », « Témoignage de Prénom Nom », speaker lines « Prénom Nom, rôle
Territoire : », « avec Prénom Nom, rôle, Prénom2 Nom2, rôle2 et … », « Prénom
Nom et Prénom2 Nom2 de Organisation », an author's line « Prénom Nom -
adresse ». The organisations and territories the roles name are proposed
through the :class:`~almanach.tools.importer.proposals.Proposer` given.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .inline import fold, unknown_people
from .name_cues import (
    APOSTROPHE,
    CONNECTORS,
    NOT_ORGANISATIONS,
    ORGANISATION_TAILS,
    PERSON,
    PLACE_CONNECTORS,
    PROPER_RE,
    UP,
    before,
    folded_words,
    proper_run,
    sentence_start,
)

if TYPE_CHECKING:
    from .proposals import Entity, Proposer

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
#: Verbs after which a bare name is someone speaking or acting.
_PERSON_VERBS = frozenset(
    """a est revient raconte explique souligne rappelle présente intervient témoigne
    insiste décrit détaille montre partage""".split()
)
_NOT_NAME_BEFORE = frozenset(
    """le la les l un une des du au aux ce cet cette son sa ses leur leurs notre votre nos vos
    sur dans""".split()
)
_NOT_NAME_START = frozenset(
    """pour dans enfin ensemble puis et mais comme avec selon ainsi nous vous ils elles on les
    le la des un une ce cette si bonjour merci quels quel quelle quelles comment chaque tous
    toutes en au aux du de sur par chez apres avant depuis lors voici voila bonne bon""".split()
)
#: Capitalised words that are no one's name (folded): months and days.
_NOT_NAME_WORDS = frozenset(
    """janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    lundi mardi mercredi jeudi vendredi samedi dimanche""".split()
)
#: Words a role's apposition cannot hold: a verb or a pronoun starts a new clause.
_CLAUSE = frozenset(
    """est a ont sont était étaient sera seront revient raconte explique souligne rappelle
    présente intervient témoigne nous vous il elle ils elles qui que puis on participe anime
    propose partage décrit détaille montre insiste""".split()
)
_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[A-Za-z]{2,}")
_MEMBERSHIP = re.compile(rf"^(?:de\s+l[’']|d[’']|de\s+la\s+|du\s+|des\s+|de\s+)(?=[{UP}])")
_ROLE_ORGANISATION = re.compile(
    rf"(?<!\w)(?:de\s+l[’']|d[’']|de\s+la\s+|du\s+|des\s+|de\s+|au\s+|à\s+l[’'])(?=[{UP}])"
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


def _names(text: str) -> Iterator[re.Match[str]]:
    """Every name-like run of capitalised words of a line, each start tried."""
    for word in re.finditer(rf"(?<![\w’'.-])[{UP}]", text):
        match = re.compile(PERSON + r"(?![\w’'-])").match(text, word.start())
        if match:
            yield match


_TESTIMONY = re.compile(r"(?<!\w)[Tt]émoignages?\s+(?:de\s+|d[’'])$")
_ROLE_BEFORE = re.compile(r"(?:^|[.!?…]\s+|^\W+)(?:La|Le|L[’'])\s*([^,.;:!?]{3,80}),\s*$")
_AUTHOR = re.compile(rf"\s*[-–—:]\s*({_EMAIL.pattern})\s*$")
_GROUP = re.compile(rf"\s+et\s+({PERSON})\s+(?:de\s+l[’']|de\s+la\s+|du\s+|de\s+|d[’'])(?=[{UP}])")
_PARENTHESIS = re.compile(r"\s*\(([^()]{2,120})\)")
_NEXT_SENTENCE_ROLE = re.compile(r"\.\s+(?:Le|La|L[’'])\s*")


def _noun_phrase_end(text: str, start: int) -> int:
    """The end of the noun phrase at ``start`` (« directeur du Pôle Territorial
    de l’Albigeois et des Bastides », before « revient »)."""
    stop = re.compile(r"[,.;:!?()]").search(text, start)
    limit = stop.start() if stop else len(text)
    after_capital, end = False, start
    for word in re.finditer(r"[\w’'-]+", text[start:limit]):
        core = re.sub(rf"^[dlDL]{APOSTROPHE}", "", word.group())
        lower = core.lower()
        if core[:1].isupper():
            after_capital = True
        elif lower in _CLAUSE or (after_capital and lower not in PLACE_CONNECTORS):
            break
        end = start + word.end()
    return end


@dataclass
class Person:
    start: int
    end: int
    name: str
    role: str = ""
    role_span: tuple[int, int] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    organisation: Entity | None = None
    #: Whether the letter gives the person a role (a line's one territory may be theirs).
    placed: bool = False


class LinePeople:
    """The people of one line, with their roles and what the roles name."""

    def __init__(self, proposer: Proposer, number: int, text: str) -> None:
        self.proposer = proposer
        self.number = number
        self.text = text
        self.flagged = {(start, end) for start, end, _ in unknown_people(text)}

    def find(self) -> list[Person]:
        people: list[Person] = []
        position = 0
        for match in _names(self.text):
            if match.start() < position:
                continue
            found = self.cue(match)
            if found:
                people.extend(found)
                position = found[-1].end
        return people

    def cue(self, match: re.Match[str]) -> list[Person]:
        """The person (or people) that ``match`` names, if a cue says it is one."""
        text, start, end, name = self.text, match.start(), match.end(), match.group()
        span = self.proposer.claimed(self.number, start, end)
        if span is not None and not (span.entity.registry == "people" and span.start == start):
            return []
        words = folded_words(name)
        if words[0] in _NOT_NAME_START or _NOT_NAME_WORDS.intersection(words):
            return []
        preceding = folded_words(before(text, start, 60))
        person = Person(start, end, name)
        if _TESTIMONY.search(before(text, start, 40)):
            role = _NEXT_SENTENCE_ROLE.match(text, end)
            if role:
                role_end = _noun_phrase_end(text, role.end())
                if _role_head(text[role.end() : role_end]):
                    person.role_span, person.placed = (role.end(), role_end), True
            return [person]
        if preceding and preceding[-1] in _NOT_NAME_BEFORE:
            return []
        author = _AUTHOR.match(text, end)
        if author and sentence_start(text, start):
            person.fields["email"] = author.group(1)
            return [person]
        comma = re.compile(r"\s*,\s*").match(text, end)
        if comma:
            previous = _ROLE_BEFORE.search(before(text, start, 120))
            if previous and _role_head(previous.group(1)):
                person.role_span, person.placed = previous.span(1), True
                return [person]
            if (start, end) in self.flagged or _role_head(text[comma.end() : comma.end() + 200]):
                person.role_span, person.placed = (comma.end(), len(text)), True
                return [person]
            return []
        parenthesis = _PARENTHESIS.match(text, end)
        if parenthesis and _role_head(parenthesis.group(1)):
            person.role_span, person.placed = parenthesis.span(1), True
            return [person]
        group = _GROUP.match(text, end)
        if group:
            second = Person(group.start(1), group.end(1), group.group(1))
            organisation_end = proper_run(text, group.end(), CONNECTORS, ORGANISATION_TAILS)
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
            and (sentence_start(text, start) or before(text, start).rstrip().endswith(","))
        ):
            return [person]
        if re.compile(r"\s*:\s*$").match(text, end) and sentence_start(text, start):
            return [person]
        return [person] if (start, end) in self.flagged else []

    def read_roles(self, people: list[Person]) -> None:
        """Each person's role: up to the next person at the latest."""
        starts = sorted(p.start for p in people)
        for person in people:
            if person.role_span is None:
                continue
            role_start, role_end = person.role_span
            if role_end == len(self.text):  # « Prénom Nom, rôle… »: find where the role ends
                after = bisect.bisect_right(starts, role_start)
                limit = starts[after] if after < len(starts) else len(self.text)
                role_end = _role_end(self.text, role_start, limit)
            role = self.text[role_start:role_end]
            trimmed = re.sub(r"(?:\s+et|\s*[,–-])\s*$", "", role.rstrip())
            person.role_span = (role_start, role_start + len(trimmed))

    def place(self, person: Person) -> None:
        """The organisation and territory that a person's role names; the role
        without the organisation it starts with (« de l’Institut X et Président
        du Y ») and the territory it ends with (« première adjointe à Faverges »)."""
        if person.role_span is None:
            return
        proposer, text, number = self.proposer, self.text, self.number
        whole = start, end = person.role_span
        membership = _MEMBERSHIP.match(text[start:end])
        if membership:
            run_end = proper_run(text, start + membership.end(), CONNECTORS, ORGANISATION_TAILS)
            self._organisation(start + membership.end(), run_end)
            rest = re.compile(r"[\s,]+(?:et\s+)?").match(text, run_end)
            start = min(end, rest.end() if rest else run_end)
        for match in _ROLE_ORGANISATION.finditer(text, start, end):
            proper = match.end()
            word_before = re.search(
                r"([\w-]+)\s*$", text[max(start, match.start() - 60) : match.start()]
            )
            if (
                word_before
                and word_before.group(1)[:1].isupper()
                and not _role_head(word_before.group(1))
            ):
                continue  # inside a name: « Petites Villes de Demain »
            run_end = proper_run(text, proper, CONNECTORS, ORGANISATION_TAILS)
            word = text[proper : PROPER_RE.match(text, proper).end()]
            if fold(word) in NOT_ORGANISATIONS or proposer.claimed(number, proper, run_end):
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
            role_before = text[start : last.start]
            if not text[last.end : end].strip(" .,:") and not re.search(
                r"(?<!\w)(?:de|du|des|d[’'])\s*$", role_before
            ):
                cut = re.sub(r"\s+à\s*$", "", role_before).rstrip(" ,–-")
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
