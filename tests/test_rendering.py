"""Rendering of every directive and role: doctree, HTML, LaTeX and text,
compared with snapshots under ``tests/snapshots/`` (a reviewer reads them).

Set ``ALMANACH_UPDATE_SNAPSHOTS=1`` to rewrite the snapshots after a deliberate
change; a missing snapshot is a failure otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import (
    FIXTURES,
    ROOT,
    build,
    letter,
    project_with_letters,
    require_tool,
    warning_lines,
)

EXAMPLES = ROOT / "docs" / "guide" / "exemples"
SNAPSHOTS = Path(__file__).parent / "snapshots"
NAMES = sorted(path.stem for path in EXAMPLES.glob("*.md"))


HOSTILE_WARNINGS = [
    f"issues/hostile.md:{line}: avertissement: HTML brut refusé dans une lettre : « {html} » ; il "
    "est affiché comme du texte. Écrivez en MyST (gras : **mot**, lien : [texte](adresse)) "
    "[almanach.raw-html]"
    for line, html in [
        (11, "<script>"),
        (11, "</script>"),
        (13, "<b>"),
        (13, "</b>"),
        (13, "<script>"),
        (13, "</script>"),
        (18, "<img src=x onerror=alert(1)>"),
        (20, "<script>"),
        (20, "</script>"),
        (24, "<script>"),
        (24, "</script>"),
    ]
]


def title_of(name: str) -> str:
    return f"Exemple {name.replace('-', ' ')}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """Every guide example as a letter, built to HTML, LaTeX and text."""
    base = tmp_path_factory.mktemp("examples")
    letters = {
        f"{name}.md": letter(
            (EXAMPLES / f"{name}.md").read_text("utf-8"),
            number=10 + index,
            date=f"2031-{index + 1:02d}",
            title=title_of(name),
        )
        for index, name in enumerate(NAMES)
    }
    letters["hostile.md"] = letter(
        (FIXTURES / "hostile-letter.md").read_text("utf-8"), number=99, title="Hostile"
    )
    srcdir = project_with_letters(base, letters)
    outputs = {}
    for builder in ("html", "latex", "text"):
        app, warnings = build(srcdir, builder, base / "build")
        # Later builders reuse the environment, yet read again the letter that has
        # problems: they are said by every build until they are fixed.
        assert warning_lines(warnings, srcdir) == HOSTILE_WARNINGS
        outputs[builder] = Path(app.outdir)
    outputs["doctrees"] = base / "build" / "doctrees"
    outputs["app_env"] = app  # type: ignore[assignment]
    return outputs


def compare(name: str, suffix: str, actual: str) -> None:
    path = SNAPSHOTS / f"{name}.{suffix}"
    if os.environ.get("ALMANACH_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: run with ALMANACH_UPDATE_SNAPSHOTS=1"
    assert actual == path.read_text("utf-8")


def article_html(html_dir: Path, docname: str) -> BeautifulSoup:
    soup = BeautifulSoup((html_dir / f"{docname}.html").read_text("utf-8"), "html.parser")
    article = soup.find("article")
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    return article


def latex_chapter(tex: str, title: str) -> str:
    """The LaTeX of one letter: from its chapter to the next chapter or part."""
    start = tex.index(f"\\chapter{{{title}}}")
    ends = [tex.find(mark, start + 1) for mark in ("\\chapter{", "\\part{")]
    end = min((e for e in ends if e != -1), default=len(tex))
    return tex[start:end].strip() + "\n"


@pytest.mark.parametrize("name", NAMES)
def test_doctree_snapshot(rendered, name):
    app = rendered["app_env"]
    doctree = app.env.get_doctree(f"lettres/{name}")
    text = doctree.pformat()
    text = re.sub(r'source="[^"]*"', 'source="…"', text)
    compare(name, "doctree.xml", text)


@pytest.mark.parametrize("name", NAMES)
def test_html_snapshot(rendered, name):
    html = article_html(rendered["html"], f"lettres/{name}").decode_contents().strip() + "\n"
    compare(name, "html", html)


@pytest.mark.parametrize("name", NAMES)
def test_latex_snapshot(rendered, name):
    tex = (rendered["latex"] / "territoires-pilotes.tex").read_text("utf-8")
    compare(name, "tex", latex_chapter(tex, title_of(name)))


@pytest.mark.parametrize("name", NAMES)
def test_text_snapshot(rendered, name):
    compare(name, "txt", (rendered["text"] / "lettres" / f"{name}.txt").read_text("utf-8"))


def test_html_escapes_hostile_text(rendered):
    article = article_html(rendered["html"], "lettres/hostile")
    html = str(article)
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert '&lt;script&gt;alert("corps")&lt;/script&gt;' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    text = article.get_text()
    # (shown as text, typeset: a narrow no-break space before « ? »)
    assert '<script>alert("question")</script> # $ % & _ { } ~ ^ \\\u202f?' in text
    assert 'Titre <script>alert("titre")</script> & 50 % _ # $ { } ~ ^ \\' in text
    link = article.find("a", href=re.compile("example.org"))
    assert link["href"] == "https://example.org/a_b?c=1&d=%20#frag"


def test_latex_escapes_hostile_text(rendered):
    chapter = latex_chapter(
        (rendered["latex"] / "territoires-pilotes.tex").read_text("utf-8"), "Hostile"
    )
    assert r"\# \$ \% \& \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}" in chapter
    assert "<script>" in chapter  # plain text in LaTeX, harmless


@pytest.mark.pdf
def test_hostile_letter_compiles(rendered):
    require_tool("latexmk")
    latex_dir = rendered["latex"]
    result = subprocess.run(
        [
            "latexmk",
            "-pdf",
            "-dvi-",
            "-ps-",
            "-interaction=nonstopmode",
            "-halt-on-error",
            "territoires-pilotes.tex",
        ],
        cwd=latex_dir,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "max_print_line": "10000"},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, str(latex_dir / "territoires-pilotes.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'alert("corps")' in text


def test_guide_shows_every_example():
    """Each example is shown in the guide as source and as rendered output."""
    guide = (ROOT / "docs" / "guide" / "index.md").read_text("utf-8")
    for name in NAMES:
        assert f"```{{literalinclude}} exemples/{name}.md" in guide
        assert f"```{{include}} exemples/{name}.md" in guide
