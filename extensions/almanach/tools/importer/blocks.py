"""The blocks of an exported letter, recognised line by line: rubriques (by
their emoji or title), « ➡️ » items, territory updates (a speaker's line, a
« Témoignage de »), quotations — see :mod:`almanach.tools.importer.plain_text`
for the rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...model.registry import Entry, Registry
from .inline import (
    SENTENCE_END,
    Name,
    NameIndex,
    fold,
    name_key,
)
from .report import excerpt


@dataclass
class Para:
    """One line of the letter, kept as a paragraph."""

    line: int
    text: str
    style: str = "plain"  # plain, item (➡️), speaker (bold), comment (% …)
    note: str = ""  # why it stayed plain text, for the report


@dataclass
class Quotation:
    """A line that is one quotation; ``speaker`` only when the letter says who."""

    line: int
    text: str
    speaker: Name | None = None


@dataclass
class Container:
    """A directive holding blocks: a rubrique or a territory update."""

    name: str
    argument: str
    line: int
    label: str
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


Block = Para | Quotation | Container

_ITEM = re.compile(r"^➡\ufe0f?\s*")
_TESTIMONY = re.compile(r"^➡\ufe0f?\s*Témoignage\s+(?:de\s+|d[’']\s*)", re.IGNORECASE)
_QUOTE = re.compile(r"^(?:“[^“”]+”|«[^«»]+»|\"[^\"]+\")[.!?…]?$")


def leading_emoji(text: str) -> tuple[str, str]:
    """(the emoji a line starts with, without variation selectors; the rest)."""
    end = 0
    while end < len(text) and (
        unicodedata.category(text[end]) in ("So", "Sk") or text[end] in "\ufe0f\ufe0e\u200d"
    ):
        end += 1
    emoji = "".join(char for char in text[:end] if char not in "\ufe0f\ufe0e\u200d")
    return emoji, text[end:].strip()


def match_rubrique(text: str, rubriques: Iterable[Entry]) -> tuple[Entry, str] | None:
    """The rubrique a heading line opens and its subtitle, or None."""
    emoji, rest = leading_emoji(text)
    if not emoji:
        return None
    rubriques = list(rubriques)
    found = next((r for r in rubriques if leading_emoji(r.get("emoji", ""))[0] == emoji), None)
    if found is None:
        folded = name_key(fold(rest))
        for rubrique in rubriques:
            title = name_key(fold(rubrique.get("title", "").rstrip("….")))
            if _starts_with_words(folded, title):
                found = rubrique
                break
    if found is None:
        return None
    rest = " ".join(rest.split())
    title = " ".join(found.get("title", "").split())
    for known in (title, title.rstrip("….").rstrip()):
        if _starts_with_words(rest, known):
            return found, rest[len(known) :].lstrip(" :—–-").strip()
    return found, rest


def _starts_with_words(text: str, prefix: str) -> bool:
    """Whether ``text`` starts with a non-empty ``prefix`` that ends a word there."""
    return bool(prefix) and text.startswith(prefix) and not text[len(prefix) :][:1].isalnum()


class BlockReader:
    """Reads the non-blank lines of a letter into blocks."""

    def __init__(self, index: NameIndex, registry: Registry) -> None:
        self.index = index
        self.rubriques = list(registry.rubriques.values())
        self.top: list[Block] = []
        self.target = self.top  # where blocks go outside a territory update
        self.update: Container | None = None
        self.question = ""
        self.quote_speaker: Name | None = None
        self.description = ""

    def read(self, lines: list[tuple[int, str]]) -> list[Block]:
        for position, (line, text) in enumerate(lines):
            following = lines[position + 1][1] if position + 1 < len(lines) else ""
            self.add(line, text, following)
        for block in self.top:
            if isinstance(block, Container) and not block.children:
                # A rubrique needs content: this comment is one, and shows the gap.
                block.children.append(Para(0, "Rubrique vide dans la lettre importée.", "comment"))
        return self.top

    def add(self, line: int, text: str, following: str) -> None:
        description, self.description = self.description, ""
        if _ITEM.match(text):
            self.item(line, text)
            return
        heading = match_rubrique(text, self.rubriques)
        if heading is not None:
            rubrique, subtitle = heading
            self.update, self.question, self.quote_speaker = None, "", None
            label = f"{rubrique.label} : {subtitle}" if subtitle else rubrique.label
            container = Container("rubrique", rubrique.id, line, label)
            if subtitle:
                container.options.append(("subtitle", subtitle))
            self.top.append(container)
            self.target = container.children
            self.description = " ".join(str(rubrique.get("description", "")).split())
            return
        if description and " ".join(text.split()) == description:
            self.target.append(Para(line, text, "comment"))
            return
        body = self.update.children if self.update else self.target
        if _QUOTE.match(text):
            body.append(Quotation(line, text, self.quote_speaker))
            return
        self.quote_speaker = None
        if text.endswith("?") and self.interview(following)[1] is not None:
            self.update, self.question = None, text
            return
        speakers, territory = self.interview(text)
        if speakers and territory is not None:
            self.open_update(line, text, territory, speakers, "speaker")
            return
        if speakers:
            self.update = None
            note = "entretien : aucun territoire connu pour ces personnes"
            self.target.append(Para(line, text, note=note))
            return
        body.append(Para(line, text))

    def item(self, line: int, text: str) -> None:
        self.update, self.question = None, ""
        testimony = _TESTIMONY.match(text)
        start = testimony.end() if testimony else _ITEM.match(text).end()  # type: ignore[union-attr]
        person = self.index.person_at(text, start)
        self.quote_speaker = person
        if testimony and person is not None:
            first = SENTENCE_END.search(text, start + len(person.label))
            named = [
                found.name
                for found in self.index.find(text[: first.end() if first else len(text)])
                if found.name.kind == "territory"
            ]
            territory = named[0] if named else self.index.territory_of(person)
            if territory is not None:
                self.open_update(line, text, territory, [person], "item")
                return
        self.target.append(Para(line, text, "item"))

    def interview(self, text: str) -> tuple[list[Name], Name | None]:
        """(the known people of a speaker line, its territory), or ([], None)."""
        if not re.search(r"\s?:$", text) or len(text) > 300 or re.search(r"[.!?]\s", text):
            return [], None
        found = self.index.find(text)
        if not found or found[0].start != 0 or found[0].name.kind != "person":
            return [], None
        if not re.match(r"\s*(?:,|et\s|&|:)", text[found[0].end :]):
            return [], None
        speakers = list(dict.fromkeys(f.name for f in found if f.name.kind == "person"))
        named = [f.name for f in found if f.name.kind == "territory"]
        territories = [t for t in map(self.index.territory_of, speakers) if t is not None]
        territory = (named or territories or [None])[0]
        return speakers, territory

    def open_update(
        self, line: int, text: str, territory: Name, speakers: list[Name], style: str
    ) -> None:
        options = [("speakers", ", ".join(person.id for person in speakers))]
        if self.question:
            options.append(("question", self.question))
        label = f"{territory.label} — {', '.join(person.label for person in speakers)}"
        if self.question:
            label += f" ; question : « {excerpt(self.question, 60)} »"
        self.update = Container("territory-update", territory.id, line, label, options)
        self.update.children.append(Para(line, text, style))
        self.target.append(self.update)
