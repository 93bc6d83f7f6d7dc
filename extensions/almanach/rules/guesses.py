"""The importer's guesses left to review: ``% à revoir : …`` lines.

``almanach import`` marks each thing it guessed (a resource's title, a
speaker, a publisher, a date, the summary…) with a MyST comment line just
before the guessed block, or right after the front matter::

    % à revoir : titre deviné d’après la phrase « … »

A comment is never published. The editor checks the guess, corrects the text
if needed, and deletes the line. ``% à revoir``, ``% A revoir``, ``%À REVOIR:``
are the same marker (case and accents do not count); a comment that says
anything else is an ordinary comment.

The markers are found by the screen (:mod:`almanach.rules.screen`) on the
letter's token stream, at every level MyST renders (directive bodies,
containers, lists, quotations): a ``% à revoir`` line inside a code block, or
inside a block shown as written, is text, not a marker. A draft may keep its
markers (``almanach check`` lists them as notes); a letter in review or
published may not: each one is an error, in ``almanach check`` and in the
build.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from ..warnings_ import AlmanachWarning, plural
from .characters import shorten

#: Where :func:`almanach.rules.screen.screen` leaves the letter's markers, in
#: markdown-it's environment of the letter (a list of :class:`Guess`).
GUESSES = "almanach_guesses"

#: The one status that may keep guesses: a draft.
DRAFT = "draft"

#: The checker's code of a marker: the build's warning kind (``almanach.guess``).
GUESS_CODE = AlmanachWarning.GUESS.value

#: What a marker says, once accents and case are set aside: « a revoir », then
#: nothing, or « : » and the guess.
_MARKER = re.compile(r"\s*a\s+revoir\s*(?::\s*(?P<text>.*?))?\s*$", re.DOTALL)


@dataclass(frozen=True, order=True)
class Guess:
    """One ``% à revoir`` line of a letter: its line (1-based) and what it says
    was guessed (after the « : », possibly empty)."""

    line: int
    text: str


def _folded(text: str) -> str:
    """``text`` without case or accents, character for character (the same length)."""
    return "".join(
        unicodedata.normalize("NFD", char)[0].casefold()[:1] or char
        for char in unicodedata.normalize("NFC", text)
    )


def guess_text(comment: str) -> str | None:
    """What a comment line (the text after its « % ») says was guessed, or None
    when it is not a marker: « à revoir » (case and accents aside), then
    nothing or « : » and free text."""
    comment = unicodedata.normalize("NFC", comment)
    found = _MARKER.fullmatch(_folded(comment))
    if found is None:
        return None
    start = found.start("text")
    return comment[start : found.end("text")].strip() if start >= 0 else ""


def guesses_in(token: Token, line: int) -> list[Guess]:
    """The markers of one ``myst_line_comment`` token whose first line is
    ``line`` (MyST gathers consecutive ``%`` lines into one token)."""
    if token.type != "myst_line_comment":
        return []
    found = []
    for index, comment in enumerate(token.content.split("\n")):
        text = guess_text(comment)
        if text is not None:
            found.append(Guess(line + index, text))
    return found


def letter_guesses(env: dict[str, Any]) -> list[Guess]:
    """The markers the screen found in a letter (``env``: the markdown-it
    environment :func:`almanach.rules.screen.screen` returned), in line order."""
    return sorted(env.get(GUESSES, ()))


def blocks_publication(status: object) -> bool:
    """Whether a letter of this ``status`` may keep no marker: every status but
    ``draft`` (a missing or invalid status included: the build keeps such a
    letter, and says what is wrong with its front matter)."""
    return str(status or "").strip() != DRAFT


# -- messages ---------------------------------------------------------------------------

#: How a message quotes a guess: on one line, at most this many characters.
SHOWN = 160


def guess_message(guess: Guess, status: object) -> str:
    """The message of one marker of a letter in ``status``: an error unless
    the letter is a draft (see :func:`blocks_publication`)."""
    said = f" : {shorten(guess.text, SHOWN)}" if guess.text else ""
    advice = (
        f"supposition de l’import à revoir{said} ; vérifiez-la, corrigez le texte si "
        "besoin, puis supprimez la ligne « % à revoir »"
    )
    if not blocks_publication(status):
        return advice
    state = str(status or "").strip()
    letter = f"une lettre au statut « {shorten(state, 20)} »" if state else "une lettre sans statut"
    return f"{advice} ; {letter} n’en garde aucune (ou remettez-la en brouillon, « status: draft »)"


def guesses_summary(count: int, path: str) -> str:
    """The count line of ``almanach check`` for one letter: « 12 suppositions à
    revoir dans issues/2022-01.md »."""
    return f"{plural(count, 'supposition', 'suppositions')} à revoir dans {path}"


def summaries(paths: Iterable[str]) -> list[str]:
    """One count line per letter, in the order of the letters (``paths``: the
    letter of each marker, repeated)."""
    counts: dict[str, int] = {}
    for path in paths:
        counts[path] = counts.get(path, 0) + 1
    return [guesses_summary(count, path) for path, count in sorted(counts.items())]
