"""The compendium's cover: the programme, the years of its letters, their span,
the publisher and the day of the edition (``SOURCE_DATE_EPOCH`` for a
reproducible build), set by ``\\almanachsetcover`` in ``almanach.sty``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from sphinx.locale import _

from ..config import AlmanachConfig
from ..model.letters import day_label, month_label

if TYPE_CHECKING:
    from ..model.records import Letter


def build_date() -> dt.date:
    """The day of the build: ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def year_span(letters: list[Letter]) -> str:
    """« 2021 » or « 2021–2022 », from the letters' dates."""
    years = sorted({letter.date[:4] for letter in letters})
    if not years:
        return ""
    return years[0] if len(years) == 1 else f"{years[0]}\N{EN DASH}{years[-1]}"


def letters_span(letters: list[Letter]) -> str:
    """« 1 lettre, décembre 2021 », « 9 lettres, de décembre 2021 à août 2022 »."""
    if not letters:
        return ""
    first, last = month_label(letters[0].date), month_label(letters[-1].date)
    count = _("1 lettre") if len(letters) == 1 else _("%d lettres") % len(letters)
    if first == last:
        return f"{count}, {first}"
    return _("%(count)s, de %(first)s à %(last)s") % {
        "count": count,
        "first": first,
        "last": last,
    }


def cover_settings(
    settings: AlmanachConfig, letters: list[Letter], escape: Callable[[str], str]
) -> str:
    """The cover's facts, as the arguments of ``\\almanachsetcover`` (almanach.sty)."""
    date = day_label(build_date())
    colophon = _(
        "Les lettres mensuelles du programme %(programme)s, réunies en un volume. "
        "Éditeur : %(publisher)s. Édition du %(date)s, composée avec Sphinx et LuaLaTeX."
    ) % {"programme": settings.programme, "publisher": settings.publisher, "date": date}
    values = (
        settings.programme,
        _("Les lettres du programme"),
        year_span(letters),
        letters_span(letters),
        settings.publisher,
        date,
        colophon,
    )
    return r"\almanachsetcover" + "".join(f"{{{escape(value)}}}" for value in values)
