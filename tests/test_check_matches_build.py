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

from almanach.rules import directives as rules
from almanach.tools.checker import Checker, letter_files
from almanach.tools.project import Project
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
    "heading-jump": "### Trop profond\n\nTexte.\n",
    "footnote-never-written": "Une note[^1] appelée.\n",
    "footnote-never-called": "Texte.\n\n[^2]: Une note jamais appelée.\n",
    "image-not-there": "![Une photo](absente.png)\n",
    "link-to-no-page": "Voir [ailleurs](autre.md) et [la lettre](2099-01.md).\n",
    "link-to-no-anchor": "## Une partie\n\nVoir [plus haut](#une-partie) et [ici](#nulle-part).\n",
    "citation-unknown-key": "Voir {cite:p}`cle-inconnue`.\n",
    "role-on-a-later-line": (
        "Sur plusieurs lignes\navec {organisation}`X <pas-connue>` puis\n"
        "{person}`w <inconnu-w>`.\n\n- un\n- deux\n  {territory}`lome`\n\n> cité\n> "
        "{event}`evt-x`\n"
    ),
    "role-in-an-option": (
        ":::{quote}\n:speaker: lea-tramontin\n:context: dit à {person}`X "
        "<inconnu-ctx>`\nBla.\n:::\n"
    ),
    "role-in-a-subtitle": "::::{rubrique} edito\n:subtitle: Avec "
    "{person}`lea-tramontin`\nTexte.\n::::\n",
    "mention-without-id": "Avec {person}`Léa <>`.\n",
    "option-twice": ":::{quote}\n:speaker: lea-tramontin\n:speaker: jacques-fradin\nBla.\n:::\n",
    "text-after-the-directive-name": ":::{quote} Jacques au micro\n:speaker: "
    "jacques-fradin\nBla.\n:::\n",
    "resource-with-a-bad-id": (
        ":::{resource} Mauvais_Id\n:title: Un guide\n:kind: document\n:pending:\n:::\n\n"
        "Voir {resource}`Mauvais_Id`.\n"
    ),
    "empty-quote": ":::{quote}\n:::\n",
    "option-after-a-non-breaking-space": ":::{quote}\n:speaker:\u00a0lea-tramontin\n\nBla.\n:::\n",
    "option-after-a-tab": ":::{quote}\n:speaker:\tjacques-fradin\nBla.\n:::\n",
    "unreadable-option-block": ":::{quote}\n---\nspeaker: lea-tramontin\n\nBla.\n:::\n",
    "rule-at-the-end": "Texte.\n\n---\n",
    "rule-after-a-heading": "## Partie\n\n---\n\nTexte.\n",
    "footnote-written-twice": "Texte[^1].\n\n[^1]: Première.\n\n[^1]: Seconde.\n",
    "table-with-uneven-rows": "```{list-table}\n* - a\n  - b\n* - c\n```\n",
    "image-option-value": "```{image} absente.png\n:alt: A\n:align: centre\n```\n",
    "quote-in-a-rubrique": (
        "::::{rubrique} edito\n:::{quote}\n:speaker: jean-inconnu\n\nBla.\n:::\n::::\n"
    ),
    "braceless-directive": ":::quote\n:speaker: "
    "lea-tramontin\nBla.\n:::\n\n::::{rubrique}edito\nTexte.\n::::\n",
    "heading-after-a-non-breaking-space": "##\u00a0Rencontres\n\nTexte.\n",
    "underlined-heading": "Un paragraphe.\n---\n\nTexte.\n===\n",
    "address-with-a-space": "![Atelier](mon atelier.png) et [le "
    "guide](https://exemple.fr/mon guide.pdf).\n",
    "hash-in-an-option": (
        ":::{resource} guide-diese\n:title: Le guide #2 pour tous\n:kind: "
        "document\n:pending:\n:::\n"
    ),
    "list-in-a-sentence": (
        "La consommation a baissé de\n- 30 % en un an.\n\nAu programme :\n- un atelier\n"
        "- une visite\n"
    ),
    "option-on-two-lines": (
        ":::{resource} guide-long\n:title: Un guide\n  sur deux lignes\n:kind: document\n"
        ":pending:\n:::\n"
    ),
    # written whole below
    "french-status-key": None,
    "heading-month": None,
    "status-twice": None,
    "front-matter-never-closed": None,
    "comment-in-the-front-matter": None,
    "number-with-a-zero": None,
    "empty-letter": None,
    "blank-letter": None,
    "no-heading": None,
}
#: Mistakes that are read as the editor meant them, without a word: a tab or a
#: non-breaking space after an option's name, a « # » in an option's value.
READ_AS_WRITTEN = {
    "option-after-a-non-breaking-space": "Léa Tramontin",
    "option-after-a-tab": "Jacques Fradin",
    "hash-in-an-option": "Le guide #2 pour tous",
}
WHOLE = {
    "empty-letter": "",
    "blank-letter": "  \n\n\t\n",
    "no-heading": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatus: published\n---\n\n"
        "::::{{rubrique}} edito\nTexte.\n::::\n"
    ),
    "status-twice": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatus: draft\nstatus: published\n"
        "---\n\n# Essai\n"
    ),
    "front-matter-never-closed": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatus: published\n\n# Essai\n"
    ),
    "comment-in-the-front-matter": (
        "---\nnumber: {number}\ndate: {date}\ntitle: Coopérer #ensemble\nstatus: published\n---\n"
        "\n# Essai\n"
    ),
    "number-with-a-zero": (
        "---\nnumber: 0{number}\ndate: {date}\ntitle: Essai\nstatus: published\n---\n\n# Essai\n"
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


def build_records(base: Path, **options) -> set[tuple[str, int, str, str]]:
    """(file, line, kind, message) of every problem the build reports."""
    _app, warnings = build_project(base, **options)
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
        and finding.level != "note"  # a draft's guess to review: almanach check lists it
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
    if case in READ_AS_WRITTEN:
        assert mine_built == mine_checked == []
    else:
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
        f"{item['path']}:{item['line']}: {levels[item['level']]}: {item['message']} "
        f"[almanach.{item['code']}]"
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


RESOURCE = ":::{{resource}} guide-commun\n:title: {title}\n:kind: document\n:pending:\n:::\n"


def test_a_resource_declared_twice_is_said_at_the_later_letter_however_built(tmp_path):
    """Serial, parallel (the letters read by different processes) and incremental
    (only the earlier letter read again) builds blame the same letter as check."""
    slim_project(tmp_path)
    issues = tmp_path / "issues"
    for index, month in enumerate(("2021-11", "2021-12", "2022-01", "2022-02")):
        body = RESOURCE.format(title=f"Guide {month}") if month >= "2022-01" else "Texte.\n"
        (issues / f"{month}.md").write_text(
            letter(body, number=index + 1, date=month), encoding="utf-8"
        )
    project = Project(tmp_path)
    checked = check_records(Checker(project, display_root=tmp_path).run(letter_files(project, [])))
    assert checked == {
        (
            "issues/2022-02.md",
            10,
            "duplicate-id",
            "ressource « guide-commun » déjà déclarée dans issues/2022-01.md (ligne 10) ; "
            "citez-la avec {resource}`guide-commun` au lieu de la redéclarer, ou changez "
            "d’identifiant",
        )
    }
    assert build_records(tmp_path, parallel=2) == checked
    # The earlier letter 2021-12 now declares it too: read alone, it is the first.
    (issues / "2021-12.md").write_text(
        letter(RESOURCE.format(title="Guide 2021-12"), number=2, date="2021-12"),
        encoding="utf-8",
    )
    checked = check_records(Checker(project, display_root=tmp_path).run(letter_files(project, [])))
    assert {record[0] for record in checked} == {"issues/2022-01.md", "issues/2022-02.md"}
    assert build_records(tmp_path) == checked


def test_links_between_letters_and_to_pages_lead_there(tmp_path):
    """A letter links to another letter and to a territory's page (relative or
    from the site's folder): no message, and the links lead there."""
    slim_project(tmp_path)
    issues = tmp_path / "issues"
    (issues / "2030-01.md").write_text(
        letter("## Une partie\n\nTexte.\n", number=1, date="2030-01"), encoding="utf-8"
    )
    body = (
        "Voir [la lettre 1](2030-01.md#une-partie), [Lomme](../territoires/lomme.md) et "
        "[Faverges](/territoires/faverges.md).\n"
    )
    (issues / "2030-02.md").write_text(letter(body, number=2, date="2030-02"), encoding="utf-8")
    assert build_records(tmp_path) == set()
    project = Project(tmp_path)
    assert (
        check_records(Checker(project, display_root=tmp_path).run(letter_files(project, [])))
        == set()
    )
    html = (tmp_path / "build" / "html" / "lettres" / "2030-02.html").read_text("utf-8")
    for href in (
        "2030-01.html#une-partie",
        "../territoires/lomme.html",
        "../territoires/faverges.html",
    ):
        assert f'href="{href}"' in html


@pytest.mark.parametrize("case", list(READ_AS_WRITTEN))
def test_what_is_read_as_written_is_published_as_written(both, project, case):
    html = (project / "build" / "html" / "lettres" / f"{case}.html").read_text("utf-8")
    assert READ_AS_WRITTEN[case] in html


GUESSED = (
    "::::{{rubrique}} en-pratique\n% à revoir : titre deviné d’après « le guide est ici »\n\n"
    ":::{{resource}} guide-{month}\n:title: Le guide\n:kind: document\n"
    ":url: https://example.org/guide-{month}\n:::\n::::\n"
)


def test_guesses_to_review_are_said_alike_by_the_preview_build_and_check(tmp_path):
    """The importer's « % à revoir » lines: the same errors in a letter in review
    or published, from the preview build (which holds every letter) and from
    check; a draft's are check's notes only."""
    slim_project(tmp_path)
    for number, status in enumerate(("draft", "review", "published"), 1):
        month = f"2030-{number:02d}"
        text = letter(GUESSED.format(month=month), number=number, date=month)
        text = text.replace("status: published", f"status: {status}")
        text = text.replace("---\n\n# Essai", "---\n% À revoir : résumé deviné\n\n# Essai")
        (tmp_path / "issues" / f"{month}.md").write_text(text, encoding="utf-8")
    built = build_records(tmp_path, confoverrides={"almanach_preview": True})
    project = Project(tmp_path)
    findings = Checker(project, display_root=tmp_path).run(letter_files(project, []))
    assert built == check_records(findings)
    assert sorted((path, line, kind) for path, line, kind, _message in built) == [
        ("issues/2030-02.md", 7, "guess"),
        ("issues/2030-02.md", 12, "guess"),
        ("issues/2030-03.md", 7, "guess"),
        ("issues/2030-03.md", 12, "guess"),
    ]
    assert sorted((f.path, f.line, f.level) for f in findings if f.level == "note") == [
        ("issues/2030-01.md", 7, "note"),
        ("issues/2030-01.md", 12, "note"),
    ]
