"""When an imported letter was sent: from what it says and from the archive,
never from the day the command runs.

The clues, strongest first:

- the letter names its month: « la lettre de janvier », « newsletter de mars
  2022 », « édition de décembre » (with its year or not);
- the season says a month or a year: « bonne année 2022 » (January 2022, or the
  December before), « fêtes de fin d'année » (December);
- the archive: the month after the latest letter of the project.

The clues must agree. A month the letter names without its year takes the
first such month from the archive's next one on; a month only the season
suggests must be the archive's next month. Without any clue, or when they
disagree, there is no date: the command refuses and says how to give it
(``--date``). The report says which clues gave the date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ...model.letters import MONTHS
from .inline import fold

_MONTH_NUMBERS = {fold(name): number for number, name in enumerate(MONTHS, start=1)}
_MONTH = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
#: « la lettre de janvier (2022) », « newsletter du mois de mars », « édition de mai ».
_NAMED_MONTH = re.compile(
    rf"\b(?:lettre|newsletter|edition|numero)\s+(?:du\s+mois\s+)?(?:de|d')\s*"
    rf"({_MONTH})(?:\s+(\d{{4}}))?\b"
)
_NEW_YEAR = re.compile(r"\bbonne\s+annee\s+(\d{4})\b")
_YEAR_END = re.compile(r"\bfetes\s+de\s+fin\s+d'annee\b")


@dataclass(frozen=True)
class Clue:
    """What the letter says of its date: the dates it allows (``dates``), or the
    months (``months``) when it gives no year; its words, for the report."""

    words: str
    dates: frozenset[str] = frozenset()
    months: frozenset[int] = frozenset()
    named: bool = False  # the letter names its month (not a season's hint)


@dataclass(frozen=True)
class Dating:
    """The date found (``AAAA-MM``) and how, or why there is none."""

    date: str | None
    how: str = ""
    problem: str = ""
    clues: tuple[Clue, ...] = field(default=())


def clues_of(text: str) -> list[Clue]:
    """Every clue of ``text`` to its date."""
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)  # (character for character: a match is at its place in text)
    clues = []
    for match in _NAMED_MONTH.finditer(folded):
        month = _MONTH_NUMBERS[match.group(1)]
        words = _quote(text, match)
        if match.group(2):
            date = f"{match.group(2)}-{month:02d}"
            clues.append(Clue(words, dates=frozenset({date}), named=True))
        else:
            clues.append(Clue(words, months=frozenset({month}), named=True))
    for match in _NEW_YEAR.finditer(folded):
        year = int(match.group(1))
        clues.append(Clue(_quote(text, match), dates=frozenset({f"{year}-01", f"{year - 1}-12"})))
    for match in _YEAR_END.finditer(folded):
        clues.append(Clue(_quote(text, match), months=frozenset({12})))
    return clues


def _quote(text: str, match: re.Match) -> str:
    # (folding keeps the offsets: one character for one, apostrophes included)
    return f"« {text[match.start() : match.end()]} »"


def next_month(date: str) -> str:
    year, month = (int(part) for part in date.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def _both(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def named_events(text: str, events: list) -> list:
    """The events of the registry whose days ``text`` names (« les journées des
    17 et 18 novembre »), whatever the year."""
    folded = fold(text)
    named = []
    for event in events:
        day = event.start
        month = fold(MONTHS[day.month - 1])
        if re.search(rf"(?<!\d){day.day}(?:er)?(?:\s+(?:et|au)\s+\d{{1,2}})?\s+{month}\b", folded):
            named.append(event)
    return named


def _near_events(months: set[int], events: list) -> set[str]:
    """The months among ``months`` within six months of every event named."""
    found = set()
    years = {event.start.year + shift for event in events for shift in (-1, 0, 1)}
    for year in years:
        for month in months:
            index = year * 12 + month - 1
            if all(
                abs(index - (event.start.year * 12 + event.start.month - 1)) <= 6
                for event in events
            ):
                found.add(f"{year}-{month:02d}")
    return found


def infer_date(text: str, latest: str | None, events: list = ()) -> Dating:  # type: ignore[assignment]
    """The date of the letter ``text``, the project's latest letter being of
    month ``latest`` (``AAAA-MM``, None for a project without letters);
    ``events``: the events registry, whose days the letter may name."""
    clues = tuple(clues_of(text))
    expected = next_month(latest) if latest else None
    archive = f"le mois qui suit la dernière lettre du projet ({latest})"
    dated = [clue for clue in clues if clue.dates]
    months = [clue for clue in clues if clue.months]
    said = _both([clue.words for clue in clues]) if clues else ""
    allowed_months = set(range(1, 13))
    for clue in months:
        allowed_months &= clue.months
    if not allowed_months:
        return Dating(None, problem=f"la lettre se contredit sur son mois : {said}", clues=clues)
    if dated:
        dates = set(dated[0].dates)
        for clue in dated[1:]:
            dates &= clue.dates
        dates = {date for date in dates if int(date[5:]) in allowed_months}
        if not dates:
            return Dating(None, problem=f"la lettre se contredit sur sa date : {said}", clues=clues)
        if len(dates) == 1:
            (date,) = dates
            return Dating(date, how=f"d’après {said}", clues=clues)
        if expected in dates:
            return Dating(expected, how=f"d’après {said} et {archive}", clues=clues)
        return Dating(
            None,
            problem=f"{said} laisse le choix entre {' et '.join(sorted(dates))}",
            clues=clues,
        )
    if months:
        named_events_ = named_events(text, list(events))
        near = _near_events(allowed_months, named_events_) if named_events_ else set()
        if expected is None and len(near) == 1:
            (date,) = near
            titles = _both([f"« {event.label} »" for event in named_events_])
            return Dating(
                date,
                how=f"d’après {said} et les événements du registre qu’elle nomme ({titles})",
                clues=clues,
            )
        if expected is None:
            return Dating(
                None,
                problem=f"la lettre dit son mois ({said}) mais pas son année, et le projet "
                "n’a pas encore de lettre",
                clues=clues,
            )
        named = any(clue.named for clue in months)
        candidate = expected
        # A month the letter names: the first such month from the expected one
        # on (a month without letter is possible); a season's hint: the expected.
        for _ in range(12 if named else 1):
            if int(candidate[5:]) in allowed_months:
                return Dating(candidate, how=f"d’après {said} et {archive}", clues=clues)
            candidate = next_month(candidate)
        return Dating(
            None,
            problem=f"{said} ne s’accorde pas avec {archive}, qui serait {expected}",
            clues=clues,
        )
    if expected is not None:
        return Dating(
            expected,
            how=f"d’après l’archive seule : {archive} ; la lettre ne dit pas son mois, vérifiez",
            clues=clues,
        )
    return Dating(
        None,
        problem="la lettre ne dit pas de quel mois elle est, et le projet n’a pas encore de lettre",
        clues=clues,
    )


def disagreement(text: str, date: str) -> str:
    """What the letter says against the ``date`` given on the command line ('' if
    nothing)."""
    against = [
        clue.words
        for clue in clues_of(text)
        if (clue.dates and date not in clue.dates)
        or (clue.months and int(date[5:]) not in clue.months)
    ]
    return _both(against) if against else ""
