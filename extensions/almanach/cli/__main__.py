"""Entry point of the ``almanach`` command: one subcommand per module.

Each command module exposes ``register(subparsers)``, which adds its parser
and sets ``handler`` to a function ``(args) -> int``. Errors an editor can fix
are :class:`CommandError` (a French message and an exit code), never a
traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from .. import __version__
from ..tools.project import CommandError
from . import check, email_cmd, import_cmd, new

COMMANDS = (import_cmd, new, check, email_cmd)


#: argparse's own messages, in French (editors read them).
ARGPARSE_FRENCH = (
    (
        r"invalid choice: '([^']*)' \(choose from (.*)\)",
        r"choix invalide : « \1 » (possibles : \2)",
    ),
    (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"expected one argument", r"une valeur est attendue"),
    (r"^argument ([^:]*): ", r"argument \1 : "),
)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are French messages (exit code 2)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"

    def error(self, message: str):  # type: ignore[override]
        for pattern, french in ARGPARSE_FRENCH:
            message = re.sub(pattern, french, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


class FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        return super().add_usage(usage, actions, groups, "usage : " if prefix is None else prefix)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="almanach",
        description=(
            "Chaîne de publication des lettres du programme Territoires Pilotes : "
            "importer une lettre, en créer une nouvelle, vérifier les lettres et les registres, "
            "envoyer l’édition e-mail."
        ),
        formatter_class=FrenchHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    parser.add_argument(
        "--version",
        action="version",
        version=f"almanach {__version__}",
        help="affiche la version et quitte",
    )
    parser._positionals.title = "commandes"
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser
    )
    for command in COMMANDS:
        command.register(subparsers, FrenchHelpFormatter)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except CommandError as error:
        sys.stderr.write(f"almanach {args.command} : erreur : {error.message}\n")
        return error.code
    except KeyboardInterrupt:
        sys.stderr.write("almanach : interrompu.\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
