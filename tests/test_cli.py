"""The editors' command line: ``almanach check`` (located French messages,
JSON output), ``almanach new`` (the next draft, which builds in preview), the
help and the usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from almanach.cli.__main__ import main
from helpers import ROOT, build, project_with_letters, warning_lines


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- almanach check ---------------------------------------------------------------

PROBLEMS = """\
---
number: 7
date: 2022-13
title: Essai
status: published
---

# Essai

:::{territory-update} lome
:speaker: guillaume-demeyer
Texte.
:::

:::{resource} guide
:title: Un guide
:kind: podcast
:url: www.exemple.fr
:::

:::{resource} guide
:title: Le même
:kind: livre
:pending:
:::

Voir {person}`Léa <lea-tramontn>` et {resource}`ici <guide-perdu>`.

:::{quote}
“Sans auteur.”
:::
"""

EXPECTED_CHECK = [
    "issues/essai.md:3: erreur: date absente ou invalide (« date: 2022-13 ») ; "
    "écrivez l’année et le mois, par exemple « date: 2021-12 » [almanach.letter]",
    "issues/essai.md:10: erreur: territory-update : identifiant de territoire "
    "inconnu : « lome » (argument) ; identifiants proches : « lomme » ; corrigez-le "
    "ou ajoutez-le à docs/registres/territoires.yaml : « lome: "
    '{name: "", kind: "", pilot: false} » [almanach.unknown-id]',
    "issues/essai.md:10: erreur: territory-update : option inconnue « :speaker: » ; "
    "options proches : « speakers » (options possibles : :speakers:, :question:) ; "
    "corrigez ou retirez-la [almanach.unknown-option]",
    "issues/essai.md:15: erreur: resource : adresse « www.exemple.fr » invalide dans "
    "« :url: » : elle doit commencer par https:// ou http:// ; si elle est perdue, "
    "remplacez la ligne par « :pending: » [almanach.bad-url]",
    "issues/essai.md:15: erreur: resource : type « podcast » inconnu ; types "
    "possibles : article, audio, vidéo, interview, document, synthèse, compte-rendu, "
    "mallette, site, livre, outil, autre [almanach.bad-value]",
    "issues/essai.md:15: avertissement: 1 lien à retrouver — almanach check "
    "--pending les liste [almanach.pending-link]",
    "issues/essai.md:21: erreur: ressource « guide » déjà déclarée plus haut (ligne "
    "15) ; citez-la avec {resource}`guide` au lieu de la redéclarer, ou changez "
    "d’identifiant [almanach.duplicate-id]",
    "issues/essai.md:27: erreur: {person} : identifiant de personne inconnu : « "
    "lea-tramontn » ; identifiants proches : « lea-tramontin » ; corrigez-le ou "
    'ajoutez-le à docs/registres/personnes.yaml : « lea-tramontn: {name: ""} » '
    "[almanach.unknown-id]",
    "issues/essai.md:27: erreur: {resource} : identifiant de ressource inconnu : « "
    "guide-perdu » ; identifiants proches : « guide » ; corrigez-le ou déclarez la "
    "ressource avec la directive « resource » [almanach.unknown-id]",
    "issues/essai.md:29: erreur: quote : ni « :speaker: » ni « :source: » : dites "
    "qui parle (identifiant de personne) ou d’où vient la citation (ressource ou clé "
    "bibliographique) [almanach.missing-option]",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """The site and its real letter, to run commands in (cwd is its root)."""
    project_with_letters(tmp_path, {}, keep_real=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_passes_on_the_repository(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _err = run(capsys, "check")
    assert code == 0
    # Pending links of a published letter are a warning: one line for the letter
    # (as the build says it), at its first one; --pending lists them, each on the
    # line of its resource.
    lines = (ROOT / "issues" / "2021-12.md").read_text("utf-8").splitlines()
    first = lines.index(":::{resource} synthese-recherches-actions") + 1
    assert out.splitlines() == [
        f"issues/2021-12.md:{first}: avertissement: 16 liens à retrouver — almanach check "
        "--pending les liste [almanach.pending-link]"
    ]
    code, out, _err = run(capsys, "check", "--pending")
    line = lines.index(":::{resource} master-plan-puy-de-dome") + 1
    assert code == 0 and len(out.splitlines()) == 16
    assert (
        f"issues/2021-12.md:{line}: avertissement: lien à retrouver : la ressource "
        "« master-plan-puy-de-dome » n’a pas d’adresse (:pending:) dans une lettre publiée "
        "[almanach.pending-link]"
    ) in out.splitlines()
    assert "erreur" not in out
    assert run(capsys, "check", "--strict")[0] == 1


def test_check_reports_each_problem_on_its_line(project, capsys):
    (project / "issues" / "essai.md").write_text(PROBLEMS, encoding="utf-8")
    code, out, err = run(capsys, "check", "issues/essai.md")
    assert code == 1
    assert out.splitlines() == EXPECTED_CHECK
    assert "9 erreur(s), 1 avertissement(s)." in err


def test_check_json_output_parses(project, capsys):
    (project / "issues" / "essai.md").write_text(PROBLEMS, encoding="utf-8")
    code, out, _err = run(capsys, "check", "--format", "json", "issues/essai.md")
    assert code == 1
    findings = json.loads(out)
    assert [(f["line"], f["level"], f["code"]) for f in findings][:3] == [
        (3, "error", "letter"),
        (10, "error", "unknown-id"),
        (10, "error", "unknown-option"),
    ]
    assert {f["file"] if "file" in f else f["path"] for f in findings} == {"issues/essai.md"}


def test_check_reports_registry_problems(project, capsys):
    path = project / "docs" / "registres" / "territoires.yaml"
    path.write_text(path.read_text("utf-8") + "\nnantes:\n  name: Nantes\n", encoding="utf-8")
    code, out, _err = run(capsys, "check")
    assert code == 1
    assert (
        "docs/registres/territoires.yaml:59: erreur: « nantes » : champ obligatoire « kind » absent"
        in out
    )


def test_check_of_a_missing_path_is_an_error_message(project, capsys):
    code, _out, err = run(capsys, "check", "issues/absente.md")
    assert code == 2
    assert err == "almanach check : erreur : issues/absente.md n’existe pas\n"


# -- almanach new -----------------------------------------------------------------


def test_new_creates_the_next_draft(project, capsys):
    code, out, _err = run(capsys, "new", "--date", "2022-01")
    assert code == 0
    path = project / "issues" / "2022-01.md"
    text = path.read_text("utf-8")
    assert text.startswith(
        "---\nnumber: 3\ndate: 2022-01\ntitle: Lettre de janvier 2022\nstatus: draft\n---\n\n"
        "# Lettre n° 3 — janvier 2022\n"
    )
    rubriques = [line for line in text.splitlines() if line.startswith("::::{rubrique}")]
    assert rubriques == [
        "::::{rubrique} edito",
        "::::{rubrique} en-theorie",
        "::::{rubrique} en-pratique",
        "::::{rubrique} nouvelles",
        "::::{rubrique} en-chantier",
        "::::{rubrique} a-suivre",
        "::::{rubrique} inspiration",
    ]
    assert "Lettre n° 3 créée : issues/2022-01.md (brouillon)." in out
    assert run(capsys, "check")[0] == 0


def test_new_refuses_to_overwrite(project, capsys):
    path = project / "issues" / "2021-12.md"
    before = path.read_bytes()
    code, _out, err = run(capsys, "new", "--date", "2021-12")
    assert code == 2
    assert "issues/2021-12.md existe déjà" in err
    assert path.read_bytes() == before
    assert run(capsys, "new", "--date", "2021-12", "--force")[0] == 0
    assert "status: draft" in path.read_text("utf-8")


def test_new_rejects_a_bad_date(project, capsys):
    code, _out, err = run(capsys, "new", "--date", "janvier")
    assert code == 2
    assert "date « janvier » invalide" in err


@pytest.mark.parametrize("command", ["check", "new", "import"])
def test_every_command_has_help(capsys, command):
    code, out, _err = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage : almanach {command}")
    assert "affiche cette aide et quitte" in out


def test_usage_errors_are_french_messages(capsys):
    code, _out, err = run(capsys, "publier")
    assert code == 2
    assert "almanach : erreur : argument COMMANDE : choix invalide : « publier »" in err
    code, _out, err = run(capsys, "check", "--format", "xml")
    assert code == 2
    assert "choix invalide : « xml »" in err


def test_scaffold_builds_without_warnings_in_preview(project, capsys):
    assert run(capsys, "new", "--date", "2022-01")[0] == 0
    srcdir = project / "docs"
    app, warnings = build(
        srcdir, "html", project / "build", confoverrides={"almanach_preview": True}
    )
    assert warning_lines(warnings, srcdir) == []
    assert (Path(app.outdir) / "lettres" / "2022-01.html").is_file()
