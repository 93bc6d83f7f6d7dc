"""A deterministic fixture project: the site plus small generated letters.

Each generated letter has a « nouvelles » rubrique with territory updates
(speakers taken from the people registry, by territory), a quotation, a
resource (with an address or ``:pending:``) and inline mentions. Every update
and quotation carries a unique marker word, so that a test can count where it
shows up (letter, territory page, people page, PDF sources).

Letters are described by :class:`LetterSpec` and written through the shared
generator of ``benchmarks/letters.py`` (its model, its :class:`Registries`, its
renderer): a test edits a spec and writes the letter again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.letters import Letter, Paragraph, Quote, Registries, Resource, Rubrique, Update
from benchmarks.letters import render_almanach as render

from almanach.model.letters import MONTHS
from helpers import project_with_letters

#: Generated letters: issues/2022-01.md … issues/2022-08.md (numbers 3 to 10).
LETTER_COUNT = 8
#: Organisations that publish the generated resources (ids of organisations.yaml).
PUBLISHERS = ("fabrique-des-transitions", "ademe", "territoires-audacieux", "")
RESOURCE_KINDS = ("article", "document", "audio", "synthèse")
#: Territories with people in the registry, given their updates in turn.
UPDATED_TERRITORIES = (
    "lomme",
    "rodez-agglomeration",
    "faverges",
    "albigeois-bastides",
    "puy-de-dome",
)
#: Territories only mentioned in passing.
MENTIONED_TERRITORIES = ("malaunay", "caluire-et-cuire", "orne", "lille")


@dataclass(frozen=True)
class UpdateSpec:
    """One territory update; ``marker`` is a word found nowhere else."""

    territory: str
    speakers: tuple[str, ...]
    marker: str
    names_territory: bool = True  # the text mentions the territory ({territory} role)


@dataclass(frozen=True)
class LetterSpec:
    number: int
    date: str  # YYYY-MM
    title: str
    updates: tuple[UpdateSpec, ...]
    quote_speaker: str
    quote_marker: str
    resource_id: str
    resource_url: str  # "" for a pending resource
    resource_kind: str
    publisher: str
    other_territory: str  # a territory mentioned inline, outside the updates
    cited_resource: str = ""  # a resource of another letter, mentioned inline

    @property
    def docname(self) -> str:
        return f"lettres/{self.date}"

    @property
    def filename(self) -> str:
        return f"{self.date}.md"


def marker(kind: str, letter: int, index: int) -> str:
    """A unique word of fixed length: ``upd03k1z`` (kind, letter, position)."""
    return f"{kind}{letter:02d}k{index}z"


def letter_specs(registries: Registries) -> list[LetterSpec]:
    """The generated letters, the same on every call."""
    territories, others = UPDATED_TERRITORIES, MENTIONED_TERRITORIES
    for territory in territories:
        assert registries.people_of(territory), f"nobody from {territory} in the registry"
    for territory in others:
        assert territory in registries.territories, f"{territory} is not in the registry"
    specs = []
    for index in range(LETTER_COUNT):
        month = index + 1
        chosen = [territories[(index + step) % len(territories)] for step in (0, 2, 3)]
        if index % 2:
            chosen = chosen[:2]
        updates = []
        for position, territory in enumerate(chosen):
            people = registries.people_of(territory)
            # Two speakers now and then (Faverges, Puy-de-Dôme), one otherwise.
            count = 2 if (index + position) % 3 == 0 and len(people) > 1 else 1
            speakers = tuple(people[(index + k) % len(people)] for k in range(count))
            updates.append(UpdateSpec(territory, speakers, marker("upd", month, position)))
        url = f"https://example.org/lettres/2022-{month:02d}" if index % 2 == 0 else ""
        specs.append(
            LetterSpec(
                number=index + 3,
                date=f"2022-{month:02d}",
                title=f"Lettre de {MONTHS[index]}",
                updates=tuple(updates),
                quote_speaker=updates[-1].speakers[0],
                quote_marker=marker("cit", month, 0),
                resource_id=f"ressource-2022-{month:02d}",
                resource_url=url,
                resource_kind=RESOURCE_KINDS[index % len(RESOURCE_KINDS)],
                publisher=PUBLISHERS[index % len(PUBLISHERS)],
                other_territory=others[index % len(others)],
                cited_resource=f"ressource-2022-{month - 1:02d}" if index else "",
            )
        )
    return specs


def update_block(update: UpdateSpec, registries: Registries) -> Update:
    first = update.speakers[0]
    place = f"À {{territory}}`{update.territory}`" if update.names_territory else "Ici"
    return Update(
        update.territory,
        update.speakers,
        "Où en est votre territoire ?",
        (
            Paragraph(f"**{{person}}`{registries.label('person', first)} <{first}>` :**"),
            Paragraph(
                f"{place}, le projet {update.marker} avance avec les habitants et les services."
            ),
        ),
        update.marker,
    )


def letter_of(spec: LetterSpec, registries: Registries) -> Letter:
    """The letter a spec describes, in the shared generator's model."""
    month = MONTHS[int(spec.date[5:]) - 1]
    year = spec.date[:4]
    resource = Resource(
        spec.resource_id,
        f"Ressource du mois de {month} {year}",
        spec.resource_kind,
        url=spec.resource_url,
        publisher=spec.publisher,
        description=(
            Paragraph("Une ressource partagée pendant les journées, à lire et à diffuser."),
        ),
    )
    see_also = f"Voir aussi la ressource du mois dernier : {{resource}}`{spec.cited_resource}`."
    cited = (Paragraph(see_also),) if spec.cited_resource else ()
    news = Rubrique(
        "nouvelles",
        (
            *(update_block(update, registries) for update in spec.updates),
            Quote(
                f"“Nous avançons ensemble, pas à pas, {spec.quote_marker}.”",
                speaker=spec.quote_speaker,
            ),
        ),
    )
    practice = Rubrique(
        "en-pratique",
        (
            Paragraph(
                f"Le territoire de {{territory}}`{spec.other_territory}` a partagé "
                f"{{resource}}`un document <{spec.resource_id}>`, présenté par "
                f"{{person}}`{spec.quote_speaker}`."
            ),
            resource,
            *cited,
        ),
    )
    intro = Paragraph(
        "Bonjour à toutes et à tous, voici les nouvelles du mois de la "
        "{organisation}`fabrique-des-transitions`."
    )
    return Letter(spec.number, spec.date, spec.title, "", (intro,), (news, practice))


