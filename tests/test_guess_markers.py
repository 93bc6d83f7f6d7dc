"""The importer's guesses left to review, ``% à revoir : …`` lines: found on the
letter's token stream with their lines (never in a code block or a block shown
as written); a draft keeps them (``almanach check`` lists them as notes and
nothing fails); a letter in review or published may keep none: each one is an
error, in ``almanach check`` and in the strict build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it.renderer import RendererHTML
from sphinx.util.console import strip_colors

from almanach.reading.parser import letter_markdown
from almanach.rules.guesses import Guess, guess_text, letter_guesses
from almanach.rules.screen import screen
from helpers import ROOT, build_project, letter, run_check, slim_project, warning_lines

# -- what a marker is ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "said"),
    [
        (" à revoir : titre deviné d’après « Le guide »", "titre deviné d’après « Le guide »"),
        ("à revoir: orateur deviné", "orateur deviné"),
        (" A revoir : date déduite", "date déduite"),
        (" À REVOIR : éditeur", "éditeur"),
        (" a revoir : sans accent", "sans accent"),
        ("  à   Revoir   :   type deviné   ", "type deviné"),
        (" a\u0300 revoir : accent écrit en deux caractères", "accent écrit en deux caractères"),
        (" à revoir", ""),
        (" à revoir :", ""),
    ],
)
def test_a_marker_is_read_whatever_its_case_and_accents(comment, said):
    assert guess_text(comment) == said


@pytest.mark.parametrize(
    "comment",
    [
        " à revoir plus tard",
        " note : à revoir",
        " revoir : titre",
        " àrevoir : titre",
        " à voir",
        "",
    ],
)
def test_other_comments_are_not_markers(comment):
    assert guess_text(comment) is None


LETTER = """\
---
number: 1
date: 2030-01
title: Essai
status: draft
---
% à revoir : résumé tiré de l’édito

# Essai

% À REVOIR : titre deviné
% a revoir
% une remarque de l’équipe, pas une supposition

::::{rubrique} edito
% à revoir : dans la rubrique

:::{territory-update} lomme
% à revoir : dans une nouvelle

Texte.
:::

:::{note}
% à revoir : dans un encadré
:::

> % à revoir : dans une citation

- un point

  % à revoir : dans une liste
::::

```text
% à revoir : dans un bloc de code
```

~~~
% à revoir : dans un autre bloc de code
~~~

```{code-block}
% à revoir : dans une directive refusée, publiée telle qu’écrite
```
"""


def line_of(text: str, words: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if words in line)


def test_markers_are_found_with_their_lines_at_every_level():
    _tokens, env, refusals = screen(letter_markdown(RendererHTML), LETTER)
    found = letter_guesses(env)
    said = [
        "résumé tiré de l’édito",
        "titre deviné",
        "",
        "dans la rubrique",
        "dans une nouvelle",
        "dans un encadré",
        "dans une citation",
        "dans une liste",
    ]
    lines = [line_of(LETTER, words or "% a revoir") for words in said]
    assert found == [Guess(line, words) for line, words in zip(lines, said, strict=True)]
    # Right after the front matter, a marker is not « the rest of a sentence »;
    # the only refusal is the code-block directive's.
    assert [refusal.line for refusal in refusals] == [line_of(LETTER, "```{code-block}")]


def test_a_marker_stuck_to_a_sentence_is_still_a_marker():
    """A ``%`` line right under a sentence is an error of its own (it would hide
    the rest of the sentence); it is also a guess to review."""
    text = LETTER.split("# Essai")[0] + "# Essai\n\nUne phrase\n% à revoir : collée\n"
    _tokens, env, refusals = screen(letter_markdown(RendererHTML), text)
    line = line_of(text, "collée")
    assert Guess(line, "collée") in letter_guesses(env)
    assert [refusal.line for refusal in refusals] == [line]


# -- almanach check and the build ------------------------------------------------------

BODY = """\
::::{rubrique} en-pratique
% à revoir : titre deviné d’après la phrase « le guide est ici »

:::{resource} guide-devine
:title: Le guide
:kind: document
:url: https://example.org/guide
:::
::::
"""
SUMMARY = "% à revoir : résumé tiré de l’édito"
ADVICE = (
    "supposition de l’import à revoir : {said} ; vérifiez-la, corrigez le texte si besoin, "
    "puis supprimez la ligne « % à revoir »"
)
BLOCKED = " ; une lettre au statut « {status} » n’en garde aucune (ou remettez-la en " + (
    "brouillon, « status: draft »)"
)
#: (line, what the marker says) in the letter :func:`guessed` writes.
MARKERS = [
    (7, "résumé tiré de l’édito"),
    (12, "titre deviné d’après la phrase « le guide est ici »"),
]


def guessed(status: str, number: int = 1, date: str = "2030-01") -> str:
    """A letter of ``status`` with two markers (lines 7 and 12): its summary,
    right after the front matter, and a resource's title."""
    text = letter(BODY, number=number, date=date).replace("status: published", f"status: {status}")
    return text.replace("---\n\n# Essai", f"---\n{SUMMARY}\n\n# Essai")


