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
from .blocks import (
    Block,
    BlockReader,
    Container,
    ListBlock,
    Para,
    Quotation,
    TitleItem,
    leading_emoji,
)
from .citations import Work
from .cues import Context
from .events import registry_events
from .inline import Name, NameIndex, option_text, option_value, quoted
from .report import ImportReport, Noted, excerpt
from .source import SourceLine, plain_lines
from .writing import MARKER, InlineWriter, NewResource, Written

#: A paragraph that says where the quotation before it comes from.
_SOURCE_SENTENCE = re.compile(
    r"^(?:cette|cet|ce)\s+(?:citation|extrait|passage|phrase)\s+(?:provient|est\s+(?:extraite?|tirée?|issue?))",
    re.IGNORECASE,
)


class _Writer:
    """Writes blocks as MyST, and notes in the report what it wrote."""

    def __init__(
        self,
        index: NameIndex,
        taken_ids: Iterable[str],
        report: ImportReport,
        registry: Registry,
        works: list[Work],
        date: str,
    ) -> None:
        events = registry_events(registry)
        self.inline = InlineWriter(index, taken_ids, report, events=events, works=works, date=date)
        self.index = index
        self.registry = registry
        self.report = report
        self.lead = ""
        self.before: list[str] = []
        self.publisher: Name | None = None

    def blocks(self, blocks: list[Block], inside: bool = False) -> list[tuple[str, int]]:
        """Each block as (MyST text, depth of the directives it nests)."""
        written: list[tuple[str, int]] = []
        position = 0
        while position < len(blocks):
            block = blocks[position]
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            previous = blocks[position - 1] if position else None
            if isinstance(block, Container):
                written.append(self.container(block))
            elif isinstance(block, Quotation):
                if (
                    block.speaker is None
                    and isinstance(following, Para)
                    and _SOURCE_SENTENCE.match(following.text)
                ):
                    source = self.para_text(following)
                    written += self.quotation(block, source=source)
                    written += self.emit(source, following)
                    position += 2
                    continue
                written += self.quotation(block, introduced_by=previous)
            elif isinstance(block, ListBlock):
                written += self.list_block(block)
            elif isinstance(block, TitleItem):
                written += self.title_item(block)
            else:
                written += self.paragraph(block, inside)
            position += 1
        return written

    # -- context -----------------------------------------------------------------

    def context(self) -> Context:
        return Context(self.lead, "\n".join(self.before))

    def remember(self, block: Para | Quotation, item: bool = False) -> None:
        if item:
            self.lead = re.split(r"(?<=[.!?…])\s", block.text, maxsplit=1)[0]
            self.before = []
        self.before.append(block.text)

    def para_text(self, block: Para, links: bool = True) -> Written:
        item = block.style == "item"
        if item:
            self.lead, self.before = "", []
        marks = block.marks
        if block.style in ("speaker", "heading"):  # the whole line is strong already
            marks = tuple(mark for mark in marks if mark.kind != "strong")
        written = self.inline.write(
            block.text,
            block.line,
            links=links,
            marks=marks,
            context=self.context(),
            emphasis=block.style == "caption",
        )
        self.remember(block, item)
        return written

    # -- blocks ------------------------------------------------------------------

    def container(self, block: Container) -> tuple[str, int]:
        self.lead, self.before = "", []
        if block.name == "rubrique":
            self.report.rubriques.append(Noted(block.line, block.label))
            options = block.options
            self.publisher = self._rubrique_publisher(block.argument)
        else:
            self.report.updates.append(Noted(block.line, block.label))
            options = [(k, option_text(v) if k == "question" else v) for k, v in block.options]
        children = self.blocks(block.children, inside=block.name != "rubrique")
        return fence(
            block.name, block.argument, options, children, 4 if block.name == "rubrique" else 3
        )

    def _rubrique_publisher(self, rubrique: str) -> Name | None:
        """The organisation a rubrique's title or description names (« Inspiration
        par Territoires Audacieux… », « Des contenus produits par le média… »)."""
        entry = self.registry.rubriques.get(rubrique)
        if entry is None:
            return None
        said = f"{entry.get('title', '')} {entry.get('description', '')}"
        named = {f.name for f in self.index.find(said) if f.name.kind == "organisation"}
        return next(iter(named)) if len(named) == 1 else None

    def quotation(
        self,
        block: Quotation,
        source: Written | None = None,
        introduced_by: Block | None = None,
    ) -> list[tuple[str, int]]:
        written = self.inline.write(block.text, block.line, links=False, marks=block.marks)
        self.remember(block)
        speaker, guesses = block.speaker, []
        if speaker is not None:
            guesses.append(
                f"citation attribuée à {speaker.label}, que nomme le paragraphe précédent"
            )
        elif source is not None and source.resources:
            resource = source.resources[0]
            self.report.quotes.append(
                Noted(block.line, f"source : {resource.id}", excerpt(block.text, 60))
            )
            quote = fence("quote", "", [("source", resource.id)], [(written.text, 0)])
            marker = _marker([f"source de la citation devinée : {resource.id}"], block.line)
            return [marker, quote]
        elif (
            isinstance(introduced_by, Para)
            and introduced_by.style in ("plain", "item")
            and introduced_by.text.rstrip().endswith(":")
        ):
            people = [
                f.name for f in self.index.find(introduced_by.text) if f.name.kind == "person"
            ]
            if len(set(people)) == 1:
                speaker = people[0]
                guesses.append(
                    f"citation attribuée à {speaker.label}, qui l’introduit dans la phrase "
                    "précédente"
                )
        if speaker is None:
            self.report.plain_quotes.append(Noted(block.line, excerpt(block.text, 60)))
            return [("> " + written.text, 0)]
        self.report.quotes.append(Noted(block.line, speaker.label, excerpt(block.text, 60)))
        quote = fence("quote", "", [("speaker", speaker.id)], [(written.text, 0)])
        return [_marker(guesses, block.line), quote]

    def list_block(self, block: ListBlock) -> list[tuple[str, int]]:
        lines, declarations = [], []
        for number, item in enumerate(block.items, 1):
            written = self.para_text(item)
            bullet = f"{number}." if block.ordered else "-"
            lines.append(f"{bullet} {written.text}")
            declarations += self.declarations(written.resources)
        self.report.lists.append(
            Noted(block.line, f"{len(block.items)} éléments", excerpt(block.announced, 60))
        )
        out = []
        if block.announced:
            out.append(
                _marker(
                    [
                        f"liste de {len(block.items)} éléments reconnue d’après la phrase qui les "
                        "annonce"
                    ],
                    block.line,
                )
            )
        return [*out, ("\n".join(lines), 0), *declarations]

    def title_item(self, block: TitleItem) -> list[tuple[str, int]]:
        resource = self.inline.title_item(block.text, block.marks, self.publisher, block.line)
        head = re.match(r"^➡\ufe0f?\s*", block.text)
        body = block.text[head.end() :] if head else block.text
        text = (head.group(0) if head else "") + f"{{resource}}`{_role_text(body)} <{resource.id}>`"
        return [(text, 0), *self.declarations([resource])]

    def paragraph(self, block: Para, inside: bool) -> list[tuple[str, int]]:
        if block.style == "comment":
            if block.line:
                self.report.descriptions.append(Noted(block.line, excerpt(block.text)))
            return [("% " + " ".join(block.text.split()), 0)]
        if block.style == "image":
            alt = option_text(block.text) if block.text else ""
            self.report.images.append(Noted(block.line, block.url, block.text))
            label = f"Image : {alt}" if alt else "Image"
            return [(f"[{label}]({_link_target(block.url)})", 0)]
        written = self.para_text(block, links=block.style != "speaker")
        return self.emit(written, block, inside)

    def emit(self, written: Written, block: Para, inside: bool = True) -> list[tuple[str, int]]:
        text = written.text
        if block.style in ("speaker", "heading"):
            text = f"**{text}**"
        elif not inside:
            emoji = leading_emoji(block.text)[0] and block.style != "item"
            note = block.note or (
                "ligne à émoji qui n’est pas une rubrique du registre" if emoji else ""
            )
            if block.style not in ("caption",):
                self.report.plain.append(Noted(block.line, excerpt(block.text, 60), note))
        out = []
        if written.guesses:
            out.append(_marker(written.guesses, block.line))
        return [*out, (text, 0), *self.declarations(written.resources)]

    def declarations(self, resources: list[NewResource]) -> list[tuple[str, int]]:
        out = []
        for resource in resources:
            if resource.guessed:
                out.append(_marker([f"ressource {resource.id} : " + " ; ".join(resource.guessed)]))
            title = self.inline.write(resource.title, 0, links=False).text
            options = [("title", title), ("kind", resource.kind)]
            if resource.publisher:
                options.append(("publisher", resource.publisher))
            options.append(("url", resource.url) if resource.url else ("pending", ""))
            out.append(fence("resource", resource.id, options, []))
        return out


