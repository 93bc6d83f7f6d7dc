"""A synthetic corpus for the benchmarks, in two variants with the same words.

* The **almanach** variant is a copy of the real project (``docs/`` and
  ``references.bib``) whose ``issues/`` holds N generated letters and whose
  ``docs/registres/`` is replaced by generated registries: 10 pilot territories
  (« Territoire 01 » …), three people each (« Personne 01-1 » …), speakers from
  organisations (« Intervenant 01 »), organisations, a few other territories,
  events, and the real rubriques. The guide (``docs/guide/``) is left out: its
  examples name the real registries' entries.
* The **plain** variant is the same text as plain MyST, the floor: no custom
  directive or role (rubriques are headings, quotations block quotes, resources
  list items with their links, mentions plain text), the same index page shape
  and the same Sphinx settings, through a ``conf.py`` that executes the real one
  and drops the almanach extension and its settings.

Each letter has the density of the December 2021 letter (``issues/2021-12.md``):
seven rubriques, four territory updates, three quotations, seventeen resources,
about fifty mentions and some 3,000 words. Letter *i* is the same whatever N
(a fixed seed per letter), so the 12-letter corpus is the start of the 120-letter
one.

``python -m benchmarks.corpus N DEST`` writes both projects into ``DEST``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from almanach.model.letters import MONTHS
from almanach.rules.directives import RESOURCE_KINDS as ALL_RESOURCE_KINDS

ROOT = Path(__file__).resolve().parent.parent
#: The real letter whose density the generated ones imitate.
DECEMBER = ROOT / "issues" / "2021-12.md"

PILOTS = 10
PEOPLE_PER_TERRITORY = 3
SPEAKERS = 12
ORGANISATIONS = 8
OTHER_TERRITORIES = 5
EVENTS = 12
FIRST_YEAR = 2022

TERRITORY_KINDS = ("commune", "agglomération", "communauté de communes", "métropole", "PETR/pays")
#: The kinds a synthetic resource takes: every kind of the directive but books
#: (they would want a bibliography key) and « autre ».
RESOURCE_KINDS = tuple(kind for kind in ALL_RESOURCE_KINDS if kind not in ("livre", "autre"))
QUESTIONS = (
    "Quels projets impulsent les transitions sur votre territoire ?",
    "Comment l’accompagnement infuse-t-il dans vos projets ?",
    "Quelle coopération avez-vous engagée ce mois-ci ?",
)
TITLES = (
    "Coopérer pour changer",
    "Le temps des premiers pas",
    "Faire récit ensemble",
    "Sobriétés partagées",
    "Évaluer pour avancer",
    "Des territoires qui apprennent",
)

#: The words of the letters: sentences of the kind the December letter holds.
SENTENCES = (
    "Une année, dix territoires et un objectif : faire mieux, ou plutôt différemment.",
    "Le changement ne se fera pas seul, il faudra embarquer l’ensemble des équipes.",
    "Participer à la réflexion de son voisin, c’est l’aider et apprendre avec lui.",
    "Les ateliers ont permis d’élargir notre regard sur la conduite du changement.",
    "Nous devons continuer à innover, proposer et partager nos expériences.",
    "Ces journées ont aussi été l’occasion de se retrouver entre pairs.",
    "N’hésitez pas à diffuser cette lettre à vos collègues et à vos élus.",
    "La sobriété tient une place centrale dans la transition des territoires.",
    "L’évaluation se pense dès le début, au service des transitions.",
    "Chaque territoire a rédigé un article sur ce que l’on dira de lui dans vingt ans.",
    "Les membres des délégations attendent du parcours de mieux se connaître.",
    "Il faut acquérir des compétences, changer de posture et oser les premiers changements.",
    "Les autres acteurs du territoire veulent comprendre les enjeux et s’y associer.",
    "Pour les alliés, il s’agit de partager un référentiel, un récit et des méthodes.",
    "La délibération cadre définit les objectifs de la collectivité d’ici dix ans.",
    "Huit thématiques ont été retenues, de la biodiversité à la démocratie participative.",
    "Des temps d’échange ont réuni des élus, des agents et des directeurs de service.",
    "La semaine des transitions a servi d’événement lanceur et fédérateur.",
    "Un appel à manifestation d’intérêt recueille les besoins des habitants.",
    "Le budget climat se construit avec les services des finances et de l’urbanisme.",
    "La démarche d’écologie industrielle valorise les flux des entreprises.",
    "Les déchets des unes deviennent les matières premières des autres.",
    "Un bureau d’étude accompagne le diagnostic des zones d’activités.",
    "Une restitution est prévue en fin de mois, suivie d’un comité de pilotage.",
    "Le réseau des partenaires se construit entre l’État, les élus et les techniciens.",
    "Des groupes de travail transversaux font bouger les habitudes de la collectivité.",
    "Les supports des journées circulent désormais dans les équipes.",
    "La méthode agile et les petits pas ont trouvé leur place dans les projets.",
    "Le cadre organisationnel reste le gros chantier de l’année.",
    "La remise en question fait partie du chemin, et elle est engageante.",
    "Les habitants sont invités à rejoindre le projet dès les prochaines semaines.",
    "La coopération entre territoires voisins ouvre de nouvelles pistes.",
    "Les élus ont validé la feuille de route lors du dernier conseil.",
    "Un premier bilan sera présenté aux équipes avant l’été.",
    "La mise en récit aide à embarquer celles et ceux qui doutent encore.",
    "Les sciences humaines éclairent les résistances au changement.",
    "Ce n’est pas l’individu qui résiste, c’est tout un écosystème.",
    "Le programme se poursuit avec de nouvelles formes de coopération.",
    "La transition demande du temps, de la méthode et beaucoup d’écoute.",
    "Les retours d’expérience nourrissent la réflexion commune des territoires.",
)
#: Openings of the ➡️ paragraphs: who spoke, and about what.
TALKS = (
    "est venu présenter en quoi le facteur humain peut être un levier des transitions",
    "a rappelé les éléments qui structurent la conduite d’un projet de territoire",
    "est revenu sur les principes directeurs de la conduite du changement",
    "est intervenu pour parler des sobriétés et de leur place dans les politiques publiques",
    "a consacré l’après-midi à l’évaluation au service des transitions",
    "a animé un atelier sur la mise en récit des territoires",
)


# -- registries ----------------------------------------------------------------------


@dataclass(frozen=True)
class Registries:
    """The generated registries (id -> fields), plus the real rubriques."""

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

    def files(self) -> dict[str, dict]:
        return {
            "territoires.yaml": self.territories,
            "personnes.yaml": self.people,
            "organisations.yaml": self.organisations,
            "evenements.yaml": self.events,
            "rubriques.yaml": self.rubriques,
        }


def make_registries(rubriques_file: Path | None = None) -> Registries:
    """The synthetic registries; the rubriques are the real ones."""
    source = rubriques_file or ROOT / "docs" / "registres" / "rubriques.yaml"
    rubriques = yaml.safe_load(source.read_text("utf-8"))
    organisations = {}
    for k in range(1, ORGANISATIONS + 1):
        entry = {"name": f"Organisation {k:02d}", "description": f"alliée n° {k} du programme"}
        if k % 3 == 0:
            entry["website"] = f"https://exemple.org/organisation-{k:02d}"
        organisations[f"organisation-{k:02d}"] = entry
    territories = {}
    for k in range(1, PILOTS + 1):
        entry = {
            "name": f"Territoire {k:02d}",
            "kind": TERRITORY_KINDS[k % len(TERRITORY_KINDS)],
            "departement": f"Département {k:02d} ({k:02d})",
            "pilot": True,
        }
        if k % 4 == 0:
            entry["website"] = f"https://exemple.org/territoire-{k:02d}"
        territories[f"territoire-{k:02d}"] = entry
    for k in range(1, OTHER_TERRITORIES + 1):
        territories[f"territoire-cite-{k:02d}"] = {
            "name": f"Territoire cité {k:02d}",
            "kind": "commune",
            "departement": f"Département {20 + k} ({20 + k})",
            "pilot": False,
        }
    people = {}
    for k in range(1, SPEAKERS + 1):
        people[f"intervenant-{k:02d}"] = {
            "name": f"Intervenant {k:02d}",
            "role": f"intervenant n° {k} des journées",
            "organisation": f"organisation-{(k - 1) % ORGANISATIONS + 1:02d}",
            "email": f"intervenant-{k:02d}@exemple.org",
        }
    for t in range(1, PILOTS + 1):
        for p in range(1, PEOPLE_PER_TERRITORY + 1):
            people[f"personne-{t:02d}-{p}"] = {
                "name": f"Personne {t:02d}-{p}",
                "role": "chargée de mission transitions" if p % 2 else "élu référent",
                "territory": f"territoire-{t:02d}",
            }
    events = {}
    start = dt.date(FIRST_YEAR, 1, 20)
    for k in range(1, EVENTS + 1):
        day = start + dt.timedelta(days=91 * (k - 1))
        entry: dict = {
            "title": f"Journées communes {k:02d}",
            "start": day,
            "end": day + dt.timedelta(days=1),
        }
        if k % 2:
            entry["visio"] = True
        else:
            entry["place"] = f"Ville {k:02d}"
        events[f"journees-{k:02d}"] = entry
    return Registries(territories, people, organisations, events, rubriques)


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


def marker(number: int, position: int) -> str:
    """A unique word of one update: ``jalon007x2`` (letter 7, update 2)."""
    return f"jalon{number:03d}x{position}"


class _Writer:
    """Draws the words and the mentions of one letter (a seeded generator)."""

    def __init__(self, index: int, registries: Registries) -> None:
        self.rng = random.Random(index)
        self.index = index
        self.number = index + 1
        self.registries = registries
        self.resource_count = 0

    def sentences(self, count: int) -> str:
        return " ".join(self.rng.sample(SENTENCES, count))

    def person(self, key: str) -> str:
        return f"{{person}}`{self.registries.label('person', key)} <{key}>`"

    def organisation(self, key: str) -> str:
        return f"{{organisation}}`{self.registries.label('organisation', key)} <{key}>`"

    def territory(self, key: str) -> str:
        return f"{{territory}}`{self.registries.label('territory', key)} <{key}>`"

    def event(self, key: str, text: str) -> str:
        return f"{{event}}`{text} <{key}>`"

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def resource(
        self, kind: str = "", *, url: bool = False, described: bool = False, title: str = ""
    ) -> Resource:
        self.resource_count += 1
        rid = f"r{self.number:03d}-{self.resource_count:02d}"
        kind = kind or self.rng.choice(RESOURCE_KINDS)
        publisher = (
            self.pick(list(self.registries.organisations)) if self.rng.random() < 0.4 else ""
        )
        description = (Paragraph(self.sentences(3)),) if described else ()
        return Resource(
            rid,
            title or f"{kind.capitalize()} n° {self.resource_count} de la lettre {self.number}",
            kind,
            url=f"https://exemple.org/ressources/{rid}" if url else "",
            publisher=publisher,
            description=description,
        )

    def talk(self, speaker: str, organisation: str, extra: str = "") -> Paragraph:
        what = self.pick(list(TALKS))
        return Paragraph(
            f"➡️ {self.person(speaker)}, de l’{self.organisation(organisation)}, {what}"
            f"{extra}. {self.sentences(4)}"
        )

    def update(self, territory: str, position: int, *, cite: bool, quote: bool) -> Update:
        people = self.registries.people_of(territory)
        count = 2 if (self.index + position) % 2 else 1
        start = (self.index + position) % len(people)
        speakers = tuple(people[(start + k) % len(people)] for k in range(count))
        names = " et ".join(self.person(s) for s in speakers)
        lead = Paragraph(f"**{names}, {self.territory(territory)} :**")
        word = marker(self.number, position)
        first = f"{self.sentences(7)} Le projet {word} avance avec les habitants et les services."
        if cite:
            first += " Le manuel de la transition {cite:p}`hopkins2010` sert de repère."
        blocks: list[Block] = [lead, Paragraph(first)]
        if quote:
            organisation = self.organisation(self.pick(list(self.registries.organisations)))
            blocks.append(
                Paragraph(f"L’accompagnement par l’{organisation} se poursuit. {self.sentences(3)}")
            )
            blocks.append(Quote(f"“{self.sentences(2)}”", speaker=speakers[0]))
        else:
            partners = (
                f"Avec l’{self.organisation(self.pick(list(self.registries.organisations)))} et "
                f"la ville de {self.territory(self.pick(self.registries.others))}, "
                "nous avons franchi une étape."
            )
            blocks.append(Paragraph(f"{partners} {self.sentences(8)}"))
        question = "" if quote else self.pick(list(QUESTIONS))
        return Update(territory, speakers, question, tuple(blocks), word)

    def letter(self) -> Letter:
        reg = self.registries
        year, month = FIRST_YEAR + self.index // 12, self.index % 12 + 1
        date = f"{year}-{month:02d}"
        pilots, others = reg.pilots, reg.others
        speakers = reg.speakers
        organisations = list(reg.organisations)
        event = f"journees-{self.index % EVENTS + 1:02d}"
        next_event = f"journees-{(self.index + 1) % EVENTS + 1:02d}"
        editor = speakers[self.index % len(speakers)]
        intro = (
            Paragraph(
                f"Bonjour à toutes et à tous, voici les nouvelles du programme, porté par l’"
                f"{self.organisation(organisations[0])} et ses alliés. {self.sentences(5)}"
            ),
        )
        edito = Rubrique(
            "edito",
            (
                Paragraph(f"{self.person(editor)} - <{reg.people[editor]['email']}>"),
                Paragraph(self.sentences(8)),
                Paragraph(
                    f"{self.sentences(4)} C’était tout l’enjeu des "
                    f"{self.event(event, 'journées communes')}. {self.sentences(4)}"
                ),
                Paragraph(
                    f"Avec l’{self.organisation(self.pick(organisations))}, nous avançons. "
                    f"{self.sentences(8)}"
                ),
                Paragraph("*La coopération illustrée par les territoires pilotes.*"),
            ),
            subtitle=self.rng.choice(TITLES),
        )
        # En théorie : four talks, two quotations, three resources, a list.
        talkers = self.rng.sample(speakers, 4)
        theory_resources = [
            self.resource("synthèse", described=True),
            self.resource("document"),
            self.resource("audio", described=True),
        ]
        theory = Rubrique(
            "en-theorie",
            (
                self.talk(talkers[0], self.pick(organisations)),
                Quote(f"“{self.sentences(1)}”", speaker=talkers[0]),
                self.talk(
                    talkers[1],
                    self.pick(organisations),
                    f", en s’appuyant sur l’expérience de {self.territory(self.pick(others))}",
                ),
                self.talk(talkers[2], self.pick(organisations)),
                Quote(f"« {self.sentences(3)} »", source=theory_resources[0].id),
                theory_resources[0],
                self.talk(
                    talkers[3],
                    self.pick(organisations),
                    f" ; le document est disponible {{resource}}`ici <{theory_resources[1].id}>`",
                ),
                theory_resources[1],
                Paragraph(
                    f"Pour résumer, {self.person(self.pick(speakers))} a tenu à souligner trois "
                    "aspects particulièrement réussis :"
                ),
                Bullets(tuple(self.sentences(1) for _ in range(3))),
                Paragraph(self.sentences(4)),
                theory_resources[2],
            ),
        )
        # En pratique : talks, a long paragraph, eleven resources.
        practice_speakers = self.rng.sample(speakers, 4)
        practice_resources = [
            self.resource(url=k in (2, 7), described=k in (1, 3, 5, 8)) for k in range(11)
        ]
        links = ", ".join(
            f"{{resource}}`{word} <{resource.id}>`"
            for word, resource in zip(
                ("le résumé", "la mallette", "le compte-rendu"),
                practice_resources[5:8],
                strict=True,
            )
        )
        practice = Rubrique(
            "en-pratique",
            (
                self.talk(
                    practice_speakers[0],
                    self.pick(organisations),
                    f" ; ses explications sont {{resource}}`ici <{practice_resources[0].id}>`",
                ),
                practice_resources[0],
                Paragraph(self.sentences(3)),
                practice_resources[1],
                practice_resources[2],
                self.talk(
                    practice_speakers[1],
                    self.pick(organisations),
                    f" avec {self.person(practice_speakers[2])}, le "
                    f"{self.event(event, 'premier jour')}",
                ),
                practice_resources[3],
                practice_resources[4],
                Paragraph(self.sentences(12)),
                Paragraph(
                    "Un résumé très détaillé est disponible sur le "
                    f"{{resource}}`compte-rendu de la journée <{practice_resources[4].id}>`, "
                    "avec l’exemple de "
                    f"{self.territory(self.pick(others))} et le regard de l’"
                    f"{self.organisation(self.pick(organisations))}. {self.sentences(8)}"
                ),
                self.talk(practice_speakers[3], self.pick(organisations)),
                Paragraph(f"🚨 Retrouvez {links}. {self.sentences(2)}"),
                *practice_resources[5:],
            ),
        )
        chosen = [pilots[(3 * self.index + k) % len(pilots)] for k in range(4)]
        news = Rubrique(
            "nouvelles",
            tuple(
                self.update(territory, k, cite=k == 0 and self.index % 3 == 0, quote=False)
                for k, territory in enumerate(chosen[:3])
            ),
        )
        site = Rubrique("en-chantier", (self.update(chosen[3], 3, cite=False, quote=True),))
        previous = f" La ressource {{resource}}`r{self.number - 1:03d}-01` reste d’actualité." * (
            self.index > 0
        )
        agenda = Rubrique(
            "a-suivre",
            (
                Paragraph(
                    f"Les prochaines {self.event(next_event, 'journées communes')} se "
                    f"dérouleront en visioconférence ; l’{self.organisation(organisations[0])} "
                    f"en prépare le programme. {self.sentences(2)}{previous}"
                ),
            ),
        )
        inspiration = Rubrique(
            "inspiration",
            (
                *(
                    self.resource(
                        "article",
                        title=f"{self.territory(self.pick(others))} : une initiative à partager, "
                        f"n° {k}",
                    )
                    for k in range(1, 4)
                ),
                Paragraph(
                    "N’hésitez pas à partager cette lettre aux membres de votre collectivité."
                ),
                Paragraph("Nous nous retrouvons le mois prochain pour une nouvelle lettre."),
            ),
        )
        territories = ", ".join(reg.label("territory", t) for t in chosen)
        return Letter(
            self.number,
            date,
            f"{self.rng.choice(TITLES)} ({self.number})",
            f"Les journées, les sobriétés, l’évaluation ; les nouvelles de {territories}.",
            intro,
            (edito, theory, practice, news, site, agenda, inspiration),
        )


def make_letter(index: int, registries: Registries) -> Letter:
    """Letter ``index`` (0 for the first): number ``index + 1``, from January 2022."""
    return _Writer(index, registries).letter()


def make_letters(count: int, registries: Registries) -> list[Letter]:
    return [make_letter(index, registries) for index in range(count)]


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
        "summary: >-\n"
        f"  {letter.summary}\n"
        "---\n\n"
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


ROLE = re.compile(r"\{(person|territory|organisation|event|resource)\}`([^`]*)`")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)


class PlainRenderer:
    """The same words as plain MyST: headings, block quotes, links and lists."""

    def __init__(self, registries: Registries, resources: dict[str, Resource]) -> None:
        self.registries = registries
        self.resources = resources  # every resource of the corpus, by id

    def inline(self, text: str) -> str:
        return ROLE.sub(self._mention, text)

    def _mention(self, match: re.Match) -> str:
        kind, content = match.groups()
        explicit = EXPLICIT.match(content)
        shown, key = (explicit.group(1), explicit.group(2)) if explicit else ("", content)
        if kind == "resource":
            resource = self.resources[key]
            shown = shown or self.inline(resource.title)
            return f"[{shown}]({resource.url})" if resource.url else shown
        return shown or self.registries.label(kind, key)

    def letter(self, letter: Letter) -> str:
        parts = [f"# {letter.heading}\n"]
        parts += [self.block(block) for block in (*letter.intro, *letter.rubriques)]
        return "\n".join(parts)

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return self.inline(block.text) + "\n"
        if isinstance(block, Bullets):
            return "".join(f"- {self.inline(item)}\n" for item in block.items)
        if isinstance(block, Quote):
            who = (
                self.registries.label("person", block.speaker)
                if block.speaker
                else self.inline(self.resources[block.source].title)
            )
            return f"> {self.inline(block.text)}\n>\n> — {who}\n"
        if isinstance(block, Resource):
            title = self.inline(block.title)
            line = f"[{title}]({block.url})" if block.url else f"{title} (lien à venir)"
            line += f" — {block.kind}"
            if block.publisher:
                line += f" — {self.registries.label('organisation', block.publisher)}"
            body = "".join("\n" + self.block(child) for child in block.description)
            return f"- {line}\n{body}"
        if isinstance(block, Update):
            territory = self.registries.label("territory", block.territory)
            head = f"*{block.question}*\n\n" if block.question else ""
            head += f"Territoire : {territory}\n"
            return head + "".join("\n" + self.block(child) for child in block.blocks)
        assert isinstance(block, Rubrique)
        rubrique = self.registries.rubriques[block.id]
        heading = f"{rubrique['emoji']} {rubrique['title']}"
        if block.subtitle:
            heading += f" : {block.subtitle}"
        text = f"## {heading}\n"
        if rubrique.get("description"):
            text += f"\n*{rubrique['description']}*\n"
        return text + "".join("\n" + self.block(child) for child in block.blocks)


# -- density ----------------------------------------------------------------------------------


DIRECTIVES = ("rubrique", "territory-update", "quote", "resource")
ROLES = ("person", "territory", "organisation", "resource", "event")


def density(text: str) -> dict[str, int]:
    """What a letter's MyST source holds: directives, mentions, words (front matter aside)."""
    body = text.split("---", 2)[2] if text.startswith("---") else text
    counts = {
        directive: len(re.findall(r"^:{3,}\{" + re.escape(directive) + r"\}", body, re.MULTILINE))
        for directive in DIRECTIVES
    }
    counts["mentions"] = sum(len(re.findall(r"\{" + role + r"\}`", body)) for role in ROLES)
    counts["words"] = len(re.findall(r"\w+", body))
    return counts


