"""Every kind of warning almanach emits, and the one way to emit them.

Each warning is located (``file:line``), says what is wrong and how to fix it,
and carries ``type="almanach"`` with a subtype below, so that
``suppress_warnings = ["almanach.<subtype>"]`` silences one kind.
"""

from __future__ import annotations

import difflib
import logging as std_logging
import os
import re
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.logging import SphinxWarningLogRecord

from .caches import Inputs, JsonStore

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class AlmanachWarning(Enum):
    """Subtypes of the ``almanach`` warning type."""

    REGISTRY = "registry"  # a registry file or entry does not fit the schema
    UNKNOWN_ID = "unknown-id"  # an id that no registry or letter defines
    DUPLICATE_ID = "duplicate-id"  # an id defined twice
    MISSING_OPTION = "missing-option"  # a required option is absent
    UNKNOWN_OPTION = "unknown-option"  # an option the directive does not take
    BAD_VALUE = "bad-value"  # an option value of the wrong form (kind, date…)
    BAD_URL = "bad-url"  # a malformed address
    UNKNOWN_BIBKEY = "unknown-bibkey"  # a citation key absent from references.bib
    EMPTY_BODY = "empty-body"  # a directive that needs content has none
    LETTER = "letter"  # a letter's front matter is missing or wrong
    RAW_HTML = "raw-html"  # raw HTML in a letter, shown as text
    CONTROL_CHARACTER = "control-character"  # an invisible control character, removed
    POLICY = "policy"  # a construct the contribution policy (the allowlist) refuses
    STRUCTURE = "structure"  # a block never closed, or out of its place
    NUMBERING = "numbering"  # letters sharing a number, or numbered out of date order
    BROKEN_LINK = "broken-link"  # a link, image or footnote that leads nowhere
    EMAIL_SUPPORT = "email-support"  # HTML or CSS of the email that main mail clients lack
    EMAIL_SIZE = "email-size"  # an email's HTML too large (Gmail clips it)
    EMAIL_MONTH = "email-month"  # two letters of one month: one email each month
    GUESS = "guess"  # an importer's « % à revoir » line left in a letter in review or published


def warn(kind: AlmanachWarning, message: str, location: Any) -> None:
    """Emit one located warning of the given kind."""
    logger.warning(message, location=location, type="almanach", subtype=kind.value)


def closest(word: str, choices: Iterable[str], count: int = 1) -> list[str]:
    """The ``count`` choices closest to ``word`` (close enough to be a typo)."""
    return difflib.get_close_matches(word, sorted(choices), n=count, cutoff=0.6)


def close_matches(word: str, choices: Iterable[str], what: str = "identifiants") -> str:
    """A French hint naming the ids (or other ``what``) close to ``word``, or ''."""
    matches = closest(word, choices, 3)
    if not matches:
        return ""
    return f" ; {what} proches : " + ", ".join(f"« {match} »" for match in matches)


def plural(count: int, singular: str, plural_form: str) -> str:
    """« 1 lien », « 16 liens »."""
    return f"{count} {singular if count == 1 else plural_form}"


def of(label: str) -> str:
    """« de territoire », « d’organisation »: French elision before a vowel."""
    return f"d’{label}" if label[:1].lower() in "aeéèêiîoôuy" else f"de {label}"


def shown_path(path: str | os.PathLike[str], root: Path | None = None) -> str:
    """A file as messages name it: the file the editor edits (the folders'
    links followed: ``issues/2021-12.md``, not ``docs/lettres/2021-12.md``),
    relative to ``root`` (the working folder) when it lies inside it."""
    given = Path(path)
    real = given.parent.resolve() / given.name  # the file itself is never a followed link
    try:
        return str(real.relative_to((root or Path.cwd()).resolve()))
    except ValueError:
        return str(real)


_LOCATION = re.compile(r"^(?P<path>.+?)(?P<line>:\d*)?$")


class EditedFileLocations(std_logging.Filter):
    """Say every problem of the build as ``almanach check`` says it: the file
    the editor edits (see :func:`shown_path`), and the level in French —
    « erreur » when warnings fail the build (``-W``, as ``make`` builds),
    « avertissement » otherwise. Runs after Sphinx turned the location into
    ``path:line``."""

    def __init__(self, app: Sphinx, warned: WarnedDocuments) -> None:
        super().__init__()
        self.app = app
        self.warned = warned
        self.strict = bool(getattr(app, "_fail_on_warnings", False))

    def remember(self, path: str) -> None:
        """Note the document a warning is about (see :meth:`WarnedDocuments.reread`): the
        document itself, or those that include the file."""
        env = getattr(self.app, "env", None)
        if env is None:
            return
        docname = env.path2doc(path)
        if docname and docname in env.found_docs:
            self.warned.documents.add(docname)
            return
        real = Path(path).resolve()
        for including, files in env.dependencies.items():
            if any((Path(env.srcdir) / file).resolve() == real for file in files):
                self.warned.documents.add(including)

    def filter(self, record: std_logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        if isinstance(location, str) and location.startswith(os.sep):
            found = _LOCATION.match(location)
            if found:
                if record.levelno >= std_logging.WARNING:
                    self.remember(found["path"])
                record.location = shown_path(found["path"]) + (found["line"] or "")
        if isinstance(record, SphinxWarningLogRecord):
            record.__class__ = _ErrorRecord if self.strict else _WarningRecord
        return True


class _WarningRecord(SphinxWarningLogRecord):
    @property
    def prefix(self) -> str:  # type: ignore[override]
        return "erreur: " if self.levelno >= std_logging.ERROR else "avertissement: "


class _ErrorRecord(SphinxWarningLogRecord):
    prefix = "erreur: "  # type: ignore[assignment]


def setup_warning_locations(app: Sphinx) -> None:
    """Add :class:`EditedFileLocations` to the handlers Sphinx set up for this
    application (after its own location translator)."""
    warned = WarnedDocuments()
    for handler in std_logging.getLogger("sphinx").handlers:
        if not any(isinstance(f, EditedFileLocations) for f in handler.filters):
            handler.addFilter(EditedFileLocations(app, warned))
    app.connect("env-get-outdated", warned.reread)
    app.connect("build-finished", warned.remember)


# -- a problem is said again until it is fixed -------------------------------------

#: The documents the last build had a problem in (in the doctrees folder).
WARNED_FILE = "almanach-warned.json"


def warned_store(doctreedir: str | Path) -> JsonStore:
    """The documents, as ``{docname: true}``: a record of the project, kept
    across versions of almanach and Sphinx (:data:`almanach.caches.Inputs.RECORD`)."""
    return JsonStore(Path(doctreedir) / WARNED_FILE, 1, "documents", Inputs.RECORD, sort_keys=True)


class WarnedDocuments:
    """The documents one application's build said a problem about. One object
    per application, made by :func:`setup_warning_locations` and owned by its
    filters and event handlers."""

    def __init__(self) -> None:
        self.documents: set[str] = set()

    def reread(self, app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]):
        """``env-get-outdated``: read again the documents the last build had a
        problem in. Sphinx says a problem only when it reads (or writes) the
        document: a second ``make`` after a failed one would otherwise succeed,
        silent."""
        previous = warned_store(app.doctreedir).load()
        return sorted(set(previous) & set(env.found_docs) - added - changed - removed)

    def remember(self, app: Sphinx, exception: Exception | None) -> None:
        """``build-finished``: keep the documents this build had a problem in."""
        warned_store(app.doctreedir).save(dict.fromkeys(sorted(self.documents), True))
