"""A rebuild that has nothing to do: what almanach keeps between builds (the
letters' statuses, the compiled templates, the sidebars, the feeds) gives the
pages a clean build gives."""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path

import jinja2
import pytest
from sphinx.jinja2glue import idgen

from almanach.domain import indices
from almanach.html import theme
from almanach.reading import review as workflow
from helpers import build, copy_project

# -- the letters' statuses ------------------------------------------------------------------


def write_letter(folder: Path, name: str, status: str, *, age: float = 60.0) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: Essai\nstatus: {status}\n---\n\n# Essai\n", encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


@pytest.fixture
def settled(monkeypatch):
    """Files written by the test count as written long ago (their change time
    is now), but for the test of recent changes."""
    monkeypatch.setattr(workflow, "RACY_NS", 0)
    monkeypatch.setattr(workflow, "RACY_COARSE_NS", 0)


def test_statuses_are_read_again_only_for_changed_letters(tmp_path, monkeypatch, settled):
    letters = tmp_path / "lettres"
    letters.mkdir()
    write_letter(letters, "a.md", "draft")
    write_letter(letters, "b.md", "published")
    cache = tmp_path / "doctrees" / workflow.STATUS_CACHE
    assert workflow.unpublished_letters(tmp_path, "lettres", cache) == ["lettres/a.md"]
    assert cache.is_file()

    read: list[str] = []
    original = workflow.read_status
    monkeypatch.setattr(
        workflow, "read_status", lambda path: read.append(path.name) or original(path)
    )
    assert workflow.unpublished_letters(tmp_path, "lettres", cache) == ["lettres/a.md"]
    assert read == []  # nothing changed: nothing read

    write_letter(letters, "b.md", "review", age=30.0)  # another size and time
    assert workflow.unpublished_letters(tmp_path, "lettres", cache) == [
        "lettres/a.md",
        "lettres/b.md",
    ]
    assert read == ["b.md"]


def test_a_letter_changed_just_now_is_read_at_every_build(tmp_path, monkeypatch):
    letters = tmp_path / "lettres"
    letters.mkdir()
    write_letter(letters, "a.md", "draft", age=0.0)
    cache = tmp_path / workflow.STATUS_CACHE
    assert workflow.unpublished_letters(tmp_path, "lettres", cache) == ["lettres/a.md"]
    # Rewritten within the same tick of the clock, same size: its times may not
    # tell; it is not trusted to the cache.
    path = letters / "a.md"
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace("draft", "drafT"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert workflow.unpublished_letters(tmp_path, "lettres", cache) == []


@pytest.mark.parametrize("content", ["", "{", '{"version": 1, "letters": {"x": [1]}}', "[]"])
def test_a_damaged_status_cache_is_ignored(tmp_path, content, settled):
    letters = tmp_path / "lettres"
    letters.mkdir()
    path = write_letter(letters, "a.md", "review")
    cache = tmp_path / workflow.STATUS_CACHE
    cache.write_text(content.replace('"x"', json.dumps(str(path))), encoding="utf-8")
    assert workflow.unpublished_letters(tmp_path, "lettres", cache) == ["lettres/a.md"]


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
    # (The letters' statuses are not kept: the copy is too recent.)
    for name in (
        theme.NAVIGATION_STORE,
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
    (doctrees / theme.NAVIGATION_STORE).write_text("{", encoding="utf-8")
    (doctrees / "almanach-feeds.json").write_text("[]", encoding="utf-8")
    build(srcdir, "html", tmp_path / "build")
    second = pages(outdir)
    assert {k: v for k, v in second.items() if k != "agenda.ics"} == {
        k: v for k, v in first.items() if k != "agenda.ics"
    }
