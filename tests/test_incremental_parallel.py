"""Incremental and parallel builds give the same site as a clean serial build.

The fixture is the site and its real letter plus eight generated letters (see
``fixture_project``). Each territory update and quotation carries a unique
marker word; counting markers in the output shows stale or duplicated content.

- Incremental: add, edit and delete an update in one letter, rebuilding HTML
  and LaTeX with a new application on the same folders after each change; the
  territory pages, the people page, the domain indices and the ``.tex`` follow.
- Parallel: clean serial == clean ``-j 4`` == serial + edits + incremental
  ``-j 4`` (domain data, gathered pages, domain indices, ``.tex``).
- The environment pickle keeps its size across repeated ``-j 4`` rebuilds.
- A letter citing another letter's resource follows when that resource changes.
- The « Territoire : … » line of an update is not counted as a mention.

Builds run in this process with ``sphinx.testing`` (``helpers.build``); see
:func:`build_project` for why each gets a fresh ``templates_path``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.util.console import strip_colors

from almanach.model import records
from fixture_project import FixtureProject, UpdateSpec, make_project, with_updates
from helpers import build

#: The letter the incremental tests change (two updates: Albigeois, Lomme).
EDITED = "2022-04"
#: Per-document data of the almanach domain.
PER_DOC = ("letters", "updates", "quotes", "resources", "mentions", "rubriques", "targets")
#: Pages whose content is gathered from the letters (besides territoires/*.html).
GATHERED_PAGES = (
    "personnes.html",
    "ressources.html",
    "citations.html",
    "organisations.html",
    "rubriques.html",
    "agenda.html",
    "almanach-territoires.html",
    "almanach-personnes.html",
    "almanach-ressources.html",
)
TEX = "territoires-pilotes.tex"


# -- the three changes, all in one letter -------------------------------------------


def add_update(project: FixtureProject) -> tuple[set[str], set[str]]:
    """Add a Faverges update (two speakers); return (markers gone, markers new)."""
    spec = project.spec(EDITED)
    assert "faverges" not in {u.territory for u in spec.updates}
    added = UpdateSpec("faverges", ("jeannie-tremblay", "gaelle-verjus"), "add04k2z")
    project.write(with_updates(spec, [*spec.updates, added]))
    return set(), {added.marker}


def edit_update(project: FixtureProject) -> tuple[set[str], set[str]]:
    """Rewrite the text of the first update (its marker changes)."""
    spec = project.spec(EDITED)
    first, *rest = spec.updates
    edited = dataclasses.replace(first, marker="edt04k0z")
    project.write(with_updates(spec, [edited, *rest]))
    return {first.marker}, {edited.marker}


def delete_update(project: FixtureProject) -> tuple[set[str], set[str]]:
    """Delete the Lomme update (the second one)."""
    spec = project.spec(EDITED)
    removed = spec.updates[1]
    assert removed.territory == "lomme"
    project.write(with_updates(spec, [u for u in spec.updates if u is not removed]))
    return {removed.marker}, set()


CHANGES = (add_update, edit_update, delete_update)


def apply_all_changes(project: FixtureProject) -> None:
    for change in CHANGES:
        change(project)


# -- reading the output ---------------------------------------------------------------


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def article(path: Path) -> str:
    """The main content of an HTML page, without permalinks."""
    found = soup(path).find("article")
    assert found is not None, path
    for permalink in found.select("a.headerlink"):
        permalink.decompose()
    return str(found)


def news_section(page: Path, territory: str) -> str:
    """The text of the « Nouvelles » section of a territory page."""
    section = soup(page).find(id=f"territoire-{territory}-updates")
    assert section is not None, page
    return section.get_text()


def update_ids(html: Path, date: str) -> list[str]:
    """The anchors of the updates of a letter page, in order."""
    page = soup(html / "lettres" / f"{date}.html")
    return [div["id"] for div in page.select("div.almanach-update")]


def html_index(path: Path) -> dict[str, list[str]]:
    """A domain index page: main entry anchor -> its places ("doc#anchor")."""
    entries: dict[str, list[str]] = {}
    for entry in soup(path).select("li.almanach-index-entry"):
        name = entry.select_one("a.almanach-index-name")
        places = [a["href"].replace(".html#", "#") for a in entry.select("a.almanach-index-place")]
        entries[name["href"].partition("#")[2]] = places
    return entries


#: An entry of a .tex index (its own page), or one of its places in the letters,
#: which follow it run in: « n° 2 (p. \almanachpage{…}\almanachpage{…}) ; … ».
LATEX_ITEM = re.compile(
    r"\\item\\relax\\sphinxstyleindexentry\{.*?\}(?:\\sphinxstyleindexextra\{.*?\})?"
    r"\\sphinxstyleindexpageref\{([^:}]*):\\detokenize\{([^}]*)\}\}"
    r"|\\almanachpage\{(lettres/[^:}]*):\\detokenize\{([^}]*)\}\}"
)


def latex_index(tex: str, title: str) -> dict[str, list[str]]:
    """A domain index of the .tex: main entry anchor -> its places in the letters."""
    start = tex.index(rf"\renewcommand{{\indexname}}{{{title}}}")
    block = tex[start : tex.index(r"\end{sphinxtheindex}", start)]
    entries: dict[str, list[str]] = {}
    current = ""
    for _docname, anchor, place_docname, place_anchor in LATEX_ITEM.findall(block):
        if place_docname:
            entries[current].append(f"{place_docname}#{place_anchor}")
        else:
            current = anchor
            entries[current] = []
    return entries


def letter_places(entries: dict[str, list[str]], anchor: str, project: FixtureProject):
    """The update places of one index entry in the generated letters (with repeats)."""
    docnames = {spec.docname for spec in project.specs}
    return sorted(
        place
        for place in entries.get(anchor, [])
        if place.partition("#")[0] in docnames and "#nouvelle-" in place
    )


# -- the oracle ------------------------------------------------------------------------


def content(page: str) -> str:
    """The page's content, without its head (where a letter's summary is repeated
    as its description)."""
    return page[page.index("<article") : page.index("</article>")]


def check_output(project: FixtureProject, gone: set[str]) -> None:
    """Every page shows each update and quotation as many times as it should.

    ``gone``: markers of text that was removed and must be found nowhere.
    """
    registries = project.registries
    html = project.builddir / "html"
    tex = (project.builddir / "latex" / TEX).read_text("utf-8")
    pilots = registries.pilots
    territory_pages = {t: (html / "territoires" / f"{t}.html").read_text("utf-8") for t in pilots}
    people = (html / "personnes.html").read_text("utf-8")
    quotes = (html / "citations.html").read_text("utf-8")

    for spec in project.specs:
        letter = content((html / "lettres" / f"{spec.date}.html").read_text("utf-8"))
        anchors = update_ids(html, spec.date)
        for update, anchor in zip(spec.updates, anchors, strict=True):
            where = f"{update.marker} ({spec.date}, {update.territory})"
            assert letter.count(update.marker) == 1, where
            for territory, page in territory_pages.items():
                expected = 1 if territory == update.territory else 0
                assert page.count(update.marker) == expected, f"{where} on {territory}.html"
            # The people page links to the update (the index test checks the links);
            # its text is in the letter and on the territory page only.
            assert people.count(update.marker) == 0, f"{where} personnes"
            # The PDF prints an update once, in its letter; the territory's page
            # refers to the page (see test_pdf_book for the printed result).
            assert tex.count(update.marker) == 1, f"{where} in the .tex"
            if update.territory in pilots:
                ref = rf"\almanachpageref{{lettres/{spec.date}:\detokenize{{{anchor}}}}}"
                assert ref in tex, f"{where}: {ref}"
        speaker_territory = registries.people[spec.quote_speaker].get("territory")
        assert letter.count(spec.quote_marker) == 1
        assert quotes.count(spec.quote_marker) == 1, spec.quote_marker
        assert people.count(spec.quote_marker) == 1, spec.quote_marker
        for territory, page in territory_pages.items():
            expected = 1 if territory == speaker_territory else 0
            assert page.count(spec.quote_marker) == expected, f"{spec.quote_marker} {territory}"
        # The PDF prints a quotation in its letter and in the quotations' chapter.
        assert tex.count(spec.quote_marker) == 2

    for marker in gone:
        assert marker not in tex, f"stale {marker} in the .tex"
        for page in html.rglob("*.html"):
            assert marker not in page.read_text("utf-8"), f"stale {marker} in {page}"

    # Indices: each territory and person lists exactly the updates of the letters.
    by_territory: dict[str, list[str]] = {t: [] for t in registries.territories}
    by_person: dict[str, list[str]] = {p: [] for p in registries.people}
    for spec in project.specs:
        anchors = update_ids(html, spec.date)
        assert len(anchors) == len(spec.updates), spec.date
        for anchor, update in zip(anchors, spec.updates, strict=True):
            assert anchor.startswith(f"nouvelle-{update.territory}-"), anchor
            by_territory[update.territory].append(f"{spec.docname}#{anchor}")
            for person in update.speakers:
                by_person[person].append(f"{spec.docname}#{anchor}")
    indices = (
        ("territoires", "Index des territoires", "territoire", by_territory),
        ("personnes", "Index des personnes", "personne", by_person),
    )
    for name, title, prefix, expected in indices:
        in_html = html_index(html / f"almanach-{name}.html")
        in_tex = latex_index(tex, title)
        for entry_id, places in expected.items():
            anchor = f"{prefix}-{entry_id}"
            assert letter_places(in_html, anchor, project) == sorted(places), f"{name}: {anchor}"
            assert letter_places(in_tex, anchor, project) == sorted(places), f".tex {anchor}"


def build_project(
    project: FixtureProject, builder: str = "html", *, chunks: bool = False, **options: Any
):
    """One build with a new application on the project's folders; no warning allowed.
    ``chunks``: the build must have read several chunks of documents in parallel.

    ``templates_path`` is given afresh: Sphinx's default list is shared by every
    application of the process and the theme appends to it, so without this each
    new application would see another configuration and rewrite every HTML page,
    hiding stale pages.
    """
    app, warnings = build(
        project.srcdir,
        builder,
        project.builddir,
        confoverrides={"templates_path": []},
        **options,
    )
    assert warnings == "", f"{builder}: {warnings}"
    status = strip_colors(app.status.getvalue())
    if builder == "html" and not options.get("freshenv"):
        # An incremental build: only outdated pages are written again.
        assert "build_info mismatch" not in status, status
    if chunks:
        assert_read_in_chunks(app, status)
    return app


#: A chunk of several documents read by one forked process, as Sphinx reports it.
CHUNK = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+) \.\. (\S+)")


def assert_read_in_chunks(app, status: str) -> None:
    """The build read its documents in parallel: several chunks of several documents
    (Sphinx reads in forked processes only when the extensions allow it)."""
    assert app.parallel > 1
    assert app.is_parallel_allowed("read")
    assert len(CHUNK.findall(status)) >= 2, status


def build_html_and_latex(project: FixtureProject, chunks: bool = False, **options: Any):
    """HTML then LaTeX, each with a new application on the same folders."""
    app = build_project(project, "html", chunks=chunks, **options)
    options.pop("freshenv", None)
    build_project(project, "latex", **options)
    return app


# -- incremental ---------------------------------------------------------------------


def test_fixture_letters_build_without_warnings(tmp_path):
    project = make_project(tmp_path)
    build_html_and_latex(project, freshenv=True)
    assert len(project.specs) >= 8
    territories = {u.territory for spec in project.specs for u in spec.updates}
    speakers = {p for spec in project.specs for u in spec.updates for p in u.speakers}
    assert len(territories) >= 4
    assert len(speakers) >= 5
    check_output(project, gone=set())


def test_incremental_build_follows_add_edit_delete(tmp_path):
    project = make_project(tmp_path)
    build_html_and_latex(project, freshenv=True)
    check_output(project, gone=set())
    html = project.builddir / "html"
    gone: set[str] = set()
    for change in CHANGES:
        removed, added = change(project)
        gone |= removed
        build_html_and_latex(project)
        check_output(project, gone)
        pages = "".join(p.read_text("utf-8") for p in (html / "territoires").glob("*.html"))
        for marker in added:
            assert marker in pages, change.__name__

    # The net effect, spelled out: Faverges gained an update of April, Lomme lost one.
    april = "Lettre n° 6 — avril 2022"
    faverges = news_section(html / "territoires" / "faverges.html", "faverges")
    lomme = news_section(html / "territoires" / "lomme.html", "lomme")
    assert faverges.count("add04k2z") == 1
    assert faverges.count(april) == 1
    assert april not in lomme
    assert "upd04k1z" not in lomme
    territories = html_index(html / "almanach-territoires.html")
    assert (
        letter_places(territories, "territoire-faverges", project).count(
            "lettres/2022-04#nouvelle-faverges-1"
        )
        == 1
    )
    assert not [
        place for place in territories["territoire-lomme"] if place.startswith("lettres/2022-04#")
    ]


# -- parallel ------------------------------------------------------------------------


def comparable(value: Any) -> Any:
    """Records as nested tuples of field names and reprs; nodes (packed ones
    unpacked) as their pformat()."""
    if isinstance(value, nodes.Node):
        return value.pformat()
    if isinstance(value, records.PackedNodes):
        return tuple(node.pformat() for node in value.nodes())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, comparable(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    if isinstance(value, dict):
        return tuple(sorted((repr(key), comparable(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(comparable(item) for item in value)
    return repr(value)


def snapshot(app, project: FixtureProject) -> dict[str, Any]:
    """The domain's per-document data and the gathered pages of the last build."""
    data = app.env.domains["almanach"].data
    html = project.builddir / "html"
    pages = sorted((html / "territoires").glob("*.html"))
    return {
        "data": {key: comparable(data[key]) for key in (*PER_DOC, "gathering")},
        "pages": {
            str(page.relative_to(html)): article(page)
            for page in [*pages, *(html / name for name in GATHERED_PAGES)]
        },
        "tex": (project.builddir / "latex" / TEX).read_text("utf-8"),
    }