def render_letter(spec: LetterSpec, registries: Registries) -> str:
    """The MyST source of one letter."""
    return render(letter_of(spec, registries))


@dataclass
class FixtureProject:
    """A copy of the real project with the generated letters written into ``issues/``."""

    root: Path
    registries: Registries
    specs: list[LetterSpec]

    @property
    def srcdir(self) -> Path:
        return self.root / "docs"

    @property
    def builddir(self) -> Path:
        return self.root / "build"

    def letter_path(self, spec: LetterSpec) -> Path:
        return self.root / "issues" / spec.filename

    def spec(self, date: str) -> LetterSpec:
        return next(spec for spec in self.specs if spec.date == date)

    def write(self, spec: LetterSpec) -> None:
        """Write one letter (replacing the spec of the same date), bumping its mtime."""
        self.specs = [spec if old.date == spec.date else old for old in self.specs]
        path = self.letter_path(spec)
        before = path.stat().st_mtime_ns if path.exists() else 0
        path.write_text(render_letter(spec, self.registries), encoding="utf-8")
        touch(path, before)

    def touch(self, spec: LetterSpec) -> None:
        touch(self.letter_path(spec))


def touch(path: Path, before: int | None = None) -> None:
    """Give ``path`` a modification time later than any it had (so later than the
    last build read it): now, or a millisecond after its previous one."""
    previous = max(before or 0, path.stat().st_mtime_ns)
    stamp = max(time.time_ns(), previous + 1_000_000)
    os.utime(path, ns=(stamp, stamp))


def make_project(root: Path) -> FixtureProject:
    """The site and its real letter (:func:`helpers.project_with_letters`) in
    ``root``, with the generated letters."""
    srcdir = project_with_letters(root, {}, keep_real=True)
    registries = Registries.load(srcdir / "registres")
    project = FixtureProject(root, registries, letter_specs(registries))
    for spec in project.specs:
        project.write(spec)
    return project


def with_updates(spec: LetterSpec, updates: list[UpdateSpec]) -> LetterSpec:
    return replace(spec, updates=tuple(updates))
