"""The inline text of one line of a letter, written as MyST.

Contract: :class:`InlineWriter` turns one line of an exported letter (a
paragraph, an item, a quotation, a speaker line, a question) into MyST inline
text that reads exactly as the line does. Each rule has fixture cases in
``tests/fixtures/importer/``:

- names of people, territories and organisations of the registries become
  mentions whose text is the text as written (:class:`NameIndex`: case and
  accents aside, longest first, on word boundaries);
- a lost link (« ici » before punctuation, « et » or « ou » ; « par là » ;
  « là » ending the line ; « sous forme audio : ») becomes a ``{resource}``
  mention of a new resource id, titled with the sentence's own words
  (:func:`find_lost_links`); the line's :class:`PendingResource` objects come
  back for the caller to declare after the paragraph;
- everything else is backslash-escaped (:func:`escape`): no emphasis, link,
  role, code, HTML, entity or block construct appears by accident;
- capitalised words that look like someone's name but that no registry knows
  are noted in the report (:func:`unknown_people`).

The functions here are pure; :class:`InlineWriter` only fills the
:class:`~almanach.tools.importer.report.ImportReport` it is given. The structure of the
letter (rubriques, items, quotations, interviews) and the directives are
:mod:`almanach.tools.importer.plain_text`'s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ...model.registry import Registry
from .report import ImportReport, Noted

# -- names of the registries, found in the text -----------------------------------------

_APOSTROPHES = "’‘ʼ`´"


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, with one kind of apostrophe and of
    space: character for character, so that positions stay the same."""
    folded = []
    for char in text:
        if char in _APOSTROPHES:
            folded.append("'")
            continue
        if char.isspace():
            folded.append(" ")
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        base = base.lower()
        folded.append(base if len(base) == 1 else char.lower() if len(char.lower()) == 1 else char)
    return "".join(folded)


def name_key(folded: str) -> str:
    """A folded name with its words separated by one space (hyphens included)."""
    return " ".join(re.split(r"[\s-]+", folded.strip()))


@dataclass(frozen=True)
class Name:
    """A registry entry that can be mentioned: its role, id and display name."""

    kind: str  # person, territory, organisation
    id: str
    label: str


@dataclass(frozen=True)
class Found:
    """A name found in a text, at ``start:end``."""

    start: int
    end: int
    name: Name


_MENTIONED = (("person", "people"), ("territory", "territories"), ("organisation", "organisations"))


