"""The registry of gathered views (``almanach.gathered.views``): each view is one
object with a name, its queries, a web and a PDF rendering; the directives leave
placeholders for these views only; the queries a view declares are what its
page's freshness key digests; and each view renders, on the site and in the
PDF, from a handful of records made here, without building a project."""

from __future__ import annotations

import inspect
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from almanach.config import AlmanachConfig
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
from almanach.model.registry import Entry, Registry
from almanach.reading.nodes import page_reference
from almanach.rules.directives import SPECS
from helpers import build, letter, project_with_letters, slim_project

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
    "home-latest": "",
    "home-letters": "",
    "home-territories": "",
    "home-subscribe": "",
}
#: Views that show no record of the letters (the front page's feeds): their page
#: does not depend on the letters through them.
RECORDLESS = {"home-subscribe"}


# -- the registry ------------------------------------------------------------------


def test_every_view_is_one_complete_object():
    assert set(VIEWS) == set(TARGETS)
    for name, view in VIEWS.items():
        assert isinstance(view, View)
        assert view.name == name
        queries = view.queries(TARGETS[name])
        assert all(isinstance(query, Query) for query in queries)
        assert bool(queries) == (name not in RECORDLESS), name
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
        # Two pilot territories, labelled by their id.
        self.registry = Registry(
            {
                "territories": {
                    tid: Entry("territories", tid, {"pilot": True}, "territoires.yaml", 1)
                    for tid in ("lomme", "roubaix")
                }
            }
        )
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
        assert bool(shown) == (name not in RECORDLESS), name
        for record in shown:
            # A letter has no digest: every page's key names its fields; a view
            # of the letters shows their summary too.
            field = "summary" if isinstance(record, Letter) else "digest"
            before = getattr(record, field)
            setattr(record, field, "changed" if field == "summary" else ("changed", "changed"))
            assert selection.page_key(placeholders, queries_of) != key, (name, record)
            setattr(record, field, before)
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


def building(domain: Domain, preview: bool) -> Domain:
    """``domain`` in a build whose ``almanach_preview`` is ``preview``."""
    settings = AlmanachConfig(preview=preview)
    config = SimpleNamespace(
        **{f"almanach_{field.name}": getattr(settings, field.name) for field in fields(settings)}
    )
    domain.env = SimpleNamespace(config=config)  # type: ignore[attr-defined]
    return domain


def test_the_catalogue_lists_citations_and_pending_addresses_in_preview_only(domain):
    """The editors' « Liens à retrouver » is in a preview build's catalogue, not
    in the published site's (whose pending resources say « lien à venir »)."""
    view = VIEWS["resources"]
    on_screen = web(building(domain, preview=False)).show(view, "")
    assert [n.astext() for n in on_screen if isinstance(n, nodes.rubric)] == ["Document"]
    assert "Liens à retrouver" not in texts(on_screen)
    assert "Agenda" in texts(on_screen)  # cited again in February's agenda
    previewed = web(building(domain, preview=True)).show(view, "")
    assert [n.astext() for n in previewed if isinstance(n, nodes.rubric)] == [
        "Document",
        "Liens à retrouver",
    ]
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


# -- the front page -----------------------------------------------------------------------


def with_letter(domain: Domain, letter: Letter) -> Domain:
    """``domain`` with one more letter (its selection made again)."""
    domain._letters = sorted([*domain._letters, letter], key=lambda item: item.sort_key)
    domain._selection = Selection(domain)
    return domain


def links(content: list[nodes.Node]) -> list[tuple[str, str]]:
    """(address, text) of each link, in order."""
    return [
        (reference.get("refuri", ""), reference.astext())
        for node in content
        for reference in node.findall(nodes.reference)
    ]


def test_the_front_page_leads_with_the_latest_letter(domain):
    domain._letters[1].summary = "Les nouvelles de février, en bref."
    agenda = place("lettres/2030-02", "agenda", 11, "Agenda")
    domain.found["rubriques"].append(RubriqueSection(agenda, "a-suivre", "🔜 À suivre…"))
    (card,) = web(building(domain, preview=False)).show(VIEWS["home-latest"], "")
    assert "almanach-home-latest" in card["classes"]
    text = card.astext()
    assert text.startswith("Lettre n° 2 — février 2030")
    assert "Février" in text and "Les nouvelles de février, en bref." in text
    assert "Janvier" not in text and "Nouvelles" not in text  # January's rubrique
    assert links([card]) == [
        ("lettres/2030-02#", "Février"),
        ("lettres/2030-02#agenda", "🔜 À suivre…"),
        ("lettres/2030-02#", "Lire la lettre"),
    ]


