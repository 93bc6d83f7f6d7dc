"""``almanach check``: validate letters and registries without a build."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..rules.guesses import GUESS_CODE, summaries
from ..tools.checker import Checker, letter_files
from ..tools.project import CommandError, Project
from .common import command_parser

DESCRIPTION = """\
Vérifie les lettres et les registres sans construire le site : en-tête
(numéro, date, titre, statut), identifiants inconnus ou en double, options
des directives, liens à retrouver, registres.

Une ligne par problème : fichier:ligne: niveau: message. Les suppositions
de l’import à revoir (lignes « % à revoir ») sont des notes dans un
brouillon, des erreurs dans une lettre en relecture ou publiée.
Code de sortie : 0 si aucune erreur, 1 sinon."""


def register(subparsers, formatter) -> None:
    parser = command_parser(
        subparsers, formatter, "check", "vérifier les lettres et les registres", DESCRIPTION
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="CHEMIN",
        help="lettres ou dossiers à vérifier (par défaut : toutes les lettres de issues/)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (par défaut) ou json pour les outils",
    )
    parser.add_argument(
        "--pending",
        action="store_true",
        help="une ligne par lien à retrouver (par défaut : une ligne par lettre)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="les avertissements (liens à retrouver dans une lettre publiée) "
        "deviennent des erreurs",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find()
    for path in args.paths:
        if not path.exists():
            raise CommandError(f"{path} n’existe pas")
    checker = Checker(project, strict=args.strict, list_pending=args.pending)
    findings = checker.run(letter_files(project, args.paths))
    if args.format == "json":
        json.dump([f.as_dict() for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            sys.stdout.write(finding.text() + "\n")
        for line in summaries(f.path for f in findings if f.code == GUESS_CODE):
            sys.stderr.write(line + "\n")
        errors = sum(f.level == "error" for f in findings)
        warnings = sum(f.level == "warning" for f in findings)
        notes = sum(f.level == "note" for f in findings)
        counts = f"{errors} erreur(s), {warnings} avertissement(s)"
        sys.stderr.write(counts + (f", {notes} note(s).\n" if notes else ".\n"))
    return 1 if any(f.level == "error" for f in findings) else 0
