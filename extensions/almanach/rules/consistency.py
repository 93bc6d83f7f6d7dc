"""Letters agree with themselves and with each other.

Pure functions over a few facts of each letter, called by the build (when a
letter is read, and once every letter is known) and by ``almanach check``:

- the date matches the file name (``issues/2022-01.md`` is dated ``2022-01``);
- the letter has a heading; when it states a month or a number, it states
  the date's month and the letter's number;
- no two letters share a number;
- numbers follow date order: a gap or an inversion is a warning naming both
  letters. Every letter of the folder counts, drafts included, so that the
  published build and ``almanach check`` see the same sequence;
- a resource is declared once (:func:`repeats`): the first declaration, in
  the letters' order, is the resource.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..model.letters import DATE_PATTERN, MONTHS, month_label
from .front_matter import read_letter_front_matter

T = TypeVar("T")

HEADING_MONTH = re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.IGNORECASE)
HEADING_NUMBER = re.compile(r"\bn[°º]\s*(\d+)\b", re.IGNORECASE)


#: A letter without its heading (« # … » after the front matter).
NO_HEADING = (
    "titre de la lettre absent : sous l’en-tête, écrivez une ligne qui commence par « # », "
    "par exemple « # Lettre n° 2 — décembre 2021 »"
)


@dataclass(frozen=True)
class LetterFacts:
    """What the checks need of one letter; lines are 1-based in its file."""

    path: str  # as messages show it
    stem: str  # the file name without .md
    number: int
    date: str
    number_line: int = 1
    date_line: int = 1
    heading: str = ""
    heading_line: int = 1


@dataclass(frozen=True)
class Disagreement:
    path: str
    line: int
    level: str  # error | warning
    message: str


def check_letter(facts: LetterFacts) -> list[Disagreement]:
    """The letter agrees with its file name and its heading."""
    found: list[Disagreement] = []
    if DATE_PATTERN.match(facts.stem) and facts.stem != facts.date:
        found.append(
            Disagreement(
                facts.path,
                facts.date_line,
                "error",
                f"la date « {facts.date} » ne correspond pas au nom du fichier "
                f"({facts.stem}.md) : corrigez la date ou renommez le fichier",
            )
        )
    if not facts.heading:
        found.append(Disagreement(facts.path, facts.heading_line, "error", NO_HEADING))
    month = HEADING_MONTH.search(facts.heading)
    stated = f"{month.group(1).lower()} {month.group(2)}" if month else ""
    if month and stated != month_label(facts.date):
        found.append(
            Disagreement(
                facts.path,
                facts.heading_line,
                "error",
                f"le titre annonce « {stated} » mais la date de la lettre est {facts.date} "
                f"({month_label(facts.date)}) : corrigez l’un ou l’autre",
            )
        )
    number = HEADING_NUMBER.search(facts.heading)
    if number and int(number.group(1)) != facts.number:
        found.append(
            Disagreement(
                facts.path,
                facts.heading_line,
                "error",
                f"le titre annonce la lettre n° {number.group(1)} mais son numéro est "
                f"{facts.number} (« number: {facts.number} ») : corrigez l’un ou l’autre",
            )
        )
    return found


def check_letters(letters: list[LetterFacts]) -> list[Disagreement]:
    """Numbers are unique and follow date order."""
    found: list[Disagreement] = []
    first: dict[int, LetterFacts] = {}
    for letter in sorted(letters, key=lambda f: (f.date, f.path)):
        if letter.number in first:
            other = first[letter.number]
            found.append(
                Disagreement(
                    letter.path,
                    letter.number_line,
                    "error",
                    f"numéro {letter.number} déjà pris par {other.path} : chaque lettre a son "
                    "numéro",
                )
            )
        else:
            first[letter.number] = letter
    ordered = sorted(first.values(), key=lambda f: (f.date, f.number, f.path))
    for before, after in itertools.pairwise(ordered):
        if after.number < before.number:
            message = (
                f"la lettre n° {after.number} ({after.date}) est datée après la lettre "
                f"n° {before.number} ({before.path}, {before.date}) : les numéros suivent les dates"
            )
        elif after.number > before.number + 1:
            missing = (
                f"la lettre n° {before.number + 1}"
                if after.number == before.number + 2
                else f"les lettres n° {before.number + 1} à {after.number - 1}"
            )
            message = (
                f"la lettre n° {after.number} suit la lettre n° {before.number} "
                f"({before.path}) : il manque {missing}"
            )
        else:
            continue
        found.append(Disagreement(after.path, after.number_line, "warning", message))
    return found


def facts_from_file(path: Path, shown: str) -> LetterFacts | None:
    """A letter's number and date, from its front matter alone (None when they
    cannot be read: other messages say why)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    front = read_letter_front_matter(text)
    try:
        number = int(str(front.values.get("number", "")).strip())
    except ValueError:
        return None
    date = str(front.values.get("date", "")).strip()
    if not DATE_PATTERN.match(date):
        return None
    return LetterFacts(
        shown, path.stem, number, date, front.lines.get("number", 1), front.lines.get("date", 1)
    )


def repeats(items: Iterable[T], key: Callable[[T], str]) -> Iterator[tuple[T, T]]:
    """Each item whose key an earlier item already has, with that first item:
    the rule of a resource declared twice (the first declaration, in the order
    given, is the resource; each later one is a duplicate). The build applies
    it in one letter as it is read and across the letters in the order of their
    names; ``almanach check`` across the letters in the same order."""
    first: dict[str, T] = {}
    for item in items:
        found = first.setdefault(key(item), item)
        if found is not item:
            yield item, found
