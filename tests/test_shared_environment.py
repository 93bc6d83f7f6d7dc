"""Builders that share one environment (``make pdf`` then ``make html``, as the
Makefile does with ``build/doctrees``) each get fresh gathered pages."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from helpers import copy_project


def build_into(srcdir: Path, builder: str, outdir: Path, doctrees: Path) -> str:
    warnings = StringIO()
    app = SphinxTestApp(
        builder, srcdir=srcdir, builddir=outdir.parent, warning=warnings,
        confoverrides={"nitpicky": True, "templates_path": []},
    )  # fmt: skip
    # SphinxTestApp puts doctrees in builddir/doctrees: the same for both builders.
    assert Path(app.doctreedir) == doctrees
    try:
        app.build()
    finally:
        app.cleanup()
    return warnings.getvalue()


def test_html_after_latex_shows_the_edit(tmp_path: Path):
    srcdir = copy_project(tmp_path / "project")
    build = tmp_path / "build"
    doctrees = build / "doctrees"
    assert build_into(srcdir, "html", build / "html", doctrees) == ""
    letter = tmp_path / "project" / "issues" / "2021-12.md"
    text = letter.read_text("utf-8").replace("Le gros projet de l'année 2021", "Le projet-témoin")
    letter.write_text(text, encoding="utf-8")
    stat = letter.stat()
    os.utime(letter, (stat.st_atime + 5, stat.st_mtime + 5))
    assert build_into(srcdir, "latex", build / "latex", doctrees) == ""
    assert build_into(srcdir, "html", build / "html", doctrees) == ""
    page = (build / "html" / "territoires" / "lomme.html").read_text("utf-8")
    assert "Le projet-témoin" in page
    assert "Le gros projet de l'année 2021" not in page
