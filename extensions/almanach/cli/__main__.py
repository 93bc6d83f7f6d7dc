"""Entry point of the ``almanach`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="almanach",
        description=(
            "Chaîne de publication des lettres du programme Territoires Pilotes : "
            "extension Sphinx et outils pour les rédactrices et rédacteurs."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"almanach {__version__}",
        help="affiche la version et quitte",
    )
    parser._positionals.title = "commandes"
    parser._optionals.title = "options"
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