# -- projects ------------------------------------------------------------------------------


PLAIN_CONF = '''"""Sphinx settings of the plain floor: the real conf.py without almanach.

Generated by benchmarks/corpus.py. The real configuration is executed as is;
then the almanach extension and its settings are dropped. Sphinx's default
fonts for lualatex (FreeFont) are not installed here: the floor gets the
compendium's fonts and page size, so that both PDFs set the same text alike.
"""

from pathlib import Path

_REAL = Path({real_conf!r})
_settings = {{"__file__": str(_REAL), "__name__": "conf"}}
exec(compile(_REAL.read_text("utf-8"), str(_REAL), "exec"), _settings)
globals().update({{k: v for k, v in _settings.items() if not k.startswith("_")}})

extensions = [name for name in extensions if name != "almanach"]
for _name in [n for n in globals() if n.startswith("almanach_")]:
    del globals()[_name]
# The bibliography styles below are registered by almanach: Sphinx's defaults.
for _name in ("bibtex_default_style", "bibtex_reference_style"):
    globals().pop(_name, None)
exclude_patterns = ["_build"]
latex_elements = {{
    **globals().get("latex_elements", {{}}),
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fontpkg": {fontpkg!r},
}}
'''

#: Fonts of the floor's PDF: those of the compendium (almanach/latex.py).
PLAIN_FONTPKG = r"""
\directlua{luaotfload.add_fallback("benchemoji", {"NotoColorEmoji:mode=harf;"})}
\setmainfont{TeX Gyre Pagella}[RawFeature={fallback=benchemoji}]
\setsansfont{TeX Gyre Heros}[RawFeature={fallback=benchemoji}]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase,RawFeature={fallback=benchemoji}]
"""

