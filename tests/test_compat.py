"""Sphinx's private API (almanach._compat): each use against the installed Sphinx.

An upgrade that removes or reshapes one of these attributes fails here, by
name, instead of silently turning a feature off (memory, the PDF's indices,
the gathered views' links)."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.builders.latex import LaTeXBuilder

from almanach import _compat
from helpers import build


def write_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text('project = "essai"\nlanguage = "fr"\n')
    (folder / "index.rst").write_text("Essai\n=====\n\nTexte.\n")
    return folder


def test_environment_private_attributes(tmp_path: Path) -> None:
    app, _ = build(write_project(tmp_path / "src"), "html", tmp_path / "out", freshenv=True)
    env = app.env
    assert isinstance(env._write_doc_doctree_cache, dict)
    env._write_doc_doctree_cache["x"] = object()
    _compat.drop_read_doctrees(env)
    assert env._write_doc_doctree_cache == {}
    assert _compat.builder_format(env) == "html"
    assert _compat.running_builder(env) is app.builder
    assert _compat.builder_application(app.builder) is app
    assert _compat.html_writer_settings(env).language_code == "fr"
    assert _compat.translation_handlers(app.builder, "text") == {}

    class probe_node(nodes.Element):
        pass

    def visit(self, node):
        raise nodes.SkipNode

    app.add_node(probe_node, text=(visit, None))
    assert _compat.translation_handlers(app.builder, "text")["probe_node"] == (visit, None)


PROBE = """
from sphinx.writers.latex import LaTeXTranslator

from almanach import _compat

SEEN = []

class Probe(LaTeXTranslator):
    def visit_document(self, node):
        SEEN.extend(domain.name for domain in _compat.translator_domains(self))
        super().visit_document(node)

def setup(app):
    app.set_translator("latex", Probe)
    return {"parallel_read_safe": True}
"""


def test_translator_domains(tmp_path: Path, monkeypatch) -> None:
    source = write_project(tmp_path / "src")
    (source / "probe.py").write_text(PROBE)
    (source / "conf.py").write_text(
        "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n"
        'project = "essai"\nlanguage = "fr"\nextensions = ["probe"]\n'
    )
    monkeypatch.syspath_prepend(str(source))
    app, _ = build(source, "latex", tmp_path / "out", freshenv=True)
    assert isinstance(app.builder, LaTeXBuilder)
    import probe

    assert "std" in probe.SEEN and "py" in probe.SEEN


def test_domain_index_pages_left_to_the_extension(tmp_path: Path) -> None:
    """The HTML builder's generated domain indices, and writing them all but some."""
    from sphinx.testing.util import SphinxTestApp

    srcdir = write_project(tmp_path / "src")
    (srcdir / "index.rst").write_text("Essai\n=====\n\n.. py:module:: essai\n")
    app = SphinxTestApp("html", srcdir=srcdir, builddir=tmp_path / "out")
    try:
        _compat.leave_domain_index_pages(app.builder, frozenset({"py-modindex"}))
        app.build()
    finally:
        app.cleanup()
    generated = [entry[0] for entry in _compat.domain_index_pages(app.builder)]
    assert generated == ["py-modindex"]  # generated, and still in the relation links
    assert not (Path(app.outdir) / "py-modindex.html").exists()  # not written by Sphinx
    assert (Path(app.outdir) / "genindex.html").exists()


def test_sphinx_build_arguments() -> None:
    parsed, overrides = _compat.sphinx_build_arguments(
        ["-c", "docs", "-n", "-D", "almanach_preview=1", "-b", "html", "docs", "build/live"]
    )
    assert (parsed.sourcedir, parsed.confdir, parsed.builder) == ("docs", "docs", "html")
    assert parsed.outputdir == "build/live"
    assert overrides == {"almanach_preview": "1", "nitpicky": True}
