"""A serial build does not keep every doctree it read until it writes the pages."""

from __future__ import annotations

from io import StringIO

from sphinx.testing.util import SphinxTestApp

from helpers import project_with_letters


def test_read_doctrees_are_not_kept_until_writing(tmp_path):
    srcdir = project_with_letters(tmp_path, {}, keep_real=True)
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=tmp_path / "build",
        confoverrides={"nitpicky": True},
        warning=StringIO(),
    )
    cached: list[int] = []
    # After almanach's own env-updated handler (priority 500).
    app.connect(
        "env-updated", lambda app, env: cached.append(len(env._write_doc_doctree_cache)), 900
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert app._warning.getvalue() == ""
    assert cached == [0]
    assert (tmp_path / "build" / "html" / "lettres" / "2021-12.html").is_file()