def test_a_draft_is_neither_the_lead_nor_listed_unless_previewing(domain):
    """Whatever letters a build holds, the front page leads with the latest
    published one; a preview lists the others, marked."""
    with_letter(domain, Letter("lettres/2030-03", 3, "2030-03", "Mars", "draft"))
    published = building(domain, preview=False)
    (card,) = web(published).show(VIEWS["home-latest"], "")
    assert "Février" in card.astext() and "Mars" not in card.astext()
    (items,) = web(published).show(VIEWS["home-letters"], "")
    assert [text.split(" ")[0] for _uri, text in links([items])] == ["Février", "Janvier"]
    (items,) = web(building(domain, preview=True)).show(VIEWS["home-letters"], "")
    assert [text.split(" ")[0] for _uri, text in links([items])] == ["Mars", "Février", "Janvier"]
    assert "Mars Lettre n° 3 — mars 2030 brouillon" in items.astext()
    (card,) = web(domain).show(VIEWS["home-latest"], "")
    assert "Mars" not in card.astext()


def test_the_front_page_lists_every_letter_newest_first(domain):
    with_letter(domain, Letter("lettres/2029-12", 7, "2029-12", "Décembre", "published"))
    (items,) = web(building(domain, preview=False)).show(VIEWS["home-letters"], "")
    assert [item.astext() for item in items.children] == [
        "Février Lettre n° 2 — février 2030",
        "Janvier Lettre n° 1 — janvier 2030",
        "Décembre Lettre n° 7 — décembre 2029",
    ]


def test_no_published_letter_no_lead(domain):
    domain._letters = [Letter("lettres/2030-03", 3, "2030-03", "Mars", "review")]
    domain._selection = Selection(domain)
    assert web(building(domain, preview=True)).show(VIEWS["home-latest"], "") == []


def test_the_front_page_counts_each_pilot_s_news(domain):
    domain.found["updates"].append(
        TerritoryUpdate(place("lettres/2030-02", "lomme-2", 12), "lomme", (), "", [])
    )
    domain.registry.entries["territories"]["albi"] = Entry(
        "territories", "albi", {"pilot": True}, "territoires.yaml", 9
    )
    domain.registry.entries["territories"]["lille"] = Entry(
        "territories", "lille", {}, "territoires.yaml", 12
    )
    (items,) = web(domain).show(VIEWS["home-territories"], "")
    assert [item.astext() for item in items.children] == [
        "albi — pas encore de nouvelles",
        "lomme — 2 nouvelles, la dernière en février 2030",
        "roubaix — 1 nouvelle, en février 2030",
    ]


def test_the_front_page_says_where_to_subscribe(domain):
    (items,) = web(domain).show(VIEWS["home-subscribe"], "")
    assert [uri for uri, _text in links([items])] == ["atom.xml", "agenda.ics"]


def test_a_quotation_is_attributed_once_with_its_letter(domain):
    """The letter's attribution (as the letter renders it), then the letter:
    « — Guillaume Demeyer, Lettre n° 1 — janvier 2030, Nouvelles »."""
    quote = domain.found["quotes"][0]
    written = nodes.attribution()
    written += nodes.inline("", "Guillaume Demeyer")
    written += nodes.Text(", ")
    written += nodes.emphasis("", "dans son bureau")
    quote.body = [*quote.body, written]
    for page in (web(domain), pdf(domain)):
        (block,) = page.show(VIEWS["quotes"], "")
        (attribution,) = block.findall(nodes.attribution)
        assert attribution.astext().startswith(
            "Guillaume Demeyer, dans son bureau, Lettre n° 1 — janvier 2030"
        )
        assert attribution.astext().count("Guillaume Demeyer") == 1
        assert list(attribution.findall(nodes.emphasis))  # its markup kept
        assert block.astext().count("Guillaume Demeyer") == 1


