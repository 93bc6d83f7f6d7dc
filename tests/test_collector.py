"""What almanach does with Python's cyclic garbage collector during a build
(almanach.collector): paused while the environment loads and while a PDF's book
is assembled and written, the build's objects set aside from collections, and
the collector given back as the build found it."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
import weakref

from sphinx.testing.util import SphinxTestApp

from helpers import copy_project


def build_probing(srcdir, builder):
    """A build of ``builder``; whether the collector ran at each event probed."""
    seen: dict[str, bool] = {}

    def probe(event):
        def record(*args):
            seen.setdefault(event, gc.isenabled())

        return record

    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=srcdir.parent / "build",
        confoverrides={"nitpicky": True, "suppress_warnings": ["almanach.numbering"]},
        warning=io.StringIO(),
    )
    try:
        for event in ("env-before-read-docs", "doctree-resolved", "html-page-context"):
            app.connect(event, probe(event))
        app.build()
    finally:
        app.cleanup()
    assert app.statuscode == 0
    return seen


def test_paused_only_while_loading_and_while_the_book_is_written(tmp_path):
    srcdir = copy_project(tmp_path)
    frozen_before = gc.get_freeze_count()
    html = build_probing(srcdir, "html")
    assert html == {
        "env-before-read-docs": True,
        "doctree-resolved": True,
        "html-page-context": True,
    }
    latex = build_probing(srcdir, "latex")
    assert latex["doctree-resolved"] is False  # the assembled book
    # After each build, the collector is as the build found it.
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen_before


def test_the_process_sets_everything_aside_before_its_last_collection():
    """Python collects once more at exit: a build's process does not walk its
    objects again only to end."""
    script = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "from almanach import collector\n"
        "collector.setup_collector(type('App', (), {'connect': lambda *a, **k: None})())\n"
        "print('frozen before:', gc.get_freeze_count() > 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["frozen before: False", "frozen at exit: True"]


def test_earlier_builds_are_collected_by_the_next(tmp_path):
    """Builds in one process (the tests) do not keep each other's environments
    alive: of four builds' environments, at most one remains after a fifth build
    (Sphinx itself keeps a reference to the last one it loaded)."""
    srcdir = copy_project(tmp_path)
    environments = []
    for _ in range(4):
        app = SphinxTestApp("html", srcdir=srcdir, builddir=srcdir.parent / "build")
        try:
            app.build()
        finally:
            app.cleanup()
        environments.append(weakref.ref(app.env))
        del app
    build_probing(srcdir, "html")
    assert sum(ref() is not None for ref in environments) <= 1
