"""What the commands share: their parsers' French help, atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..tools.project import CommandError


def command_parser(subparsers, formatter, name: str, summary: str, description: str):
    """A subcommand's parser, with its French help option."""
    parser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        formatter_class=formatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    return parser


def refuse_existing(path: Path, force: bool) -> None:
    """Refuses to replace a file without --force (the message says how)."""
    if path.exists() and not force:
        raise CommandError(
            f"{path} existe déjà : choisissez un autre nom (-o) ou ajoutez --force pour "
            "le remplacer"
        )


def write_atomically(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so that
    an interruption never leaves a partial file. Refuse to overwrite unless
    ``force``."""
    refuse_existing(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    # mkstemp makes the file private (0600); a letter gets the usual mode.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
