"""The trust rules as pure functions: invisible characters, bounded YAML, the
front-matter schema, the allowlist screen, the tracing of LaTeX errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.renderer import RendererHTML

from almanach.pdf.build import SOURCE_MARK, trace_errors
from almanach.reading.parser import letter_markdown
from almanach.rules.characters import strip_invisible
from almanach.rules.front_matter import read_letter_front_matter
from almanach.rules.limits import MAX_YAML_DEPTH, LimitedLoader
from almanach.rules.screen import screen

# -- invisible characters -------------------------------------------------------------------

KEPT = {
    "zwj-emoji": "une agricultrice 👩‍🌾 et une famille 👨‍👩‍👧",
    "skin-tone-zwj": "👩🏽‍🔬 chercheuse",
    "variation-selector": "➡️ 🗣️ ❤️",
    "subdivision-flag": "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "soft-hyphen": "transi\u00adtion",
    "arabic-and-hebrew": "العربية עברית",
}
REMOVED = {
    "bidi-override": ("a\u202eb\u202c", "ab", "U+202C POP DIRECTIONAL FORMATTING, U+202E"),
    "bidi-isolate": ("a\u2066b\u2069", "ab", "U+2066 LEFT-TO-RIGHT ISOLATE, U+2069"),
    "zero-width-space": ("mot\u200bmot", "motmot", "U+200B ZERO WIDTH SPACE"),
    "lone-joiner": ("a\u200db", "ab", "U+200D ZERO WIDTH JOINER"),
    "word-joiner": ("a\u2060b", "ab", "U+2060 WORD JOINER"),
    "inner-bom": ("a\ufeffb", "ab", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    "control": ("a\x08b", "ab", "U+0008"),
    "line-separator": ("a\u2028b", "ab", "U+2028 LINE SEPARATOR"),
    "stray-tag": ("a\U000e0041b", "ab", "U+E0041 TAG LATIN CAPITAL LETTER A"),
}


@pytest.mark.parametrize("case", list(KEPT))
def test_visible_jobs_of_format_characters_are_kept(case):
    assert strip_invisible(KEPT[case]) == (KEPT[case], [])


@pytest.mark.parametrize("case", list(REMOVED))
def test_invisible_characters_are_removed_and_reported_by_line(case):
    text, clean, named = REMOVED[case]
    result, lines = strip_invisible(f"première ligne\n{text}\n")
    assert result == f"première ligne\n{clean}\n"
    assert [found.line for found in lines] == [2]
    assert named in ", ".join(lines[0].characters)


# -- bounded YAML and the front matter ---------------------------------------------------------


def test_aliases_are_refused_before_anything_is_expanded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    loader = LimitedLoader(bomb)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    assert data["i"] == [None] * 10  # not 10**9 items
    assert [line for line, _message in loader.refused] == list(range(2, 10))


def test_nesting_is_bounded():
    loader = LimitedLoader("[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1))
    with pytest.raises(Exception, match="trop imbriqué"):
        loader.get_single_data()
    loader.dispose()


FRONT = "---\nnumber: 3\ndate: 2022-01\ntitle: Essai\nstatus: draft\n"


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("myst:\n  substitutions: {}\n", "champ d’en-tête « myst » refusé"),
        ("statut: published\n", "champs proches : « status »"),
        ("html_meta:\n  a: b\n", "champ d’en-tête « html_meta » refusé"),
        ("title: Autre\n", "champ d’en-tête « title » en double (déjà ligne 4)"),
        ("summary: [a, b]\n", "« summary » : une valeur simple est attendue"),
        ("summary: !!binary aGVsbG8=\n", "« summary » : une valeur simple est attendue"),
        ("summary: !!python/name:os.system\n", "étiquette YAML (« !… ») refusée"),
    ],
)
def test_front_matter_accepts_only_the_letter_schema(extra, problem):
    front = read_letter_front_matter(FRONT + extra + "---\n\n# Essai\n")
    assert [line for line, _ in front.problems] == [6]
    assert problem in front.problems[0][1]
    assert set(front.values) <= {"number", "date", "title", "status", "summary"}
    assert front.values["status"] == "draft"


# -- the screen ---------------------------------------------------------------------------


def refusals(text: str) -> list[tuple[int, str]]:
    _tokens, _env, found = screen(letter_markdown(RendererHTML), text)
    return [(refusal.line, refusal.code) for refusal in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```{include} x\n```\n", [(1, "directive")]),
        (":::{include} x\n:::\n", [(1, "directive")]),
        ("~~~{include} x\n~~~\n", [(1, "directive")]),
        ("  ```{include} x\n  ```\n", [(1, "directive")]),
        ("> ```{include} x\n> ```\n", [(1, "directive")]),
        ("- a\n\n  ```{include} x\n  ```\n", [(3, "directive")]),
        ("| a |\n| - |\n| {download}`x` |\n", [(3, "role")]),
        ("Terme\n: {math}`x`\n", [(2, "role")]),
        ("[^1]\n\n[^1]: {raw}`html <b>`\n", [(3, "role")]),
        ("[x][r]\n\n[r]: javascript:alert(1)\n", [(3, "link")]),
        ("[x][r]\n\n[r]: file:///etc/passwd\n", [(3, "link")]),
        ("[x][r]\n\n[r]: ftp://exemple.org/\n", [(1, "link")]),
        ("Un <https://exemple.org/> et <a@exemple.org>.\n", []),
        ("::::{note}\n:::{note}\n```{eval-rst}\nx\n```\n:::\n::::\n", [(3, "directive")]),
        (":::{rubrique} a\n---\nsubtitle: '{download}`x`'\n---\n:::\n", [(3, "role")]),
        (":::{note}\n:class: x\n:::\n", [(2, "option")]),
        ("```{figure} a.png\n:target: https://x.org\n```\n", [(2, "option")]),
        ("```{figure} a.svg\n```\n", [(1, "image")]),
        ("![x](//exemple.org/a.png)\n", [(1, "image")]),
        ("![x](/etc/a.png)\n", [(1, "image")]),
        ("Ligne un\nligne deux {sub}`2` et {math}`x`\n", [(2, "role")]),
    ],
)
def test_the_screen_finds_every_construct_at_its_line(text, expected):
    assert refusals(text) == expected


def test_a_refused_directive_is_neutralised_in_the_token_stream():
    tokens, _env, _found = screen(letter_markdown(RendererHTML), "```{include} /etc/passwd\n```\n")
    assert [token.type for token in tokens] == ["fence"]
    assert tokens[0].info == "text" and "{include}" in tokens[0].content


# -- LaTeX errors traced back to the letter -------------------------------------------------


def test_latex_errors_are_traced_to_the_letter_line(tmp_path: Path):
    tex = tmp_path / "livre.tex"
    tex.write_text(
        f"\\begin{{document}}\n{SOURCE_MARK}issues/2022-01.md:12\nTexte\n"
        f"{SOURCE_MARK}issues/2022-01.md:15\n\\begin{{itemize}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    log = (
        "./livre.tex:5: LaTeX Error: Too deeply nested.\n./livre.tex:6: ==> Fatal error occurred\n"
    )
    assert trace_errors(tex, log) == [
        "issues/2022-01.md:15: erreur: LaTeX ne peut pas composer ce passage (LaTeX Error: Too "
        "deeply nested.) ; simplifiez-le (listes moins imbriquées, caractères inhabituels) ou "
        "signalez-le aux mainteneurs"
    ]
    assert trace_errors(tex, "./autre.tex:5: Undefined control sequence.\n") == []
