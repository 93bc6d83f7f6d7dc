"""``almanach new``: start the next letter from the rubrique skeleton."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from ..model.letters import DATE_PATTERN, month_label
from ..model.registry import load_registry
from ..tools.project import CommandError, Project
from .common import command_parser, write_atomically

DESCRIPTION = """\
Crée la lettre suivante dans issues/AAAA-MM.md : numéro suivant, mois courant
(ou --date), les rubriques du registre, statut « draft » (brouillon)."""


def register(subparsers, formatter) -> None:
    parser = command_parser(
        subparsers, formatter, "new", "créer la prochaine lettre (brouillon)", DESCRIPTION
    )
    parser.add_argument(
        "--date", metavar="AAAA-MM", help="mois de la lettre (par défaut : ce mois-ci)"
    )
    parser.add_argument("--title", metavar="TITRE", help="titre de la lettre")
    parser.add_argument("--force", action="store_true", help="remplacer le fichier s’il existe")
    parser.set_defaults(handler=run)


def next_number(project: Project) -> int:
    """One more than the highest letter number of the project."""
    highest = 0
    for path in project.letters.glob("*.md"):
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:2000]
        match = re.search(r"^number:\s*(\d+)\s*$", head, re.MULTILINE)
        if match:
            highest = max(highest, int(match.group(1)))
    return highest + 1


def scaffold(number: int, date: str, title: str, rubriques) -> str:
    """The MyST text of a new draft letter."""
    lines = [
        "---",
        f"number: {number}",
        f"date: {date}",
        f"title: {title}",
        "status: draft",
        "---",
        "",
        f"# Lettre n° {number} — {month_label(date)}",
        "",
    ]
    for rubrique in rubriques:
        lines += [
            f"::::{{rubrique}} {rubrique.id}",
            f"% Écrivez ici la rubrique « {rubrique.label} ».",
            "::::",
            "",
        ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    project = Project.find()
    date = args.date or dt.date.today().strftime("%Y-%m")
    if not DATE_PATTERN.match(date):
        raise CommandError(
            f"date « {date} » invalide : écrivez l’année et le mois, par exemple 2022-01"
        )
    registry = load_registry(project.registries)
    if registry.problems:
        first = registry.problems[0]
        raise CommandError(
            f"les registres ont des erreurs ({first.location}: {first.message}) ; "
            "lancez « almanach check »"
        )
    number = next_number(project)
    title = args.title or f"Lettre de {month_label(date)}"
    path = project.letters / f"{date}.md"
    write_atomically(
        path, scaffold(number, date, title, registry.rubriques.values()), force=args.force
    )
    sys.stdout.write(
        f"Lettre n° {number} créée : {path.relative_to(project.root)} (brouillon).\n"
        "Aperçu en direct : make live ; vérification : almanach check\n"
    )
    return 0
