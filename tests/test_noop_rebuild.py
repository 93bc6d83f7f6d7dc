"""A rebuild that has nothing to do: what almanach keeps between builds (the
compiled templates, the sidebars, the feeds) gives the pages a clean build
gives; the letters' statuses are read at every build."""

from __future__ import annotations

import gc
import os
from pathlib import Path

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
