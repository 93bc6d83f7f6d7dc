"""One validator: every mistake of the table goes through a real build and
through ``almanach check``, and both say the same thing — same file, same line,
same kind, same words. The checker has no rule of its own: a rule added to the
shared table serves both."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from almanach.checker import Checker, letter_files
from almanach.cli.common import Project
from almanach.rules import directives as rules
from helpers import build_project, letter, run_check, slim_project, warning_lines
from test_bad_input import CASES

#: Mistakes beyond those of tests/test_bad_input.py: unknown names, option
#: blocks in YAML, unclosed blocks, the front matter and the letter's heading.
MORE = {
    "unknown-directive": ":::{citation}\n:speaker: lea-tramontin\nBla.\n:::\n",
    "unknown-role": "Avec {personne}`lea-tramontin`.\n",
    "unknown-french-directive": ":::{territoire} lomme\nTexte.\n:::\n",
    "yaml-option-block": (
        ":::{resource} guide-yaml\n---\ntitle: Un guide\nkind: podcast\nurl: www.exemple.fr\n"
        "---\n:::\n"
    ),
    "yaml-option-block-unknown-option": (
        ":::{quote}\n---\nspeaker: lea-tramontin\nauteur: moi\n---\nBla.\n:::\n"
    ),
    "url-and-pending": (
        ":::{resource} guide-double\n:title: Un guide\n:kind: document\n"
        ":url: https://exemple.fr/guide\n:pending:\n:::\n"
    ),
    "quote-unknown-speaker": ":::{quote}\n:speaker: jean-inconnu\nBla.\n:::\n",
    "unclosed-update": (
        "::::{rubrique} nouvelles\n:::{territory-update} lomme\nTexte.\n\nSuite.\n::::\n"
    ),
    "role-without-backquotes": "Avec {person}lea-tramontin et {persone} `lea-tramontin`.\n",
    "indented-block": "Texte.\n\n    :::{quote}\n    :speaker: lea-tramontin\n    Bla.\n    :::\n",
    "hash-without-space": "#Rencontres\n\nTexte.\n",
    "option-after-a-blank-line": ":::{quote}\n\n:speaker: lea-tramontin\nBla.\n:::\n",
    # written whole below
    "french-status-key": None,
    "heading-month": None,
    "empty-letter": None,
    "blank-letter": None,
    "no-heading": None,
}
WHOLE = {
    "empty-letter": "",
    "blank-letter": "  \n\n\t\n",
    "no-heading": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatus: published\n---\n\n"
        "::::{{rubrique}} edito\nTexte.\n::::\n"
    ),
    "french-status-key": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatut: draft\n---\n\n# Essai\n"
    ),
    "heading-month": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatus: published\n---\n\n"
        "# Lettre — mars 1999\n\nTexte.\n"
    ),
}

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+): (?P<level>avertissement|erreur): (?P<message>.*) "
    r"\[almanach\.(?P<kind>[\w-]+)\]$"
)


def letters() -> dict[str, str]:
    """Every mistake as a letter of its own, numbered in date order."""
    bodies = {name: body for name, (body, _expected) in CASES.items()} | MORE
    texts = {}
    for index, (name, body) in enumerate(bodies.items()):
        number, date = index + 1, f"{2030 + index // 12}-{index % 12 + 1:02d}"
        if body is None:
            texts[name] = WHOLE[name].format(number=number, date=date)
        else:
            texts[name] = letter(body, number=number, date=date)
    return texts


def build_records(base: Path) -> set[tuple[str, int, str, str]]:
    """(file, line, kind, message) of every problem the build reports."""
    _app, warnings = build_project(base)
    records = set()
    for line in warning_lines(warnings, base / "docs"):
        found = LINE.match(line)
        assert found, line  # every problem is located and typed
        records.add((found["path"], int(found["line"]), found["kind"], found["message"]))
    return records


def check_records(findings) -> set[tuple[str, int, str, str]]:
    return {
        (finding.path, finding.line, finding.code, finding.message)
        for finding in findings
        if finding.code != "pending-link"  # a reminder, not a problem (see the build's summary)
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("one-validator")
    slim_project(base)
    for name, text in letters().items():
        (base / "issues" / f"{name}.md").write_text(text, encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def both(project):
    built = build_records(project)
    report = run_check(project, "--format", "json")
    assert "Traceback" not in report.stderr
    found = json.loads(report.stdout)
    checked = {
        (item["path"], item["line"], item["code"], item["message"])
        for item in found
        if item["code"] != "pending-link"
    }
    return built, checked, found


@pytest.mark.parametrize("case", [*CASES, *MORE])
def test_build_and_check_say_the_same_thing(both, case):
    built, checked, _found = both
    path = f"issues/{case}.md"
    mine_built = sorted(record for record in built if record[0] == path)
    mine_checked = sorted(record for record in checked if record[0] == path)
    assert mine_built, f"{case}: the build says nothing"
    assert mine_built == mine_checked


def test_nothing_else_is_said(both):
    built, checked, _found = both
    assert built == checked


def test_json_and_text_give_the_same_records(project, both):
    _built, _checked, found = both
    report = run_check(project)
    levels = {"error": "erreur", "warning": "avertissement"}
    as_text = [
        f"{item['path']}:{item['line']}: {levels[item['level']]}: {item['message']}"
        for item in found
    ]
    assert report.stdout.splitlines() == as_text
    assert report.returncode == 1


def test_unknown_names_are_answered_in_french_with_the_closest_name(both):
    built, _checked, _found = both
    messages = {record[0]: record[3] for record in built}
    assert "« citation » refusée" in messages["issues/unknown-directive.md"]
    assert "« {personne} » refusé" in messages["issues/unknown-role.md"]
    assert "« person »" in messages["issues/unknown-role.md"]
    assert "« territory-update »" in messages["issues/unknown-french-directive.md"]
    for message in messages.values():
        assert "Unknown" not in message and "unknown" not in message


def test_an_unknown_id_comes_with_the_entry_to_add(both):
    built, _checked, _found = both
    message = next(r[3] for r in built if r[0] == "issues/quote-unknown-speaker.md")
    assert message.endswith(
        'ajoutez-le à docs/registres/personnes.yaml : « jean-inconnu: {name: ""} »'
    )


def test_a_rule_added_to_the_table_serves_the_build_and_check(tmp_path, monkeypatch):
    """Make « :context: » of a quote required, in the table only: both report it."""
    quote = rules.SPECS["quote"]
    options = tuple(
        dataclasses.replace(option, required=True) if option.name == "context" else option
        for option in quote.options
    )
    monkeypatch.setitem(rules.SPECS, "quote", dataclasses.replace(quote, options=options))
    slim_project(tmp_path)
    body = ":::{quote}\n:speaker: lea-tramontin\nBla.\n:::\n"
    (tmp_path / "issues" / "2030-01.md").write_text(
        letter(body, number=1, date="2030-01"), encoding="utf-8"
    )
    expected = (
        "issues/2030-01.md",
        10,
        "missing-option",
        "quote : option obligatoire « :context: » absente ou vide ; ajoutez « :context: … » "
        "sous la ligne de la directive",
    )
    assert build_records(tmp_path) == {expected}
    project = Project(tmp_path)
    checker = Checker(project, display_root=tmp_path)
    assert check_records(checker.run(letter_files(project, []))) == {expected}
