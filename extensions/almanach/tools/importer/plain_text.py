"""Importing a letter as the mailing tool exports it (plain text, one paragraph
a line) into a MyST draft that uses the content model.

Contract: :func:`decode_letter` turns the exported bytes into text (or raises
:class:`LetterFormatError` with a French message); :func:`import_letter` turns
that text into a :class:`Draft` (front matter, heading, body, report);
:func:`letter_number`, :func:`next_number` and :func:`declared_resources` read
what the project's letters already hold. The structure is recognised here, line
by line (each rule has fixture cases in ``tests/fixtures/importer/``):

- a line that starts with an emoji whose rubrique is in the registry (emoji
  compared without U+FE0F, or else the title, case and accents aside) opens a
  ``rubrique``; what follows the registry title is its ``:subtitle:``
  (« 🗣️ Édito : Coopérer pour changer »). The next line, when it is exactly the
  registry description, is kept as a MyST comment, since the rubrique shows it;
- « ➡️ » items stay paragraphs; one that begins « Témoignage de <personne> »
  opens a ``territory-update`` (the territory named in its first sentence, or
  the person's);
- a line « Prénom Nom, rôle… : » that starts with known people opens a
  ``territory-update`` (``:speakers:``, and ``:question:`` from a question line
  just before it); the line is kept in bold. The update runs until the next
  speaker or question line, rubrique or item;
- a line that is one quotation (“…” or « … ») becomes a ``quote`` when the item
  just before begins with a known person (or « Témoignage de »); otherwise a
  plain block quote: an attribution is never guessed.

The text inside each line (mentions, lost links that become pending
``resource`` directives after their paragraph, escaping) is
:mod:`almanach.tools.importer.inline`'s; the report, :mod:`almanach.tools.importer.report`'s.

Every word of the input is in the draft, in order (the rubrique descriptions in
comments). A directive's fence has one colon more than the fences it holds
(rubriques at least four): MyST's colon fences do not nest by themselves. The
functions here are pure: the CLI reads and writes the files.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from ...model.letters import month_label
from ...model.registry import Entry, Registry
from .inline import (
    SENTENCE_END,
    InlineWriter,
    Name,
    NameIndex,
    PendingResource,
    fold,
    name_key,
    option_text,
    option_value,
    quoted,
)
from .report import ImportReport, Noted, excerpt

# -- decoding -------------------------------------------------------------------


class LetterFormatError(ValueError):
    """A file that is not a letter in a supported encoding (French message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_letter(data: bytes) -> tuple[str, str]:
    """The text of an exported letter and the name of its encoding.

    UTF-8 (with or without BOM) or Windows-1252, LF, CRLF or CR line ends; the
    text comes back NFC-normalised with LF line ends. Anything else raises
    :class:`LetterFormatError`.
    """
    for bom, name in _WIDE_BOMS.items():
        if data.startswith(bom):
            raise LetterFormatError(
                f"le fichier est en {name}, encodage non pris en charge : exportez ou "
                "enregistrez la lettre en UTF-8 (ou Windows-1252)"
            )
    if b"\x00" in data:
        raise LetterFormatError(
            "le fichier contient des octets nuls : ce n’est pas un texte UTF-8 ou "
            "Windows-1252 (fichier binaire, ou UTF-16 sans BOM ?) ; exportez la lettre "
            "en texte brut"
        )
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "UTF-8 avec BOM"
    else:
        encoding = "UTF-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if encoding != "UTF-8":
            raise LetterFormatError(
                "le fichier commence comme de l’UTF-8 mais contient des octets invalides ; "
                "enregistrez-le à nouveau en UTF-8"
            ) from None
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            raise LetterFormatError(
                f"encodage non reconnu (octet 0x{data[error.start]:02X} en position "
                f"{error.start}) : ni UTF-8 ni Windows-1252 ; enregistrez la lettre en UTF-8"
            ) from None
    text = re.sub(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise LetterFormatError(
            f"caractère de contrôle U+{ord(control.group()):04X} ligne {line} : ce n’est pas "
            "un texte exporté par l’outil d’envoi (fichier binaire ?)"
        )
    if not text.strip():
        raise LetterFormatError("le fichier est vide : rien à importer")
    return unicodedata.normalize("NFC", text), encoding


# -- the blocks of a letter ---------------------------------------------------------


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


def _leading_emoji(text: str) -> tuple[str, str]:
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
    emoji, rest = _leading_emoji(text)
    if not emoji:
        return None
    rubriques = list(rubriques)
    found = next((r for r in rubriques if _leading_emoji(r.get("emoji", ""))[0] == emoji), None)
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


class _Reader:
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


class _Writer:
    """Writes blocks as MyST, and notes in the report what it wrote."""

    def __init__(self, index: NameIndex, taken_ids: Iterable[str], report: ImportReport) -> None:
        self.inline = InlineWriter(index, taken_ids, report)
        self.report = report

    def blocks(self, blocks: list[Block], inside: bool = False) -> list[tuple[str, int]]:
        """Each block as (MyST text, depth of the directives it nests)."""
        written: list[tuple[str, int]] = []
        for block in blocks:
            if isinstance(block, Container):
                written.append(self.container(block))
            elif isinstance(block, Quotation):
                written.append(self.quotation(block))
            else:
                written.extend(self.paragraph(block, inside))
        return written

    def container(self, block: Container) -> tuple[str, int]:
        if block.name == "rubrique":
            self.report.rubriques.append(Noted(block.line, block.label))
            options = block.options
        else:
            self.report.updates.append(Noted(block.line, block.label))
            options = [(k, option_text(v) if k == "question" else v) for k, v in block.options]
        children = self.blocks(block.children, inside=block.name != "rubrique")
        return fence(
            block.name, block.argument, options, children, 4 if block.name == "rubrique" else 3
        )

    def quotation(self, block: Quotation) -> tuple[str, int]:
        text, _resources = self.inline.write(block.text, block.line, links=False)
        if block.speaker is None:
            self.report.plain_quotes.append(Noted(block.line, excerpt(block.text, 60)))
            return "> " + text, 0
        self.report.quotes.append(Noted(block.line, block.speaker.label, excerpt(block.text, 60)))
        return fence("quote", "", [("speaker", block.speaker.id)], [(text, 0)])

    def paragraph(self, block: Para, inside: bool) -> list[tuple[str, int]]:
        if block.style == "comment":
            if block.line:
                self.report.descriptions.append(Noted(block.line, excerpt(block.text)))
            return [("% " + " ".join(block.text.split()), 0)]
        text, resources = self.inline.write(block.text, block.line, block.style != "speaker")
        if block.style == "speaker":
            text = f"**{text}**"
        elif not inside:
            emoji = _leading_emoji(block.text)[0] and block.style != "item"
            note = block.note or (
                "ligne à émoji qui n’est pas une rubrique du registre" if emoji else ""
            )
            self.report.plain.append(Noted(block.line, excerpt(block.text, 60), note))
        return [(text, 0), *map(_pending, resources)]


def _pending(resource: PendingResource) -> tuple[str, int]:
    """The ``resource`` directive that declares a lost link's resource, pending."""
    options = [("title", option_text(resource.title)), ("kind", resource.kind), ("pending", "")]
    return fence("resource", resource.id, options, [])


def fence(
    name: str,
    argument: str,
    options: list[tuple[str, str]],
    children: list[tuple[str, int]],
    minimum: int = 3,
) -> tuple[str, int]:
    """A directive around written children, with enough colons to hold them."""
    depth = 1 + max((child_depth for _text, child_depth in children), default=0)
    colons = ":" * max(minimum, 2 + depth)
    lines = [f"{colons}{{{name}}} {argument}".rstrip()]
    lines += [f":{key}: {option_value(value)}" if value else f":{key}:" for key, value in options]
    body = "\n\n".join(text for text, _depth in children)
    return "\n".join(lines) + ("\n\n" + body if body else "") + "\n" + colons, depth


# -- the draft ------------------------------------------------------------------


@dataclass
class Draft:
    """An imported letter: its MyST text, its title and what the import did."""

    myst: str
    title: str
    heading: str
    report: ImportReport


def convert_body(
    text: str, registry: Registry, taken_ids: Iterable[str] = ()
) -> tuple[str, list[Block], ImportReport]:
    """The MyST body of a letter (without front matter and heading), its blocks
    and the report. ``taken_ids``: resource ids other letters already declare."""
    index = NameIndex(registry)
    lines = [(number, line.strip()) for number, line in enumerate(text.split("\n"), 1)]
    blocks = _Reader(index, registry).read([(n, line) for n, line in lines if line])
    report = ImportReport()
    written = _Writer(index, taken_ids, report).blocks(blocks)
    return "\n\n".join(text for text, _depth in written) + "\n", blocks, report


def import_letter(
    text: str,
    registry: Registry,
    *,
    number: int,
    date: str,
    title: str | None = None,
    taken_ids: Iterable[str] = (),
) -> Draft:
    """A MyST draft of an exported letter: front matter (``status: draft``),
    heading « Lettre n° N — mois année », then the structured body.

    The title is ``title`` when given, else the édito's subtitle, else the first
    rubrique's title, else the heading."""
    body, blocks, report = convert_body(text, registry, taken_ids)
    heading = f"Lettre n° {number} — {month_label(date)}"
    rubriques = [block for block in blocks if isinstance(block, Container)]
    subtitles = [
        dict(block.options).get("subtitle", "") for block in rubriques if block.argument == "edito"
    ]
    first = registry.rubriques.get(rubriques[0].argument) if rubriques else None
    title = (
        title
        or next(filter(None, subtitles), "")
        or (first.get("title", "") if first else "")
        or heading
    )
    front = (
        f"---\nnumber: {number}\ndate: {date}\ntitle: {_yaml_scalar(title)}\nstatus: draft\n---\n\n"
    )
    return Draft(front + f"# {heading}\n\n" + body, title, heading, report)


def _yaml_scalar(value: str) -> str:
    value = " ".join(value.split())
    try:
        if yaml.safe_load(f"title: {value}") == {"title": value}:
            return value
    except yaml.YAMLError:
        pass
    return quoted(value)


# -- what the project already holds ------------------------------------------------

_DECLARED = re.compile(r"^:{3,}\{resource\}\s+(\S+)", re.M)


def letter_number(text: str) -> int | None:
    """The ``number:`` of a letter's front matter, if any."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    end = text.find("\n---", 3) if text.startswith("---\n") else -1
    match = re.search(r"^number:\s*(\d+)\s*$", text[4:end], re.M) if end > 0 else None
    return int(match.group(1)) if match else None


def next_number(letters: Iterable[str]) -> int:
    """1 + the highest letter number among ``letters`` (MyST texts), or 1."""
    return 1 + max((n for n in map(letter_number, letters) if n is not None), default=0)


def declared_resources(letters: Iterable[str]) -> set[str]:
    """The resource ids the ``letters`` (MyST texts) declare."""
    return {match.group(1) for text in letters for match in _DECLARED.finditer(text)}
