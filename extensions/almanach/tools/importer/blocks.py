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
from .source import Mark, SourceLine


@dataclass
class Para:
    """One line of the letter, kept as a paragraph."""

    line: int
    text: str
    style: str = "plain"  # plain, item (➡️), speaker (bold), comment (% …), caption, image
    note: str = ""  # why it stayed plain text, for the report
    marks: tuple[Mark, ...] = ()  # links and emphasis the export kept
    url: str = ""  # an image's address


@dataclass
class Quotation:
    """A line that is one quotation; ``speaker`` only when the letter says who."""

    line: int
    text: str
    speaker: Name | None = None
    marks: tuple[Mark, ...] = ()


@dataclass
class ListBlock:
    """A list: its items, and whether the export said so (a bullet, ``<ul>``)
    or its items were counted by the sentence that announces them."""

    line: int
    items: list[Para]
    ordered: bool = False
    announced: str = ""  # « trois aspects … : » when the items were counted


@dataclass
class TitleItem:
    """A « ➡️ » item that is a title, one of a run of them: a resource to read."""

    line: int
    text: str
    marks: tuple[Mark, ...] = ()


@dataclass
class Container:
    """A directive holding blocks: a rubrique or a territory update."""

    name: str
    argument: str
    line: int
    label: str
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


Block = Para | Quotation | Container | ListBlock | TitleItem

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


#: Numbers a sentence uses to announce the items that follow it.
_COUNTS = {
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_ANNOUNCE = re.compile(
    r"\b(" + "|".join(_COUNTS) + r"|[2-9]|10)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+\s*:$",
    re.IGNORECASE,
)


def announced_count(text: str) -> int:
    """How many items a line that ends with « … trois aspects réussis : » announces."""
    match = _ANNOUNCE.search(text)
    if not match:
        return 0
    word = match.group(1).lower()
    return _COUNTS.get(word) or int(word)


def title_like(text: str) -> bool:
    """Whether a « ➡️ » item reads as a title (« Orne (61) : une plateforme… »)
    rather than a sentence: short, without a full stop at its end."""
    body = _ITEM.sub("", text).strip()
    words = body.split()
    return 2 <= len(words) <= 30 and not re.search(r"[.…:;,]$", body)


class BlockReader:
    """Reads the lines of a letter into blocks."""

    def __init__(self, index: NameIndex, registry: Registry) -> None:
        self.index = index
        self.rubriques = list(registry.rubriques.values())
        self.top: list[Block] = []
        self.target = self.top  # where blocks go outside a territory update
        self.update: Container | None = None
        self.question = ""
        self.quote_speaker: Name | None = None
        self.description = ""
        self.counted = 0  # items still to take after a sentence that announced them

    def read(self, lines: list[SourceLine]) -> list[Block]:
        for position, source in enumerate(lines):
            following = lines[position + 1].text if position + 1 < len(lines) else ""
            self.add(source, following, lines[position + 1 :])
        for block in self.top:
            if isinstance(block, Container) and not block.children:
                # A rubrique needs content: this comment is one, and shows the gap.
                block.children.append(Para(0, "Rubrique vide dans la lettre importée.", "comment"))
        self._title_runs(self.top)
        return self.top

    def add(self, source: SourceLine, following: str, rest: list[SourceLine]) -> None:
        line, text = source.line, source.text
        description, self.description = self.description, ""
        counted, self.counted = self.counted, 0
        if source.kind == "image":
            self.body.append(Para(line, text, "image", url=source.url))
            return
        if source.kind == "caption":
            self.body.append(Para(line, text, "caption", marks=source.marks))
            return
        if _ITEM.match(text) and source.kind != "item":
            self.item(line, text, source.marks)
            self._announce(text, rest)
            return
        heading = match_rubrique(text, self.rubriques)
        if heading is not None and source.kind in ("para", "heading"):
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
        body = self.body
        if source.kind == "item" or counted:
            self.list_item(source, counted)
            return
        if source.kind == "quote" or _QUOTE.match(text):
            body.append(Quotation(line, text, self.quote_speaker, source.marks))
            return
        self.quote_speaker = None
        if text.endswith("?") and self.interview(following)[1] is not None:
            self.update, self.question = None, text
            return
        speakers, territory = self.interview(text)
        if speakers and territory is not None:
            self.open_update(line, text, territory, speakers, "speaker", source.marks)
            return
        if speakers:
            self.update = None
            note = "entretien : aucun territoire connu pour ces personnes"
            self.target.append(Para(line, text, note=note, marks=source.marks))
            return
        style = "heading" if source.kind == "heading" else "plain"
        body.append(Para(line, text, style, marks=source.marks))
        self._announce(text, rest)

    def _announce(self, text: str, rest: list[SourceLine]) -> None:
        """After « … trois aspects réussis : », the next three lines are a list."""
        count = announced_count(text)
        if count and self._countable(rest[:count], count):
            self.counted = count

    @property
    def body(self) -> list[Block]:
        return self.update.children if self.update else self.target

    @staticmethod
    def _countable(lines: list[SourceLine], count: int) -> bool:
        """Whether the ``count`` lines after an announcing sentence can be its items:
        plain paragraphs, none a rubrique, an item « ➡️ » or a quotation alone."""
        return len(lines) == count and all(
            source.kind == "para"
            and not _ITEM.match(source.text)
            and not leading_emoji(source.text)[0]
            and not _QUOTE.match(source.text)
            and len(source.text.split()) <= 60
            for source in lines
        )

    def list_item(self, source: SourceLine, counted: int) -> None:
        body = self.body
        item = Para(source.line, source.text, "list-item", marks=source.marks)
        last = body[-1] if body else None
        if isinstance(last, ListBlock) and (counted == 0 or last.announced):
            last.items.append(item)
        else:
            announced = ""
            if counted:
                announced = last.text if isinstance(last, Para) else "…"
            body.append(ListBlock(source.line, [item], source.ordered, announced))
        if counted > 1:
            self.counted = counted - 1

    def _title_runs(self, blocks: list[Block]) -> None:
        """« ➡️ » items that read as titles, two or more in a row: resources."""
        for block in blocks:
            if isinstance(block, Container):
                self._title_runs(block.children)
        position = 0
        while position < len(blocks):
            end = position
            while (
                end < len(blocks)
                and isinstance(blocks[end], Para)
                and blocks[end].style == "item"
                and title_like(blocks[end].text)
                and self.index.person_at(blocks[end].text, _ITEM.match(blocks[end].text).end())
                is None
            ):
                end += 1
            if end - position >= 2:
                for at in range(position, end):
                    para = blocks[at]
                    blocks[at] = TitleItem(para.line, para.text, para.marks)
                position = end
            else:
                position += 1

    def item(self, line: int, text: str, marks: tuple[Mark, ...] = ()) -> None:
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
                self.open_update(line, text, territory, [person], "item", marks)
                return
        self.target.append(Para(line, text, "item", marks=marks))

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
        self,
        line: int,
        text: str,
        territory: Name,
        speakers: list[Name],
        style: str,
        marks: tuple[Mark, ...] = (),
    ) -> None:
        options = [("speakers", ", ".join(person.id for person in speakers))]
        if self.question:
            options.append(("question", self.question))
        label = f"{territory.label} — {', '.join(person.label for person in speakers)}"
        if self.question:
            label += f" ; question : « {excerpt(self.question, 60)} »"
        self.update = Container("territory-update", territory.id, line, label, options)
        self.update.children.append(Para(line, text, style, marks=marks))
        self.target.append(self.update)
