"""Registries: the real ones are clean and hold what the December letter names;
a malformed entry gives one located warning, in the build too."""

from __future__ import annotations

from pathlib import Path

import pytest

from almanach.model.registry import load_registry
from helpers import ROOT, build, project_with_letters, warning_lines

REGISTRIES = ROOT / "docs" / "registres"


def test_real_registries_are_clean():
    registry = load_registry(REGISTRIES)
    assert registry.problems == []
    pilots = {t.id for t in registry.territories.values() if t.get("pilot")}
    assert pilots == {"lomme", "rodez-agglomeration", "faverges", "albigeois-bastides"}
    others = {t.id for t in registry.territories.values() if not t.get("pilot")}
    assert {"puy-de-dome", "malaunay", "caluire-et-cuire", "orne"} <= others
    assert str(registry.events["journees-2021-11"].get("start")) == "2021-11-17"
    assert str(registry.events["journees-2022-01"].get("end")) == "2022-01-21"
    assert registry.events["journees-2022-01"].get("visio") is True


def test_no_invented_website():
    """Websites are only those the letters give (none so far)."""
    registry = load_registry(REGISTRIES)
    for name in ("territories", "organisations"):
        assert all(entry.get("website") is None for entry in registry[name].values())


BAD_REGISTRIES = [
    (
        "territoires.yaml",
        "lomme:\n  name: Lomme\n  kind: ville\n  pilot: true\n",
        "territoires.yaml:3: « lomme » : « kind » vaut « ville », qui n’est pas l’une des "
        "valeurs : commune, agglomération, communauté de communes, métropole, PETR/pays, "
        "département, région",
    ),
    (
        "territoires.yaml",
        "lomme:\n  name: Lomme\n  kind: commune\n",
        "territoires.yaml:1: « lomme » : champ obligatoire « pilot » absent "
        "(true pour un territoire pilote)",
    ),
    (
        "territoires.yaml",
        "lomme:\n  name: Lomme\n  kind: commune\n  pilot: oui\n",
        "territoires.yaml:4: « lomme » : « pilot » doit valoir true ou false, pas « oui »",
    ),
    (
        "organisations.yaml",
        "ademe:\n  name: ADEME\n  website: ademe.fr\n",
        "organisations.yaml:3: « ademe » : adresse « ademe.fr » invalide : elle doit commencer "
        "par https:// ou http:// ; si elle est inconnue, retirez la ligne",
    ),
    (
        "organisations.yaml",
        "ademe:\n  name: ADEME\nademe:\n  name: Autre\n",
        "organisations.yaml:3: identifiant « ademe » en double (déjà défini ligne 1) : "
        "renommez l’un des deux",
    ),
    (
        "personnes.yaml",
        "lea:\n  name: Léa\n  organisation: territoires-audacieu\n",
        "personnes.yaml:1: « lea » : organisation « territoires-audacieu » n’est pas dans "
        "organisations.yaml ; identifiants proches : « territoires-audacieux »",
    ),
    (
        "personnes.yaml",
        "lea:\n  name: Léa\n  métier: rédactrice\n",
        "personnes.yaml:3: « lea » : champ inconnu « métier » (champs possibles : name, "
        "family_name, role, organisation, territory, email)",
    ),
    (
        "evenements.yaml",
        "journees:\n  title: Journées\n  start: 17 novembre\n",
        "evenements.yaml:3: « journees » : « start » doit être une date AAAA-MM-JJ, "
        "pas « 17 novembre »",
    ),
    (
        "rubriques.yaml",
        "edito:\n  emoji: x\n   title: Édito\n",
        "rubriques.yaml:3: YAML invalide : deux-points inattendu (mettez la valeur entre "
        "guillemets) ; vérifiez l’indentation et les deux-points",
    ),
    (
        "rubriques.yaml",
        "- edito\n- en-theorie\n",
        "rubriques.yaml:1: le registre doit associer chaque identifiant à ses champs "
        "(« identifiant: » puis les champs en retrait), pas un liste",
    ),
]


@pytest.mark.parametrize(("filename", "text", "expected"), BAD_REGISTRIES)
def test_malformed_registry_entry_is_located(tmp_path: Path, filename, text, expected):
    folder = tmp_path / "registres"
    folder.mkdir()
    for path in REGISTRIES.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / filename).write_text(text, encoding="utf-8")
    registry = load_registry(folder, display_root=folder)
    problems = [f"{p.location}: {p.message}" for p in registry.problems]
    assert expected in problems
    # The people and rubriques point at the replaced entries: only count this file's.
    assert [p for p in problems if p.startswith(filename)] == [expected]


def test_registry_problem_is_a_build_warning(tmp_path: Path):
    srcdir = project_with_letters(tmp_path, {}, keep_real=True)
    path = srcdir / "registres" / "evenements.yaml"
    path.write_text(path.read_text("utf-8") + "\nfete:\n  title: Fête\n", encoding="utf-8")
    _app, warnings = build(srcdir, "html", tmp_path / "build")
    lines = warning_lines(warnings, srcdir)
    assert len(lines) == 1
    assert lines[0].endswith(
        "evenements.yaml:14: avertissement: « fete » : champ obligatoire « start » absent "
        "(la date de début, AAAA-MM-JJ) [almanach.registry]"
    )
