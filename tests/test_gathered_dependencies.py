"""A gathering page is written again when, and only when, what it shows changed.

Each page's views declare their queries (``almanach.domain.selection``); an edit to one
territory's news rewrites that territory's page — not the people, resources or
rubriques pages, nor the other territories — and the pages that show a
changed resource follow it, wherever its mention was copied.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from helpers import build, letter, project_with_letters

WRITTEN = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")

RESOURCE = """
:::{{resource}} guide-sobriete
:title: Guide de la sobriété
:kind: document
{address}
:::
"""

UPDATE = """
::::{{rubrique}} nouvelles
:::{{territory-update}} lomme
:speakers: guillaume-demeyer
:question: {question}

À {{territory}}`lomme`, le projet {marker} avance ; voir {{resource}}`guide-sobriete`.
:::
::::
"""


def letters(marker: str, question: str, address: str) -> dict[str, str]:
    return {
        "2030-01.md": letter(RESOURCE.format(address=address), 90, "2030-01", "Janvier"),
        "2030-02.md": letter(
            UPDATE.format(marker=marker, question=question), 91, "2030-02", "Février"
        ),
    }


def write_letters(base: Path, marker: str, question: str, address: str) -> Path:
    """The project with both letters, the first time; then only the letters change."""
    if not (base / "docs").exists():
        return project_with_letters(base, letters(marker, question, address))
    for name, text in letters(marker, question, address).items():
        path = base / "issues" / name
        if path.read_text("utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return base / "docs"


def written(srcdir: Path) -> set[str]:
    """Build HTML (incrementally after the first time); the documents written."""
    app, warnings = build(srcdir, confoverrides={"templates_path": []})
    assert warnings == ""
    return set(WRITTEN.findall(strip_colors(app.status.getvalue())))


def page(srcdir: Path, name: str) -> str:
    return (srcdir.parent / "build" / "html" / name).read_text("utf-8")


def test_editing_news_rewrites_its_territory_page_only(tmp_path):
    srcdir = write_letters(tmp_path, "avance1z", "Où en êtes-vous ?", ":pending:")
    first = written(srcdir)
    assert {"territoires/lomme", "personnes", "ressources", "rubriques"} <= first

    write_letters(tmp_path, "avance2z", "Où en êtes-vous ?", ":pending:")
    # (index and territoires/index: Sphinx writes the toctree parents of written pages)
    assert written(srcdir) == {"lettres/2030-02", "index", "territoires/lomme", "territoires/index"}
    lomme = page(srcdir, "territoires/lomme.html")
    assert "avance2z" in lomme and "avance1z" not in lomme

    # What the people page shows of an update (its question) changed: it follows.
    write_letters(tmp_path, "avance2z", "Quels projets ?", ":pending:")
    again = written(srcdir)
    assert {"lettres/2030-02", "territoires/lomme", "personnes"} <= again
    assert "ressources" not in again and "territoires/rodez-agglomeration" not in again
    assert "Quels projets\N{NARROW NO-BREAK SPACE}?" in page(srcdir, "personnes.html")


def test_a_resource_address_reaches_the_copies_of_news_citing_it(tmp_path):
    """The territory page copies the update's body, which cites a resource of
    another letter: when the resource gets its address, the copy shows it."""
    srcdir = write_letters(tmp_path, "avance1z", "Où en êtes-vous ?", ":pending:")
    written(srcdir)
    url = "https://example.org/guide-sobriete"
    assert url not in page(srcdir, "territoires/lomme.html")

    write_letters(tmp_path, "avance1z", "Où en êtes-vous ?", f":url: {url}")
    again = written(srcdir)
    assert {"lettres/2030-01", "lettres/2030-02", "territoires/lomme", "ressources"} <= again
    assert "personnes" not in again
    for name in ("territoires/lomme.html", "lettres/2030-02.html", "ressources.html"):
        assert f'href="{url}"' in page(srcdir, name), name


def test_a_registry_change_reaches_every_output_sharing_the_environment(tmp_path):
    """``make`` builds the PDF, then the site, on one environment: the first build
    reads the letters again after a registry change, the second still rewrites
    every page (a label may be on any)."""
    srcdir = write_letters(tmp_path, "avance1z", "Où en êtes-vous ?", ":pending:")
    for builder in ("latex", "html"):
        _app, warnings = build(srcdir, builder, confoverrides={"templates_path": []})
        assert warnings == ""
    people = srcdir / "registres" / "personnes.yaml"
    text = people.read_text("utf-8")
    people.write_text(text.replace("name: Guillaume Demeyer", "name: Guillaume De Meyer"), "utf-8")
    for builder in ("latex", "html"):
        _app, warnings = build(srcdir, builder, confoverrides={"templates_path": []})
        assert warnings == ""
    # The people page and index print the family name first.
    for name, new, old in (
        ("personnes.html", "De Meyer, Guillaume", "Demeyer, Guillaume"),
        ("almanach-personnes.html", "De Meyer, Guillaume", "Demeyer, Guillaume"),
        ("territoires/lomme.html", "Guillaume De Meyer", "Guillaume Demeyer"),
    ):
        assert new in page(srcdir, name), name
        assert old not in page(srcdir, name), name


def test_a_build_stopped_while_writing_leaves_no_stale_page(tmp_path):
    """The keys of the gathering pages hold once the pages are written: after a
    build that stopped while writing, the next one writes them."""
    srcdir = write_letters(tmp_path, "avance1z", "Où en êtes-vous ?", ":pending:")
    written(srcdir)
    write_letters(tmp_path, "avance2z", "Où en êtes-vous ?", ":pending:")

    def stop(app, pagename, *args):
        if pagename == "lettres/2030-02":
            raise KeyboardInterrupt

    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=tmp_path / "build", confoverrides={"templates_path": []}
    )
    app.connect("html-page-context", stop)
    with pytest.raises(KeyboardInterrupt):
        app.build()
    app.cleanup()
    assert "avance2z" not in page(srcdir, "territoires/lomme.html")
    assert "territoires/lomme" in written(srcdir)
    assert "avance2z" in page(srcdir, "territoires/lomme.html")
