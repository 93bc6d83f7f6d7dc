"""The web indices (almanach.domain.indices): people sorted by family name
under the letter they sort by, and the page a reader reads — letters to jump
to, entries and their places as links, no monospace, no toggles — on hand-made
records and on the real site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from almanach.domain import indices
from almanach.model import records
from almanach.model.registry import Entry, Registry

# -- generate() on hand-made records -----------------------------------------------------


def person(entry_id: str, name: str, **values) -> Entry:
    return Entry("people", entry_id, {"name": name, **values}, "personnes.yaml", 1)


def place(docname: str, anchor: str, order: int, section: str = "En pratique") -> records.Place:
    return records.Place(docname, anchor, 1, order, section)


class FakeDomain:
    """What the indices ask of the domain: the registry, the letters, the
    records and each entry's page."""

    def __init__(self, people: list[Entry], mentions: list[records.Mention]):
        self.registry = Registry(entries={"people": {p.id: p for p in people}})
        self._mentions = mentions

    def letters(self):
        return [records.Letter("lettres/2022-01", 3, "2022-01", "Janvier", "published")]

    def records(self, key: str):
        return self._mentions if key == "mentions" else []

    def target(self, kind: str, target_id: str):
        return ("personnes", f"personne-{target_id}")


PEOPLE = [
    person("anne", "Anne Sophie Ketterer"),
    person("aude", "Aude Van Haeringen"),
    person("sandro", "Sandro de Gasparo"),
    person("eric", "Éric Martin"),
    person("marie", "Marie d’Aubigne"),
    person("xi", "Xi Jinping", family_name="Xi"),
    person("zoe", "zoé  ABEL"),
    person("collectif", "Collectif"),
]


def generated(people: list[Entry], mentions: list[records.Mention] = ()):
    content, _collapse = indices.PersonIndex(FakeDomain(people, list(mentions))).generate()
    return content


def test_people_index_sorts_by_family_name_under_the_sort_letter():
    content = generated(PEOPLE)
    assert [(letter, [e.name for e in entries]) for letter, entries in content] == [
        ("A", ["ABEL, zoé", "d’Aubigne, Marie"]),  # case ignored, spaces made single
        ("C", ["Collectif"]),
        ("G", ["de Gasparo, Sandro"]),
        ("K", ["Ketterer, Anne Sophie"]),
        ("M", ["Martin, Éric"]),
        ("V", ["Van Haeringen, Aude"]),
        ("X", ["Xi Jinping"]),
    ]


def test_a_place_is_listed_once_and_letters_only():
    mention = records.Mention
    mentions = [
        mention(place("lettres/2022-01", "a", 1), "person", "anne"),
        mention(place("lettres/2022-01", "a", 1), "person", "anne"),  # the same place twice
        mention(place("lettres/2022-01", "b", 2), "person", "anne"),
        mention(place("brouillons/x", "c", 3), "person", "anne"),  # not a letter
    ]
    ((_letter, entries),) = generated(PEOPLE[:1], mentions)
    assert [(e.name, e.subtype, e.anchor) for e in entries] == [
        ("Ketterer, Anne Sophie", 1, "personne-anne"),
        ("Lettre n° 3 — janvier 2022, En pratique", 2, "a"),
        ("Lettre n° 3 — janvier 2022, En pratique", 2, "b"),
    ]


# -- the page's body ----------------------------------------------------------------------


def pathto(name: str, resource: int = 0) -> str:
    return f"../{name}.html?a=1&b=<2>"


CONTENT = [
    (
        "A",
        [
            ("Âme & <corps>", 1, "personnes", "t-1", "", "", ""),
            ("Lettre n° 2, « rubrique »", 2, "lettres/2021-12", "ancre", "", "", ""),
            ("Lettre n° 2, « rubrique »", 2, "lettres/2021-12", "autre", "", "", ""),
            ("Lettre n° 3, <b>Édito</b>", 2, "lettres/2022-01", "x", "", "", ""),
            ("Sans page", 0, "", "", "", "", ""),
        ],
    ),
    ("#", [("1er", 0, "d", "", "organisation", "", "")]),
]


def body(content=CONTENT, intro: str = "Les <personnes>.") -> BeautifulSoup:
    context = {"indextitle": "Index & co", "content": content, "pathto": pathto}
    return BeautifulSoup(indices.index_body(context, intro), "html.parser")


