"""Benchmark harness: the almanach build against the plain MyST floor.

For each size N (``--sizes``), both variants of the synthetic corpus
(:mod:`benchmarks.corpus`) are written into a temporary folder and each phase
is measured ``--runs`` times, the variants taking turns (the PDF's builds run side
by side, one core each):

* ``html_full``: a full HTML build into a fresh output folder;
* ``html_noop``: the same build again, nothing changed;
* ``html_incremental``: one sentence of a territory update edited in one
  letter, then a rebuild; the pages that show the update are checked (the
  letter; for almanach also the territory page);
* ``html_parallel``: a full HTML build with ``-j 2`` into a fresh folder;
* ``pdf``: ``-b latex`` into a fresh folder, then latexmk with lualatex
  (``python -m almanach.pdf.build`` for almanach, its ``compile_tex`` for the
  floor).

Every build is a ``sphinx-build`` subprocess with the Makefile's flags
(``-c docs -W --keep-going -n``, plus ``-q``): a warning fails the benchmark.
Its wall time and its peak resident set (``ru_maxrss`` from ``wait4``: the
largest of the process and the children it waited for) are recorded; a row
of the results is the median of the runs.

``python -m benchmarks.run`` prints the table and the targets, and writes
``build/bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import Corpus, build_corpus

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("html_full", "html_noop", "html_incremental", "html_parallel", "live_edit", "pdf")
VARIANTS = ("almanach", "plain")
DEFAULT_SIZES = (12, 60, 120)
DEFAULT_OUTPUT = ROOT / "build" / "bench" / "results.json"
#: Phases whose variants are built at the same time, one per core (this machine has
#: two): each is a single process (sphinx-build, then latexmk's lualatex), and these
#: are the longest builds — `make bench` stays under 15 minutes.
SIDE_BY_SIDE = ("pdf",)
#: The Makefile's flags (STRICT), quiet.
STRICT = ("-W", "--keep-going", "-n", "-q")
#: A problem in a build's output: Sphinx's English levels, almanach's French ones.
PROBLEM = re.compile(r"(?:^|: )(?:WARNING|ERROR|CRITICAL|erreur|avertissement): ", re.M)
#: The targets of issue 18, at the smallest and the largest size: (phase, what is
#: compared with the floor, at most).
TARGETS = (
    ("html_full", "seconds", 0.8),
    ("pdf", "seconds", 1.3),
    ("html_full", "peak_rss_mb", 1.25),
    ("html_incremental", "peak_rss_mb", 1.25),
    ("html_noop", "peak_rss_mb", 1.25),
    ("html_parallel", "peak_rss_mb", 1.5),
)
#: Edit-to-preview latency of make live, in seconds, at most: (size, limit).
LIVE_TARGETS = ((12, 0.8), (120, 1.5))


class BenchmarkError(Exception):
    """A build failed, warned, or produced wrong pages."""


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_rss_mb: float | None  # None: not measured (live_edit: a server's lifetime)


@dataclass
class Row:
    n: int
    phase: str
    variant: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_rss_mb(self) -> float | None:
        peaks = [s.peak_rss_mb for s in self.samples]
        return None if None in peaks else statistics.median(peaks)  # type: ignore[type-var]

    def as_json(self) -> dict:
        return {
            "n": self.n,
            "phase": self.phase,
            "variant": self.variant,
            "seconds": round(self.seconds, 3),
            "peak_rss_mb": _rounded(self.peak_rss_mb),
            "runs": len(self.samples),
            "samples": [
                {"seconds": round(s.seconds, 3), "peak_rss_mb": _rounded(s.peak_rss_mb)}
                for s in self.samples
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# -- running one command ---------------------------------------------------------------


def run_measured(command: Sequence[str], cwd: Path) -> Sample:
    """Run ``command``; its wall time and the peak resident set of its process tree.

    Fails on a non-zero exit or on a warning in its output.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    if process.returncode != 0 or PROBLEM.search(text):
        raise BenchmarkError(
            f"{' '.join(command)} (in {cwd}) failed with code {process.returncode}:\n"
            + text[-4000:]
        )
    return Sample(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def sphinx_build() -> list[str]:
    script = Path(sys.executable).parent / "sphinx-build"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sphinx"]


def sphinx(project: Path, builder: str, outdir: str, *extra: str) -> Sample:
    command = [*sphinx_build(), "-c", "docs", *STRICT, *extra, "-b", builder, "docs", outdir]
    return run_measured(command, project)


COMPILE_TEX = (
    "import sys; from pathlib import Path; from almanach.pdf.build import compile_tex; "
    "[compile_tex(Path(tex)) for tex in sys.argv[1:]]"
)


def pdf(project: Path, variant: str) -> Sample:
    """``-b latex`` into a fresh folder, then latexmk: the sum of both times, the larger peak."""
    build = project / "build"
    for folder in ("latex", "pdf"):
        shutil.rmtree(build / folder, ignore_errors=True)
    latex = sphinx(project, "latex", "build/latex")
    if variant == "almanach":
        command = [sys.executable, "-m", "almanach.pdf.build", "build"]
    else:
        sources = sorted(p.name for p in (build / "latex").glob("*.tex"))
        sources = [name for name in sources if not name.startswith(("sphinx", "python"))]
        command = [sys.executable, "-c", COMPILE_TEX, *(f"build/latex/{s}" for s in sources)]
    compiled = run_measured(command, project)
    return Sample(latex.seconds + compiled.seconds, max(latex.peak_rss_mb, compiled.peak_rss_mb))


# -- make live's builder ---------------------------------------------------------------------

#: How long the live builder may take to start (its first, full build) and to show an edit.
LIVE_START_TIMEOUT = 600.0
LIVE_EDIT_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveBuilder:
    """``make live``'s builder (the Makefile's options) serving one variant's
    project on the loopback, for the ``live_edit`` phase."""

    def __init__(self, project: Path, variant: str) -> None:
        self.project = project
        self.variant = variant
        self.log = project / "build" / "live.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        options = ["-c", "docs", "-n", "-q", "--host", "127.0.0.1", "--port", str(free_port())]
        options += ["--watch", "issues", "--watch", "references.bib"]
        if self.variant == "almanach":
            options += ["-D", "almanach_preview=1", "--ignore", "*/territoires/*.md"]
        # almanach's make live (sphinx-autobuild, each build forked from a warm
        # process: almanach.live); the floor's, plain sphinx-autobuild.
        tool = "almanach.live" if self.variant == "almanach" else "sphinx_autobuild"
        return [sys.executable, "-m", tool, *options, "docs", "build/live"]

    def __enter__(self) -> LiveBuilder:
        shutil.rmtree(self.project / "build" / "live", ignore_errors=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                self.command(), cwd=self.project, stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + LIVE_START_TIMEOUT
        while "Serving on" not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise BenchmarkError(f"{self.variant}: make live did not start:\n{self.output()}")
            time.sleep(0.1)
        time.sleep(1.0)  # the watcher armed
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""

    def shown(self, pages: Sequence[str], word: str, since: float) -> Sample:
        """Seconds from ``since`` until every page of ``pages`` holds ``word`` on disk."""
        html = self.project / "build" / "live"
        deadline = since + LIVE_EDIT_TIMEOUT
        waiting = list(pages)
        while waiting:
            path = html / waiting[0]
            try:
                if word in path.read_text("utf-8"):
                    waiting.pop(0)
                    continue
            except (OSError, UnicodeDecodeError):
                pass  # being written
            if time.monotonic() > deadline:
                log = self.output()[-3000:]
                missing = f"{self.variant}: {waiting[0]} never showed « {word} »"
                raise BenchmarkError(f"{missing}:\n{log}")
            time.sleep(0.005)
        return Sample(time.monotonic() - since, None)


# -- the phases ------------------------------------------------------------------------------


class Bench:
    """Measures the phases of one corpus."""

    def __init__(self, corpus: Corpus, variants: Sequence[str], log) -> None:
        self.corpus = corpus
        self.variants = variants
        self.log = log

    def project(self, variant: str) -> Path:
        return self.corpus.root / variant

    def full(self, variant: str, outdir: str = "build/html", *extra: str) -> Sample:
        shutil.rmtree(self.project(variant) / outdir, ignore_errors=True)
        return sphinx(self.project(variant), "html", outdir, *extra)

    def ensure_built(self, variant: str) -> None:
        if not (self.project(variant) / "build" / "html" / "index.html").exists():
            self.full(variant)

    def measure(self, phase: str, variant: str) -> Sample:
        if phase == "html_full":
            return self.full(variant)
        if phase == "html_parallel":
            return self.full(variant, "build/html-parallel", "-j", "2")
        if phase == "pdf":
            return pdf(self.project(variant), variant)
        self.ensure_built(variant)
        if phase == "html_noop":
            return sphinx(self.project(variant), "html", "build/html")
        if phase == "html_incremental":
            sample = sphinx(self.project(variant), "html", "build/html")
            self.check_incremental(variant)
            return sample
        raise ValueError(phase)

    def check_incremental(self, variant: str) -> None:
        """The edited sentence is on the pages that show the update (the letter; for
        almanach its territory's page), and the previous one on no page that did."""
        corpus = self.corpus
        word, previous = corpus.current_marker, corpus.previous_marker
        html = self.project(variant) / "build" / "html"
        showing = [f"{corpus.edited_letter.docname}.html"]
        if variant == "almanach":
            showing.append(f"territoires/{corpus.edited_update.territory}.html")
        stale = [*showing, "personnes.html", "citations.html"]
        for page in showing:
            if word not in (html / page).read_text("utf-8"):
                raise BenchmarkError(
                    f"{variant}: {page} does not show the edited update (« {word} »)"
                )
        for page in stale:
            path = html / page
            if path.exists() and previous in path.read_text("utf-8"):
                raise BenchmarkError(f"{variant}: {page} still shows « {previous} »")

    def pages_showing_edit(self, variant: str) -> list[str]:
        """The pages that show the edited update: its letter, and for almanach its
        territory's page."""
        pages = [f"{self.corpus.edited_letter.docname}.html"]
        if variant == "almanach":
            pages.append(f"territoires/{self.corpus.edited_update.territory}.html")
        return pages

    def live_edit(self, runs: int) -> list[Row]:
        """With make live's builder running, one sentence of one letter changed: the
        time until the rewritten pages are on disk. One variant at a time (each edit
        would otherwise start both builders at once on two cores)."""
        rows = []
        for variant in self.variants:
            row = Row(self.corpus.n, "live_edit", variant)
            with LiveBuilder(self.project(variant), variant) as live:
                for index in range(runs):
                    word = self.corpus.edit()
                    sample = live.shown(self.pages_showing_edit(variant), word, time.monotonic())
                    row.samples.append(sample)
                    self.log(
                        f"  N={self.corpus.n:<4} {'live_edit':<17} {variant:<9} "
                        f"run {index + 1}/{runs}: {sample.seconds:7.2f} s"
                    )
                    time.sleep(1.0)  # the builder settled before the next edit
            rows.append(row)
        return rows

    def run_phase(self, phase: str, runs: int) -> list[Row]:
        if phase == "live_edit":
            return self.live_edit(runs)
        rows = {variant: Row(self.corpus.n, phase, variant) for variant in self.variants}
        for index in range(runs):
            if phase == "html_incremental":
                self.corpus.edit()
            if phase in SIDE_BY_SIDE:
                # Both variants at once, one core each: each build is one process.
                with ThreadPoolExecutor(len(self.variants)) as pool:
                    samples = list(pool.map(lambda v: self.measure(phase, v), self.variants))
            else:  # in turns, so that drift hits both alike
                samples = [self.measure(phase, variant) for variant in self.variants]
            for variant, sample in zip(self.variants, samples, strict=True):
                rows[variant].samples.append(sample)
                self.log(
                    f"  N={self.corpus.n:<4} {phase:<17} {variant:<9} run {index + 1}/{runs}: "
                    f"{sample.seconds:7.2f} s {sample.peak_rss_mb:7.1f} MB"
                )
        return list(rows.values())


# -- report ------------------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: float | None, pattern: str) -> str:
    if value is None:
        width = re.match(r"\d*", pattern).group()
        return "—".rjust(int(width or 0))
    return format(value, pattern)


def table(rows: list[Row]) -> str:
    index = {(r.n, r.phase, r.variant): r for r in rows}
    keys = sorted({(r.n, PHASES.index(r.phase), r.phase) for r in rows})
    lines = [
        f"{'N':>4}  {'phase':<17} {'almanach s':>10} {'plain s':>9} {'ratio':>6}"
        f"  {'almanach MB':>11} {'plain MB':>9} {'ratio':>6}  runs",
        "-" * 88,
    ]
    for n, _, phase in keys:
        a, p = index.get((n, phase, "almanach")), index.get((n, phase, "plain"))
        a_s, p_s = (a.seconds if a else None), (p.seconds if p else None)
        a_m, p_m = (a.peak_rss_mb if a else None), (p.peak_rss_mb if p else None)
        runs = max(len(r.samples) for r in (a, p) if r)
        lines.append(
            f"{n:>4}  {phase:<17} {fmt(a_s, '10.2f')} {fmt(p_s, '9.2f')} "
            f"{fmt(ratio(a_s, p_s), '6.2f')}  {fmt(a_m, '11.1f')} {fmt(p_m, '9.1f')} "
            f"{fmt(ratio(a_m, p_m), '6.2f')}  {runs}"
        )
    return "\n".join(lines)


def targets(rows: list[Row]) -> str:
    """Each target of issue 18 at the smallest and the largest size: met, missed,
    or not measured."""
    if not rows:
        return ""
    index = {(r.n, r.phase, r.variant): r for r in rows}
    sizes = sorted({r.n for r in rows})
    lines = []
    for size in sorted({sizes[0], sizes[-1]}):
        lines.append(f"Targets at N = {size}:")
        for phase, what, limit in TARGETS:
            a, p = index.get((size, phase, "almanach")), index.get((size, phase, "plain"))
            value = ratio(getattr(a, what), getattr(p, what)) if a and p else None
            lines.append(_verdict(f"{phase} {what} almanach/plain", value, limit))
        limit = dict(LIVE_TARGETS).get(size)
        if limit is not None:
            live = index.get((size, "live_edit", "almanach"))
            value = live.seconds if live else None
            lines.append(_verdict("live_edit seconds (almanach)", value, limit, " s"))
    return "\n".join(lines)


def _verdict(label: str, value: float | None, limit: float | None, unit: str = "×") -> str:
    if value is None:
        return f"  {label}: not measured"
    if limit is None:
        return f"  {label}: {value:.2f}{unit}"
    state = "met" if value <= limit else "MISSED"
    return f"  {label}: {value:.2f}{unit} (target ≤ {limit}{unit}) {state}"


# -- command line --------------------------------------------------------------------------


def parse_list(text: str, allowed: Sequence[str] | None = None) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    if allowed is not None:
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(unknown)} (choose among {', '.join(allowed)})"
            )
    return items


