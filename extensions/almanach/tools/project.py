"""An almanach project as the commands and the checker find it: its folders,
those that ``conf.py`` sets read from it, as the build reads them; and the
error a user can fix, with its French message."""

from __future__ import annotations

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
