"""People's names as the indices print and sort them (almanach.model.names),
and the registry's optional ``family_name``."""

from __future__ import annotations

from pathlib import Path

import pytest

from almanach.model.names import (
    collation_key,
    family_name_problem,
    person_name,
    sort_key,
    sort_letter,
)
from almanach.model.registry import load_registry
from helpers import ROOT


@pytest.mark.parametrize(
    ("name", "given", "family", "display", "letter"),
    [
        ("Jean-Marc Dupont", "Jean-Marc", "Dupont", "Dupont, Jean-Marc", "D"),
        ("Anne Sophie Ketterer", "Anne Sophie", "Ketterer", "Ketterer, Anne Sophie", "K"),
        ("Aude Van Haeringen", "Aude", "Van Haeringen", "Van Haeringen, Aude", "V"),
        ("Sandro de Gasparo", "Sandro", "de Gasparo", "de Gasparo, Sandro", "G"),
        ("Marie d’Aubigné", "Marie", "d’Aubigné", "d’Aubigné, Marie", "A"),
        ("Marie d'Aubigné", "Marie", "d'Aubigné", "d'Aubigné, Marie", "A"),
        ("Éric Martin", "Éric", "Martin", "Martin, Éric", "M"),
        ("Ana de la Cruz", "Ana", "de la Cruz", "de la Cruz, Ana", "C"),
        ("Jean Dupont-Aignan", "Jean", "Dupont-Aignan", "Dupont-Aignan, Jean", "D"),
        ("Charles De Gaulle", "Charles", "De Gaulle", "De Gaulle, Charles", "D"),
        ("Élodie Éluard", "Élodie", "Éluard", "Éluard, Élodie", "E"),
        ("Van Morrison", "Van", "Morrison", "Morrison, Van", "M"),  # a given name
        ("Mononyme", "", "Mononyme", "Mononyme", "M"),
        ("  Anne   Sophie\u00a0Ketterer ", "Anne Sophie", "Ketterer", "Ketterer, Anne Sophie", "K"),
    ],
)
def test_name_split(name, given, family, display, letter):
    split = person_name(name)
    assert (split.given, split.family, split.display, split.letter) == (
        given,
        family,
        display,
        letter,
    )


def test_one_word_and_empty_names_stay_as_they_are():
    assert person_name("Collectif").display == "Collectif"
    assert person_name("  Collectif  ").display == "Collectif"
    assert person_name("").display == ""
    assert person_name("").letter == "#"


def ordered(*names: str) -> list[str]:
    return [n.display for n in sorted((person_name(name) for name in names), key=lambda n: n.key)]


def test_people_sort_by_family_name_ignoring_case_accents_and_lower_case_particles():
    names = [
        "Aude Van Haeringen",
        "Sandro de Gasparo",
        "Anne Sophie Ketterer",
        "Barbara Nicoloso",
        "Éric Martin",
        "Marie d’Aubigné",
        "Gaëlle Verjus",
        "Julien Frat",
        "Jacques Fradin",
        "Jean-Marc Dupont",
        "alain étienne",
        "Bruno Eymard",
    ]
    assert ordered(*names) == [
        "d’Aubigné, Marie",
        "Dupont, Jean-Marc",
        "étienne, alain",  # é sorts with e, lower case with upper case
        "Eymard, Bruno",
        "Fradin, Jacques",
        "Frat, Julien",
        "de Gasparo, Sandro",
        "Ketterer, Anne Sophie",
        "Martin, Éric",
        "Nicoloso, Barbara",
        "Van Haeringen, Aude",
        "Verjus, Gaëlle",
    ]


def test_same_family_name_sorts_by_given_name_then_accents():
    assert ordered("Zoé Martin", "Éric Martin", "Eric Martin", "Anne Martin") == [
        "Martin, Anne",
        "Martin, Eric",
        "Martin, Éric",
        "Martin, Zoé",
    ]


def test_collation_of_labels():
    assert collation_key("Éric") == collation_key("eric")
    assert collation_key("Œuvre") == "oeuvre"
    assert collation_key("Lomme (59)") == "lomme59"
    labels = ["Zèbre", "Œuf", "étang", "Eau", "Abbaye", "Élan", "1000 doctorants"]
    assert sorted(labels, key=sort_key) == [
        "1000 doctorants",
        "Abbaye",
        "Eau",
        "Élan",
        "étang",
        "Œuf",
        "Zèbre",
    ]
    assert [sort_letter(label) for label in ("Élan", "œuf", "1000", "📝", "")] == [
        "E",
        "O",
        "#",
        "#",
        "#",
    ]


@pytest.mark.parametrize(
    ("name", "family_name", "display", "letter"),
    [
        # A particle the heuristic would leave out, or a compound family name.
        ("Anne Sophie Ketterer", "Sophie Ketterer", "Sophie Ketterer, Anne", "S"),
        ("Gabriel Garcia Marquez", "Garcia Marquez", "Garcia Marquez, Gabriel", "G"),
        # Family name first: printed as written, sorted by the family name.
        ("Xi Jinping", "Xi", "Xi Jinping", "X"),
        # The whole name: never turned round (a pseudonym, a collective).
        ("Le Corbusier", "Le Corbusier", "Le Corbusier", "L"),
        ("Sandro de Gasparo", "de Gasparo", "de Gasparo, Sandro", "G"),
    ],
)
def test_family_name_given_by_the_registry(name, family_name, display, letter):
    assert family_name_problem(name, family_name) == ""
    split = person_name(name, family_name)
    assert (split.display, split.letter) == (display, letter)


def test_family_name_that_does_not_fit_is_reported():
    message = family_name_problem("Anne Sophie Ketterer", "Keterer")
    assert "family_name" in message and "Keterer" in message
    assert person_name("Anne Sophie Ketterer", "Keterer").display == "Ketterer, Anne Sophie"
    assert family_name_problem("Anne Sophie Ketterer", "Sophie") != ""  # in the middle


def write_registries(folder: Path, people: str) -> Path:
    for path in (ROOT / "docs" / "registres").glob("*.yaml"):
        (folder / path.name).write_text(path.read_text("utf-8"), encoding="utf-8")
    (folder / "personnes.yaml").write_text(people, encoding="utf-8")
    return folder


def test_registry_accepts_family_name_and_reports_a_wrong_one(tmp_path):
    registry = load_registry(
        write_registries(
            tmp_path,
            "xi-jinping:\n  name: Xi Jinping\n  family_name: Xi\n"
            "anne:\n  name: Anne Sophie Ketterer\n  family_name: Sophie\n",
        )
    )
    problems = [(p.line, p.message) for p in registry.problems if "personnes" in p.path]
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 6
    assert message.startswith("« anne » : « family_name » vaut « Sophie »")
    # Both people stay (the letters may name them); the wrong field is dropped.
    assert registry.people["xi-jinping"].get("family_name") == "Xi"
    assert registry.people["anne"].get("family_name") is None


def test_real_registry_stays_valid():
    registry = load_registry(ROOT / "docs" / "registres")
    assert registry.problems == []
