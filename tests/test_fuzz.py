"""Fuzzing every directive and role through real builds (hypothesis).

Each example is a letter holding one instance of every directive and role,
with generated option values and bodies: any Unicode, LaTeX and HTML
specials, very long words, empty and blank strings, emoji, right-to-left text,
zero-width characters. The letter goes through a real HTML and LaTeX build:
no traceback, every problem is a located warning, nothing from the input
reaches the HTML as markup, and (for a few examples) the ``.tex`` compiles.

Profiles: ``ci`` (derandomised, repeatable: ``make test``) and ``deep``
(``make fuzz``), chosen with ``ALMANACH_FUZZ_PROFILE``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import build, letter, require_tool, warning_lines
from helpers import slim_project as make_slim_project

PROFILE = os.environ.get("ALMANACH_FUZZ_PROFILE", "ci")

pytestmark = pytest.mark.fuzz

#: A tag that no builder writes: if it reaches the HTML as markup, input leaked.
MARKER_TAG = "zq9"
SPECIALS = [
    f"<{MARKER_TAG}>", f"</{MARKER_TAG}>", f'<{MARKER_TAG} onclick="x">', "<script>",
    "&amp;", "&", "<", ">", "{", "}", "\\", "$", "%", "#", "_", "^", "~", "`", "*",
    "[", "]", "|", ":", ":::", "\u200b", "\u200d", "\u202e", "\u2066", "עברית", "العربية",
    "🗣️", "➡️", "👩‍🌾", "ﬁ", "œ", "’", "« »", "x" * 120, " ", "\t", "",
]  # fmt: skip
IDS = {
    "territories": ["lomme", "faverges", "orne", "inconnu", ""],
    "people": ["guillaume-demeyer", "lea-tramontin", "personne-inconnue", ""],
    "organisations": ["ademe", "the-conversation", "organisation-inconnue"],
    "events": ["journees-2021-11", "evenement-inconnu"],
    "rubriques": ["en-theorie", "a-suivre", "rubrique-inconnue", ""],
    "kinds": ["article", "site", "livre", "podcast", ""],
}

text = st.lists(
    st.one_of(
        st.sampled_from(SPECIALS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    ),
    max_size=6,
).map("".join)
line = text.map(lambda value: " ".join(value.splitlines()))
ident = st.one_of(*(st.sampled_from(values) for values in IDS.values()), line)


@st.composite
def letters(draw) -> str:
    """A letter with every directive and role, filled with generated values."""
    option = lambda: draw(line)  # noqa: E731
    url = draw(st.sampled_from(["https://exemple.org/a?b=1&c=<d>", "pending", option()]))
    return "\n".join(
        [
            f":::{{territory-update}} {draw(ident)}",
            f":speakers: {draw(ident)}, {draw(ident)}",
            f":question: {option()}",
            "",
            draw(text),
            ":::",
            "",
            ":::{quote}",
            f":speaker: {draw(ident)}",
            f":source: {draw(ident)}",
            f":context: {option()}",
            "",
            draw(text),
            ":::",
            "",
            f":::{{resource}} {draw(ident)}",
            f":title: {option()}",
            f":kind: {draw(st.sampled_from(IDS['kinds']))}",
            ":pending:" if url == "pending" else f":url: {url}",
            f":publisher: {draw(ident)}",
            "",
            draw(text),
            ":::",
            "",
            f"::::{{rubrique}} {draw(ident)}",
            f":subtitle: {option()}",
            "",
            draw(text),
            "::::",
            "",
            f"{{person}}`{option()} <{draw(ident)}>` {{territory}}`{draw(ident)}` "
            f"{{organisation}}`{draw(ident)}` {{event}}`{option()} <{draw(ident)}>` "
            f"{{resource}}`{option()} <{draw(ident)}>`",
            "",
        ]
    )


@pytest.fixture(scope="module")
def slim_project(tmp_path_factory) -> Path:
    """The site's configuration and registries with one letter: quick to rebuild."""
    return make_slim_project(tmp_path_factory.mktemp("fuzz"))


LOCATED = re.compile(r"^issues/fuzz\.md:\d+: (avertissement|erreur): .+ \[[\w.-]+\]$")
LOCATED_NODE = re.compile(r"^issues/fuzz\.md:\d+: (avertissement|erreur): ")


def check_example(docs: Path, source: str, compile_tex: bool) -> None:
    (docs / "lettres" / "fuzz.md").write_text(letter(source), encoding="utf-8")
    builddir = docs.parent / "build"
    for builder in ("html", "latex"):
        _app, warnings = build(
            docs, builder, builddir, confoverrides={"suppress_warnings": ["toc.not_included"]}
        )
        assert "Traceback" not in warnings and "Exception" not in warnings, warnings
        for warning in warning_lines(warnings, docs):
            if warning.startswith(("avertissement: unknown", "avertissement: undefined")):
                continue
            assert LOCATED_NODE.match(warning), f"unlocated: {warning!r}"
    page = (builddir / "html" / "lettres" / "fuzz.html").read_text("utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    assert f"<{MARKER_TAG}" not in article
    assert "<script" not in article
    soup = BeautifulSoup(article, "html.parser")
    assert not soup.find_all(MARKER_TAG)
    if compile_tex:
        result = subprocess.run(
            ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error",
             "territoires-pilotes.tex"],
            cwd=builddir / "latex", capture_output=True, text=True, check=False,
            env={**os.environ, "max_print_line": "10000"},
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-3000:]


@settings(settings.get_profile(PROFILE))
@given(source=letters())
def test_every_directive_and_role_survives_generated_input(slim_project, source):
    check_example(slim_project, source, compile_tex=False)


@pytest.mark.pdf
@settings(settings.get_profile(PROFILE), max_examples=3)
@given(source=letters())
def test_generated_letters_compile_with_lualatex(slim_project, source):
    require_tool("latexmk")
    check_example(slim_project, source, compile_tex=True)
