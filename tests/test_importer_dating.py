"""The date of an imported letter: what the letter says, with the archive;
no date rather than an invented one."""

from __future__ import annotations

import pytest

from almanach.tools.importer.dating import infer_date, next_month

SEED_WORDS = "Nous vous souhaitons de bonnes fêtes de fin d’année !"


@pytest.mark.parametrize(
    ("text", "latest", "date", "how"),
    [
        ("Voici la lettre de janvier, bonne année 2022 !", None, "2022-01", "« bonne année 2022 »"),
        ("Voici la lettre de janvier.", "2021-12", "2022-01", "(2021-12)"),
        # A month without a letter (the summer): the first such month from the next on.
        ("La newsletter d’octobre 2022.", "2022-07", "2022-10", "« newsletter d’octobre 2022 »"),
        ("LA LETTRE DE FÉVRIER ➡️", "2022-01", "2022-02", "« LETTRE DE FÉVRIER »"),
        ("Voici la lettre de mars.", "2021-12", "2022-03", "lettre de mars"),
        (SEED_WORDS, "2021-11", "2021-12", "« fêtes de fin d’année »"),
        ("Bonne année 2022 !", "2021-12", "2022-01", "« Bonne année 2022 »"),
        # Nothing in the letter: the archive alone, said to be checked.
        ("Bonjour.", "2021-12", "2022-01", "l’archive seule"),
        ("Bonjour.", "2022-12", "2023-01", "vérifiez"),
    ],
)
def test_dates_inferred(text, latest, date, how):
    dating = infer_date(text, latest)
    assert dating.date == date, dating
    assert how in dating.how


@pytest.mark.parametrize(
    ("text", "latest", "problem"),
    [
        ("Bonjour.", None, "ne dit pas de quel mois"),
        ("Voici la lettre de janvier.", None, "pas son année"),
        (SEED_WORDS, "2021-12", "ne s’accorde pas"),  # December again, January expected
        ("La lettre de janvier, puis la lettre de février.", "2021-12", "se contredit"),
        ("La lettre de mars 2022. Bonne année 2022 !", None, "se contredit"),
        ("Bonne année 2022 !", None, "laisse le choix entre 2021-12 et 2022-01"),
    ],
)
def test_no_date_rather_than_a_guess(text, latest, problem):
    dating = infer_date(text, latest)
    assert dating.date is None
    assert problem in dating.problem


def test_next_month():
    assert next_month("2021-12") == "2022-01"
    assert next_month("2022-01") == "2022-02"
