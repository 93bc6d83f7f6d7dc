"""A build says one French line per step, the problems, and a reminder per
letter of its links to find — nothing else; ``make help`` speaks French."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from almanach.html.addresses import LOCAL_BUILD
from helpers import ROOT, copy_project, letter, slim_project

#: The Makefile's sphinx-build flags (see SPHINXBUILD there).
MAKE_FLAGS = ["-q", "-c", "docs", "-W", "--keep-going", "-n"]

PENDING = ":::{resource} guide-{n}\n:title: Un guide\n:kind: document\n:pending:\n:::\n\n"


def sphinx(base, builder: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            *MAKE_FLAGS,
            "-d",
            "build/doctrees",
            "-b",
            builder,
            "docs",
            f"build/{builder}",
        ],
        capture_output=True,
        text=True,
        cwd=base,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},  # (CI=true would colour it)
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    base = tmp_path_factory.mktemp("quiet")
    slim_project(base)
    body = "".join(PENDING.replace("{n}", str(n)) for n in range(3))
    (base / "issues" / "2030-01.md").write_text(
        letter(body, number=1, date="2030-01"), encoding="utf-8"
    )
    (base / "issues" / "2030-02.md").write_text(
        letter("Texte.\n", number=2, date="2030-02"), encoding="utf-8"
    )
    (base / "docs" / "index.md").write_text(
        "# Essai\n\n```{toctree}\n:glob:\n\nlettres/*\nterritoires/*\n```\n", encoding="utf-8"
    )
    return base


def test_the_makefile_builds_quietly():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(
        r"^SPHINXBUILD = \$\(BIN\)/sphinx-build -q -c docs \$\(STRICT\)", makefile, re.M
    )


def test_a_build_says_its_steps_and_nothing_else(project):
    first = sphinx(project, "html")
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert first.stdout.splitlines() == [
        "Lecture : 7 pages, dont 2 lettres…",
        LOCAL_BUILD,
        "issues/2030-01.md : 3 liens à retrouver — almanach check --pending les liste",
        "Terminé : site HTML dans build/html (ouvrez build/html/index.html)",
    ]
    again = sphinx(project, "html")
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.splitlines() == [
        "Lecture : rien n’a changé depuis la dernière construction.",
        LOCAL_BUILD,
        "issues/2030-01.md : 3 liens à retrouver — almanach check --pending les liste",
        "Terminé : site HTML dans build/html (ouvrez build/html/index.html)",
    ]
    latex = sphinx(project, "latex")
    assert latex.returncode == 0 and latex.stderr == ""
    assert latex.stdout.splitlines()[-1] == "Terminé : source LaTeX du PDF dans build/latex"
    assert "make" not in latex.stdout  # « use make latexpdf… »


def test_a_problem_is_one_line_in_french_said_again_until_fixed(project, tmp_path):
    base = tmp_path / "copie"
    shutil.copytree(project, base, symlinks=True, ignore=shutil.ignore_patterns("build"))
    (base / "issues" / "2030-02.md").write_text(
        letter("Avec {person}`jean-inconnu`.\n", number=2, date="2030-02"), encoding="utf-8"
    )
    problem = [
        "issues/2030-02.md:10: erreur: {person} : identifiant de personne inconnu : "
        "« jean-inconnu » ; corrigez-le ou ajoutez-le à docs/registres/personnes.yaml : "
        '« jean-inconnu: {name: ""} » [almanach.unknown-id]'
    ]
    for _attempt in range(2):  # a second make does not read the letter again, yet says it
        result = sphinx(base, "html")
        assert result.returncode == 1
        assert result.stderr.splitlines() == problem
        assert result.stdout.splitlines()[-1] == "Échec : 1 problème à corriger (ci-dessus)"
    (base / "issues" / "2030-02.md").write_text(
        letter("Avec {person}`lea-tramontin`.\n", number=2, date="2030-02"), encoding="utf-8"
    )
    fixed = sphinx(base, "html")
    assert fixed.returncode == 0 and fixed.stderr == ""
    again = sphinx(base, "html")
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.startswith("Lecture : rien n’a changé")


def test_make_help_speaks_french():
    result = subprocess.run(
        ["make", "--no-print-directory", "help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "Commandes (make <commande>) :"
    assert (
        "  make html       Construire le site dans build/html (avec le PDF s’il est construit)"
        in lines
    )
    for english in ("Build ", "Check ", "Run ", "List ", "Remove ", "Serve ", "Install "):
        assert english not in result.stdout


def test_a_problem_in_an_included_file_is_said_again(tmp_path):
    """The guide includes its example files: a problem in one is said by every
    build until it is fixed, like a problem in a letter."""
    copy_project(tmp_path)
    registry = tmp_path / "docs" / "registres" / "personnes.yaml"
    registry.write_text(
        registry.read_text("utf-8").replace("lea-tramontin:", "lea-tramontine:"), "utf-8"
    )
    for _attempt in range(2):
        result = sphinx(tmp_path, "html")
        assert result.returncode == 1
        located = sorted(line.split(": ", 1)[0] for line in result.stderr.splitlines())
        assert located == ["docs/guide/exemples/roles.md:1", "issues/2021-12.md:22"]
