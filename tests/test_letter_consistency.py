"""Letters agree with themselves and with each other: the date and the file
name, the heading and the date, unique numbers in date order (drafts counted)
— the same message at the same line from the build and from ``almanach check``."""

from __future__ import annotations

import pytest

from helpers import build_project, run_check, slim_project, warning_lines

FRONT = (
    "---\nnumber: {number}\ndate: {date}\ntitle: Essai\nstatus: {status}\n---\n\n"
    "# {heading}\n\nTexte.\n"
)

#: file -> (number, date, status, heading)
LETTERS = {
    "2030-01.md": (1, "2030-01", "published", "Lettre n° 1 — janvier 2030"),
    "2030-02.md": (2, "2030-03", "published", "Lettre n° 2 — mars 2030"),
    "2030-04.md": (4, "2030-04", "published", "Lettre n° 5 — janvier 2030"),
    "2030-05.md": (4, "2030-05", "published", "Lettre n° 4 — mai 2030"),
    "2030-06.md": (7, "2030-06", "draft", "Lettre n° 7 — juin 2030"),
    "2030-07.md": (6, "2030-07", "published", "Lettre n° 6 — juillet 2030"),
}


#: file -> « line: message », in the order the build gives them
EXPECTED = {
    "2030-02.md": [
        "3: la date « 2030-03 » ne correspond pas au nom du fichier (2030-02.md) : corrigez la "
        "date ou renommez le fichier",
    ],
    "2030-04.md": [
        "8: le titre annonce « janvier 2030 » mais la date de la lettre est 2030-04 (avril 2030) "
        ": corrigez l’un ou l’autre",
        "8: le titre annonce la lettre n° 5 mais son numéro est 4 (« number: 4 ») : corrigez l’un "
        "ou l’autre",
        "2: la lettre n° 4 suit la lettre n° 2 (issues/2030-02.md) : il manque la lettre n° 3",
    ],
    "2030-05.md": ["2: numéro 4 déjà pris par issues/2030-04.md : chaque lettre a son numéro"],
    "2030-06.md": [
        "2: la lettre n° 7 suit la lettre n° 4 (issues/2030-04.md) : il manque les lettres n° 5 "
        "à 6",
    ],
    "2030-07.md": [
        "2: la lettre n° 6 (2030-07) est datée après la lettre n° 7 (issues/2030-06.md, 2030-06) "
        ": les numéros suivent les dates",
    ],
}
#: Messages of the numbering across letters (the others are the letter's own).
NUMBERING = ("déjà pris par", "suit la lettre", "datée après")


def kind(message: str) -> str:
    return "numbering" if any(words in message for words in NUMBERING) else "letter"


def level(message: str) -> str:
    return "erreur"  # the strict build stops on each


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    base = tmp_path_factory.mktemp("consistency")
    docs = slim_project(base)
    for name, (number, date, status, heading) in LETTERS.items():
        text = FRONT.format(number=number, date=date, status=status, heading=heading)
        (base / "issues" / name).write_text(text, encoding="utf-8")
    _app, warnings = build_project(base)
    report = run_check(base)
    return warning_lines(warnings, docs), report.stdout.splitlines()


@pytest.mark.parametrize("name", list(LETTERS))
def test_build_and_check_agree_on_each_letter(checked, name):
    build_lines, check_lines = checked
    expected = EXPECTED.get(name, [])
    stem = name.removesuffix(".md")
    mine = [line for line in build_lines if line.startswith(f"issues/{stem}.md:")]
    assert mine == [
        f"issues/{name}:{line.replace(': ', ': avertissement: ', 1)} [almanach.{kind(line)}]"
        for line in expected
    ]
    theirs = sorted(line for line in check_lines if line.startswith(f"issues/{name}:"))
    assert theirs == sorted(
        f"issues/{name}:{line.replace(': ', f': {level(line)}: ', 1)} [almanach.{kind(line)}]"
        for line in expected
    )
