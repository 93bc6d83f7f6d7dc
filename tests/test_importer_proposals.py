"""Registry entries proposed for what an imported letter names and no registry
knows: on the December letter against what an editor wrote by hand, on one
synthetic sentence per cue, and written as a patch or into the files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanach.model.registry import load_registry
from almanach.model.schemas import SCHEMAS
from almanach.tools.importer.inline import fold, name_key
from almanach.tools.importer.proposals import (
    PROPOSED,
    Proposal,
    ProposalError,
    apply_proposals,
    propose,
    registry_files,
    registry_patch,
)
from almanach.tools.importer.source import plain_lines

ROOT = Path(__file__).resolve().parent.parent
REGISTRIES = ROOT / "docs" / "registres"
EXPORT = ROOT / "tests" / "fixtures" / "newsletter-2021-12.txt"
SOURCE = "issues/2021-12.md"


def key(name: str) -> str:
    return name_key(fold(name))


def empty_project(folder: Path) -> Path:
    """A project root whose people, territories and organisations are empty
    (rubriques and events as the real ones)."""
    registries = folder / "docs" / "registres"
    registries.mkdir(parents=True)
    for schema in SCHEMAS.values():
        target = registries / schema.filename
        if schema.name in PROPOSED:
            target.write_text(f"# {schema.label}\n", encoding="utf-8")
        else:
            shutil.copy(REGISTRIES / schema.filename, target)
    return folder


def letter_lines() -> list[tuple[int, str]]:
    return [(line.line, line.text) for line in plain_lines(EXPORT.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def december(tmp_path_factory) -> tuple[Path, list[Proposal]]:
    root = empty_project(tmp_path_factory.mktemp("empty"))
    registry = load_registry(root / "docs" / "registres")
    assert not registry.problems
    return root, propose(letter_lines(), registry)


def by_name(proposals: list[Proposal]) -> dict[str, Proposal]:
    return {key(proposal.name): proposal for proposal in proposals}


# -- the December letter -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Barbara Nicoloso",
        "Jacques Fradin",
        "Sandro de Gasparo",
        "Sébastien Defix",
        "Virginie Chaput",
        "Emmanuelle Teitelbaum",
        "Aude Van Haeringen",
        "Guillaume Demeyer",
        "Marie-Claire Abinal",
        "Jeannie Tremblay",
        "Gaëlle Verjus",
        "Julien Frat",
        "Anne Sophie Ketterer",
    ],
)
def test_people_of_the_december_letter(december, name):
    people = by_name([p for p in december[1] if p.registry == "people"])
    assert key(name) in people


def test_roles_and_organisations_from_the_sentence(december):
    proposals = december[1]
    people = by_name([p for p in proposals if p.registry == "people"])
    organisations = {p.id: p for p in proposals if p.registry == "organisations"}
    territories = {p.id: p for p in proposals if p.registry == "territories"}
    barbara = people[key("Barbara Nicoloso")]
    assert barbara.id == "barbara-nicoloso"
    assert barbara.get("role") == "directrice de l’association Virage Energie"
    assert organisations[barbara.get("organisation")].name == "Virage Energie"
    sandro = people[key("Sandro de Gasparo")]
    assert sandro.id == "sandro-de-gasparo"
    assert sandro.get("role") == "ergonome, intervenant-chercheur au laboratoire ATEMIS"
    assert organisations[sandro.get("organisation")].name == "ATEMIS"
    aude = people[key("Aude Van Haeringen")]
    assert (aude.id, aude.get("role")) == ("aude-van-haeringen", "chargée de projet transition")
    # the role without the organisation it starts with, which becomes the organisation
    jacques = people[key("Jacques Fradin")]
    assert jacques.get("role") == "Président du GIEC du comportement"
    assert organisations[jacques.get("organisation")].name == (
        "Institut de Médecine Environnementale"
    )
    # a speaker line: the territory the role ends with
    marie_claire = people[key("Marie-Claire Abinal")]
    assert marie_claire.get("role") == (
        "Chargée de mission économie circulaire et projet alimentaire territorial"
    )
    assert territories[marie_claire.get("territory")].name == "Rodez Agglomération"
    jeannie = people[key("Jeannie Tremblay")]
    assert (jeannie.get("role"), territories[jeannie.get("territory")].name) == (
        "première adjointe",
        "Faverges",
    )
    # « Témoignage de Julien Frat. Le directeur du Pôle Territorial… revient »
    frat = people[key("Julien Frat")]
    assert frat.get("role") == "directeur du Pôle Territorial de l’Albigeois et des Bastides"
    # the sentence where the letter names them, with its line
    assert barbara.line == 25 and barbara.sentence.startswith("➡️ Barbara Nicoloso, directrice")


@pytest.mark.parametrize(
    "name",
    ["Lomme", "Rodez Agglomération", "Faverges", "Malaunay", "Caluire et Cuire", "Orne"],
)
def test_territories_of_the_december_letter(december, name):
    assert key(name) in by_name([p for p in december[1] if p.registry == "territories"])


def test_territory_fields(december):
    territories = by_name([p for p in december[1] if p.registry == "territories"])
    caluire = territories[key("Caluire et Cuire")]
    assert dict(caluire.fields) == {
        "kind": "commune",
        "departement": "Rhône (69)",
        "pilot": "false",
    }
    assert territories[key("Orne")].get("kind") == "département"
    assert territories[key("Rodez Agglomération")].get("kind") == "agglomération"


@pytest.mark.parametrize(
    "name", ["ATEMIS", "Virage Energie", "Quadrant conseil", "ADEME", "The Conversation"]
)
def test_organisations_of_the_december_letter(december, name):
    assert key(name) in by_name([p for p in december[1] if p.registry == "organisations"])


def test_never_proposed(december):
    names = {key(p.name) for p in december[1]}
    for word in ("Territoires Pilotes", "En théorie", "Édito", "Bonjour", "DGS", "PVD", "PACT2"):
        assert key(word) not in names, word


def test_precision_and_recall_against_the_registries_an_editor_wrote(december):
    """Each registry's proposals against the entries written by hand for this
    letter (``docs/registres``), compared by name."""
    written = load_registry(REGISTRIES)
    rows, failures = [], []
    for registry in PROPOSED:
        expected = {key(entry.label) for entry in written[registry].values()}
        proposed = {key(p.name) for p in december[1] if p.registry == registry}
        right = expected & proposed
        recall, precision = len(right) / len(expected), len(right) / len(proposed)
        rows.append(
            f"| {registry:<13} | {len(expected):>5} | {len(proposed):>8} | {recall:>6.0%} "
            f"| {precision:>9.0%} | {', '.join(sorted(proposed - expected)) or '—'} "
            f"| {', '.join(sorted(expected - proposed)) or '—'} |"
        )
        if recall < 0.8 or precision < 0.9:
            failures.append(registry)
    sys.stdout.write(
        "\n| registre      | écrit | proposé  | rappel | précision | en trop | manqués |\n"
        "|---------------|-------|----------|--------|-----------|---------|---------|\n"
        + "\n".join(rows)
        + "\n"
    )
    assert not failures, rows


def test_no_people_proposed_with_the_project_registries():
    registry = load_registry(REGISTRIES)
    proposals = propose(letter_lines(), registry)
    assert [p for p in proposals if p.registry == "people"] == []
    assert proposals == [], proposals  # nor territories nor organisations: all are known


def test_ids_unique_against_the_registry_and_each_other():
    registry = load_registry(REGISTRIES)
    lines = [
        (1, "➡️ Barbara Nicolosa, directrice de l’association Exemple Énergie, est venue."),
        (2, "➡️ Barbara Nicoloso, directrice de l’association Virage Energie, est venue."),
        (3, "Témoignage de Julien Frat. Et de Julien Frät, maire de Exempleville."),
    ]
    proposals = propose(lines, registry)
    ids = [(p.registry, p.id) for p in proposals]
    assert len(ids) == len(set(ids))
    for registry_name, entry_id in ids:
        assert entry_id not in registry[registry_name]
    names = {p.name for p in proposals}
    assert "Barbara Nicolosa" in names and "Barbara Nicoloso" not in names  # known
    assert "Julien Frat" not in names


# -- one sentence per cue ----------------------------------------------------------

CUES = [
    # people
    (
        "➡️ Camille Exemple, directrice de l’association Fictive Énergie, est venue parler.",
        "people",
        "Camille Exemple",
        {"role": "directrice de l’association Fictive Énergie", "organisation": "fictive-energie"},
    ),
    (
        "Un atelier animé par Dominique Essai (facilitatrice en intelligence collective).",
        "people",
        "Dominique Essai",
        {"role": "facilitatrice en intelligence collective"},
    ),
    ("➡️ Témoignage de Claude Modèle. Il revient sur le chantier.", "people", "Claude Modèle", {}),
    (
        "Alix Témoin, chargée de mission climat Exempleville Agglomération :",
        "people",
        "Alix Témoin",
        {"role": "chargée de mission climat", "territory": "exempleville-agglomeration"},
    ),
    (
        "Une intervention avec Sacha Premier, DGS, Noa Second, cheffe de projet et "
        "Lou Troisième, élue.",
        "people",
        "Noa Second",
        {"role": "cheffe de projet"},
    ),
    (
        "Une intervention avec Sacha Premier, DGS, Noa Second, cheffe de projet et "
        "Lou Troisième, élue.",
        "people",
        "Lou Troisième",
        {"role": "élue"},
    ),
    (
        "➡️ Sandrine de Fictif, ergonome, a présenté la démarche.",
        "people",
        "Sandrine de Fictif",
        {"role": "ergonome"},
    ),
    (
        "➡️ Maxime Van Exemple, chercheur au laboratoire LABEX, a pris la parole.",
        "people",
        "Maxime Van Exemple",
        {"role": "chercheur au laboratoire LABEX", "organisation": "labex"},
    ),
    (
        "Camille Exemple - camille@exemple-media.example",
        "people",
        "Camille Exemple",
        {"email": "camille@exemple-media.example"},
    ),
    (
        "➡️ Ange Un et Bo Deux de Exemple conseil ont animé l’après-midi.",
        "people",
        "Bo Deux",
        {"organisation": "exemple-conseil"},
    ),
    # territories
    ("On y retrouve la ville de Exempleville.", "territories", "Exempleville", {"kind": "commune"}),
    (
        "Un projet de la commune de Saint-Essai-sur-Mer.",
        "territories",
        "Saint-Essai-sur-Mer",
        {"kind": "commune"},
    ),
    (
        "Les élus de Fictiville Agglomération en parlent.",
        "territories",
        "Fictiville Agglomération",
        {"kind": "agglomération"},
    ),
    (
        "La Communauté de communes du Val Fictif s’engage.",
        "territories",
        "Communauté de communes du Val Fictif",
        {"kind": "communauté de communes"},
    ),
    (
        "Les habitants du Pays de Fictivie se mobilisent.",
        "territories",
        "Pays de Fictivie",
        {"kind": "PETR/pays"},
    ),
    (
        "Une action dans le département de la Creuse.",
        "territories",
        "Creuse",
        {"kind": "département", "departement": "Creuse (23)"},
    ),
    (
        "➡️ Essai-les-Bains (38) : une cantine en régie",
        "territories",
        "Essai-les-Bains",
        {"kind": "commune", "departement": "Isère (38)"},
    ),
    (
        "Le directeur du Pôle Territorial de l’Exemple et des Essais revient.",
        "territories",
        "Pôle Territorial de l’Exemple et des Essais",
        {"kind": "PETR/pays"},
    ),
    # organisations
    (
        "Une étude de l’association Fictive Énergie.",
        "organisations",
        "Fictive Énergie",
        {"description": "association"},
    ),
    (
        "Avec le laboratoire EXEMPLAB.",
        "organisations",
        "EXEMPLAB",
        {"description": "laboratoire"},
    ),
    (
        "Des travaux de l’Institut de Recherche Fictive et de ses alliés.",
        "organisations",
        "Institut de Recherche Fictive",
        {},
    ),
    ("Un dossier du cabinet Conseil Fictif.", "organisations", "Conseil Fictif", {}),
    ("Selon l’agence Exemplia, le projet avance.", "organisations", "Exemplia", {}),
    (
        "Des contenus produits par le média Essais Audacieux.",
        "organisations",
        "Essais Audacieux",
        {},
    ),
    ("L’FICTAGENCE a poussé l’analyse sur 13 actions.", "organisations", "FICTAGENCE", {}),
    ("Je recommande cet article de The Exemple.", "organisations", "The Exemple", {}),
]


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """A registry whose people, territories and organisations are empty."""
    return load_registry(empty_project(tmp_path_factory.mktemp("cues")) / "docs" / "registres")


@pytest.mark.parametrize(("text", "registry", "name", "fields"), CUES)
def test_cue(text, registry, name, fields, empty):
    proposals = [p for p in propose([(7, text)], empty) if p.registry == registry]
    found = by_name(proposals).get(key(name))
    assert found is not None, proposals
    assert found.line == 7
    for field_name, value in fields.items():
        assert found.get(field_name) == value, found


NOT_PROPOSED = [
    "Le Master Plan (une feuille de route) est disponible ici.",
    "Nous avons axé notre programme Petites Villes de Demain (PVD) sur la transition.",
    "Le projet FICTIF2, porté par des alliés, avance.",
    "Cette newsletter du programme Territoires Pilotes vous informe.",
    "En Janvier, Les Territoires se retrouvent. Pour Tous, Bonne Année !",
    "Le DGS et le DGA ont validé le COPIL et le CRTE.",
    "LA LETTRE DE JANVIER EST ARRIVÉE",
    "📖 En théorie…",
    "Un rapport sur la transition écologique de Camille Exemple et de ses collègues.",
]


@pytest.mark.parametrize("text", NOT_PROPOSED)
def test_not_proposed(text, empty):
    assert propose([(1, text)], empty) == []


# -- writing ------------------------------------------------------------------------


def git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)


def test_patch_applies_and_the_registries_load(december, tmp_path):
    source_root, proposals = december
    root = tmp_path / "project"
    shutil.copytree(source_root, root)
    git(root, "init", "-q")
    files = registry_files(root / "docs" / "registres")
    patch = registry_patch(proposals, root, files, source=SOURCE)
    assert "a/docs/registres/personnes.yaml" in patch
    assert "# Proposé par almanach import (issues/2021-12.md) : à vérifier" in patch
    (root / "registres.patch").write_text(patch, encoding="utf-8")
    checked = git(root, "apply", "--check", "registres.patch")
    assert checked.returncode == 0, checked.stderr
    assert git(root, "apply", "registres.patch").returncode == 0
    registry = load_registry(root / "docs" / "registres")
    assert registry.problems == []
    for proposal in proposals:
        entry = registry[proposal.registry][proposal.id]
        assert entry.get("name") == proposal.name
        for name, value in proposal.fields:
            expected = value == "true" if name == "pilot" else value
            assert entry.get(name) == expected
    # the style of the files: a blank line between entries, two spaces of indent
    people = (root / "docs" / "registres" / "personnes.yaml").read_text(encoding="utf-8")
    assert "\n\nbarbara-nicoloso:\n  name: Barbara Nicoloso\n  role: directrice" in people


def test_patch_appends_to_the_real_registries(tmp_path):
    """After the entries an editor wrote, even in a file without a final end of line."""
    root = tmp_path / "project"
    shutil.copytree(REGISTRIES, root / "docs" / "registres")
    organisations = root / "docs" / "registres" / "organisations.yaml"
    organisations.write_text(organisations.read_text(encoding="utf-8").rstrip("\n"), "utf-8")
    git(root, "init", "-q")
    proposals = propose(
        [(3, "➡️ Camille Exemple, directrice de l’association Fictive Énergie : « # » oui")],
        load_registry(root / "docs" / "registres"),
    )
    assert {p.registry for p in proposals} == {"people", "organisations"}
    patch = registry_patch(proposals, root, registry_files(root / "docs" / "registres"))
    assert "\\ No newline at end of file" in patch
    (root / "p.patch").write_text(patch, encoding="utf-8")
    applied = git(root, "apply", "p.patch")
    assert applied.returncode == 0, applied.stderr
    registry = load_registry(root / "docs" / "registres")
    assert registry.problems == []
    assert registry.people["camille-exemple"].get("organisation") == "fictive-energie"
    assert "ademe" in registry.organisations  # what was there stays


def test_values_quoted_when_yaml_needs_it(tmp_path):
    root = empty_project(tmp_path)
    files = registry_files(root / "docs" / "registres")
    tricky = [
        Proposal("people", "camille-exemple", "Camille Exemple", (("role", "cheffe : #1"),), 1, ""),
        Proposal("people", "dominique-essai", "Dominique Essai", (("role", "« yes »"),), 2, ""),
        Proposal("people", "lou-essai", "Lou Essai", (("role", "true"),), 3, ""),
        Proposal("organisations", "no", "NO", (("description", "'quoted' & *star"),), 4, ""),
    ]
    apply_proposals(tricky, files, SOURCE)
    registry = load_registry(root / "docs" / "registres")
    assert registry.problems == []
    assert registry.people["camille-exemple"].get("role") == "cheffe : #1"
    assert registry.people["dominique-essai"].get("role") == "« yes »"
    assert registry.people["lou-essai"].get("role") == "true"
    assert registry.organisations["no"].get("name") == "NO"
    assert registry.organisations["no"].get("description") == "'quoted' & *star"


def test_apply_proposals_appends_and_never_overwrites(december, tmp_path):
    source_root, proposals = december
    root = tmp_path / "project"
    shutil.copytree(source_root, root)
    files = registry_files(root / "docs" / "registres")
    changed = apply_proposals(proposals, files, SOURCE)
    assert sorted(changed) == sorted(files.values())
    registry = load_registry(root / "docs" / "registres")
    assert registry.problems == []
    assert len(registry.people) == len([p for p in proposals if p.registry == "people"])
    before = {path: path.read_bytes() for path in files.values()}
    with pytest.raises(ProposalError) as refused:
        apply_proposals(proposals, files, SOURCE)
    assert "existe déjà" in refused.value.message
    assert "personnes.yaml:" in refused.value.message  # located: the file and line
    assert {path: path.read_bytes() for path in files.values()} == before
    with pytest.raises(ProposalError, match="existe déjà"):
        registry_patch(proposals, root, files)


def test_a_file_outside_the_project_is_refused(december, tmp_path):
    files = registry_files(REGISTRIES)
    with pytest.raises(ProposalError, match="n’est pas dans le projet"):
        registry_patch(december[1], tmp_path, files)


WORDS = st.sampled_from(
    "Camille Exemple Lou Essai de la ville commune l’association laboratoire ATEMIS DGS , : . "
    "( ) (69) (2A) Agglomération Pôle Territorial et directrice chargée est a Témoignage - "
    "x@exemple.example « » # ' \" Van Haeringen".split(" ")
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(st.lists(WORDS, max_size=25).map(" ".join), max_size=4))
def test_any_text_gives_entries_that_load(lines, tmp_path_factory):
    """Whatever the letter says, the proposals are valid entries: they load
    without a problem once appended."""
    root = empty_project(tmp_path_factory.mktemp("fuzz"))
    files = registry_files(root / "docs" / "registres")
    registry = load_registry(root / "docs" / "registres")
    proposals = propose(list(enumerate(lines, 1)), registry)
    apply_proposals(proposals, files, SOURCE)
    loaded = load_registry(root / "docs" / "registres")
    assert loaded.problems == []
    assert sum(len(loaded[name]) for name in PROPOSED) == len(proposals)