class NameIndex:
    """The names of people, territories and organisations, matched case and
    accent insensitively, longest first, on word boundaries (hyphens and spaces
    between words are equivalent: « Caluire et Cuire » is « Caluire-et-Cuire »)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.names: dict[str, Name] = {}
        for kind, registry_name in _MENTIONED:
            for entry in registry[registry_name].values():
                key = name_key(fold(entry.label))
                if key:
                    self.names.setdefault(key, Name(kind, entry.id, entry.label))
        keys = sorted(self.names, key=len, reverse=True)
        patterns = [r"[\s-]+".join(map(re.escape, key.split(" "))) for key in keys]
        self.pattern = (
            re.compile(r"(?<![\w@/.-])(?:" + "|".join(patterns) + r")(?![\w@-]|\.\w)")
            if keys
            else None
        )

    def find(self, text: str) -> list[Found]:
        if self.pattern is None:
            return []
        return [
            Found(match.start(), match.end(), self.names[name_key(match.group())])
            for match in self.pattern.finditer(fold(text))
        ]

    def person_at(self, text: str, position: int) -> Name | None:
        """The person whose name starts exactly at ``position``, if any."""
        for found in self.find(text):
            if found.start == position and found.name.kind == "person":
                return found.name
        return None

    def territory_of(self, person: Name) -> Name | None:
        entry = self.registry.people.get(person.id)
        territory = self.registry.territories.get(entry.get("territory", "")) if entry else None
        return Name("territory", territory.id, territory.label) if territory else None


# -- lost links ---------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")

_LOST_LINK = re.compile(
    r"(?<![\w’'])(?:"
    r"(?P<ici>ici)(?=\s*(?:[.,;:!?…()]|$)|\s+(?:et|ou)\s)"
    r"|par\s+(?P<par>là)(?=\s*(?:[.,;:!?…()]|$)|\s+(?:et|ou)\s)"
    r"|(?<!ici\s)(?P<la>là)(?=\s*[.!…]?$)"
    r"|sous\s+forme\s+(?P<forme>audio|vidéo|video)(?=\s*:$)"
    r")"
)
#: Words that say what a lost link pointed to (folded), and the resource kind.
KIND_WORDS = (
    (r"articles?", "article"),
    (r"audio", "audio"),
    (r"videos?", "vidéo"),
    (r"interviews?", "interview"),
    (r"syntheses?", "synthèse"),
    (r"comptes?[ -]rendus?", "compte-rendu"),
    (r"mallettes?", "mallette"),
    (r"documents?", "document"),
    (r"sites?", "site"),
)
_KIND = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(KIND_WORDS)) + r")(?!\w)"
)
_TITLE_TAIL = re.compile(
    r"(?:\s+(?:est|sont|(?:se\s+)?trouvent?)?\s*(?:à|a)\s+(?:retrouver|lire|écouter|voir|découvrir"
    r"|consulter|télécharger)|\s+(?:est|sont)?\s*(?:disponibles?|accessibles?|consultables?)"
    r"|\s+(?:se\s+)?trouvent?|\s+sous\s+forme|\s+(?:est|sont))\s*$",
    re.IGNORECASE,
)
_TITLE_HEAD = re.compile(
    r"^(?:.*?,\s*)?(?:vous\s+pouvez|on\s+peut|retrouvez)\s+(?:retrouver\s+|lire\s+|écouter\s+|"
    r"voir\s+|découvrir\s+|consulter\s+|télécharger\s+)?|^(?:et|ou|puis|mais)\s+",
    re.IGNORECASE,
)
_SLUG_SKIP = set(
    "le la les l d de du des et ou a au aux un une en pour par sur dans sa son ses leur leurs"
    " qui que est sont avec ce cet cette".split()
)


@dataclass(frozen=True)
class LostLink:
    """A word whose link the export lost, and what the sentence says of it."""

    start: int
    end: int
    title: str
    kind: str


def find_lost_links(text: str) -> list[LostLink]:
    """The lost links of a paragraph, with a title from the sentence's own words."""
    links = []
    clause_start = 0
    for match in _LOST_LINK.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value)
        start, end = match.span(group)
        sentence = [m.end() for m in SENTENCE_END.finditer(text, 0, match.start())]
        begin = max([clause_start, *sentence])
        clause = text[begin : match.start()]
        folded = fold(clause + " " + text[match.start() : end])
        kinds = [
            KIND_WORDS[int(name[1:])][1]
            for m in _KIND.finditer(folded)
            for name, value in m.groupdict().items()
            if value
        ]
        links.append(
            LostLink(start, end, _title(clause, text, begin, end), kinds[-1] if kinds else "autre")
        )
        clause_start = end
    return links


def _title(clause: str, text: str, begin: int, end: int) -> str:
    title = " ".join(clause.split())
    title = _TITLE_HEAD.sub("", title, count=1)
    title = _TITLE_TAIL.sub("", title).strip(" ,;:–—-")
    if title.startswith("(") and ")" not in title:
        title = title[1:].strip()
    if not title:
        title = " ".join(text[begin:end].split())
    words = title.split(" ")
    if len(words) > 16:
        title = " ".join(words[:16]) + "…"
    return title[:1].upper() + title[1:]


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(title))
    kept = [word for word in words if word not in _SLUG_SKIP] or words
    return "-".join(kept[:4]) or "ressource"


# -- escaping MyST --------------------------------------------------------------------

_ALWAYS_ESCAPED = set("\\`*[<{")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _line_start(text: str) -> set[int]:
    """Positions to escape so that a paragraph starts no block construct
    (heading, quote, list, comment, fence, definition, target, break)."""
    if not text:
        return set()
    if text[0] in "#>%:~|=" or (text[0] in "+-" and not text[1:2].isalnum()):
        return {0}
    number = re.match(r"\d{1,9}([.)])(?=\s|$)", text)
    if number:
        return {number.start(1)}
    if re.match(r"\([^)]*\)=\s*$", text):
        return {0}
    return set()


def escape(text: str, start: int = 0, end: int | None = None, forced: Iterable[int] = ()) -> str:
    """``text[start:end]`` with the MyST specials backslash-escaped, so that it
    reads exactly as written (no emphasis, link, role, code, HTML or entity)."""
    forced = set(forced)
    out = []
    for position in range(start, len(text) if end is None else end):
        char = text[position]
        if (
            position in forced
            or char in _ALWAYS_ESCAPED
            or (char == "_" and not _intraword(text, position))
            or (char == "&" and _ENTITY.match(text, position))
        ):
            out.append("\\")
        out.append(char)
    return "".join(out)


def _intraword(text: str, position: int) -> bool:
    return (
        0 < position < len(text) - 1
        and text[position - 1].isalnum()
        and text[position + 1].isalnum()
    )