#: Stands for the editors' guide, whose examples name the real registries' entries.
GUIDE_STUB = """# Guide de rédaction

Le guide des éditeurs n’entre pas dans le corpus des benchmarks.
"""

#: Directives of almanach that the real home page uses, dropped from the floor's.
ALMANACH_BLOCK = re.compile(r"^(`{3,}|:{3,})\{pdf-download\}[^\n]*\n(?:.*\n)*?\1\n", re.MULTILINE)
TOCTREE = re.compile(r"^(`{3,}|:{3,})\{toctree\}[^\n]*\n((?:.*\n)*?)\1\n", re.MULTILINE)


def plain_index(real_index: str) -> str:
    """The real home page without almanach's directives: the same toctrees."""
    return ALMANACH_BLOCK.sub("", real_index)


def toctree_entries(index: str) -> list[str]:
    """The documents the home page's toctrees list (globs aside)."""
    entries = []
    for match in TOCTREE.finditer(index):
        for line in match.group(2).splitlines():
            line = line.strip()
            if line and not line.startswith(":") and "*" not in line:
                entries.append(line)
    return entries


@dataclass
class Corpus:
    """Both projects of one size, and what the incremental benchmark edits."""

    n: int
    root: Path
    registries: Registries
    letters: list[Letter]
    edits: int = 0
    markers: list[str] = field(default_factory=list)

    @property
    def almanach(self) -> Path:
        return self.root / "almanach"

    @property
    def plain(self) -> Path:
        return self.root / "plain"

    @property
    def edited_letter(self) -> Letter:
        """The letter the incremental benchmark edits: the middle one."""
        return self.letters[(self.n - 1) // 2]

    @property
    def edited_update(self) -> Update:
        """The update it edits: the letter's first."""
        return self.edited_letter.updates[0]

    @property
    def current_marker(self) -> str:
        """The word the edited sentence holds now."""
        return self.markers[-1] if self.markers else self.edited_update.marker

    @property
    def previous_marker(self) -> str:
        """The word it held before the last edit."""
        return self.markers[-2] if len(self.markers) > 1 else self.edited_update.marker

    def edit(self) -> str:
        """Change the edited sentence in both variants; return its new word (a word that
        holds none of the previous ones)."""
        letter = self.edited_letter
        old = self.current_marker
        self.edits += 1
        new = f"retouche{letter.number:03d}n{self.edits}z"
        for variant in ("almanach", "plain"):
            path = self.root / variant / "issues" / letter.filename
            text = path.read_text("utf-8")
            if text.count(old) != 1:
                raise ValueError(f"{path}: « {old} » is not there once")
            path.write_text(text.replace(old, new), encoding="utf-8")
        self.markers.append(new)
        return new


def _copy_real_project(destination: Path) -> None:
    """The parts of the real project a build needs, without its letters and guide."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        ROOT / "docs",
        destination / "docs",
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", "_build"),
    )
    shutil.copy2(ROOT / "references.bib", destination / "references.bib")
    guide = destination / "docs" / "guide"
    if guide.exists():  # its examples name the real registries' entries
        shutil.rmtree(guide)
        guide.mkdir()
        (guide / "index.md").write_text(GUIDE_STUB, encoding="utf-8")
    for page in (destination / "docs" / "territoires").glob("*.md"):
        if page.name != "index.md":  # generated by almanach for the real pilots
            page.unlink()
    (destination / "issues").mkdir(exist_ok=True)


def write_almanach_project(root: Path, registries: Registries, letters: list[Letter]) -> None:
    _copy_real_project(root)
    write_registries(root / "docs" / "registres", registries)
    for letter in letters:
        (root / "issues" / letter.filename).write_text(render_almanach(letter), encoding="utf-8")


def write_plain_project(
    root: Path, registries: Registries, letters: list[Letter], real_conf: Path
) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "issues").mkdir()
    (docs / "lettres").symlink_to(Path("..") / "issues")
    shutil.copy2(ROOT / "references.bib", root / "references.bib")
    (docs / "conf.py").write_text(
        PLAIN_CONF.format(real_conf=str(real_conf), fontpkg=PLAIN_FONTPKG), encoding="utf-8"
    )
    real_docs = real_conf.parent
    if (real_docs / "_static").is_dir():
        shutil.copytree(real_docs / "_static", docs / "_static")
    index = plain_index((real_docs / "index.md").read_text("utf-8"))
    (docs / "index.md").write_text(index, encoding="utf-8")
    pages = plain_pages(registries)
    for entry in toctree_entries(index):
        # Pages of the real project without gathered content (the introduction, the
        # guide's stand-in) are copied as they are.
        name = f"{entry}.md"
        if name not in pages:
            source = real_docs / name
            pages[name] = source.read_text("utf-8") if source.is_file() else f"# {entry}\n"
    resources = {rid: r for letter in letters for rid, r in letter.resources.items()}
    renderer = PlainRenderer(registries, resources)
    for letter in letters:
        (root / "issues" / letter.filename).write_text(renderer.letter(letter), encoding="utf-8")
    for name, text in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def plain_pages(registries: Registries) -> dict[str, str]:
    """The floor's other pages: what the registries say, without anything gathered."""

    def listing(title: str, intro: str, lines: Iterable[str]) -> str:
        return f"# {title}\n\n{intro}\n\n" + "".join(f"- {line}\n" for line in lines)

    pages = {
        "rubriques.md": "# Les rubriques\n\nChaque rubrique, d’une lettre à l’autre.\n\n"
        + "".join(
            f"## {r['emoji']} {r['title']}\n\n{r.get('description', '')}\n\n"
            for r in registries.rubriques.values()
        ),
        "ressources.md": "# Les ressources\n\nLes ressources partagées par les lettres.\n",
        "citations.md": "# Les citations\n\nLes citations des lettres, avec leurs auteurs.\n",
        "agenda.md": listing(
            "L’agenda",
            "Les rendez-vous du programme, dans l’ordre des dates.",
            (f"{e['title']} : {e['start']}" for e in registries.events.values()),
        ),
        "personnes.md": listing(
            "Les personnes",
            "Les personnes citées dans les lettres.",
            (f"{p['name']} ({p['role']})" for p in registries.people.values()),
        ),
        "organisations.md": listing(
            "Les organisations",
            "Les organisations citées dans les lettres.",
            (o["name"] for o in registries.organisations.values()),
        ),
        "bibliographie.md": "# Bibliographie\n\nLes ouvrages cités dans les lettres.\n\n"
        "```{bibliography}\n```\n",
        "territoires/index.md": "# Les territoires\n\nLes territoires pilotes.\n\n"
        "```{toctree}\n:maxdepth: 1\n:glob:\n\n*\n```\n",
    }
    for key in registries.pilots:
        territory = registries.territories[key]
        pages[f"territoires/{key}.md"] = (
            f"# {territory['name']}\n\n- Type : {territory['kind']}\n"
            f"- Département : {territory['departement']}\n"
        )
    return pages


def build_corpus(root: Path, n: int) -> Corpus:
    """Write both projects of ``n`` letters under ``root`` (which must not exist)."""
    registries = make_registries()
    letters = make_letters(n, registries)
    root.mkdir(parents=True)
    corpus = Corpus(n, root, registries, letters)
    write_almanach_project(corpus.almanach, registries, letters)
    write_plain_project(corpus.plain, registries, letters, corpus.almanach / "docs" / "conf.py")
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of letters")
    parser.add_argument("destination", type=Path, help="a folder that does not exist yet")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.destination, args.n)
    sys.stdout.write(f"{corpus.almanach}\n{corpus.plain}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
