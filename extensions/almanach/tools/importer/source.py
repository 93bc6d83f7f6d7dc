"""The lines of a letter as an export gives them, before any structure is recognised.

Both exports become the same thing: a list of :class:`SourceLine`. The plain text
of the mailing tool gives one line per paragraph and no marks
(:func:`plain_lines`); the host's HTML export (:mod:`almanach.tools.importer.host_export`)
gives headings, list items, quotations, captions and images, with their links
and emphasis as :class:`Mark` ranges over the line's text. The structure is
then recognised on ``text`` alone, and the marks written back by the inline
writer, so both exports follow the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What a line is in the export: a paragraph, a heading, a list item, a quotation
#: (``<blockquote>``), an image's caption, an image (``url`` is its address).
KINDS = ("para", "heading", "item", "quote", "caption", "image")


@dataclass(frozen=True)
class Mark:
    """A range of a line's text that the export marks: a link (``url``),
    emphasis (``<em>``) or strong emphasis (``<strong>``)."""

    start: int
    end: int
    kind: str  # link | emphasis | strong
    url: str = ""


@dataclass(frozen=True)
class SourceLine:
    """One block of the export: its line in the exported file, its text (one
    line, spaces as written), what it is, and its marks."""

    line: int
    text: str
    kind: str = "para"
    marks: tuple[Mark, ...] = ()
    url: str = ""  # an image's address
    level: int = 0  # a heading's level (1–6); a list item's depth (1 = top)
    ordered: bool = False  # an item of a numbered list


#: A bullet that a plain-text export leaves at the start of a list item.
_BULLET = re.compile(r"^(?:[-*•–▪◦·]\s+)")


def plain_lines(text: str) -> list[SourceLine]:
    """The non-blank lines of a plain-text export; a line that starts with a
    bullet (« - », « • », « * »…) is a list item, its bullet left out."""
    lines = []
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped:
            continue
        bullet = _BULLET.match(stripped)
        if bullet and len(stripped) > bullet.end():
            lines.append(SourceLine(number, stripped[bullet.end() :], "item", level=1))
        else:
            lines.append(SourceLine(number, stripped))
    return lines
