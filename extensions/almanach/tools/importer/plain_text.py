"""Importing a letter as the mailing tool exports it (plain text, one paragraph
a line) into a MyST draft that uses the content model.

Contract: :func:`~almanach.tools.importer.decoding.decode_letter` turns the
exported bytes into text (or raises a French
:class:`~almanach.tools.importer.decoding.LetterFormatError`); :func:`import_letter` turns
that text into a :class:`Draft` (front matter, heading, body, report);
:func:`letter_number`, :func:`next_number` and :func:`declared_resources` read
what the project's letters already hold. The structure is recognised line by
line (:mod:`almanach.tools.importer.blocks`; each rule has fixture cases in
``tests/fixtures/importer/``):

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

import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from ...model.letters import month_label
from ...model.registry import Registry
from .blocks import Block, BlockReader, Container, Para, Quotation, leading_emoji
from .inline import (
    InlineWriter,
    NameIndex,
    PendingResource,
    option_text,
    option_value,
    quoted,
)
from .report import ImportReport, Noted, excerpt


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
            emoji = leading_emoji(block.text)[0] and block.style != "item"
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
    blocks = BlockReader(index, registry).read([(n, line) for n, line in lines if line])
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
