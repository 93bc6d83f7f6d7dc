"""The registries' schemas: each registry's file, label and fields (name,
kind, whether required), and a value checked against its field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..rules.characters import shorten

#: The years a date may fall in: beyond them, date arithmetic (the end of an
#: event, a month's feed entry) leaves what Python's dates can hold.
YEARS = (1900, 2999)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Field:
    """One field of a registry entry."""

    name: str
    kind: str = "text"  # text, bool, date, url, email, choice, or a registry name (a reference)
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Schema:
    """The shape of one registry: its file, its label and its fields."""

    name: str
    filename: str
    label: str  # French, singular: what one entry is
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


TERRITORY_KINDS = (
    "commune",
    "agglomération",
    "communauté de communes",
    "métropole",
    "PETR/pays",
    "département",
    "région",
)

SCHEMAS: dict[str, Schema] = {
    schema.name: schema
    for schema in (
        Schema(
            "territories",
            "territoires.yaml",
            "territoire",
            (
                Field("name", required=True, help="le nom du territoire"),
                Field("kind", "choice", required=True, choices=TERRITORY_KINDS),
                Field("departement", help="le département, par exemple « Nord (59) »"),
                Field("pilot", "bool", required=True, help="true pour un territoire pilote"),
                Field("website", "url"),
            ),
        ),
        Schema(
            "organisations",
            "organisations.yaml",
            "organisation",
            (
                Field("name", required=True),
                Field("description"),
                Field("website", "url"),
            ),
        ),
        Schema(
            "people",
            "personnes.yaml",
            "personne",
            (
                Field("name", required=True),
                Field(
                    "family_name",
                    help="le nom de famille tel que « name » l’écrit, pour l’ordre des index",
                ),
                Field("role"),
                Field("organisation", "organisations"),
                Field("territory", "territories"),
                Field("email", "email"),
            ),
        ),
        Schema(
            "rubriques",
            "rubriques.yaml",
            "rubrique",
            (
                Field("emoji", required=True),
                Field("title", required=True),
                Field("description", help="une phrase : « Une rubrique pour… »"),
            ),
        ),
        Schema(
            "events",
            "evenements.yaml",
            "événement",
            (
                Field("title", required=True),
                Field("start", "date", required=True, help="la date de début, AAAA-MM-JJ"),
                Field("end", "date", help="la date de fin, AAAA-MM-JJ"),
                Field("place"),
                Field("visio", "bool", help="true si l’événement a lieu en visioconférence"),
            ),
        ),
    )
}


def entry_problems(schema: Schema, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The problems between an entry's fields, each as (field, French message):
    a person's ``family_name`` must be how its ``name`` starts or ends."""
    from .names import family_name_problem

    if schema.name == "people" and "family_name" in values and "name" in values:
        message = family_name_problem(values["name"], values["family_name"])
        if message:
            return [("family_name", message)]
    return []


def check_value(spec: Field, value: Any) -> str:
    """An error message for a value that does not fit its field, or ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"« {spec.name} » est vide : donnez une valeur ou retirez la ligne"
    if spec.kind == "bool":
        if not isinstance(value, bool):
            return f"« {spec.name} » doit valoir true ou false, pas « {shorten(str(value), 40)} »"
    elif spec.kind == "date":
        if isinstance(value, dt.datetime):
            return f"« {spec.name} » doit être une date AAAA-MM-JJ, sans heure"
        if not isinstance(value, dt.date):
            return (
                f"« {spec.name} » doit être une date AAAA-MM-JJ, pas « {shorten(str(value), 40)} »"
            )
        if not YEARS[0] <= value.year <= YEARS[1]:
            return (
                f"« {spec.name} » : l’année {value.year} est hors limites ({YEARS[0]}–{YEARS[1]})"
            )
    elif not isinstance(value, str):
        return f"« {spec.name} » doit être un texte, pas {_kind_of(value)}"
    elif spec.kind == "url" and not is_url(value):
        return (
            f"adresse « {value} » invalide : elle doit commencer par https:// ou http:// ; "
            "si elle est inconnue, retirez la ligne"
        )
    elif spec.kind == "email" and not EMAIL_PATTERN.match(value):
        return f"courriel « {value} » invalide"
    elif spec.kind == "choice" and value not in spec.choices:
        choices = ", ".join(spec.choices)
        return f"« {spec.name} » vaut « {value} », qui n’est pas l’une des valeurs : {choices}"
    return ""


def _kind_of(value: Any) -> str:
    """« une liste », « un nombre »…: what a value is, without echoing it."""
    if isinstance(value, bool):
        return "un booléen (mettez le texte entre guillemets)"
    if isinstance(value, int | float):
        return "un nombre (mettez-le entre guillemets)"
    if isinstance(value, dt.date):
        return "une date (mettez-la entre guillemets)"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "des sous-champs"
    return "une valeur de ce type"


def is_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) address."""
    return bool(re.match(r"^https?://[^\s/?#.]+(\.[^\s/?#.]+)+(?::\d+)?([/?#]\S*)?$", value))
