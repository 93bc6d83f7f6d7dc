"""What the commands share: errors, the project's folders, atomic writes."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..config import AlmanachConfig, read_settings


class CommandError(Exception):
    """An error the user can fix: a French message and an exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Project:
    """The folders of an almanach project, found from a starting folder; those
    that ``conf.py`` sets are read from it, as the build reads them."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @cached_property
    def settings(self) -> AlmanachConfig:
        try:
            return read_settings(self.docs)
        except Exception as error:  # conf.py is Python: any error it raises
            raise CommandError(
                f"docs/conf.py ne se lit pas ({type(error).__name__} : {error}) ; "
                "corrigez-le, puis relancez"
            ) from None

    @property
    def letters(self) -> Path:
        """The letters' folder (``docs/lettres`` is a link to ``issues/``)."""
        return (self.docs / self.settings.letters_dir).resolve()

    @property
    def registries(self) -> Path:
        return self.docs / self.settings.registry_dir

    @property
    def territories(self) -> Path:
        return self.docs / self.settings.territories_dir

    @property
    def bibliography(self) -> Path:
        return self.root / "references.bib"

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder, from ``start`` upwards, that holds ``docs/conf.py``."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "docs" / "conf.py").is_file() and (folder / "issues").is_dir():
                return cls(folder)
        raise CommandError(
            f"aucun projet almanach trouvé depuis {here} : placez-vous dans le dossier "
            "du dépôt (celui qui contient docs/ et issues/)"
        )


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


def write_atomically(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so that
    an interruption never leaves a partial file. Refuse to overwrite unless
    ``force``."""
    if path.exists() and not force:
        raise CommandError(
            f"{path} existe déjà : choisissez un autre nom (-o) ou ajoutez --force pour "
            "le remplacer"
        )
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
