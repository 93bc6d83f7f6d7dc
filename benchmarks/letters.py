"""The synthetic letters shared by the benchmarks and the tests: one model, one
set of registries, one renderer.

A letter is a tree of blocks (:class:`Paragraph`, :class:`Bullets`,
:class:`Quote`, :class:`Resource`, :class:`Update`, :class:`Rubrique`) that
:func:`render_almanach` writes as the project's MyST, with almanach's
directives and roles. The letters name the entries of a :class:`Registries`:
the generated ones of the benchmarks (:func:`benchmarks.dense.make_registries`)
or a project's own (:meth:`Registries.load`). Two recipes fill the model: the
benchmarks' letters of the December letter's density (``benchmarks/dense.py``)
and the tests' small letters (``tests/fixture_project.py``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from almanach.model.letters import MONTHS

#: The registry files of a project (``docs/registres``) -> the field holding each.
FILES = {
    "territoires.yaml": "territories",
    "personnes.yaml": "people",
    "organisations.yaml": "organisations",
    "evenements.yaml": "events",
    "rubriques.yaml": "rubriques",
}


# -- registries ----------------------------------------------------------------------


@dataclass(frozen=True)
class Registries:
    """The registries a generated letter names (id -> fields): generated
    (:func:`make_registries`) or read from a project (:meth:`load`)."""

    territories: dict[str, dict]
    people: dict[str, dict]
    organisations: dict[str, dict]
    events: dict[str, dict]
    rubriques: dict[str, dict]

    @property
    def pilots(self) -> list[str]:
        return [key for key, value in self.territories.items() if value.get("pilot")]

    @property
    def others(self) -> list[str]:
        return [key for key, value in self.territories.items() if not value.get("pilot")]

    @property
    def speakers(self) -> list[str]:
        return [key for key, value in self.people.items() if "territory" not in value]

    def people_of(self, territory: str) -> list[str]:
        return [key for key, value in self.people.items() if value.get("territory") == territory]

    def label(self, kind: str, key: str) -> str:
        """The display name of a mention without text, as the almanach domain writes it."""
        if kind == "event":
            return self.events[key]["title"]
        registry = {
            "territory": self.territories,
            "person": self.people,
            "organisation": self.organisations,
        }[kind]
        return registry[key]["name"]

    @classmethod
    def load(cls, folder: Path) -> Registries:
        """The registries of a project's ``docs/registres`` folder."""
        read = {name: yaml.safe_load((folder / name).read_text("utf-8")) for name in FILES}
        return cls(**{FILES[name]: entries for name, entries in read.items()})

    def files(self) -> dict[str, dict]:
        """Each registry file's name -> its entries."""
        return {name: getattr(self, field) for name, field in FILES.items()}


def write_registries(folder: Path, registries: Registries) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, entries in registries.files().items():
        text = "# Registre synthétique des benchmarks (benchmarks/corpus.py).\n\n"
        text += yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100)
        (folder / name).write_text(text, encoding="utf-8")


# -- the letters, as a model ------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: str  # MyST inline syntax, almanach roles included


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str = ""
    source: str = ""  # a resource id


@dataclass(frozen=True)
class Resource:
    id: str
    title: str
    kind: str
    url: str = ""  # "" for a pending resource
    publisher: str = ""
    description: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Update:
    territory: str
    speakers: tuple[str, ...]
    question: str
    blocks: tuple[Block, ...]
    marker: str  # a word found nowhere else: the incremental benchmark edits it


@dataclass(frozen=True)
class Rubrique:
    id: str
    blocks: tuple[Block, ...]
    subtitle: str = ""


Block = Paragraph | Bullets | Quote | Resource | Update | Rubrique


@dataclass(frozen=True)
class Letter:
    number: int
    date: str  # YYYY-MM
    title: str
    summary: str
    intro: tuple[Paragraph, ...]
    rubriques: tuple[Rubrique, ...]

    @property
    def filename(self) -> str:
        return f"{self.date}.md"

    @property
    def docname(self) -> str:
        return f"lettres/{self.date}"

    @property
    def heading(self) -> str:
        month = MONTHS[int(self.date[5:]) - 1]
        return f"Lettre n° {self.number} — {month} {self.date[:4]}"

    def blocks(self) -> Iterator[Block]:
        """Every block, depth first."""
        yield from walk(self.intro)
        yield from walk(self.rubriques)

    @property
    def updates(self) -> list[Update]:
        return [block for block in self.blocks() if isinstance(block, Update)]

    @property
    def resources(self) -> dict[str, Resource]:
        return {block.id: block for block in self.blocks() if isinstance(block, Resource)}


def walk(blocks: Iterable[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Update | Rubrique):
            yield from walk(block.blocks)
        elif isinstance(block, Resource):
            yield from block.description


# -- rendering ------------------------------------------------------------------------------


def depth(block: Block) -> int:
    """How deeply directives nest in a block (1 for a directive of paragraphs)."""
    if isinstance(block, Update | Rubrique):
        return 1 + max((depth(child) for child in block.blocks), default=0)
    if isinstance(block, Quote | Resource):
        return 1
    return 0


def render_almanach(letter: Letter) -> str:
    """The letter as the project writes it, with almanach's directives and roles."""
    head = (
        "---\n"
        f"number: {letter.number}\n"
        f"date: {letter.date}\n"
        f"title: {letter.title}\n"
        "status: published\n"
        + (f"summary: >-\n  {letter.summary}\n" if letter.summary else "")
        + "---\n\n"
        f"# {letter.heading}\n\n"
    )
    parts = [_almanach_block(block) for block in (*letter.intro, *letter.rubriques)]
    return head + "\n".join(parts)


def _fence(block: Block) -> str:
    return ":" * (2 + depth(block))


def _almanach_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text + "\n"
    if isinstance(block, Bullets):
        return "".join(f"- {item}\n" for item in block.items)
    fence = _fence(block)
    if isinstance(block, Quote):
        option = f":speaker: {block.speaker}\n" if block.speaker else f":source: {block.source}\n"
        return f"{fence}{{quote}}\n{option}\n{block.text}\n{fence}\n"
    if isinstance(block, Resource):
        options = f":title: {block.title}\n:kind: {block.kind}\n"
        options += f":url: {block.url}\n" if block.url else ":pending:\n"
        if block.publisher:
            options += f":publisher: {block.publisher}\n"
        body = "".join("\n" + _almanach_block(child) for child in block.description)
        return f"{fence}{{resource}} {block.id}\n{options}{body}{fence}\n"
    if isinstance(block, Update):
        options = f":speakers: {', '.join(block.speakers)}\n"
        if block.question:
            options += f":question: {block.question}\n"
        body = "".join("\n" + _almanach_block(child) for child in block.blocks)
        return f"{fence}{{territory-update}} {block.territory}\n{options}{body}{fence}\n"
    assert isinstance(block, Rubrique)
    options = f":subtitle: {block.subtitle}\n" if block.subtitle else ""
    body = "".join("\n" + _almanach_block(child) for child in block.blocks)
    return f"{fence}{{rubrique}} {block.id}\n{options}{body}{fence}\n"