def built_snapshot(project: FixtureProject, **options: Any) -> dict[str, Any]:
    return snapshot(build_html_and_latex(project, **options), project)


def assert_same(expected: dict[str, Any], actual: dict[str, Any], what: str) -> None:
    for key in PER_DOC:
        assert actual["data"][key] == expected["data"][key], f"{what}: domain data {key!r}"
    assert actual["data"] == expected["data"], f"{what}: domain data"
    assert actual["pages"].keys() == expected["pages"].keys()
    for page, content in expected["pages"].items():
        assert actual["pages"][page] == content, f"{what}: {page}"
    assert actual["tex"] == expected["tex"], f"{what}: {TEX}"


def test_serial_parallel_and_incremental_parallel_agree(tmp_path):
    serial = make_project(tmp_path / "serial")
    apply_all_changes(serial)
    expected = built_snapshot(serial, freshenv=True)
    check_output(serial, gone={"upd04k0z", "upd04k1z"})

    parallel = make_project(tmp_path / "parallel")
    apply_all_changes(parallel)
    clean = built_snapshot(parallel, parallel=4, freshenv=True, chunks=True)
    assert_same(expected, clean, "clean -j 4")

    incremental = make_project(tmp_path / "incremental")
    built_snapshot(incremental, freshenv=True)
    apply_all_changes(incremental)
    # Only the changed letter is read again (by one forked process) ...
    assert_same(expected, built_snapshot(incremental, parallel=4), "serial, edits, -j 4")
    # ... and then every letter, in several chunks, over the same environment.
    for spec in incremental.specs:
        incremental.touch(spec)
    again = built_snapshot(incremental, parallel=4, chunks=True)
    assert_same(expected, again, "serial, edits, -j 4, touch all, -j 4")


