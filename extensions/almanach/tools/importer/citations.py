"""Works of the bibliography that a letter names in passing.

« le manuel de la transition écologique de Rob Hopkins » names a book that
``references.bib`` knows (``hopkins2010``: Hopkins, *Manuel de transition…*).
A sentence that names an author's family name and words of one of their titles
gets a ``{cite:p}`` after the name, marked as to review; when two works of the
same author fit equally, none is chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import BibliographyDataError, parse_string
from pybtex.scanner import PybtexError

from .inline import fold

#: Words too common in the programme's letters to tell a title.
_COMMON = set(
    "transition transitions territoire territoires ecologique ecologiques local locale the and"
    " from pour dans avec".split()
)


@dataclass(frozen=True)
class Work:
    key: str
    family_names: tuple[str, ...]  # folded
    words: frozenset[str]  # folded words of the title that tell it
    label: str  # « Hopkins, Manuel de transition… (2010) »


def read_bibliography(path: Path) -> tuple[list[Work], str]:
    """The works of a BibTeX file, and a French problem ('' when it reads)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], ""
    except (OSError, UnicodeDecodeError) as error:
        return [], f"{path.name} illisible ({error}) : aucune référence ne sera reconnue"
    try:
        data = parse_string(text, "bibtex")
    except (PybtexError, BibliographyDataError) as error:
        return [], f"{path.name} : {error} ; aucune référence ne sera reconnue"
    works = []
    for key, entry in data.entries.items():
        people = entry.persons.get("author", []) or entry.persons.get("editor", [])
        names = tuple(fold(" ".join(person.last_names)) for person in people if person.last_names)
        title = entry.fields.get("title", "").replace("{", "").replace("}", "")
        words = (
            frozenset(word for word in re.findall(r"\w+", fold(title)) if len(word) >= 5) - _COMMON
        )
        if names and words:
            year = entry.fields.get("year", "")
            label = f"{' '.join(people[0].last_names)}, {title} ({year})"
            works.append(Work(key, names, words, label))
    return works, ""


def find_citations(text: str, works: list[Work]) -> list[tuple[int, Work]]:
    """Where to cite which work: after the author's name, in a sentence that
    also names words of the work's title."""
    folded = fold(text)
    found = []
    for sentence in re.finditer(r"[^.!?]+[.!?]?", folded):
        words = set(re.findall(r"\w+", sentence.group()))
        best: dict[int, list[tuple[int, Work]]] = {}
        for work in works:
            for name in work.family_names:
                at = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence.group())
                score = len(work.words & words)
                if at and score:
                    best.setdefault(score, []).append((sentence.start() + at.end(), work))
        if best:
            top = best[max(best)]
            if len(top) == 1:
                found.append(top[0])
    return found
