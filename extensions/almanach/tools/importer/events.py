"""The days a letter names, and the programme's events they are.

« les journées des 17 et 18 novembre », « l’après-midi du 17 novembre », « les
20 et 21 janvier » are days without a year: the year is the one that puts the
day nearest the letter's month (a letter tells what happened and what is to
come within a few months). A day inside an event of the events registry
(``start`` ≤ day ≤ ``end``) is a mention of that event; a day that a
« journée », « atelier », « webinaire »… names and no event holds is a proposal
for the registry (:func:`unknown_events`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ...model.registry import Registry
from .inline import fold

_MONTHS = (
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split()
)
_DAYS = re.compile(
    r"(?<!\w)(?:(?P<lead>(?:les?\s+|la\s+)?(?:prochaines?\s+)?(?:journees?|seances?|rencontres?"
    r"|ateliers?|webinaires?|seminaires?|formations?)(?:\s+communes?)?\s+(?:du|des|de\s+la|d')\s*)"
    r"|(?:les?\s+|du\s+|des\s+)?)"
    r"(?P<first>\d{1,2})(?:er)?(?:\s*(?:et|au|-|–)\s*(?P<last>\d{1,2}))?\s+"
    r"(?P<month>" + "|".join(_MONTHS) + r")(?:\s+(?P<year>20\d\d))?(?!\w)"
)


@dataclass(frozen=True)
class Days:
    """Days a text names: where (the words that carry a mention), which, and
    whether a « journée », « atelier »… names them."""

    start: int
    end: int
    first: datetime.date
    last: datetime.date
    named: bool  # « journées des 17 et 18 novembre », not just « 17 novembre »
    words: str


def find_days(text: str, letter: str) -> list[Days]:
    """The days ``text`` names, dated with the year nearest the letter's month
    ``letter`` (``AAAA-MM``)."""
    folded = fold(text)
    year, month = (int(part) for part in letter.split("-"))
    found = []
    for match in _DAYS.finditer(folded):
        number = _MONTHS.index(match.group("month")) + 1
        first_day = int(match.group("first"))
        last_day = int(match.group("last") or first_day)
        if match.group("year"):
            chosen = int(match.group("year"))
        else:
            chosen = min(
                (year - 1, year, year + 1), key=lambda y: abs((y - year) * 12 + number - month)
            )
        try:
            first = datetime.date(chosen, number, first_day)
            last = datetime.date(chosen, number, last_day)
        except ValueError:
            continue
        if last < first:
            continue
        lead = match.group("lead")
        start = match.start("lead") if lead else match.start("first")
        if lead:
            # the words « journées des … », without the article before them
            article = re.match(r"(?:les?\s+|la\s+)(?:prochaines?\s+)?", folded[start:])
            start += article.end() if article else 0
        found.append(Days(start, match.end(), first, last, bool(lead), text[start : match.end()]))
    return found


@dataclass(frozen=True)
class Event:
    id: str
    label: str
    start: datetime.date
    end: datetime.date


def registry_events(registry: Registry) -> list[Event]:
    events = []
    for entry in registry["events"].values():
        try:
            start = _as_date(entry.get("start"))
            end = _as_date(entry.get("end")) or start
        except ValueError:
            continue
        if start is not None and end is not None:
            events.append(Event(entry.id, entry.label, start, end))
    return events


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value)
    return None


def event_of(days: Days, events: list[Event]) -> Event | None:
    """The one event of the registry that holds these days, if any."""
    holding = [event for event in events if event.start <= days.first and days.last <= event.end]
    return holding[0] if len(holding) == 1 else None
