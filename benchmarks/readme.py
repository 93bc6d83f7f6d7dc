"""The README's benchmark table, written from a run's ``results.json``, never typed.

``python -m benchmarks.readme [results.json] [README.md]`` (``make bench`` runs it
after measuring) replaces what stands between the README's two markers with the
table of the run, and copies the run to ``benchmarks/results.json`` (the run the
README shows, kept with the repository: ``tests/test_benchmarks.py`` checks that
the table is the one this file gives).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
KEPT = ROOT / "benchmarks" / "results.json"
START = "<!-- bench:start (written by python -m benchmarks.readme) -->"
END = "<!-- bench:end -->"
PHASES = ("html_full", "html_noop", "html_incremental", "html_parallel", "live_edit", "pdf")


def number(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def markdown_table(rows: list[dict]) -> str:
    """One line per size and phase: almanach and the floor side by side."""
    index = {(row["n"], row["phase"], row["variant"]): row for row in rows}
    keys = sorted(
        {(row["n"], row["phase"]) for row in rows},
        key=lambda key: (key[0], PHASES.index(key[1]) if key[1] in PHASES else len(PHASES)),
    )
    lines = [
        "| N | phase | almanach s | plain s | ratio | almanach MB | plain MB | ratio | runs |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, phase in keys:
        a, p = index.get((n, phase, "almanach"), {}), index.get((n, phase, "plain"), {})
        a_s, p_s = a.get("seconds"), p.get("seconds")
        a_m, p_m = a.get("peak_rss_mb"), p.get("peak_rss_mb")
        runs = a.get("runs") or p.get("runs") or 0
        lines.append(
            f"| {n} | {phase} | {number(a_s, 2)} | {number(p_s, 2)} | "
            f"{number(ratio(a_s, p_s), 2)} | {number(a_m, 1)} | {number(p_m, 1)} | "
            f"{number(ratio(a_m, p_m), 2)} | {runs} |"
        )
    return "\n".join(lines)


def with_table(readme: str, rows: list[dict]) -> str:
    """``readme`` with the table between its markers replaced."""
    if START not in readme or END not in readme:
        raise ValueError(f"the README has no « {START} » … « {END} » section")
    head, rest = readme.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{markdown_table(rows)}\n{END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    results = Path(argv[0]) if argv else ROOT / "build" / "bench" / "results.json"
    readme = Path(argv[1]) if len(argv) > 1 else README
    rows = json.loads(results.read_text("utf-8"))
    readme.write_text(with_table(readme.read_text("utf-8"), rows), encoding="utf-8")
    if readme.resolve() == README.resolve() and results.resolve() != KEPT.resolve():
        shutil.copy2(results, KEPT)
    sys.stdout.write(f"{readme}: table written from {results}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
