"""The registry of gathered views (``almanach.gathered.views``): each view is one
object with a name, its queries, a web and a PDF rendering; the directives leave
placeholders for these views only; the queries a view declares are what its
page's freshness key digests; and each view renders, on the site and in the
PDF, from a handful of records made here, without building a project."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

from almanach.domain.domain import GATHERING
from almanach.domain.selection import Query, Selection, selection_of
from almanach.gathered import render
from almanach.gathered.directives import GatheringDirective
from almanach.gathered.view import View
from almanach.gathered.views import DIRECTIVES, FAMILIES, VIEWS, queries_of
from almanach.model.records import (
    Letter,
    Mention,
    Place,
    Quotation,
    ResourceLink,
    RubriqueSection,
    TerritoryUpdate,
)
from almanach.model.registry import Registry
from almanach.reading.nodes import page_reference
from almanach.rules.directives import SPECS
from helpers import build, letter, slim_project

#: A target for each view, among the records below ("" for views of everything).
TARGETS = {
    "territory-updates": "lomme",
    "territory-quotes": "lomme",
    "territory-mentions": "lomme",
    "person": "guillaume-demeyer",
    "organisation": "ademe",
    "event": "forum",
    "rubrique": "nouvelles",
    "resources": "",
    "quotes": "",
}


# -- the registry ------------------------------------------------------------------


def test_every_view_is_one_complete_object():
    assert set(VIEWS) == set(TARGETS)
    for name, view in VIEWS.items():
        assert isinstance(view, View)
        assert view.name == name
        queries = view.queries(TARGETS[name])
        assert queries and all(isinstance(query, Query) for query in queries)
        for rendering in (view.html, view.pdf):
            assert callable(rendering)
            assert list(inspect.signature(rendering).parameters) == ["page", "results"]


def test_view_and_directive_names_are_unique_across_families():
    views = [view.name for family in FAMILIES for view in family.VIEWS]
    directives = [name for family in FAMILIES for name in family.DIRECTIVES]
    assert len(views) == len(set(views)) == len(VIEWS)
    assert len(directives) == len(set(directives)) == len(DIRECTIVES)
    assert all(issubclass(directive, GatheringDirective) for directive in DIRECTIVES.values())


def test_every_gathering_directive_has_its_rules():
    """The checker knows each directive without Sphinx (``almanach check``)."""
    assert set(DIRECTIVES) <= set(SPECS)


def test_the_freshness_key_reads_each_view_s_declared_queries():
    for name, view in VIEWS.items():
        assert queries_of(name, TARGETS[name]) == view.queries(TARGETS[name])


# -- a handful of records ----------------------------------------------------------


def place(docname: str, anchor: str, order: int, section: str = "") -> Place:
    return Place(docname, anchor, order, order, section)


class Domain:
    """What a page reads of the domain, over the records given (no Sphinx):
    links are plain references, web mentions plain inlines."""

    def __init__(self, found: dict[str, list[Any]], letters: list[Letter]) -> None:
        self.found = found
        self._letters = letters
        self.registry = Registry()
        self.data: dict[str, Any] = {"targets": {}}
        self._selection = Selection(self)

    def letters(self) -> list[Letter]:
        return self._letters

    def records(self, kind: str) -> list[Any]:
        return self.found.get(kind, [])

    def resource(self, resource_id: str, near: str = "") -> ResourceLink | None:
        return next((r for r in self.found["resources"] if r.id == resource_id), None)

    def derived(self, name: str, build) -> Any:
        """The real domain's derived indexes: here, the one selection."""
        assert name == "selection"
        return self._selection

    def refnode(self, builder, fromdocname, todocname, anchor, contnode, title=None):
        reference = nodes.reference("", "", internal=True, refuri=f"{todocname}#{anchor}")
        reference += contnode
        return reference

    def resolve_mention(self, builder, fromdocname, kind, target, label):
        return nodes.inline(label, label, classes=[f"almanach-{kind}"])


@pytest.fixture
def domain() -> Domain:
    january, february = "lettres/2030-01", "lettres/2030-02"
    news = place(january, "nouvelles", 1, "Nouvelles")
    found: dict[str, list[Any]] = {
        "updates": [
            TerritoryUpdate(
                place(january, "lomme", 2, "Nouvelles"),
                "lomme",
                ("guillaume-demeyer",),
                "Où en est le réseau ?",
                [nodes.paragraph("", "Le réseau de chaleur avance.")],
            ),
            TerritoryUpdate(place(february, "roubaix", 3), "roubaix", (), "", []),
        ],
        "quotes": [
            Quotation(
                place(january, "citation", 4, "Nouvelles"),
                "guillaume-demeyer",
                "guide",
                "",
                "lomme",
                [nodes.paragraph("", "Il faut y aller ensemble.")],
            )
        ],
        "resources": [
            ResourceLink(
                place(january, "guide", 5, "Nouvelles"),
                "guide",
                "Guide de la sobriété",
                "",
                True,
                "document",
                "ademe",
                "",
                "",
            )
        ],
        "mentions": [
            Mention(place(february, "m1", 6, "Agenda"), "resource", "guide"),
            Mention(place(february, "m2", 7, "Agenda"), "territory", "lomme"),
            Mention(place(february, "m3", 8, "Agenda"), "person", "guillaume-demeyer"),
            Mention(place(february, "m4", 9, "Agenda"), "organisation", "ademe"),
            Mention(place(february, "m5", 10, "Agenda"), "event", "forum"),
        ],
        "rubriques": [RubriqueSection(news, "nouvelles", "Nouvelles")],
    }
    for index, record in enumerate(r for kind in found.values() for r in kind):
        record.digest = (f"{index}", f"{index}+body")
    letters = [
        Letter(january, 1, "2030-01", "Janvier", "published"),
        Letter(february, 2, "2030-02", "Février", "published"),
    ]
    return Domain(found, letters)