def test_with_j_pages_are_read_in_parallel_and_written_by_one_process(tmp_path):
    """Parallel writing is switched off for the site (almanach.html.writing: it
    bought 6 % of time for 66 % more memory); parallel reading is kept."""
    project = make_project(tmp_path)
    app = build_project(project, parallel=4, freshenv=True, chunks=True)
    assert app.builder.allow_parallel and app.is_parallel_allowed("write")
    assert app.builder.parallel_ok is False


def test_environment_pickle_does_not_grow_on_parallel_rebuilds(tmp_path):
    project = make_project(tmp_path)
    pickle = project.builddir / "doctrees" / "environment.pickle"
    app = build_project(project, parallel=4, freshenv=True, chunks=True)
    read_at = {spec.docname: app.env.all_docs[spec.docname] for spec in project.specs}
    sizes = []
    for _round in range(3):
        # Every generated letter, so that the -j 4 build reads several chunks.
        for spec in project.specs:
            project.touch(spec)
        app = build_project(project, parallel=4, chunks=True)
        for docname, previous in read_at.items():
            assert app.env.all_docs[docname] > previous, f"{docname} was not read again"
            read_at[docname] = app.env.all_docs[docname]
        sizes.append(pickle.stat().st_size)
    assert sizes == [sizes[0]] * len(sizes), sizes


