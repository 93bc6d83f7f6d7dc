"""Every kind of warning almanach emits, and the one way to emit them.

Each warning is located (``file:line``), says what is wrong and how to fix it,
and carries ``type="almanach"`` with a subtype below, so that
``suppress_warnings = ["almanach.<subtype>"]`` silences one kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import Enum
from typing import Any

from sphinx.util import logging

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


def warn(kind: AlmanachWarning, message: str, location: Any) -> None:
    """Emit one located warning of the given kind."""
    logger.warning(message, location=location, type="almanach", subtype=kind.value)


def close_matches(word: str, choices: Iterable[str], what: str = "identifiants") -> str:
    """A French hint naming the ids (or other ``what``) close to ``word``, or ''."""
    matches = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.6)
    if not matches:
        return ""
    return f" ; {what} proches : " + ", ".join(f"« {match} »" for match in matches)


def of(label: str) -> str:
    """« de territoire », « d’organisation »: French elision before a vowel."""
    return f"d’{label}" if label[:1].lower() in "aeéèêiîoôuy" else f"de {label}"