def _marker(guesses: list[str], line: int = 0) -> tuple[str, int]:
    """The ``% à revoir`` comment before a guessed block: one line per guess."""
    return ("\n".join(MARKER + " ".join(guess.split()) for guess in guesses), 0)


def _role_text(text: str) -> str:
    """Text inside a role's backquotes: no backquote, no « < » that would end it."""
    return " ".join(text.replace("`", "’").replace("<", "‹").replace(">", "›").split())


def _link_target(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


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
    status: str = "draft"


def convert_lines(
    lines: list[SourceLine],
    registry: Registry,
    taken_ids: Iterable[str] = (),
    *,
    works: list[Work] = (),  # type: ignore[assignment]
    date: str = "",
) -> tuple[str, list[Block], ImportReport]:
    """The MyST body of a letter (without front matter and heading), its blocks
    and the report. ``taken_ids``: resource ids other letters already declare;
    ``works``: the bibliography; ``date``: the letter's month (days without a
    year are dated from it)."""
    index = NameIndex(registry)
    blocks = BlockReader(index, registry).read(lines)
    report = ImportReport()
    written = _Writer(index, taken_ids, report, registry, list(works), date).blocks(blocks)
    return "\n\n".join(text for text, _depth in written) + "\n", blocks, report


def convert_body(
    text: str,
    registry: Registry,
    taken_ids: Iterable[str] = (),
    *,
    works: list[Work] = (),  # type: ignore[assignment]
    date: str = "",
) -> tuple[str, list[Block], ImportReport]:
    """:func:`convert_lines` of a plain-text export."""
    return convert_lines(plain_lines(text), registry, taken_ids, works=works, date=date)


def import_letter(
    text: str | list[SourceLine],
    registry: Registry,
    *,
    number: int,
    date: str,
    title: str | None = None,
    taken_ids: Iterable[str] = (),
    works: list[Work] = (),  # type: ignore[assignment]
    date_guess: str = "",
    status: str = "draft",
    subtitle: str = "",
) -> Draft:
    """A MyST draft of an exported letter: front matter (``status: draft``),
    heading « Lettre n° N — mois année », then the structured body.

    The title is ``title`` when given, else the édito's subtitle, else the first
    rubrique's title, else the heading. The summary is the start of the édito
    (or ``subtitle``, the host's), marked as to review; ``date_guess`` says how
    the date was inferred when the editor did not give it, and marks it too."""
    lines = plain_lines(text) if isinstance(text, str) else text
    body, blocks, report = convert_lines(lines, registry, taken_ids, works=works, date=date)
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
    summary, summary_from = (
        (subtitle, "le sous-titre de la lettre chez l’hébergeur")
        if subtitle
        else (_summary(rubriques), "le début de l’édito")
    )
    guesses = []
    if date_guess:
        guesses.append(f"date {date} déduite : {date_guess}")
    if summary and not subtitle:
        guesses.append(f"résumé (summary) repris d’après {summary_from} : à réécrire en une phrase")
    if status != "draft" and (guesses or MARKER in body):
        # A letter with guesses left cannot be published: a draft, that says so.
        guesses.append(
            f"lettre au statut {status} chez l’hébergeur : remettez « status: {status} » "
            "quand plus rien n’est à revoir"
        )
        status = "draft"
    front = f"---\nnumber: {number}\ndate: {date}\ntitle: {_yaml_scalar(title)}\nstatus: {status}\n"
    if summary:
        front += "summary: " + _yaml_scalar(summary) + "\n"
    front += "---\n\n"
    markers = "".join(MARKER + guess + "\n" for guess in guesses)
    head = markers + ("\n" if markers else "")
    report.guesses = (head + body).count(MARKER)
    return Draft(front + head + f"# {heading}\n\n" + body, title, heading, report, status)


def _summary(rubriques: list[Block]) -> str:
    """The first sentences of the édito (after its signature), about 250 characters."""
    edito = next(
        (
            block
            for block in rubriques
            if isinstance(block, Container) and block.argument == "edito"
        ),
        None,
    )
    if edito is None:
        return ""
    for block in edito.children:
        if isinstance(block, Para) and block.style == "plain" and len(block.text.split()) >= 12:
            sentences = re.split(r"(?<=[.!?…])\s+", " ".join(block.text.split()))
            summary = ""
            for sentence in sentences:
                summary = f"{summary} {sentence}".strip()
                if len(summary) >= 200:
                    break
            return summary
    return ""


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