def test_letter_citing_a_resource_follows_its_new_address(tmp_path):
    """A letter that mentions another letter's resource is written again when
    that resource changes: here the pending resource of February gets its address."""
    project = make_project(tmp_path)
    cited, citing = project.spec("2022-02"), project.spec("2022-03")
    assert citing.cited_resource == cited.resource_id
    assert not cited.resource_url
    build_project(project, freshenv=True)
    page = project.builddir / "html" / "lettres" / f"{citing.date}.html"
    internal = f"{cited.date}.html#ressource-{cited.resource_id}"
    url = "https://example.org/adresse-retrouvee"

    def links() -> tuple[int, int]:
        """(pending mentions of the resource, links to its address) in the citing letter."""
        found = soup(page)
        pending = found.select(f'span.almanach-pending a[href="{internal}"]')
        return len(pending), len(found.select(f'a[href="{url}"]'))

    assert links() == (1, 0)
    project.write(dataclasses.replace(cited, resource_url=url))
    build_project(project)
    assert links() == (0, 1)
    catalogue = soup(project.builddir / "html" / "ressources.html")
    assert len(catalogue.select(f'a[href="{url}"]')) == 1


# -- what counts as a mention --------------------------------------------------------


def test_an_update_is_not_a_mention_of_its_own_territory(tmp_path):
    """The « Territoire : … » line that ``territory-update`` adds is not written by
    the editor: it must not make the update a mention of its territory too, listed a
    second time on the territory page and in the territory index."""
    project = make_project(tmp_path)
    spec = project.spec("2022-02")
    quiet = dataclasses.replace(spec.updates[0], names_territory=False)
    territory = quiet.territory
    assert territory in project.registries.pilots
    assert territory not in {u.territory for u in spec.updates[1:]}
    assert spec.other_territory != territory
    project.write(with_updates(spec, [quiet, *spec.updates[1:]]))
    build_project(project, freshenv=True)
    html = project.builddir / "html"

    page = soup(html / "territoires" / f"{territory}.html")
    mentions = page.find(id=f"territoire-{territory}-mentions")
    assert mentions is not None
    assert "Lettre n° 4 — février 2022" not in mentions.get_text()
    news = news_section(html / "territoires" / f"{territory}.html", territory)
    assert news.count("Lettre n° 4 — février 2022") == 1

    entries = html_index(html / "almanach-territoires.html")[f"territoire-{territory}"]
    in_letter = [place for place in entries if place.startswith(f"{spec.docname}#")]
    assert in_letter == [f"{spec.docname}#{update_ids(html, spec.date)[0]}"]
