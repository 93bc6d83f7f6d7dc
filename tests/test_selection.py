"""What the gathered views select from the letters' records, and what a gathering
page's key depends on (``almanach.domain.selection``), without a build: the
records are given to :class:`Selection` through a stand-in of the domain."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from docutils import nodes
from sphinx import addnodes

from almanach.domain.selection import Query, Selection, follow, in_section, mentions_of
from almanach.gathered.views import VIEWS, queries_of
from almanach.model import records

KINDS = ("updates", "quotes", "resources", "mentions", "rubriques")


class Domain:
    """The part of ``AlmanachDomain`` a selection reads: its letters, its records
    in date order, its resources by id, where each registry entry has its page."""

    def __init__(self, letters: list[records.Letter], items: list[Any], targets=None) -> None:
        self.data: dict[str, Any] = {
            "letters": {letter.docname: letter for letter in letters},
            "targets": targets or {"territoires/lomme": {"lomme": "territoire-lomme"}},
        }
        for kind in KINDS:
            self.data[kind] = {}
        for item in items:
            self.data[kind_of(item)].setdefault(item.place.docname, []).append(item)

    def letters(self) -> list[records.Letter]:
        return sorted(self.data["letters"].values(), key=lambda letter: letter.sort_key)

    def records(self, kind: str) -> list[Any]:
        order = {letter.docname: letter.sort_key for letter in self.data["letters"].values()}
        items = [item for per_doc in self.data[kind].values() for item in per_doc]
        return sorted(items, key=lambda i: (order.get(i.place.docname, ("9999",)), i.place.order))

    def resource(self, resource_id: str) -> records.ResourceLink | None:
        found = [r for r in self.records("resources") if r.id == resource_id]
        return found[0] if found else None


def kind_of(item: Any) -> str:
    return {
        records.TerritoryUpdate: "updates",
        records.Quotation: "quotes",
        records.ResourceLink: "resources",
        records.Mention: "mentions",
        records.RubriqueSection: "rubriques",
    }[type(item)]


def place(docname: str, order: int, section: str = "Nouvelles") -> records.Place:
    return records.Place(docname, f"a{order}", order, order, section)


def mention_of_resource(resource_id: str) -> nodes.paragraph:
    """A body that mentions a resource, as the ``{resource}`` role writes it."""
    xref = addnodes.pending_xref(refdomain="almanach", reftype="resource", reftarget=resource_id)
    return nodes.paragraph("", "", xref)


DECEMBER = records.Letter("lettres/2021-12", 2, "2021-12", "Décembre", "published")
JANUARY = records.Letter("lettres/2022-01", 3, "2022-01", "Janvier", "published")
#: Records in the order they are given: not date order.
LOMME_JANUARY = records.TerritoryUpdate(
    place("lettres/2022-01", 1), "lomme", ("guillaume-demeyer",), "", digest=("j1", "j1+")
)
LOMME_DECEMBER = records.TerritoryUpdate(
    place("lettres/2021-12", 5),
    "lomme",
    ("guillaume-demeyer", "lea-tramontin"),
    "",
    body=[mention_of_resource("guide")],
    digest=("d5", "d5+"),
)
RODEZ_DECEMBER = records.TerritoryUpdate(
    place("lettres/2021-12", 2), "rodez", ("lea-tramontin",), "", digest=("d2", "d2+")
)
QUOTE = records.Quotation(
    place("lettres/2021-12", 6), "lea-tramontin", "guide", "", "lomme", digest=("q6", "q6+")
)
GUIDE = records.ResourceLink(
    place("lettres/2021-12", 3, "En pratique"),
    "guide",
    "Le guide",
    "",
    True,
    "document",
    "ademe",
    "",
    "",
    digest=("g3", "g3+"),
)
MENTION = records.Mention(place("lettres/2022-01", 2), "resource", "guide", digest=("m2", "m2+"))
PERSON = records.Mention(place("lettres/2022-01", 3), "person", "lea-tramontin", digest=("p", "p"))
RUBRIQUE = records.RubriqueSection(place("lettres/2021-12", 1), "nouvelles", "Nouvelles")
#: A record of a page that is not a letter (the guide's examples): never selected.
EXAMPLE = records.TerritoryUpdate(place("guide/exemples", 1), "lomme", ("x",), "")
ITEMS = [
    LOMME_JANUARY,
    LOMME_DECEMBER,
    RODEZ_DECEMBER,
    QUOTE,
    GUIDE,
    MENTION,
    PERSON,
    RUBRIQUE,
    EXAMPLE,
]


def selection(*items: Any, letters=(DECEMBER, JANUARY), targets=None) -> Selection:
    return Selection(Domain(list(letters), list(items or ITEMS), targets))  # type: ignore[arg-type]


def test_records_are_the_letters_in_date_order():
    chosen = selection()
    assert chosen.records("updates") == [RODEZ_DECEMBER, LOMME_DECEMBER, LOMME_JANUARY]
    assert list(chosen.letters) == ["lettres/2021-12", "lettres/2022-01"]


def test_queries_by_field():
    chosen = selection()
    assert chosen.get(Query("updates", "territory", "lomme")) == [LOMME_DECEMBER, LOMME_JANUARY]
    assert chosen.get(Query("updates", "territory", "faverges")) == []
    # A field with several values: each update is found by each of its speakers.
    assert chosen.get(Query("updates", "speakers", "lea-tramontin")) == [
        RODEZ_DECEMBER,
        LOMME_DECEMBER,
    ]
    assert chosen.get(Query("quotes", "speaker", "lea-tramontin")) == [QUOTE]
    assert chosen.get(Query("resources", "publisher", "ademe")) == [GUIDE]
    assert chosen.get(mentions_of("resource", "guide")) == [MENTION]
    assert chosen.get(in_section("resources", GUIDE.place)) == [GUIDE]
    assert chosen.get(Query("rubriques", "rubrique", "nouvelles")) == [RUBRIQUE]


def test_views_give_their_queries_results_in_order():
    chosen = selection()
    assert VIEWS["person"].results(chosen, "lea-tramontin") == [
        [RODEZ_DECEMBER, LOMME_DECEMBER],
        [QUOTE],
        [PERSON],
    ]
    assert VIEWS["territory-updates"].results(chosen, "lomme") == [[LOMME_DECEMBER, LOMME_JANUARY]]
    assert VIEWS["resources"].results(chosen, "") == [[GUIDE]]


def test_follow_finds_citations_and_section_contents():
    assert follow(GUIDE) == (mentions_of("resource", "guide"),)
    assert follow(RUBRIQUE) == (
        in_section("updates", RUBRIQUE.place),
        in_section("resources", RUBRIQUE.place),
    )
    assert follow(QUOTE) == ()


def test_cited_reads_the_resources_a_body_mentions():
    chosen = selection()
    assert chosen.cited(LOMME_DECEMBER) == ["guide"]
    assert chosen.cited(LOMME_JANUARY) == []
    assert chosen.resource("guide") is GUIDE
    assert chosen.resource("absente") is None


def key(*items: Any, view=("territory-updates", "lomme"), **options) -> str:
    return selection(*items, **options).page_key([view], queries_of)


def test_page_key_follows_what_the_page_shows():
    before = key()
    assert key() == before  # deterministic
    # Another territory's update: not shown on Lomme's page.
    rodez = replace(RODEZ_DECEMBER, digest=("d2", "changed"))
    assert key(*[rodez if i is RODEZ_DECEMBER else i for i in ITEMS]) == before
    # The body of one of Lomme's updates.
    lomme = replace(LOMME_JANUARY, digest=("j1", "changed"))
    assert key(*[lomme if i is LOMME_JANUARY else i for i in ITEMS]) != before
    # A resource its body cites (its title shows).
    guide = replace(GUIDE, digest=("changed", "g3+"))
    assert key(*[guide if i is GUIDE else i for i in ITEMS]) != before
    # Any letter's title (every view names letters), where mentions link.
    renamed = replace(JANUARY, title="Janvier 2022")
    assert key(letters=(DECEMBER, renamed)) != before
    assert key(targets={"territoires/lomme": {"lomme": "autre-ancre"}}) != before


def test_page_key_without_bodies_ignores_them():
    """The people's page lists updates by title only: their bodies do not count."""
    view = ("person", "guillaume-demeyer")
    before = key(view=view)
    lomme = replace(LOMME_JANUARY, digest=("j1", "changed"))
    assert key(*[lomme if i is LOMME_JANUARY else i for i in ITEMS], view=view) == before
    lomme = replace(LOMME_JANUARY, digest=("changed", "j1+"))
    assert key(*[lomme if i is LOMME_JANUARY else i for i in ITEMS], view=view) != before


def test_page_key_follows_a_resources_citations():
    before = key(view=("resources", ""))
    mention = replace(MENTION, digest=("changed", "m2+"))
    assert key(*[mention if i is MENTION else i for i in ITEMS], view=("resources", "")) != before
