"""The benchmark corpus and harness (benchmarks/): fast checks, no timing asserted.

The generator writes N letters with the December letter's density, both
variants build without a warning, and a tiny run writes results of the
documented shape.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from benchmarks import corpus as bench_corpus
from benchmarks import dense
from benchmarks import run as bench_run
from benchmarks.letters import Registries, render_almanach

ROOT = Path(__file__).resolve().parent.parent

PHASES = {"html_full", "html_noop", "html_incremental", "html_parallel", "live_edit", "pdf"}


@pytest.fixture(scope="module")
def registries() -> Registries:
    return dense.make_registries()


def test_letters_have_the_december_density(registries):
    december = bench_corpus.density(bench_corpus.DECEMBER.read_text("utf-8"))
    letters = dense.make_letters(12, registries)
    assert len(letters) == 12
    assert len({letter.date for letter in letters}) == 12
    for letter in letters:
        found = bench_corpus.density(render_almanach(letter))
        for directive in bench_corpus.DIRECTIVES:
            assert found[directive] == december[directive], (letter.date, directive)
        for measure in ("mentions", "words"):
            assert abs(found[measure] - december[measure]) <= 0.15 * december[measure], (
                letter.date,
                measure,
                found[measure],
                december[measure],
            )


def test_registries_have_ten_pilots_and_their_people(registries):
    assert len(registries.pilots) == 10
    for territory in registries.pilots:
        assert len(registries.people_of(territory)) == dense.PEOPLE_PER_TERRITORY
    real = ROOT / "docs" / "registres" / "rubriques.yaml"
    assert list(registries.rubriques) == list(yaml.safe_load(real.read_text("utf-8")))


def test_letters_do_not_depend_on_the_corpus_size(registries):
    small = dense.make_letters(3, registries)
    large = dense.make_letters(5, registries)
    assert [render_almanach(letter) for letter in small] == [
        render_almanach(letter) for letter in large[:3]
    ]


def test_plain_letters_have_the_same_words_and_no_custom_syntax(registries):
    letters = dense.make_letters(2, registries)
    resources = {key: r for letter in letters for key, r in letter.resources.items()}
    renderer = bench_corpus.PlainRenderer(registries, resources)
    for letter in letters:
        plain = renderer.letter(letter)
        assert "{" not in plain.replace("{cite:p}", "")  # no directive, no almanach role
        for update in letter.updates:
            assert update.marker in plain
        assert plain.count("\n## ") == len(letter.rubriques)
        assert plain.count("\n> — ") == 3  # the quotations, as block quotes
        assert len(re.findall(r"\]\(https://", plain)) >= 3  # resources with their links


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A tiny run of the harness (2 letters, one run, the HTML phases but -j 2)."""
    folder = tmp_path_factory.mktemp("bench")
    output = folder / "results.json"
    code = bench_run.main(
        [
            "--sizes",
            "2",
            "--runs",
            "1",
            "--phases",
            "html_full,html_noop,html_incremental,live_edit",
            "--output",
            str(output),
            "--workdir",
            str(folder / "work"),
            "--keep",
        ]
    )
    return code, output, folder / "work" / "n002"


def test_both_variants_build_without_warnings(tiny_run):
    # Every build runs with -W and the harness fails on any problem in its output.
    code, _, work = tiny_run
    assert code == 0
    for variant in ("almanach", "plain"):
        html = work / variant / "build" / "html"
        assert (html / "lettres" / "2022-01.html").is_file()
        assert (html / "lettres" / "2022-02.html").is_file()
    territory_pages = sorted((work / "almanach" / "build" / "html" / "territoires").glob("*.html"))
    assert len(territory_pages) == 11  # the ten pilots and the index


def test_live_edit_waits_for_the_edited_pages_of_make_live(tiny_run):
    """The live phase measured make live's own builder: its pages hold the last
    edit (the letter, and for almanach the territory's page)."""
    _, _, work = tiny_run
    for variant, page in (
        ("almanach", "territoires/territoire-01.html"),
        ("almanach", "lettres/2022-01.html"),
        ("plain", "lettres/2022-01.html"),
    ):
        live = work / variant / "build" / "live" / page
        assert re.search(r"retouche001n\d+z", live.read_text("utf-8")), (variant, page)
    assert "Serving on" in (work / "almanach" / "build" / "live.log").read_text("utf-8")


def test_incremental_edit_reaches_the_gathered_pages(tiny_run):
    _, _, work = tiny_run
    page = work / "almanach" / "build" / "html" / "territoires" / "territoire-01.html"
    assert "retouche001n1z" in page.read_text("utf-8")
    assert "jalon001x0" not in page.read_text("utf-8")


def test_results_have_the_documented_shape(tiny_run):
    _, output, _ = tiny_run
    rows = json.loads(output.read_text("utf-8"))
    assert {(row["phase"], row["variant"]) for row in rows} == {
        (phase, variant)
        for phase in ("html_full", "html_noop", "html_incremental", "live_edit")
        for variant in ("almanach", "plain")
    }
    for row in rows:
        assert row["n"] == 2
        assert row["phase"] in PHASES
        assert row["variant"] in {"almanach", "plain"}
        assert isinstance(row["seconds"], float) and row["seconds"] > 0
        if row["phase"] == "live_edit":  # a server's memory is not measured
            assert row["peak_rss_mb"] is None
        else:
            assert isinstance(row["peak_rss_mb"], float) and row["peak_rss_mb"] > 10
        assert row["runs"] == len(row["samples"]) == 1


@pytest.mark.pdf
def test_pdf_phase_builds_both_variants_side_by_side(tmp_path):
    output = tmp_path / "results.json"
    args = ["--sizes", "2", "--runs", "1", "--phases", "pdf", "--output", str(output)]
    code = bench_run.main([*args, "--workdir", str(tmp_path / "work"), "--keep"])
    assert code == 0
    rows = json.loads(output.read_text("utf-8"))
    assert {(row["phase"], row["variant"], row["runs"]) for row in rows} == {
        ("pdf", "almanach", 1),
        ("pdf", "plain", 1),
    }
    work = tmp_path / "work" / "n002"
    assert (work / "almanach" / "build" / "pdf" / "territoires-pilotes.pdf").is_file()
    assert (work / "plain" / "build" / "latex" / "territoires-pilotes.pdf").is_file()


def test_the_readme_table_is_the_kept_run(tmp_path):
    """The README's table is written from benchmarks/results.json (the run it
    shows), by benchmarks/readme.py: never typed."""
    from benchmarks import readme

    rows = json.loads((ROOT / "benchmarks" / "results.json").read_text("utf-8"))
    text = (ROOT / "README.md").read_text("utf-8")
    assert readme.with_table(text, rows) == text
    phases = {row["phase"] for row in rows}
    assert phases == set(readme.PHASES)
    assert {row["n"] for row in rows} == {12, 60, 120}
    # Written again from other results, the table changes between the markers only.
    other = [{**row, "seconds": row["seconds"] + 1} for row in rows]
    rewritten = readme.with_table(text, other)
    before, after = text.split(readme.START)[0], text.split(readme.END)[1]
    assert rewritten.startswith(before) and rewritten.endswith(after)
    assert rewritten != text