def texts(content: list[nodes.Node]) -> str:
    return " | ".join(node.astext() for node in content)


# -- freshness -----------------------------------------------------------------------


def test_a_page_s_key_follows_every_record_its_views_show(domain):
    selection = selection_of(domain)
    for name, view in VIEWS.items():
        placeholders = [(name, TARGETS[name])]
        key = selection.page_key(placeholders, queries_of)
        shown = [record for found in view.results(selection, TARGETS[name]) for record in found]
        assert shown, name
        for record in shown:
            before = record.digest
            record.digest = ("changed", "changed")
            assert selection.page_key(placeholders, queries_of) != key, (name, record)
            record.digest = before
        assert selection.page_key(placeholders, queries_of) == key


def test_a_page_s_key_ignores_what_its_views_do_not_show(domain):
    selection = selection_of(domain)
    placeholders = [("territory-updates", "lomme")]
    key = selection.page_key(placeholders, queries_of)
    roubaix = domain.found["updates"][1]
    roubaix.digest = ("changed", "changed")
    assert selection.page_key(placeholders, queries_of) == key


def test_a_page_s_key_is_made_with_the_queries_given(domain):
    """The key depends on the views through their queries only: a view that
    queried nothing would make the page independent of the records."""
    selection = selection_of(domain)
    placeholders = [("territory-updates", "lomme")]
    key = selection.page_key(placeholders, lambda view, target: ())
    domain.found["updates"][0].digest = ("changed", "changed")
    assert selection.page_key(placeholders, lambda view, target: ()) == key
    assert selection.page_key(placeholders, queries_of) != key


# -- renderings ------------------------------------------------------------------------


def web(domain: Domain) -> render.WebPage:
    return render.WebPage(domain, "rassemble", builder=None)  # type: ignore[arg-type]


def pdf(domain: Domain) -> render.PdfPage:
    return render.PdfPage(domain, "rassemble", builder=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_view_renders_in_both_media(domain, name):
    view = VIEWS[name]
    for page in (web(domain), pdf(domain)):
        content = page.show(view, TARGETS[name])
        assert content and all(isinstance(node, nodes.Element) for node in content), name
        if TARGETS[name]:  # nothing on an entry the letters do not speak of
            assert page.show(view, "inconnu") == [], name


def test_territory_news_in_full_on_the_site_and_by_page_in_the_pdf(domain):
    view = VIEWS["territory-updates"]
    on_screen = texts(web(domain).show(view, "lomme"))
    assert "Lettre" in on_screen and "Nouvelles" in on_screen
    assert "Où en est le réseau ?" in on_screen and "Le réseau de chaleur avance." in on_screen
    printed = pdf(domain).show(view, "lomme")
    assert "Où en est le réseau ?" in texts(printed)
    assert "Le réseau de chaleur avance." not in texts(printed)
    assert list(printed[0].findall(page_reference))


def test_quotations_in_full_on_the_site_and_by_place_in_the_pdf(domain):
    view = VIEWS["territory-quotes"]
    (block,) = web(domain).show(view, "lomme")
    assert isinstance(block, nodes.block_quote)
    assert "Il faut y aller ensemble." in block.astext()
    (line,) = pdf(domain).show(view, "lomme")
    assert line["classes"] == ["almanach-places"]
    assert "Il faut y aller ensemble." not in line.astext()


def test_the_catalogue_lists_citations_and_pending_addresses_on_the_site_only(domain):
    view = VIEWS["resources"]
    on_screen = web(domain).show(view, "")
    assert [n.astext() for n in on_screen if isinstance(n, nodes.rubric)] == [
        "Document",
        "Liens à retrouver",
    ]
    assert "Agenda" in texts(on_screen)  # cited again in February's agenda
    printed = pdf(domain).show(view, "")
    assert [n.astext() for n in printed if isinstance(n, nodes.rubric)] == ["Document"]
    assert "février" not in texts(printed)  # the PDF's index gives the other places


def test_a_rubrique_shows_its_contents_on_the_site_and_its_places_in_the_pdf(domain):
    view = VIEWS["rubrique"]
    (items,) = web(domain).show(view, "nouvelles")
    assert "Nouvelles : lomme" in items.astext()
    assert "Ressource : Guide de la sobriété" in items.astext()
    (line,) = pdf(domain).show(view, "nouvelles")
    assert line["classes"] == ["almanach-places"]


# -- the directives leave placeholders for the registered views ---------------------------

GATHERING_PAGE = """# Tout

```{people-directory}
```

```{organisation-directory}
```

```{agenda}
```

```{rubrique-browser}
```

```{resource-catalogue}
```

```{quote-collection}
```
"""


def test_the_directives_leave_placeholders_for_every_view_and_only_them(tmp_path: Path):
    docs = slim_project(tmp_path)
    (docs / "tout.md").write_text(GATHERING_PAGE, encoding="utf-8")
    (docs / "index.md").write_text(
        "# Essai\n\n```{toctree}\n:glob:\n\nlettres/*\nterritoires/*\ntout\n```\n"
        "\n```{territory-directory}\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "issues" / "2030-01.md").write_text(letter("Rien."), encoding="utf-8")
    app, _warnings = build(docs, "html", tmp_path / "build")
    noted = {
        view
        for placeholders in app.env.domains["almanach"].data[GATHERING].values()
        for view, _target in placeholders
    }
    assert noted == set(VIEWS)
    assert "Rien pour l’instant dans les lettres." in (Path(app.outdir) / "tout.html").read_text(
        "utf-8"
    )
