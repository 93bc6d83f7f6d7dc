"""Bad input: each mistake gives one located French warning, of a type that
``suppress_warnings`` accepts, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import build, letter, project_with_letters, warning_lines

# Each case is a letter of its own; its body starts on line 10 (front matter,
# title). Expected: the warnings of that file, exactly, in order.
CASES = {
    "unknown-territory": (
        ":::{territory-update} lome\nTexte.\n:::\n",
        [
            "10: avertissement: territory-update : identifiant de territoire inconnu : « lome » "
            "(argument) ; identifiants proches : « lomme » ; corrigez-le ou ajoutez-le à "
            'docs/registres/territoires.yaml : « lome: {name: "", kind: "", pilot: false} » '
            "[almanach.unknown-id]"
        ],
    ),
    "unknown-speaker": (
        ":::{territory-update} lomme\n:speakers: guillaume-demeyr\nTexte.\n:::\n",
        [
            "10: avertissement: territory-update : identifiant de personne inconnu : "
            "« guillaume-demeyr » (:speakers:) ; identifiants proches : « guillaume-demeyer » ; "
            "corrigez-le ou ajoutez-le à docs/registres/personnes.yaml : "
            '« guillaume-demeyr: {name: ""} » [almanach.unknown-id]'
        ],
    ),
    "missing-territory": (
        ":::{territory-update}\nTexte.\n:::\n",
        [
            "10: avertissement: territory-update : identifiant du territoire absent "
            ": écrivez-le après "
            "le nom de la directive, par exemple « :::{territory-update} lomme » "
            "[almanach.missing-option]"
        ],
    ),
    "empty-update": (
        ":::{territory-update} lomme\n:::\n",
        [
            "10: avertissement: territory-update : le contenu est vide ; écrivez le texte entre la "
            "ligne de la directive et « ::: » [almanach.empty-body]"
        ],
    ),
    "unknown-option": (
        ":::{territory-update} lomme\n:speaker: guillaume-demeyer\nTexte.\n:::\n",
        [
            "10: avertissement: territory-update : option inconnue « :speaker: » ; "
            "options proches : "
            "« speakers » (options possibles : :speakers:, :question:) ; corrigez ou retirez-la "
            "[almanach.unknown-option]"
        ],
    ),
    "quote-without-attribution": (
        ":::{quote}\n“Une phrase.”\n:::\n",
        [
            "10: avertissement: quote : ni « :speaker: » ni « :source: » : dites qui parle "
            "(identifiant de personne) ou d’où vient la citation (ressource ou clé "
            "bibliographique) [almanach.missing-option]"
        ],
    ),
    "quote-unknown-source": (
        ":::{quote}\n:source: synthese-inconnue\n“Une phrase.”\n:::\n",
        [
            "10: avertissement: quote (:source:) : identifiant de ressource inconnu : "
            "« synthese-inconnue » ; corrigez-le ou déclarez la ressource avec la directive "
            "« resource » (ou citez une clé de references.bib) [almanach.unknown-id]"
        ],
    ),
    "resource-missing-title": (
        ":::{resource} guide-a\n:kind: document\n:pending:\n:::\n",
        [
            "10: avertissement: resource : option obligatoire « :title: » absente ou "
            "vide ; ajoutez "
            "« :title: … » sous la ligne de la directive [almanach.missing-option]"
        ],
    ),
    "resource-bad-url": (
        ":::{resource} guide-b\n:title: Un guide\n:kind: document\n:url: www.exemple.fr/g\n:::\n",
        [
            "10: avertissement: resource : adresse « www.exemple.fr/g » invalide dans « :url: » : "
            "elle doit commencer par https:// ou http:// ; si elle est perdue, remplacez la "
            "ligne par « :pending: » [almanach.bad-url]"
        ],
    ),
    "resource-no-url": (
        ":::{resource} guide-c\n:title: Un guide\n:kind: document\n:::\n",
        [
            "10: avertissement: resource : ni « :url: » ni « :pending: » : donnez l’adresse de la "
            "ressource, ou écrivez « :pending: » si elle n’est pas connue "
            "[almanach.missing-option]"
        ],
    ),
    "resource-bad-kind": (
        ":::{resource} guide-d\n:title: Un guide\n:kind: podcast\n:pending:\n:::\n",
        [
            "10: avertissement: resource : type « podcast » inconnu ; types possibles : article, "
            "audio, vidéo, interview, document, synthèse, compte-rendu, mallette, site, livre, "
            "outil, autre [almanach.bad-value]"
        ],
    ),
    "resource-bad-bib": (
        ":::{resource} guide-e\n:title: Un guide\n:kind: livre\n:bib: hopkins2011\n"
        ":pending:\n:::\n",
        [
            "10: avertissement: resource : clé bibliographique « hopkins2011 » absente de "
            "references.bib ; clés proches : « hopkins2010 », « hopkins2008 » ; corrigez la "
            "clé ou ajoutez l’ouvrage [almanach.unknown-bibkey]"
        ],
    ),
    "resource-bad-publisher": (
        ":::{resource} guide-f\n:title: Un guide\n:kind: livre\n:publisher: ademe-france\n"
        ":pending:\n:::\n",
        [
            "10: avertissement: resource : identifiant d’organisation inconnu : « ademe-france » "
            "(:publisher:) ; corrigez-le ou ajoutez-le à docs/registres/organisations.yaml : "
            '« ademe-france: {name: ""} » [almanach.unknown-id]'
        ],
    ),
    "resource-duplicate": (
        ":::{resource} guide-g\n:title: Un guide\n:kind: livre\n:pending:\n:::\n\n"
        ":::{resource} guide-g\n:title: Un autre guide\n:kind: livre\n:pending:\n:::\n",
        [
            "16: avertissement: ressource « guide-g » déjà déclarée plus haut (ligne "
            "10) ; citez-la "
            "avec {resource}`guide-g` au lieu de la redéclarer, ou changez d’identifiant "
            "[almanach.duplicate-id]"
        ],
    ),
    "resource-duplicate-elsewhere": (
        ":::{resource} guide-g\n:title: Encore un guide\n:kind: livre\n:pending:\n:::\n",
        [
            "10: avertissement: ressource « guide-g » déjà déclarée dans "
            "issues/resource-duplicate.md "
            "(ligne 10) ; citez-la avec {resource}`guide-g` au lieu de la redéclarer, ou "
            "changez d’identifiant [almanach.duplicate-id]"
        ],
    ),
    "unknown-rubrique": (
        "::::{rubrique} en-theori\nTexte.\n::::\n",
        [
            "10: avertissement: rubrique : identifiant de rubrique inconnu : « "
            "en-theori » (argument) "
            "; identifiants proches : « en-theorie » ; corrigez-le ou ajoutez-le à "
            'docs/registres/rubriques.yaml : « en-theori: {emoji: "", title: ""} » '
            "[almanach.unknown-id]"
        ],
    ),
    "role-unknown-person": (
        "Avec {person}`Léa <lea-tramontn>`.\n",
        [
            "10: avertissement: {person} : identifiant de personne inconnu : « lea-tramontn » ; "
            "identifiants proches : « lea-tramontin » ; corrigez-le ou ajoutez-le à "
            'docs/registres/personnes.yaml : « lea-tramontn: {name: ""} » [almanach.unknown-id]'
        ],
    ),
    "role-unknown-resource": (
        "Voir {resource}`ici <lien-perdu>`.\n",
        [
            "10: avertissement: {resource} : identifiant de ressource inconnu : « lien-perdu » ; "
            "corrigez-le ou déclarez la ressource avec la directive « resource » "
            "[almanach.unknown-id]"
        ],
    ),
    "control-character": (
        "Un mot\x08 caché et un autre\x0b.\n",
        [
            "10: avertissement: caractère invisible supprimé (U+0008, U+000B) : il vient souvent "
            "d’un copier-coller et peut masquer ou inverser le texte ; retapez le passage si "
            "le texte semble abîmé [almanach.control-character]"
        ],
    ),
    "role-unknown-event": (
        "Voir {event}`journees-2021-12`.\n",
        [
            "10: avertissement: {event} : identifiant d’événement inconnu : « journees-2021-12 » ; "
            "identifiants proches : « journees-2021-11 », « journees-2022-01 » ; corrigez-le "
            "ou ajoutez-le à docs/registres/evenements.yaml : "
            '« journees-2021-12: {title: "", start: ""} » [almanach.unknown-id]'
        ],
    ),
}

BAD_FRONT_MATTER = "---\nnumber: deux\ndate: décembre\nstatus: publié\n---\n\n# Sans titre\n"


@pytest.fixture(scope="module")
def cases_build(tmp_path_factory) -> tuple[Path, list[str]]:
    """One project holding every case as its own letter, built once."""
    base = tmp_path_factory.mktemp("bad-input")
    letters = {f"{name}.md": letter(body) for name, (body, _expected) in CASES.items()}
    letters["bad-front-matter.md"] = BAD_FRONT_MATTER
    srcdir = project_with_letters(base, letters)
    _app, warnings = build(srcdir, "html", base / "build")
    assert "Traceback" not in warnings
    return srcdir, warning_lines(warnings, srcdir)


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_gives_its_located_warning(cases_build, case):
    _srcdir, lines = cases_build
    mine = [line for line in lines if line.startswith(f"issues/{case}.md:")]
    assert mine == [f"issues/{case}.md:{expected}" for expected in CASES[case][1]]


def test_front_matter_problems_are_reported_at_their_field(cases_build):
    lines = [line for line in cases_build[1] if line.startswith("issues/bad-front-matter.md")]
    assert lines == [
        "issues/bad-front-matter.md:2: avertissement: numéro de lettre invalide "
        "(« number: deux ») ; écrivez par exemple « number: 2 » dans l’en-tête [almanach.letter]",
        "issues/bad-front-matter.md:3: avertissement: date absente ou invalide (« "
        "date: décembre ») ; "
        "écrivez l’année et le mois, par exemple « date: 2021-12 » [almanach.letter]",
        "issues/bad-front-matter.md:1: avertissement: titre absent ; écrivez par exemple "
        "« title: Coopérer pour changer » [almanach.letter]",
        "issues/bad-front-matter.md:4: avertissement: statut « publié » invalide ; écrivez "
        "« status: draft », « status: review » ou « status: published » [almanach.letter]",
    ]


def test_no_other_warning(cases_build):
    expected_files = {f"issues/{case}.md" for case in CASES} | {"issues/bad-front-matter.md"}
    strays = [line for line in cases_build[1] if line.split(":")[0] not in expected_files]
    assert strays == []


def test_warnings_can_be_suppressed_by_type(tmp_path):
    body = "Avec {person}`lea-tramontn` et {territory}`lome`.\n"
    srcdir = project_with_letters(tmp_path, {"essai.md": letter(body)})
    _app, warnings = build(
        srcdir,
        "html",
        tmp_path / "build",
        confoverrides={"suppress_warnings": ["almanach.unknown-id"]},
    )
    assert warnings == ""


def test_strict_build_fails_without_traceback(tmp_path):
    body = ":::{territory-update} lome\nTexte.\n:::\n"
    srcdir = project_with_letters(tmp_path, {"essai.md": letter(body)})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-n",
            "-q",
            "-b",
            "html",
            str(srcdir),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert (
        "issues/essai.md:10: erreur: territory-update : identifiant de territoire" in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout
