"""Measuring an imported draft against the hand-made letter (issue 16).

A letter's MyST is read into :class:`Facts` — what it declares and mentions,
each as a set, and the words a reader reads — with the project's own
markdown-it set-up and MyST's directive-text parser (through
:mod:`almanach.tools.checker`), so a directive or a role is found exactly where
the build finds it. :func:`compare` gives one :class:`Row` per category (recall,
precision, what is missing and what is invented); :func:`words_kept` says how
many words of the export the draft still shows; :func:`format_table` prints the
rows for the test output and the closing note.

How things are matched:

- **resources**, one to one, by title: both titles folded (lowercase, accents
  and punctuation removed, roles reduced to their text), French stop words
  dropped; the similarity is the best of the Dice coefficient of the two sets
  of content words and :class:`difflib.SequenceMatcher`'s ratio of the two
  joined word lists; a pair counts from :data:`TITLE_THRESHOLD`. Pairs are
  taken greedily, best score first (ties by id), each resource in one pair at
  most.
- **quotations**, one to one: the folded texts' ratio at least
  :data:`QUOTE_THRESHOLD`, and the same attribution — the same speaker, or
  sources that are the same key or a matched pair of resources.
- every other category: set equality.

"Words kept" is a multiset comparison: each word of the export (folded:
lowercase, accents kept, apostrophes unified, punctuation and emoji dropped)
must be in the draft as many times as in the export. The draft's words are
those a reader reads: the text of paragraphs, headings, list items and
directive bodies (a role shows its text: ``{person}`Léa <lea>``` is « Léa »;
a citation shows no word of the letter), plus, by default, the directive
options shown beside them (a resource's title, a rubrique's subtitle and the
registry's title and description of the rubrique, a territory update's
question, a quotation's context) — the hand-made letter gives the
« Inspiration » articles only as titles and the interview questions only as
``:question:``. ``shown=False`` counts the body alone. MyST comments, the front
matter and option values that are ids are never read.

This module is pure (no Sphinx application, no file written): tests import it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from markdown_it.token import Token
from sphinx.util.nodes import split_explicit_title

from almanach.model.registry import Registry
from almanach.rules.directives import SPECS
from almanach.rules.ids import MENTION_KINDS
from almanach.tools.checker import _directive, markdown_parser
from almanach.tools.importer.source import SourceLine

#: Two resource titles match from this similarity (see :func:`title_similarity`).
TITLE_THRESHOLD = 0.5
#: Two quotations match from this ratio of their folded texts.
QUOTE_THRESHOLD = 0.9
#: The name under which a test records a table for the terminal summary
#: (``record_property``; ``tests/conftest.py`` prints it at the end of the run).
PROPERTY = "almanach_import_metrics"

#: The categories compared by default, in the table's order, with their label.
CATEGORIES: dict[str, str] = {
    "resources": "ressources",
    "quotations": "citations",
    "events": "événements",
    "people": "personnes",
    "territories": "territoires",
    "organisations": "organisations",
    "citations": "réf. biblio.",
    "updates": "nouvelles",
    "lists": "listes",
}
#: Compared on request (``compare(..., categories=...)``): addresses.
EXTRA_CATEGORIES: dict[str, str] = {"links": "liens", "images": "images"}
WORDS = "words"
LABELS = {**CATEGORIES, **EXTRA_CATEGORIES, WORDS: "mots gardés"}

#: French words that say little about a title (compared after folding: no accents).
STOP_WORDS = frozenset(
    """a au aux avec c ce ces cet cette d dans de des du en et est il ils l la le les
    leur leurs n ne ou par pas pour qu que qui s sa se ses son sur un une y""".split()
)

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "′": "'"})
_ELISIONS = str.maketrans({quote: " " for quote in "'’ʼ‘`′"})
#: A word: letters or digits, joined by apostrophes or hyphens (« l'institut »,
#: « co-porteurs »); emoji and punctuation are not words.
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_IDS = re.compile(r"[\s,]+")


class Resource(NamedTuple):
    id: str
    title: str  # roles reduced to their text
    kind: str
    url: str | None
    publisher: str | None
    pending: bool


class Quotation(NamedTuple):
    text: str  # folded words, one space apart
    speaker: str | None
    source: str | None


class Update(NamedTuple):
    territory: str
    speakers: frozenset[str]


@dataclass
class Facts:
    """What a letter declares and mentions (sets), and the words it shows."""

    resources: set[Resource] = field(default_factory=set)
    quotations: set[Quotation] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    territories: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    citations: set[str] = field(default_factory=set)  # bibliography keys
    updates: set[Update] = field(default_factory=set)
    lists: set[tuple[str, ...]] = field(default_factory=set)  # folded item texts
    links: set[str] = field(default_factory=set)  # link targets and resources' :url:
    images: set[str] = field(default_factory=set)
    #: The words of the body: paragraphs, headings, list items, directive bodies.
    words: Counter[str] = field(default_factory=Counter)
    #: The words of the options shown beside them (titles, subtitles, questions…).
    shown_words: Counter[str] = field(default_factory=Counter)


@dataclass
class Details:
    """What a row's numbers are made of."""

    missing: list[Any] = field(default_factory=list)  # in the reference only
    invented: list[Any] = field(default_factory=list)  # in the draft only
    pairs: list[tuple[Any, Any, float]] = field(default_factory=list)  # (reference, draft, score)


class Row(NamedTuple):
    category: str
    found_in_both: int
    draft_count: int
    reference_count: int
    recall: float | None  # None: nothing to find
    precision: float | None  # None: nothing found
    details: Details


# Folding


def fold_words(text: str) -> list[str]:
    """The words of ``text`` as compared: lowercase, accents kept, apostrophes
    unified, punctuation and emoji dropped."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).lower()
    return _WORD.findall(text)


def normalised(text: str) -> str:
    """``text`` as its folded words, one space apart."""
    return " ".join(fold_words(text))


def title_words(title: str) -> list[str]:
    """The content words of a title: folded, without accents, elisions split
    off (« l’analyse » is « analyse »), without French stop words."""
    bare = "".join(
        char for char in unicodedata.normalize("NFKD", title) if not unicodedata.combining(char)
    )
    return [word for word in fold_words(bare.translate(_ELISIONS)) if word not in STOP_WORDS]


def title_similarity(first: str, second: str) -> float:
    """The best of the Dice coefficient of the two titles' sets of content
    words and the ratio of the two joined lists (``difflib.SequenceMatcher``)."""
    words_a, words_b = title_words(first), title_words(second)
    set_a, set_b = set(words_a), set(words_b)
    if not set_a or not set_b:
        return 1.0 if normalised(first) == normalised(second) else 0.0
    dice = 2 * len(set_a & set_b) / (len(set_a) + len(set_b))
    ratio = difflib.SequenceMatcher(None, " ".join(words_a), " ".join(words_b)).ratio()
    return max(dice, ratio)


# Reading a letter


class _Reader:
    """One pass over a letter's tokens, directive bodies included."""

    def __init__(self, registry: Registry | None):
        self.registry = registry
        self.parser = markdown_parser()
        self.env: dict[str, Any] = {}
        self.facts = Facts()

    def read(self, text: str) -> Facts:
        self.walk(self.parser.parse(text, self.env), 0)
        return self.facts

    def walk(self, tokens: list[Token], offset: int) -> None:
        lists: list[list[list[str]]] = []  # open lists: their items, each its texts
        for token in tokens:
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                lists.append([])
            elif kind == "list_item_open" and lists:
                lists[-1].append([])
            elif kind in ("bullet_list_close", "ordered_list_close") and lists:
                items = lists.pop()
                self.facts.lists.add(tuple(normalised(" ".join(item)) for item in items))
            elif kind == "inline":
                shown = self.inline(token.children or [])
                self.facts.words.update(fold_words(shown))
                if lists and lists[-1]:
                    lists[-1][-1].append(shown)
            elif kind in ("colon_fence", "fence") and token.map:
                self.fence(token, offset)
            elif kind == "code_block":
                self.facts.words.update(fold_words(token.content))

    def fence(self, token: Token, offset: int) -> None:
        directive = _directive(token, offset)
        if directive is None:
            if token.type == "colon_fence":  # a container, or a refused directive's text
                self.walk(self.parser.parse(token.content + "\n", self.env), offset)
            else:  # a code block: shown as written
                self.facts.words.update(fold_words(token.content))
            return
        options, facts = directive.options, self.facts
        spec = SPECS.get(directive.name)
        shown = {}
        for option in spec.options if spec else ():
            if option.type in ("text", "plain") and options.get(option.name):
                shown[option.name] = self.option_text(options[option.name], option.type)
                facts.shown_words.update(fold_words(shown[option.name]))
        if directive.name == "resource":
            url = options.get("url") or None
            facts.resources.add(
                Resource(
                    directive.argument,
                    shown.get("title", ""),
                    options.get("kind", ""),
                    url,
                    options.get("publisher") or None,
                    "pending" in options,
                )
            )
            if url:
                facts.links.add(url)
        elif directive.name == "territory-update":
            speakers = frozenset(filter(None, _IDS.split(options.get("speakers", ""))))
            facts.updates.add(Update(directive.argument, speakers))
            facts.people |= speakers
        elif directive.name == "rubrique" and self.registry is not None:
            entry = self.registry.rubriques.get(directive.argument)
            if entry is not None:
                facts.shown_words.update(fold_words(entry.label))
                facts.shown_words.update(fold_words(entry.get("description") or ""))
        elif directive.name in ("image", "figure") and directive.argument:
            facts.images.add(directive.argument)
        if directive.body.strip():
            self.walk(self.parser.parse(directive.body, self.env), directive.body_line - 1)
        if directive.name == "quote":
            facts.quotations.add(
                Quotation(
                    normalised(self.plain_text(directive.body)),
                    options.get("speaker") or None,
                    options.get("source") or None,
                )
            )

    def plain_text(self, markdown: str) -> str:
        """The text a reader reads of some MyST blocks (a quotation's body)."""
        return " ".join(
            self.inline(token.children or [], record=False)
            for token in self.parser.parse(markdown, {})
            if token.type == "inline"
        )

    def option_text(self, value: str, kind: str) -> str:
        """The text an option shows; a ``text`` option's mentions are counted."""
        if kind == "plain":
            return value
        return " ".join(
            self.inline(token.children or []) for token in self.parser.parseInline(value, {})
        )

    def inline(self, children: Sequence[Token], record: bool = True) -> str:
        """The text an inline token shows; its mentions, citations and addresses
        are added to the facts (unless ``record`` is false)."""
        parts = []
        facts = self.facts
        for child in children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(child.content)
                if record:
                    facts.images.add(str(child.attrs.get("src", "")))
            elif child.type == "link_open" and record:
                facts.links.add(str(child.attrs.get("href", "")))
            elif child.type == "myst_role":
                parts.append(self.role(child.meta.get("name", ""), child.content, record))
        return "".join(parts)

    def role(self, name: str, content: str, record: bool) -> str:
        """The text a role shows, its target recorded."""
        if name.startswith("cite"):  # {cite}, {cite:p}, {cite:t}: a label, not the letter's words
            if record:
                self.facts.citations.update(filter(None, _IDS.split(content)))
            return ""
        if name not in MENTION_KINDS:
            return content
        explicit, title, target = split_explicit_title(content.strip())
        target = target.strip()
        registry = MENTION_KINDS[name]
        if record and registry is not None:
            getattr(self.facts, registry).add(target)
        if explicit:
            return title
        entry = self.registry.lookup(registry, target) if self.registry and registry else None
        return entry.label if entry is not None else target


def letter_facts(myst: str, registry: Registry | None = None) -> Facts:
    """The facts of a letter's MyST text. With ``registry``, a rubrique shows its
    registry title and description, and a mention without text its entry's name."""
    return _Reader(registry).read(myst)


# Comparing


def _row(
    category: str, draft_count: int, reference_count: int, matched: int, details: Details
) -> Row:
    recall = matched / reference_count if reference_count else None
    precision = matched / draft_count if draft_count else None
    return Row(category, matched, draft_count, reference_count, recall, precision, details)


def _greedy(
    scored: Iterable[tuple[float, Any, Any]], threshold: float
) -> list[tuple[Any, Any, float]]:
    """One-to-one pairs (reference, draft, score), best score first."""
    pairs, taken_ref, taken_draft = [], set(), set()
    for score, ref, draft in sorted(scored, key=lambda s: (-s[0], repr(s[1]), repr(s[2]))):
        if score >= threshold and ref not in taken_ref and draft not in taken_draft:
            pairs.append((ref, draft, score))
            taken_ref.add(ref)
            taken_draft.add(draft)
    return pairs


def match_resources(
    draft: Iterable[Resource], reference: Iterable[Resource]
) -> list[tuple[Resource, Resource, float]]:
    """The resources of the reference and of the draft paired by title (see the
    module's docstring): (reference, draft, similarity)."""
    draft, reference = list(draft), list(reference)
    scored = [
        (title_similarity(ref.title, found.title), ref, found)
        for ref in reference
        for found in draft
    ]
    return _greedy(scored, TITLE_THRESHOLD)


def same_attribution(ref: Quotation, found: Quotation, resource_pairs: dict[str, str]) -> bool:
    """The same speaker, or sources that are the same key or a matched pair of
    resources (``resource_pairs``: reference id -> draft id). Two quotations
    attributed to no one and nothing are attributed alike."""
    if ref.speaker is not None and ref.speaker == found.speaker:
        return True
    if ref.source and found.source:
        return found.source in (ref.source, resource_pairs.get(ref.source))
    return not (ref.speaker or ref.source or found.speaker or found.source)


def match_quotations(
    draft: Iterable[Quotation], reference: Iterable[Quotation], resource_pairs: dict[str, str]
) -> list[tuple[Quotation, Quotation, float]]:
    """The quotations paired by text and attribution: (reference, draft, ratio)."""
    scored = []
    for ref in reference:
        for found in draft:
            if same_attribution(ref, found, resource_pairs):
                ratio = difflib.SequenceMatcher(None, ref.text, found.text).ratio()
                scored.append((ratio, ref, found))
    return _greedy(scored, QUOTE_THRESHOLD)


def _paired(category: str, draft: set, reference: set, pairs: list) -> Row:
    paired_ref = {ref for ref, _found, _score in pairs}
    paired_draft = {found for _ref, found, _score in pairs}
    details = Details(
        missing=sorted(reference - paired_ref, key=repr),
        invented=sorted(draft - paired_draft, key=repr),
        pairs=pairs,
    )
    return _row(category, len(draft), len(reference), len(pairs), details)


def compare(
    draft: Facts, reference: Facts, categories: Iterable[str] = tuple(CATEGORIES)
) -> list[Row]:
    """One row per category: how many of the reference's items the draft has
    (recall), how many of the draft's are the reference's (precision), and
    which are missing or invented. ``categories``: among :data:`CATEGORIES`
    and :data:`EXTRA_CATEGORIES`."""
    resource_pairs = match_resources(draft.resources, reference.resources)
    rows = []
    for category in categories:
        if category not in CATEGORIES and category not in EXTRA_CATEGORIES:
            raise ValueError(f"catégorie inconnue : « {category} »")
        found, wanted = getattr(draft, category), getattr(reference, category)
        if category == "resources":
            rows.append(_paired(category, found, wanted, resource_pairs))
        elif category == "quotations":
            ids = {ref.id: found.id for ref, found, _score in resource_pairs}
            rows.append(_paired(category, found, wanted, match_quotations(found, wanted, ids)))
        else:
            both = found & wanted
            details = Details(
                missing=sorted(wanted - found, key=repr),
                invented=sorted(found - wanted, key=repr),
                pairs=[(item, item, 1.0) for item in sorted(both, key=repr)],
            )
            rows.append(_row(category, len(found), len(wanted), len(both), details))
    return rows


# Words


def source_words(text: str | Iterable[SourceLine]) -> Counter[str]:
    """The words of an export: its plain text, or its :class:`SourceLine` (their
    texts, one per line)."""
    if not isinstance(text, str):
        text = "\n".join(line.text for line in text)
    return Counter(fold_words(text))


def words_kept(
    source: Counter[str], draft: Facts, shown: bool = True
) -> tuple[float, Counter[str]]:
    """The share of the export's words that the draft shows (as a multiset), and
    the words missing (with how many times). ``shown=False``: in its body only."""
    available = draft.words + draft.shown_words if shown else draft.words
    missing = source - available
    total = sum(source.values())
    return (1 - sum(missing.values()) / total if total else 1.0), missing


def words_row(source: Counter[str], draft: Facts, shown: bool = True) -> Row:
    """The row of the table for the words kept: the export's words, the draft's
    (those counted, see :func:`words_kept`), those kept. No precision: a draft
    may add words (titles, for instance)."""
    ratio, missing = words_kept(source, draft, shown)
    total = sum(source.values())
    counted = draft.words + draft.shown_words if shown else draft.words
    kept = total - sum(missing.values())
    details = Details(missing=sorted(missing.elements()))
    return Row(WORDS, kept, counted.total(), total, ratio if total else None, None, details)


def source_links(lines: Iterable[SourceLine]) -> set[str]:
    """The addresses an export links to (its link marks)."""
    return {mark.url for line in lines for mark in line.marks if mark.kind == "link" and mark.url}


def links_kept(source: set[str], draft: Facts) -> tuple[float, set[str]]:
    """The share of the export's link addresses that the draft keeps (as a link
    or a resource's ``:url:``), and those lost."""
    missing = source - draft.links
    return (1 - len(missing) / len(source) if source else 1.0), missing


# Showing


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def format_table(rows: Iterable[Row]) -> str:
    """The rows as a fixed-width table, French with the English names."""
    header = ("catégorie (category)", "réf.", "brouillon", "trouvés", "rappel", "précision")
    english = ("", "(ref)", "(draft)", "(matched)", "(recall)", "(precision)")
    lines = [
        (
            f"{LABELS.get(row.category, row.category)} ({row.category})",
            str(row.reference_count),
            str(row.draft_count),
            str(row.found_in_both),
            _percent(row.recall),
            _percent(row.precision),
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in (header, english, *lines)) for i in range(6)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return " | ".join((first, *rest)).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(header), line(english), rule, *map(line, lines)])


def format_details(rows: Iterable[Row], limit: int = 20) -> str:
    """What each row misses and invents, and the resources' pairs with their
    score (at most ``limit`` items a list)."""
    out = []
    for row in rows:
        label = f"{LABELS.get(row.category, row.category)} ({row.category})"
        if row.category == "resources":
            for ref, found, score in row.details.pairs:
                out.append(f"{label} ≈ {score:.2f} : « {ref.title} » ↔ « {found.title} »")
        for name, items in (("manque", row.details.missing), ("inventé", row.details.invented)):
            if items:
                shown = [_item(item) for item in items[:limit]]
                more = f" … (+{len(items) - limit})" if len(items) > limit else ""
                out.append(f"{label}, {name} ({len(items)}) : " + " ; ".join(shown) + more)
    return "\n".join(out)


def _item(item: Any) -> str:
    if isinstance(item, Resource):
        return f"{item.id} « {item.title} »"
    if isinstance(item, Quotation):
        return f"« {item.text[:60]}… » ({item.speaker or item.source or 'sans attribution'})"
    if isinstance(item, Update):
        return f"{item.territory} [{', '.join(sorted(item.speakers))}]"
    if isinstance(item, tuple):
        return "[" + " | ".join(text[:30] for text in item) + "]"
    return str(item)


def failures(rows: Iterable[Row], minimum: float = 0.9, words: float = 1.0) -> list[str]:
    """The rows below the thresholds: recall and precision at least ``minimum``,
    the words kept at least ``words``."""
    failed = []
    for row in rows:
        wanted = words if row.category == WORDS else minimum
        for name, value in (("recall", row.recall), ("precision", row.precision)):
            if value is not None and value < wanted:
                failed.append(f"{row.category}: {name} {_percent(value)} < {_percent(wanted)}")
    return failed


def assert_thresholds(rows: Sequence[Row], minimum: float = 0.9, words: float = 1.0) -> None:
    """Fails (``AssertionError``) when a row is below the thresholds, with the
    table and the details in the message."""
    failed = failures(rows, minimum, words)
    if failed:
        raise AssertionError(
            "below the thresholds: "
            + ", ".join(failed)
            + "\n"
            + format_table(rows)
            + "\n"
            + format_details(rows)
        )


def record_table(record_property, title: str, rows: Sequence[Row], details: bool = False) -> str:
    """The table (and, with ``details``, what each row misses and invents),
    recorded by a test through its ``record_property`` fixture for the run's
    terminal summary (``tests/conftest.py``), and returned."""
    table = f"{title}\n{format_table(rows)}"
    if details:
        table += f"\n{format_details(rows)}"
    record_property(PROPERTY, table)
    return table