def test_a_quotation_without_written_attribution_is_attributed_from_its_record(domain):
    (block,) = web(domain).show(VIEWS["quotes"], "")
    (attribution,) = block.findall(nodes.attribution)
    assert attribution.astext() == "guillaume-demeyer, guide, Lettre n° 1 — janvier 2030, Nouvelles"


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

```{front-page}
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


# -- the front page and the gathered pages, built ----------------------------------------

NEWS = """Bonjour, voici les nouvelles de {month}.

::::{{rubrique}} nouvelles
:::{{territory-update}} lomme
:speakers: guillaume-demeyer
:question: Où en êtes-vous ?

À {{territory}}`lomme`, le projet {marker} avance.
:::
::::
{extra}"""

PENDING = """
::::{rubrique} en-pratique
:::{resource} guide-a-venir
:title: Le guide à venir
:kind: document
:pending:

Le guide est à retrouver sous forme de document :
:::
::::
"""


def dated(
    date: str, number: int, title: str, status: str = "published", extra: str = ""
) -> tuple[str, str]:
    """One letter of the front page's project: (file name, MyST source)."""
    body = NEWS.format(month=title.lower(), marker=f"projet{number}z", extra=extra)
    text = letter(body, number, date, title).replace("status: published", f"status: {status}")
    return f"{date}.md", text


#: Three published letters (their files not in date order of their numbers) and
#: a later draft.
HOME_LETTERS = dict(
    [
        dated("2030-01", 90, "Janvier", extra=PENDING),
        dated("2030-03", 92, "Mars"),
        dated("2030-02", 91, "Février"),
        dated("2030-04", 93, "Avril", status="draft"),
    ]
)


def soup(html: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html / name).read_text("utf-8"), "html.parser")


def article(html: Path, name: str) -> BeautifulSoup:
    return soup(html, name).find("article")


@pytest.fixture(scope="module")
def home_site(tmp_path_factory) -> Path:
    """The site with the letters above, built (published): its HTML folder."""
    base = tmp_path_factory.mktemp("home")
    docs = project_with_letters(base, HOME_LETTERS)
    app, warnings = build(docs, "html", base / "build")
    assert warnings == ""
    return Path(app.outdir)


def test_the_home_page_leads_with_the_latest_published_letter(home_site):
    lead = article(home_site, "index.html").find(id="a-la-une")
    assert lead.find(class_="almanach-home-kicker").get_text() == "Lettre n° 92 — mars 2030"
    title = lead.find(class_="almanach-home-title").a
    assert (title.get_text(), title["href"]) == ("Mars", "lettres/2030-03.html")
    assert "Bonjour, voici les nouvelles de mars." in lead.get_text()
    assert [a.get_text() for a in lead.select(".almanach-home-contents a")] == [
        "🔎 Les nouvelles des territoires…"
    ]
    assert lead.select_one(".almanach-home-read a")["href"] == "lettres/2030-03.html"
    # The draft is nowhere in the published site's front page.
    assert "Avril" not in soup(home_site, "index.html").get_text()


def test_the_home_page_lists_the_letters_newest_first(home_site):
    letters = article(home_site, "index.html").find(id="toutes-les-lettres")
    # Each letter one link: its title, then its number and month.
    assert [(a.get_text(), a["href"]) for a in letters.select(".almanach-home-letters a")] == [
        ("Mars Lettre n° 92 — mars 2030", "lettres/2030-03.html"),
        ("Février Lettre n° 91 — février 2030", "lettres/2030-02.html"),
        ("Janvier Lettre n° 90 — janvier 2030", "lettres/2030-01.html"),
    ]
    assert [title.get_text() for title in letters.select(".almanach-home-letter-title")] == [
        "Mars",
        "Février",
        "Janvier",
    ]


def test_the_home_page_lists_the_pilots_with_their_news(home_site):
    pilots = article(home_site, "index.html").find(id="les-territoires-pilotes")
    items = {li.a.get_text(): li for li in pilots.select(".almanach-home-territories li")}
    assert set(items) == {"Lomme", "Rodez Agglomération", "Faverges", PTAB}
    lomme = items["Lomme"]
    assert lomme.a["href"] == "territoires/lomme.html#territoire-lomme"
    assert lomme.find(class_="almanach-home-news").get_text() == (
        "3 nouvelles, la dernière en mars 2030"
    )
    assert items["Faverges"].get_text() == "Faverges — pas encore de nouvelles"


def test_the_home_page_links_to_its_feeds(home_site):
    subscribe = article(home_site, "index.html").find(id="s-abonner")
    assert subscribe.find(["h2"]).get_text().startswith("S’abonner")
    hrefs = [a["href"] for a in subscribe.select("a.almanach-feed")]
    assert hrefs == ["atom.xml", "agenda.ics"]
    assert all((home_site / href).is_file() for href in hrefs)
    # The presentation and the PDF download stay; the plan is the sidebar's.
    page = soup(home_site, "index.html")
    assert page.select_one(".almanach-pdf-download a")
    assert not page.article.select(".toctree-wrapper li")
    sidebar = [a.get_text(strip=True) for a in page.select("nav.bd-docs-nav a")]
    assert {"Janvier", "Mars", "Les ressources", "Les citations"} <= set(sidebar)


def test_the_editors_links_to_find_are_not_published(home_site):
    catalogue = article(home_site, "ressources.html")
    assert "Liens à retrouver" not in catalogue.get_text()
    assert "lien à venir" in catalogue.get_text()  # the reader's mark


def test_a_preview_lists_drafts_and_the_links_to_find(tmp_path):
    docs = project_with_letters(tmp_path, HOME_LETTERS)
    app, warnings = build(
        docs, "html", tmp_path / "build", confoverrides={"almanach_preview": True}
    )
    assert warnings == ""
    html = Path(app.outdir)
    home = article(html, "index.html")
    assert "Mars" in home.find(id="a-la-une").get_text()  # the latest published letter
    listed = [li.get_text(" ", strip=True) for li in home.select(".almanach-home-letters li")]
    assert listed[0] == "Avril Lettre n° 93 — avril 2030 brouillon"
    assert "Liens à retrouver" in article(html, "ressources.html").get_text()


def test_the_home_page_follows_the_letters_incrementally_and_in_parallel(tmp_path):
    """A letter retitled, a later one added: the next build's front page shows
    them, as a clean parallel build of the same letters does."""
    docs = project_with_letters(tmp_path / "serial", HOME_LETTERS)
    # The front page again, on a page that is no letter's parent (Sphinx writes
    # those whenever a letter is): written again through the views' keys only.
    (docs / "une.md").write_text(ONE_PAGE, encoding="utf-8")
    build(docs, "html", tmp_path / "serial" / "build")
    name, text = dated("2030-03", 92, "Mars")
    (docs.parent / "issues" / name).write_text(text.replace("Mars", "Mars, enfin"), "utf-8")
    name, text = dated("2030-05", 94, "Mai")
    (docs.parent / "issues" / name).write_text(text, "utf-8")
    app, warnings = build(docs, "html", tmp_path / "serial" / "build")
    assert warnings == ""
    home = article(Path(app.outdir), "index.html")
    assert home.select_one(".almanach-home-title a").get_text() == "Mai"
    assert [a.get_text() for a in home.select(".almanach-home-letter-title")] == [
        "Mai",
        "Mars, enfin",
        "Février",
        "Janvier",
    ]
    assert "4 nouvelles" in home.find(id="les-territoires-pilotes").get_text()
    # The lead's summary is its first words: they change, the front page follows.
    path = docs.parent / "issues" / name
    path.write_text(text.replace("voici les nouvelles de mai", "voici le mois de mai"), "utf-8")
    app, warnings = build(docs, "html", tmp_path / "serial" / "build")
    for page in ("index.html", "une.html"):
        lead = article(Path(app.outdir), page).find(id="a-la-une")
        summary = lead.find(class_="almanach-home-summary").get_text()
        # The letter’s own words (not its rubrique’s description nor its labels),
        # its mentions by their labels (« Lomme », not « lomme »).
        assert summary.startswith("Bonjour, voici le mois de mai. À Lomme, le projet"), page
    home = article(Path(app.outdir), "index.html")

    sources = {path.name: path.read_text("utf-8") for path in (docs.parent / "issues").glob("*")}
    clean = project_with_letters(tmp_path / "parallel", sources)
    (clean / "une.md").write_text(ONE_PAGE, encoding="utf-8")
    parallel, warnings = build(clean, "html", tmp_path / "parallel" / "build", parallel=2)
    assert warnings == ""
    assert str(article(Path(parallel.outdir), "index.html")) == str(home)


#: A page of the front page alone (in no toctree).
ONE_PAGE = "---\norphan: true\n---\n\n# À la une\n\n```{front-page}\n```\n"

#: The Albigeois' label in the registry.
PTAB = "Pôle Territorial de l’Albigeois et des Bastides"


# -- the real letter's gathered pages ----------------------------------------------------------


def test_each_quotation_is_attributed_once_after_a_dash_and_a_no_break_space(project_html):
    html, _warnings = project_html
    pages = ("citations.html", "personnes.html", "territoires/albigeois-bastides.html")
    for name in pages:
        for quote in article(html, name).select("blockquote"):
            attributions = quote.select("p.attribution")
            assert len(attributions) == 1, (name, quote.get_text())
            text = attributions[0].get_text()
            assert text.startswith("—\u00a0"), (name, text)
            if "Lettre n°" not in text:  # in a letter's news, copied as written
                continue
            speaker = text[2:].split(",")[0]
            assert quote.get_text().count(speaker) == 1, (name, text)
    citations = article(html, "citations.html").select("p.attribution")
    assert len(citations) >= 3
    assert all("Lettre n° 2 — décembre 2021" in p.get_text() for p in citations)


def test_a_resource_s_description_introduces_its_line_in_one_card(project_html):
    letter = article(project_html[0], "lettres/2021-12.html")
    audio = letter.find(id="ressource-intervention-puy-de-dome")
    paragraphs = audio.find_all("p", recursive=False)
    assert paragraphs[0].get_text().rstrip().endswith("sous forme audio\N{NO-BREAK SPACE}:")
    assert paragraphs[-1]["class"] == ["almanach-resource-card"]
    assert "Le retour d’expérience du Puy-de-Dôme" in paragraphs[-1].get_text()
    # Every card ends with its line.
    for card in letter.select("div.almanach-resource"):
        assert card.find_all("p", recursive=False)[-1]["class"] == ["almanach-resource-card"]


def test_a_pending_mark_follows_its_word_after_a_no_break_space(project_html):
    html, _warnings = project_html
    marks = 0
    for name in ("lettres/2021-12.html", "ressources.html", "citations.html"):
        for pending in article(html, name).select(".almanach-pending"):
            mark = pending.select_one(".almanach-pending-mark")
            assert mark.get_text() == "(lien à venir)"
            assert str(mark.previous_sibling) == "\u00a0", (name, pending.get_text())
            marks += 1
    assert marks >= 10


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_the_front_page_renders_in_every_builder(tmp_path, builder):
    """Web-only where the site puts it (``only html``), the front page still
    renders elsewhere: the latest letter and the list, without a warning."""
    docs = slim_project(tmp_path)
    (docs / "index.md").write_text(
        "# Essai\n\n```{toctree}\n:glob:\n\nlettres/*\nterritoires/*\n```\n\n"
        "```{front-page}\n```\n",
        encoding="utf-8",
    )
    for name, text in (dated("2030-01", 90, "Janvier"), dated("2030-02", 91, "Février")):
        (tmp_path / "issues" / name).write_text(text, encoding="utf-8")
    app, warnings = build(docs, builder, tmp_path / "build")
    assert warnings == ""
    output = next(Path(app.outdir).glob("index.txt" if builder == "text" else "*.tex"))
    written = output.read_text("utf-8")
    assert "À la une" in written and "Toutes les lettres" in written
    assert written.index("Février") < written.index("Janvier", written.index("Toutes les lettres"))


def test_an_entry_without_facts_has_no_empty_list(project_html):
    """A person the registry knows by name only (Rob Hopkins: no role, no
    organisation) gets no empty field list, which would leave a gap."""
    people = BeautifulSoup((project_html[0] / "personnes.html").read_text("utf-8"), "html.parser")
    assert people.find(id="personne-rob-hopkins") is not None
    assert [dl for dl in people.select("dl.almanach-facts") if not dl.find("dt")] == []
