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


_SLUG_SKIP = set(
    "le la les l d de du des et ou a au aux un une en pour par sur dans sa son ses leur leurs"
    " qui que est sont avec ce cet cette".split()
)


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(title))
    kept = [word for word in words if word not in _SLUG_SKIP] or words
    return "-".join(kept[:4]) or "ressource"


SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


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
        before = re.findall(r"\w+", fold(text[max(0, match.start() - 40) : match.start()]))
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