def expected_lines(path: str, status: str, level: str) -> list[str]:
    message = ADVICE + (BLOCKED.format(status=status) if level == "erreur" else "")
    return [
        f"{path}:{line}: {level}: {message.format(said=said)} [almanach.guess]"
        for line, said in MARKERS
    ]


def strict_build(base: Path, *, preview: bool) -> subprocess.CompletedProcess:
    """The build as ``make`` (or ``make preview``) runs it: warnings fail it."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html"]
    command += ["-D", "suppress_warnings=toc.not_included"]
    command += ["-D", "almanach_preview=1"] if preview else []
    return subprocess.run(
        [*command, "docs", "build/html"], capture_output=True, text=True, check=False, cwd=base
    )


@pytest.fixture
def project(tmp_path) -> Path:
    slim_project(tmp_path)
    return tmp_path


def test_a_draft_lists_its_guesses_and_fails_nothing(project):
    (project / "issues" / "2030-01.md").write_text(guessed("draft"), encoding="utf-8")
    report = run_check(project)
    assert report.returncode == 0, report.stdout + report.stderr
    assert report.stdout.splitlines() == expected_lines("issues/2030-01.md", "draft", "note")
    assert report.stderr.splitlines() == [
        "2 suppositions à revoir dans issues/2030-01.md",
        "0 erreur(s), 0 avertissement(s), 2 note(s).",
    ]
    found = json.loads(run_check(project, "--format", "json").stdout)
    assert [(item["line"], item["level"], item["code"]) for item in found] == [
        (7, "note", "guess"),
        (12, "note", "guess"),
    ]
    # The preview build (the only one that holds a draft) passes, and no marker shows.
    built = strict_build(project, preview=True)
    assert built.returncode == 0, built.stderr
    assert "revoir" not in built.stdout + built.stderr
    html = (project / "build" / "html" / "lettres" / "2030-01.html").read_text("utf-8")
    assert "Le guide" in html and "revoir" not in html


@pytest.mark.parametrize("status", ["review", "published"])
def test_a_letter_in_review_or_published_may_keep_no_guess(project, status):
    (project / "issues" / "2030-01.md").write_text(guessed(status), encoding="utf-8")
    expected = expected_lines("issues/2030-01.md", status, "erreur")
    report = run_check(project)
    assert report.returncode == 1
    assert report.stdout.splitlines() == expected
    assert report.stderr.splitlines() == [
        "2 suppositions à revoir dans issues/2030-01.md",
        "2 erreur(s), 0 avertissement(s).",
    ]
    # The published build holds a published letter, the preview every letter.
    for preview in (True, False) if status == "published" else (True,):
        built = strict_build(project, preview=preview)
        assert built.returncode != 0
        assert "Traceback" not in built.stdout + built.stderr
        lines = [strip_colors(line) for line in built.stderr.splitlines()]
        assert [line for line in lines if "[almanach." in line] == expected


def test_the_published_build_leaves_out_a_letter_in_review_and_its_guesses(project):
    issues = project / "issues"
    (issues / "2030-01.md").write_text(letter("Texte.\n", number=1), encoding="utf-8")
    (issues / "2030-02.md").write_text(guessed("review", 2, "2030-02"), encoding="utf-8")
    built = strict_build(project, preview=False)
    assert built.returncode == 0, built.stderr
    assert not (project / "build" / "html" / "lettres" / "2030-02.html").exists()


def test_a_letter_whose_guesses_are_removed_is_clean(project):
    text = guessed("published")
    for _line, said in MARKERS:
        text = text.replace(f"% à revoir : {said}\n", "")
    assert "revoir" not in text
    (project / "issues" / "2030-01.md").write_text(text, encoding="utf-8")
    report = run_check(project)
    assert (report.returncode, report.stdout) == (0, "")
    _app, warnings = build_project(project)
    assert warning_lines(warnings, project / "docs") == []


def test_the_guide_shows_what_check_says(project):
    """The guide's example, as the draft of January 2022 that the import wrote
    (its summary guessed too): check says what the guide shows."""
    guide = (ROOT / "docs" / "guide" / "index.md").read_text("utf-8")
    section = guide.split("## Les suppositions à revoir\n")[1].split("\n## ")[0]
    example = section.split("```md\n")[1].split("```\n")[0]
    shown = section.split("```text\n")[1].split("```\n")[0]
    text = guessed("draft", 1, "2022-01").replace(BODY, example)
    assert line_of(text, "% à revoir : titre") == 12
    (project / "issues" / "2022-01.md").write_text(text, encoding="utf-8")
    report = run_check(project)
    said = [line for line in report.stdout.splitlines() if ":12: " in line]
    said += [line for line in report.stderr.splitlines() if "suppositions" in line]
    assert [line.strip() for line in shown.strip().splitlines()] == said