def test_body_is_a_readers_index():
    page = body()
    assert page.h1.get_text() == "Index & co"
    assert page.select_one(".almanach-index-intro").get_text() == "Les <personnes>."
    jump = page.select_one("nav.almanach-index-letters")
    assert jump["aria-label"] == "Lettres de l’index"
    assert [a["href"] for a in jump.select("a")] == ["#cap-A", "#cap-autres"]
    assert [h2.get_text() for h2 in page.select("section h2")] == ["A", "#"]
    assert [h2["id"] for h2 in page.select("section h2")] == ["cap-A", "cap-autres"]
    assert page.select("code, img, table, .toggler") == []
    entries = page.select("li.almanach-index-entry")
    assert [e.select_one(".almanach-index-name").get_text() for e in entries] == [
        "Âme & <corps>",
        "Sans page",
        "1er",
    ]
    first = entries[0]
    assert first.select_one("a.almanach-index-name")["href"] == "../personnes.html?a=1&b=<2>#t-1"
    places = first.select("ul.almanach-index-places > li")
    assert [li.a.get_text() for li in places] == [
        "Lettre n° 2, « rubrique »",
        "Lettre n° 3, <b>Édito</b>",  # a label is text, never markup
    ]
    # The second place of one rubrique: its rank, with a full accessible name.
    (again,) = places[0].select(".almanach-index-again a")
    assert again.get_text() == "2e passage"
    assert again["aria-label"] == "Lettre n° 2, « rubrique », 2e passage"
    assert again["href"].endswith("#autre")
    assert entries[1].select_one("span.almanach-index-name").get_text() == "Sans page"
    assert entries[2].select_one(".almanach-index-extra").get_text() == "(organisation)"


def test_body_of_an_empty_index():
    page = body([], "")
    assert page.h1.get_text() == "Index & co"
    assert page.select("nav, section, p") == []


def test_untrusted_labels_stay_text():
    raw = indices.index_body(
        {"indextitle": "T", "pathto": pathto, "content": CONTENT}, "<script>x</script>"
    )
    assert "<script>" not in raw and "<b>" not in raw and "<corps>" not in raw


# -- the real site --------------------------------------------------------------------------


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def index_names(page: BeautifulSoup) -> list[tuple[str, str]]:
    """(heading letter, entry name) of each entry of an index page, in order."""
    return [
        (entry.find_parent("section").h2.get_text(), entry.select_one(".almanach-index-name").text)
        for entry in page.select("li.almanach-index-entry")
    ]


@pytest.fixture(scope="module")
def site(project_html) -> Path:
    return project_html[0]


def test_real_people_index_is_sorted_by_family_name(site):
    names = index_names(soup(site / "almanach-personnes.html"))
    shown = [name for _letter, name in names]
    for earlier, later in [
        ("Ketterer, Anne Sophie", "Nicoloso, Barbara"),
        ("Frat, Julien", "de Gasparo, Sandro"),
        ("de Gasparo, Sandro", "Honoré, Vincent"),
        ("Tremblay, Jeannie", "Van Haeringen, Aude"),
        ("Van Haeringen, Aude", "Verjus, Gaëlle"),
    ]:
        assert shown.index(earlier) < shown.index(later), (earlier, later)
    assert ("K", "Ketterer, Anne Sophie") in names
    assert ("G", "de Gasparo, Sandro") in names
    assert "Anne Sophie Ketterer" not in shown
    letters = [letter for letter, _name in names]
    assert letters == sorted(letters)


@pytest.mark.parametrize("name", ["personnes", "territoires", "ressources"])
def test_real_indices_read_as_an_index(site, name):
    page = soup(site / f"almanach-{name}.html")
    article = page.select_one("article")
    assert article.select("code, img.toggler, table.modindextable") == []
    assert "toggler" not in str(article)
    entries = article.select("li.almanach-index-entry")
    assert entries
    headings = [h2.get_text() for h2 in article.select("section.almanach-index-group h2")]
    jumps = [a.get_text() for a in article.select("nav.almanach-index-letters a")]
    assert headings == jumps and len(set(headings)) == len(headings)
    places = article.select(".almanach-index-places li")
    assert places, "no entry has a place in the letters"
    for item in places:
        for link in item.select("a"):
            assert re.match(r"lettres/[^#]+\.html#.+", link["href"]), link
    for entry in entries:
        assert entry.select_one("a.almanach-index-name")["href"]


@pytest.mark.parametrize(
    ("page", "index"),
    [
        ("personnes.html", "almanach-personnes.html"),
        ("territoires/index.html", "../almanach-territoires.html"),
        ("ressources.html", "almanach-ressources.html"),
    ],
)
def test_pages_link_to_their_index(site, page, index):
    article = soup(site / page).select_one("article")
    links = [a for a in article.select("a") if a.get("href") == index]
    assert links, f"{page} does not link to {index}"
    assert links[0].get_text().startswith("index des ")


def test_people_page_in_the_index_order(site):
    index = [name for _l, name in index_names(soup(site / "almanach-personnes.html"))]
    page = soup(site / "personnes.html").select_one("article")
    headings = [h2.get_text().rstrip("#").strip() for h2 in page.select("section > h2")]
    assert "Ketterer, Anne Sophie" in headings
    assert [name for name in headings if name in index] == index
