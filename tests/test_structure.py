"""A letter's structure: blocks that close and stand in their place.

Each mistake goes through a real build and through ``almanach check``: both
must give the same message at the same line, and nothing a broken block
swallowed may reach a gathered page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import build, letter, run_check, slim_project, warning_lines

KIND = " [almanach.structure]"


def unclosed(what: str, line: int, marker: str, parent: str = "") -> str:
    message = (
        f"{what} ouvert ligne {line} n’est jamais fermé : il avale tout ce qui suit ; ajoutez "
        f"une ligne « {marker} » à la fin de son contenu"
    )
    return message + parent


STRAY = (
    "la ligne « ::: » ne ferme aucun bloc : elle ouvrirait un bloc qui avale la suite ; si elle "
    "devait fermer un bloc ouvert avec plus de « : », écrivez-en autant, sinon retirez-la"
)

# case: (letter body, expected « line: message » from both the build and check)
MISTAKES = {
    "update-never-closed": (
        "::::{rubrique} nouvelles\n:::{territory-update} lomme\nTexte de Lomme.\n\n"
        "Paragraphe-égaré après la nouvelle.\n\n:::{quote}\n:speaker: lea-tramontin\n\n"
        "Citation-égarée.\n:::\n::::\n",
        [
            "16: "
            + unclosed(
                "le bloc « quote »",
                16,
                ":::",
                " (si elle y est, c’est le bloc « territory-update » ouvert ligne 11 qui n’est pas "
                "fermé avant lui : sa ligne de fermeture est prise par ce bloc-ci)",
            )
        ],
    ),
    "rubrique-never-closed": (
        "::::{rubrique} edito\nTexte.\n\n::::{rubrique} a-suivre\nSuite-avalée.\n::::\n",
        [
            "13: "
            + unclosed(
                "le bloc « rubrique »",
                13,
                "::::",
                " (si elle y est, c’est le bloc « rubrique » ouvert ligne 10 qui n’est pas "
                "fermé avant lui : sa ligne de fermeture est prise par ce bloc-ci)",
            ),
            "13: la rubrique ligne 13 est dans la rubrique ouverte ligne 10 : la rubrique n’est "
            "sans doute pas fermée ; ajoutez sa ligne de fermeture avant la ligne 13",
        ],
    ),
    "mixed-colon-counts": (
        "::::{rubrique} a-suivre\nTexte.\n:::\n\n::::{rubrique} inspiration\nSuite-avalée.\n::::\n",
        ["12: " + STRAY, "14: " + unclosed("le bloc « rubrique »", 14, "::::")],
    ),
    "rubrique-in-a-rubrique": (
        ":::::{rubrique} edito\nTexte.\n\n::::{rubrique} a-suivre\nSuite.\n::::\n:::::\n",
        [
            "13: la rubrique ligne 13 est dans la rubrique ouverte ligne 10 : la rubrique n’est "
            "sans doute pas fermée ; ajoutez sa ligne de fermeture avant la ligne 13"
        ],
    ),
    "update-in-a-quote": (
        "::::{quote}\n:speaker: lea-tramontin\n\nCitation.\n\n:::{territory-update} lomme\n"
        "Texte.\n:::\n::::\n",
        [
            "15: la nouvelle de territoire ligne 15 est dans la citation ouverte ligne 10 : la "
            "citation n’est sans doute pas fermée ; ajoutez sa ligne de fermeture avant la ligne 15"
        ],
    ),
    "stray-closing-line": ("Texte.\n\n:::\n\nSuite-avalée.\n", ["12: " + STRAY]),
    "code-never-closed": (
        "```python\nprint(1)\n\nSuite-avalée.\n",
        ["10: " + unclosed("le bloc de code", 10, "```")],
    ),
    "percent-after-a-hard-wrap": (
        "La moitié, soit 50\n% des communes, est concernée.\n",
        [
            "11: cette ligne commence par « % » : elle est lue comme un commentaire et n’est pas "
            "publiée ; si c’est la suite de la phrase précédente, remontez-la sur la ligne d’avant "
            "(ou écrivez « \\% »)"
        ],
    ),
    "past-the-nesting-limit": (
        "> " * 22 + "Tout au fond.\n\nSuite.\n",
        [
            "10: listes ou citations imbriquées trop profondément : la suite de ce passage serait "
            "perdue ; réduisez l’imbrication"
        ],
    ),
    "well-formed": (
        "::::{rubrique} nouvelles\n:::{territory-update} lomme\nTexte.\n\n> ```\n> code\n> ```\n"
        ":::\n::::\n\n% un vrai commentaire\n",
        [],
    ),
}


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    base = tmp_path_factory.mktemp("structure")
    docs = slim_project(base)
    for index, (name, (body, _expected)) in enumerate(MISTAKES.items()):
        text = letter(body, number=index + 1, date=f"2030-{index % 12 + 1:02d}")
        (base / "issues" / f"{name}.md").write_text(text, encoding="utf-8")
    app, warnings = build(
        docs, "html", base / "build", confoverrides={"suppress_warnings": ["toc.not_included"]}
    )
    report = run_check(base)
    assert "Traceback" not in warnings + report.stderr
    return Path(app.outdir), warning_lines(warnings, docs), report.stdout.splitlines()


@pytest.mark.parametrize("case", list(MISTAKES))
def test_build_and_check_report_the_same_mistake_at_the_same_line(mistakes, case):
    _out, build_lines, check_lines = mistakes
    expected = MISTAKES[case][1]
    mine = [line for line in build_lines if line.startswith(f"issues/{case}.md:")]
    structure = [line for line in mine if line.endswith(KIND)]
    assert structure == [
        f"issues/{case}.md:{line.replace(': ', ': avertissement: ', 1)}{KIND}" for line in expected
    ]
    checked = [line for line in check_lines if line.startswith(f"issues/{case}.md:")]
    for line in expected:
        assert f"issues/{case}.md:{line.replace(': ', ': erreur: ', 1)}{KIND}" in checked


def test_nothing_a_broken_block_swallowed_is_published_anywhere(mistakes):
    out, _build, _check = mistakes
    for page in out.rglob("*.html"):
        text = page.read_text("utf-8")
        if page.name.startswith(tuple(MISTAKES)):
            continue  # the letter itself shows what was written, as text
        assert "Paragraphe-égaré" not in text and "Citation-égarée" not in text, page
        assert "Suite-avalée" not in text, page
    lomme = (out / "territoires" / "lomme.html").read_text("utf-8")
    assert "Texte de Lomme" not in lomme


def test_a_hundred_unclosed_blocks_are_messages_not_a_recursion_error(tmp_path):
    docs = slim_project(tmp_path)
    (tmp_path / "issues" / "essai.md").write_text(letter(":::{note}\n" * 130), encoding="utf-8")
    _app, warnings = build(docs, "html", tmp_path / "build")
    assert "Recursion" not in warnings and "Traceback" not in warnings
    lines = warning_lines(warnings, docs)
    assert any("blocs imbriqués trop profondément (plus de 8 niveaux)" in line for line in lines)
    assert all(line.startswith("issues/essai.md:") for line in lines)
