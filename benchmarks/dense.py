"""The benchmarks' recipe: generated registries, and letters with the density of
the December 2021 letter (``issues/2021-12.md``).

The registries: 10 pilot territories (« Territoire 01 » …), three people each
(« Personne 01-1 » …), speakers from organisations (« Intervenant 01 »),
organisations, a few other territories, events, and the real rubriques.

Each letter has seven rubriques, four territory updates, three quotations,
seventeen resources, about fifty mentions and some 3,000 words. Letter *i* is
the same whatever N (a fixed seed per letter), so the 12-letter corpus is the
start of the 120-letter one.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

from almanach.rules.directives import RESOURCE_KINDS as ALL_RESOURCE_KINDS
from benchmarks.letters import (
    Block,
    Bullets,
    Letter,
    Paragraph,
    Quote,
    Registries,
    Resource,
    Rubrique,
    Update,
)

ROOT = Path(__file__).resolve().parent.parent

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


# -- letters ---------------------------------------------------------------------------


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
