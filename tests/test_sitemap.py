"""sitemap.xml lists every page after any build, in one order: a rebuild that
writes a few pages, and a parallel build, give the clean serial build's sitemap."""

from __future__ import annotations

import shutil

from helpers import build, copy_project


def sitemap(srcdir, builddir, **options) -> str:
    _app, warnings = build(
        srcdir, "html", builddir, confoverrides={"templates_path": []}, **options
    )
    assert warnings == ""
    return (builddir / "html" / "sitemap.xml").read_text("utf-8")


def test_sitemap_is_complete_after_a_rebuild_and_a_parallel_build(tmp_path, monkeypatch):
    monkeypatch.setenv("ALMANACH_BASEURL", "https://exemple.org/")  # (a sitemap needs it)
    srcdir = copy_project(tmp_path / "project")
    builddir = tmp_path / "build"
    clean = sitemap(srcdir, builddir, freshenv=True)
    assert clean.count("<url>") > 20
    assert "<loc>https://exemple.org/lettres/2021-12.html</loc>" in clean
    assert "<loc>https://exemple.org/territoires/lomme.html</loc>" in clean

    letter = srcdir.parent / "issues" / "2021-12.md"
    letter.write_text(letter.read_text("utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert sitemap(srcdir, builddir) == clean  # only a few pages were written

    shutil.rmtree(builddir)
    assert sitemap(srcdir, builddir, parallel=2, freshenv=True) == clean