def option_text(text: str) -> str:
    """An option value that the directive parses as MyST inline text."""
    return escape(text, forced=_line_start(text))


def option_value(value: str) -> str:
    """A directive option value that MyST's option parser reads back unchanged."""
    if value[:1] in "'\"|>#" or re.search(r"\s#", value) or value != value.strip():
        return quoted(value)
    return value


def quoted(value: str) -> str:
    """``value`` double-quoted, backslashes and quotes escaped (as YAML reads it)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- names that look like people -------------------------------------------------

_UP, _LOW = "A-ZÀ-ÖØ-ÞŒ", "a-zß-öø-ÿœ"
_CAP = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)*"
_PERSON_LIKE = re.compile(
    rf"(?<![\w’'-])(?!Témoignage\s)({_CAP}(?:\s(?:(?:de|du|des|van|von|der|le|la)\s|d[’'])?{_CAP}){{1,2}})"
    r"(\s*,\s*\S|\s*:$|\.(?:\s|$))?"
)
_NOT_NAME_BEFORE = set(
    "le la les l un une des du de au aux ce cet cette son sa ses leur leurs notre votre nos vos"
    " par pour sur dans".split()
)
_NOT_NAME_START = set(
    "pour dans enfin ensemble puis et mais comme avec selon ainsi nous vous ils elles on les le"
    " la des un une ce cette si bonjour merci".split()
)


def unknown_people(text: str) -> list[tuple[int, int, str]]:
    """Capitalised words that look like someone's name: before a comma and a
    role, alone before the closing colon of a line, or after « Témoignage de »."""
    found = []
    for match in _PERSON_LIKE.finditer(text):
        before = re.findall(r"\w+", fold(text[: match.start()]))
        after = (match.group(2) or "").strip()
        if before[-2:] == ["temoignage", "de"]:
            looks_like = True
        elif after.startswith(","):
            looks_like = not before or before[-1] not in _NOT_NAME_BEFORE
        else:
            looks_like = after == ":" and not before
        if looks_like and fold(match.group(1)).split()[0] not in _NOT_NAME_START:
            found.append((match.start(1), match.end(1), match.group(1)))
    return found


# -- one line as MyST -------------------------------------------------------------


@dataclass(frozen=True)
class PendingResource:
    """The resource a lost link stands for, to declare ``:pending:`` after its paragraph."""

    id: str
    title: str
    kind: str


class InlineWriter:
    """Writes lines as MyST inline text, and notes in the report the mentions,
    pending resources and unknown names it met."""

    def __init__(self, index: NameIndex, taken_ids: Iterable[str], report: ImportReport) -> None:
        self.index = index
        self.taken = set(taken_ids)
        self.report = report

    def write(self, text: str, line: int, links: bool = True) -> tuple[str, list[PendingResource]]:
        """``text`` (line ``line`` of the letter) as MyST: mentions and, with
        ``links``, lost links as roles, the rest escaped; and the resources that
        the lost links stand for, each with a new id."""
        found = self.index.find(text)
        spans: list[tuple[int, int, Name | LostLink]] = [(f.start, f.end, f.name) for f in found]
        if links:
            spans += [(link.start, link.end, link) for link in find_lost_links(text)]
        out, resources, position = [], [], 0
        forced = _line_start(text)
        for start, end, what in sorted(spans, key=lambda span: span[0]):
            if start < position:
                continue
            out.append(escape(text, position, start, forced))
            written = text[start:end]
            if isinstance(what, Name):
                self.report.mention(what.kind, what.label)
                out.append(f"{{{what.kind}}}`{written} <{what.id}>`")
            else:
                resource = PendingResource(self.new_id(what.title), what.title, what.kind)
                self.report.resources.append(
                    Noted(line, f"{resource.id} ({resource.kind})", f"« {resource.title} »")
                )
                out.append(f"{{resource}}`{written} <{resource.id}>`")
                resources.append(resource)
            position = end
        out.append(escape(text, position, None, forced))
        self.note_unknown_names(text, line, found)
        return "".join(out), resources

    def new_id(self, title: str) -> str:
        """A resource id made from ``title``, that no letter declares yet."""
        base = _slug(title)
        resource_id, suffix = base, 1
        while resource_id in self.taken:
            suffix += 1
            resource_id = f"{base}-{suffix}"
        self.taken.add(resource_id)
        return resource_id

    def note_unknown_names(self, text: str, line: int, known: list[Found]) -> None:
        """Notes the names in ``text`` that look like people's but are not ``known``."""
        for start, end, name in unknown_people(text):
            if not any(f.start < end and start < f.end for f in known):
                self.report.unknown_name(line, name)
