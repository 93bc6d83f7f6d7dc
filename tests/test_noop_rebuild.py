"""A rebuild that has nothing to do: what almanach keeps between builds (the
compiled templates, the sidebars, the feeds) gives the pages a clean build
gives; the letters' statuses are read at every build."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import jinja2
from sphinx.jinja2glue import idgen

from almanach.domain import indices
from almanach.html import navigation, theme
from almanach.reading import review as workflow
from helpers import build, copy_project

# -- the letters' statuses ------------------------------------------------------------------


def write_letter(folder: Path, name: str, status: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: Essai\nstatus: {status}\n---\n\n# Essai\n", encoding="utf-8")
    return path


def test_statuses_are_read_at_every_build(tmp_path):
    letters = tmp_path / "lettres"
    letters.mkdir()
    write_letter(letters, "a.md", "draft")
    write_letter(letters, "b.md", "published")
    write_letter(letters, "c.md", "published\nstatus: review")  # read: the build says it
    assert workflow.unpublished_letters(tmp_path, "lettres") == ["lettres/a.md"]
    # Rewritten within the same tick of the clock, same size: read again all the same.
    path = letters / "a.md"
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace("draft", "drafT"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    write_letter(letters, "b.md", "review")
    assert workflow.unpublished_letters(tmp_path, "lettres") == ["lettres/b.md"]


# -- the indices' pages ---------------------------------------------------------------------


def sphinx_body(context: dict) -> str:
    """The ``body`` block of Sphinx's own ``domainindex.html``, rendered by Jinja."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(indices.BASIC_DOMAININDEX.parent))
    )
    environment.globals["idgen"] = idgen
    template = environment.get_template("domainindex.html")
    return "".join(template.blocks["body"](template.new_context(context)))


def test_index_body_is_the_one_sphinx_renders():
    def pathto(name: str, resource: int = 0) -> str:
        return f"../{name}" if resource else f"../{name}.html?a=1&b=<2>"

    content = [
        (
            "A",
            [
                ("Âme & <corps>", 1, "lettres/2021-12", "t-1", "", "", ""),
                ("Lettre n° 2, « rubrique »", 2, "lettres/2021-12", "ancre", "", "", ""),
                ("Autre", 2, "lettres/2022-01", "x", "extra & co", "qual", "desc <b>"),
                ("Sans page", 0, "", "", "", "", ""),
            ],
        ),
        ("B", [("Bé", 1, "b", "b", "", "", ""), ("Sous", 2, "c", "c", "", "", "")]),
        ("#", [("1er", 0, "d", "", "", "", "")]),
    ]
    for content_ in (content, content[:1], []):
        context = {"indextitle": "Index & co", "content": content_, "pathto": pathto}
        assert indices.index_body(context) == sphinx_body(context)


# -- a whole rebuild --------------------------------------------------------------------------


def pages(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and ".doctrees" not in path.parts
        and path.name not in {"sitemap.xml", ".buildinfo"}
    }


def test_rebuild_with_nothing_to_do_gives_the_clean_build(tmp_path):
    srcdir = copy_project(tmp_path)
    app, warnings = build(srcdir, "html", tmp_path / "build")
    assert warnings == ""
    outdir, doctrees = Path(app.outdir), Path(app.doctreedir)
    clean = pages(outdir)
    for name in (
        navigation.NAVIGATION_STORE,
        "almanach-feeds.json",
        theme.TEMPLATE_CACHE,
    ):
        assert (doctrees / name).exists(), name
    feeds = {name: (outdir / name).stat().st_mtime_ns for name in ("atom.xml", "agenda.ics")}

    app, warnings = build(srcdir, "html", tmp_path / "build")
    assert warnings == ""
    assert pages(outdir) == clean
    # The feeds are what the first build wrote: not written again.
    assert {name: (outdir / name).stat().st_mtime_ns for name in feeds} == feeds
    # The garbage collector is as the build found it.
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

    # A feed removed from the output is written again.
    (outdir / "atom.xml").unlink()
    build(srcdir, "html", tmp_path / "build")
    assert (outdir / "atom.xml").read_bytes() == clean["atom.xml"]


def test_rebuild_without_the_stores_gives_the_same_pages(tmp_path):
    srcdir = copy_project(tmp_path)
    app, _ = build(srcdir, "html", tmp_path / "build")
    outdir, doctrees = Path(app.outdir), Path(app.doctreedir)
    first = pages(outdir)
    # Damaged stores are ignored.
    (doctrees / navigation.NAVIGATION_STORE).write_text("{", encoding="utf-8")
    (doctrees / "almanach-feeds.json").write_text("[]", encoding="utf-8")
    build(srcdir, "html", tmp_path / "build")
    second = pages(outdir)
    assert {k: v for k, v in second.items() if k != "agenda.ics"} == {
        k: v for k, v in first.items() if k != "agenda.ics"
    }