def parse_pdf_runs(text: str) -> dict[int, int]:
    """``120:1,60:2``: fewer PDF runs at some sizes (recorded in each row's ``runs``)."""
    result = {}
    for item in parse_list(text):
        size, _, runs = item.partition(":")
        result[int(size)] = int(runs)
    return result


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        type=lambda t: [int(s) for s in parse_list(t)],
        default=list(DEFAULT_SIZES),
        help="numbers of letters, comma-separated (default: 12,60,120)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per row (default: 3)")
    parser.add_argument(
        "--phases",
        type=lambda t: parse_list(t, PHASES),
        default=list(PHASES),
        help=f"comma-separated, among {', '.join(PHASES)} (default: all)",
    )
    parser.add_argument(
        "--variants",
        type=lambda t: parse_list(t, VARIANTS),
        default=list(VARIANTS),
        help="almanach, plain or both (default: both)",
    )
    parser.add_argument(
        "--pdf-runs",
        type=parse_pdf_runs,
        default={},
        metavar="SIZE:RUNS,…",
        help="fewer PDF runs at some sizes, e.g. 120:1 (default: --runs everywhere)",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="where the JSON results go"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the corpora are written (default: a temporary folder, removed after)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the corpora and their builds")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="almanach-bench-"))
    rows: list[Row] = []
    try:
        for size in args.sizes:
            corpus = build_corpus(workdir / f"n{size:03d}", size)
            log(f"N={size}: corpus written to {corpus.root}")
            bench = Bench(corpus, args.variants, log)
            for phase in args.phases:
                runs = args.pdf_runs.get(size, args.runs) if phase == "pdf" else args.runs
                rows += bench.run_phase(phase, runs)
            if not args.keep:
                shutil.rmtree(corpus.root, ignore_errors=True)
    except BenchmarkError as error:
        log(f"benchmark failed: {error}")
        return 1
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    elapsed = time.perf_counter() - started
    sys.stdout.write(table(rows) + "\n\n" + targets(rows) + "\n\n")
    sys.stdout.write(f"Results: {args.output}\nTotal wall time: {elapsed:.0f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
