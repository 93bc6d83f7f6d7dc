"""People's names as an index prints and sorts them: « Ketterer, Anne Sophie »
under K, « de Gasparo, Sandro » under G, « Van Haeringen, Aude » under V.

A name is split into its given names and its family name — the registry's
``family_name`` when the entry gives it, otherwise the last word with the
particles before it (« de », « van », « d’ »…). A lower-case particle is
printed with the family name but not sorted by (« de Gasparo » under G); a
capitalised one is part of the name (« Van Haeringen » under V), as French
usage has it. Sorting ignores case, accents and punctuation (é with e, œ as
oe), which is the French dictionary's order for names.

Plain Python, no Sphinx: the indices, the directory page and the registry's
check all call it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The particles a family name may start with, in lower case.
PARTICLES = frozenset(
    """de du des d’ d' le la les l’ l' van von vom zu zum der den ter ten
    di da del della dei degli dal do dos das""".split()
)
#: An elided particle glued to the name: « d’Aubigné », « l’Estrange ».
ELIDED = re.compile(r"^([dl]['’])(?=\w)", re.IGNORECASE)
#: Letters that accents' removal (NFKD) leaves alone, spelled as the French
#: dictionary sorts them.
SPELLED = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def collation_key(text: str) -> str:
    """``text`` as French sorting compares it: no case, no accent, letters and
    digits only (« Éric » → « eric », « Van Haeringen » → « vanhaeringen »)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in bare.casefold().translate(SPELLED) if char.isalnum())


def sort_key(text: str) -> tuple[str, str, str]:
    """A label's place in an index: by its collation key, then (same letters)
    unaccented before accented, then as written."""
    return (collation_key(text), unicodedata.normalize("NFD", text.casefold()), text)


def sort_letter(text: str) -> str:
    """The index heading a label sorts under: its first letter, bare and in
    capitals (« Éric » → « E »), or « # » when it starts with no letter."""
    key = collation_key(text)
    return key[0].upper() if key and key[0].isalpha() else "#"


def clean(text: str) -> str:
    """Spaces of any kind made single (a registry may hold « Anne  Sophie »)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class PersonName:
    """A person's name split for an index."""

    full: str  #: the name as written, spaces made single
    given: str  #: the given names, « » for a name of one word
    family: str  #: the family name with its particles: « de Gasparo »
    #: Whether the family name comes first in ``full`` (« Xi Jinping »): the
    #: index then prints the name as it is.
    family_first: bool = False

    @property
    def display(self) -> str:
        """The name as an index prints it: « Ketterer, Anne Sophie »."""
        if not self.given or self.family_first:
            return self.full
        return f"{self.family}, {self.given}"

    @property
    def sorted_part(self) -> str:
        """The family name without its lower-case particles: what sorts it."""
        return sorting_part(self.family)

    @property
    def key(self) -> tuple:
        """Its place in an index: family name (without lower-case particles),
        given names, then the particles and the name as written."""
        return (
            collation_key(self.sorted_part),
            collation_key(self.given),
            *sort_key(self.display),
        )

    @property
    def letter(self) -> str:
        """The heading it sorts under: « G » for « de Gasparo, Sandro »."""
        return sort_letter(self.sorted_part)


def sorting_part(family: str) -> str:
    """``family`` without the lower-case particles it starts with (« de la
    Cruz » → « Cruz », « d’Aubigné » → « Aubigné »); a capitalised particle
    stays (« Van Haeringen », « De Gaulle »). A name made only of particles
    stays whole."""
    words = family.split()
    if not words:
        return ""
    while len(words) > 1 and words[0] in PARTICLES:
        words.pop(0)
    last = words[-1]
    elided = ELIDED.match(last)
    if elided and elided.group(1).islower() and len(last) > len(elided.group(1)):
        words[-1] = last[len(elided.group(1)) :]
    return " ".join(words)


def person_name(name: str, family_name: str | None = None) -> PersonName:
    """Split ``name``: with ``family_name`` (the registry's, checked by
    :func:`family_name_problem`) when it fits, otherwise by the last word and
    the particles before it. Hyphenated names stay whole (« Jean-Marc »,
    « Dupont-Aignan »); a name of one word is not split."""
    full = clean(name)
    if family_name is not None:
        family = clean(family_name)
        if family and family == full:
            return PersonName(full, "", full)
        if family and full.endswith(" " + family):
            return PersonName(full, full[: -len(family) - 1], family)
        if family and full.startswith(family + " "):
            return PersonName(full, full[len(family) + 1 :], family, family_first=True)
    words = full.split()
    if len(words) < 2:
        return PersonName(full, "", full)
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return PersonName(full, " ".join(words[:start]), " ".join(words[start:]))


def family_name_problem(name: str, family_name: str) -> str:
    """Why ``family_name`` does not fit ``name`` (French), or ''."""
    full, family = clean(name), clean(family_name)
    if family == full or full.endswith(" " + family) or full.startswith(family + " "):
        return ""
    return (
        f"« family_name » vaut « {family} », qui n’est ni le début ni la fin du nom "
        f"« {full} » : recopiez le nom de famille tel que « name » l’écrit"
    )


def entry_name(entry) -> PersonName:
    """The name of a person of the registry (:class:`~almanach.model.registry.Entry`)."""
    return person_name(entry.label, entry.get("family_name"))
