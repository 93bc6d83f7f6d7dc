"""Invisible characters: removed from letters and registries, and reported.

Control characters (but tab and line ends) are invalid in XML and fatal to TeX;
bidirectional controls (U+202A–U+202E, U+2066–U+2069) reorder what a reader
sees without changing what a reviewer reads; zero-width and other format
characters hide text. They arrive with text pasted from other tools, or on
purpose. Every one is removed and its line reported, except where Unicode gives
it a visible job: the zero-width joiner inside an emoji sequence (👩‍🌾), the tag
characters of a subdivision flag (🏴 + tags + U+E007F), and the soft hyphen (a
hyphenation hint).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ZERO_WIDTH_JOINER = "\u200d"
SOFT_HYPHEN = "\u00ad"
BLACK_FLAG = "\U0001f3f4"
TAG_FIRST, TAG_LAST, CANCEL_TAG = 0xE0020, 0xE007E, "\U000e007f"
#: What may precede a joiner in an emoji sequence, once skin tones and variation
#: selectors are skipped: a pictograph.
SKIPPED_BEFORE_JOINER = {"\ufe0f", "\ufe0e", *map(chr, range(0x1F3FB, 0x1F400))}


@dataclass(frozen=True)
class InvisibleLine:
    """A line from which invisible characters were removed."""

    line: int  # 1-based
    characters: tuple[str, ...]  # « U+202E RIGHT-TO-LEFT OVERRIDE »

    def message(self) -> str:
        return (
            f"caractère invisible supprimé ({', '.join(self.characters)}) : il vient souvent "
            "d’un copier-coller et peut masquer ou inverser le texte ; retapez le passage si "
            "le texte semble abîmé"
        )


def _is_candidate(char: str) -> bool:
    """Control (Cc, but tab, line feed and carriage return), format (Cf), line
    and paragraph separators: the characters that may be removed."""
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in "\t\n\r"
    return category in ("Cf", "Zl", "Zp")


def _is_pictograph(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def _legitimate(text: str, index: int) -> bool:
    """Whether the format character at ``index`` has a visible job there."""
    char = text[index]
    if char == SOFT_HYPHEN:
        return True
    if char == ZERO_WIDTH_JOINER:
        before = index - 1
        while before >= 0 and text[before] in SKIPPED_BEFORE_JOINER:
            before -= 1
        after = text[index + 1] if index + 1 < len(text) else ""
        return (
            before >= 0 and _is_pictograph(text[before]) and bool(after) and (_is_pictograph(after))
        )
    if TAG_FIRST <= ord(char) <= TAG_LAST or char == CANCEL_TAG:
        start = index
        while start > 0 and TAG_FIRST <= ord(text[start - 1]) <= TAG_LAST:
            start -= 1
        return start > 0 and text[start - 1] == BLACK_FLAG
    return False


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def strip_invisible(text: str) -> tuple[str, list[InvisibleLine]]:
    """``text`` without its invisible characters, and the lines that had some."""
    if not any(_is_candidate(char) for char in _suspects(text)):
        return text, []
    lines = text.split("\n")
    found: list[InvisibleLine] = []
    for number, line in enumerate(lines, start=1):
        removed: list[str] = []
        kept: list[str] = []
        for index, char in enumerate(line):
            if _is_candidate(char) and not _legitimate(line, index):
                removed.append(_describe(char))
            else:
                kept.append(char)
        if removed:
            found.append(InvisibleLine(number, tuple(sorted(set(removed)))))
            lines[number - 1] = "".join(kept)
    return "\n".join(lines), found


def _suspects(text: str) -> str:
    """The characters of ``text`` outside printable ASCII (a fast first look)."""
    return "".join(char for char in text if not (" " <= char <= "~" or char in "\t\n\r"))


def strip_invisible_value(text: str) -> tuple[str, InvisibleLine | None]:
    """A value without its invisible characters (for values that YAML escapes
    such as ``"\\u202e"`` produced), and what was removed, if anything."""
    clean, lines = strip_invisible(text)
    if not lines:
        return text, None
    removed = sorted({name for found in lines for name in found.characters})
    return clean, InvisibleLine(lines[0].line, tuple(removed))


def shorten(text: str, limit: int) -> str:
    """Contributed text as a message quotes it: on one line, at most ``limit``
    characters (« … » marks the cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
