"""Letters: their front matter (number, date, title, status) and their labels."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .records import Letter

STATUSES = ("draft", "review", "published")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
#: A letter's month: years 1900 to 2999 (see almanach.model.schemas.YEARS).
DATE_PATTERN = re.compile(r"^(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])$")


def read_front_matter(
    docname: str, metadata: dict[str, Any]
) -> tuple[Letter | None, list[tuple[str, str]]]:
    """A letter record from a document's front matter, and the problems:
    (field, French message) pairs."""
    problems: list[tuple[str, str]] = []
    number = metadata.get("number")
    try:
        number = int(str(number).strip())
        if number < 1:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(
            (
                "number",
                (
                    "numéro de lettre absent"
                    if number is None
                    else f"numéro de lettre invalide (« number: {number} »)"
                )
                + " ; écrivez par exemple « number: 2 » dans l’en-tête",
            )
        )
        number = 0
    date = str(metadata.get("date", "")).strip()
    if not DATE_PATTERN.match(date):
        problems.append(
            (
                "date",
                f"date absente ou invalide (« date: {date} ») ; écrivez l’année et le mois, "
                "par exemple « date: 2021-12 »",
            )
        )
    title = str(metadata.get("title", "")).strip()
    if not title:
        problems.append(
            ("title", "titre absent ; écrivez par exemple « title: Coopérer pour changer »")
        )
    status = str(metadata.get("status", "")).strip()
    if status not in STATUSES:
        problems.append(
            (
                "status",
                (f"statut « {status} » invalide" if status else "statut absent")
                + " ; écrivez « status: draft », « status: review » ou « status: published »",
            )
        )
    if problems:
        return None, problems
    return Letter(docname, number, date, title, status), []


def month_label(date: str) -> str:
    """« décembre 2021 » for ``2021-12``."""
    match = DATE_PATTERN.match(date)
    if not match:
        return date
    return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def letter_label(letter: Letter) -> str:
    """« Lettre n° 2 — décembre 2021 »."""
    return f"Lettre n° {letter.number} — {month_label(letter.date)}"


def day_label(day: dt.date) -> str:
    """« 17 novembre 2021 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def span_label(start: dt.date, end: dt.date | None) -> str:
    """« du 17 au 18 novembre 2021 », « le 20 janvier 2022 »."""
    if end is None or end == start:
        return f"le {day_label(start)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"du {start.day if start.day != 1 else '1er'} au {day_label(end)}"
    return f"du {day_label(start)} au {day_label(end)}"
