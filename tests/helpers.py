"""Helpers shared by the tests: project copies, builds, word comparison."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "newsletter-2021-12.txt"

#: What a copy of the project needs to build: the site, the letters, the bibliography.
PROJECT_PARTS = ("docs", "issues", "references.bib")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str) -> str:
    """The path of a command the test needs: a failure in CI, a visible skip elsewhere."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (run `make` to install the system packages)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def copy_project(destination: Path) -> Path:
    """Copy the real project into ``destination``; return its ``docs`` folder."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, symlinks=True)
        else:
            shutil.copy2(source, destination / part)
    return destination / "docs"


def build(
    srcdir: Path,
    builder: str = "html",
    builddir: Path | None = None,
    *,
    parallel: int = 0,
    confoverrides: dict | None = None,
    freshenv: bool = False,
    numbering: bool = False,
) -> tuple[SphinxTestApp, str]:
    """Build ``srcdir`` as the Makefile does (nitpicky); return the app and its warnings."""
    warnings = StringIO()
    overrides = {"nitpicky": True, **(confoverrides or {})}
    if not numbering:
        # The tests' letters share numbers and dates; their numbering is what
        # only tests/test_letter_consistency.py looks at.
        overrides["suppress_warnings"] = [
            *overrides.get("suppress_warnings", []),
            "almanach.numbering",
        ]
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=builddir or srcdir.parent / "build",
        confoverrides=overrides,
        warning=warnings,
        parallel=parallel,
        freshenv=freshenv,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app, warnings.getvalue()


def compile_pdf(builddir: Path) -> None:
    """Compile ``builddir/latex`` into ``builddir/pdf`` as ``make pdf`` does."""
    result = subprocess.run(
        [sys.executable, "-m", "almanach.pdf.build", str(builddir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def goto_targets(page) -> list[str]:
    """The named destinations the internal links of a PDF page (pypdf) go to."""
    targets = []
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        action = annotation.get("/A")
        if annotation.get("/Subtype") == "/Link" and action and action.get("/S") == "/GoTo":
            targets.append(str(action["/D"]))
    return targets


def strip_emoji(text: str) -> str:
    """Drop emoji and their joiners/selectors, which plain-text extraction loses."""
    return "".join(
        char
        for char in text
        if unicodedata.category(char) != "So" and char not in "\ufe0f\ufe0e\u200d"
    )


#: A word with its inner apostrophes and hyphens (« c’est », « l'idée », « Puy-de-Dôme »),
#: or one of the typographic marks the letters must keep.
TOKEN = re.compile(r"\w+(?:[’'\-.@]\w+)*|[«»“”…]")


def chunks(text: str, *, apostrophes_alike: bool = False) -> list[str]:
    """The words and typographic marks of ``text``, emoji and plain punctuation aside.

    Exact otherwise: ’ and ' differ, « » “ ” … count as tokens — unless
    ``apostrophes_alike`` (the site's French typography writes ' as ’).
    """
    text = unicodedata.normalize("NFC", text)
    if apostrophes_alike:
        text = text.replace("’", "'")
    return TOKEN.findall(strip_emoji(text))


def first_missing(expected: list[str], actual: list[str]) -> int | None:
    """Index of the first expected item that is not found, in order, in ``actual``.

    Greedy earliest matching decides exactly whether ``expected`` is a
    subsequence of ``actual``.
    """
    position = 0
    for index, item in enumerate(expected):
        try:
            position = actual.index(item, position) + 1
        except ValueError:
            return index
    return None


def words(text: str) -> list[str]:
    """Lower-case words (letters and digits), for PDF text where hyphenation and
    ligatures change the surface."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"-\n\s*", "", text)  # words broken at the end of a line
    return re.findall(r"\w+", text.lower())


def lcs_length(expected: list[str], actual: list[str]) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    masks: dict[str, int] = {}
    for index, item in enumerate(expected):
        masks[item] = masks.get(item, 0) | (1 << index)
    full = (1 << len(expected)) - 1
    row = full
    for item in actual:
        matches = row & masks.get(item, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(expected) - bin(row).count("1")


def in_order_ratio(expected: list[str], actual: list[str]) -> float:
    """Share of ``expected`` found in ``actual`` in the same order."""
    return lcs_length(expected, actual) / len(expected)


#: The end of every refusal of the contribution policy, as a build prints it.
POLICY = " (règle de contribution) [almanach.policy]"
#: The lists that refusals of a directive or a role end with (the allowlist of
#: SECURITY.md, written here by hand: changing the allowlist changes the tests).
ALLOWED_DIRECTIVES = (
    " ; directives possibles : « figure », « image », « important », « list-table », « note », "
    "« quote », « resource », « rubrique », « territory-update », « tip », « warning »"
)
ALLOWED_ROLES = (
    " ; rôles possibles : « abbr », « cite:author », « cite:p », « cite:ps », « cite:t », "
    "« cite:ts », « cite:year », « event », « organisation », « person », « resource », "
    "« sub », « sup », « territory »"
)

FRONT_MATTER = "---\nnumber: {number}\ndate: {date}\ntitle: {title}\nstatus: published\n---\n\n"


def letter(body: str, number: int = 90, date: str = "2030-01", title: str = "Essai") -> str:
    """A letter with valid front matter around ``body`` (a heading is added)."""
    return FRONT_MATTER.format(number=number, date=date, title=title) + f"# {title}\n\n{body}"


#: Stands for the editors' guide in the site projects: its examples are built by
#: the tests of the real project and by tests/test_rendering.py, as letters.
GUIDE_STUB = "# Guide de rédaction\n\nLe guide des éditeurs n’entre pas dans ce projet d’essai.\n"


def site_project(base: Path) -> Path:
    """The real site without its letters and without the editors' guide (a short
    page stands for it): the configuration, the registries, the bibliography and
    every page that gathers the letters' content. Returns its ``docs`` folder."""
    base.mkdir(parents=True, exist_ok=True)
    docs = base / "docs"
    shutil.copytree(
        ROOT / "docs", docs, symlinks=True, ignore=shutil.ignore_patterns("guide", "__pycache__")
    )
    (docs / "guide").mkdir()
    (docs / "guide" / "index.md").write_text(GUIDE_STUB, encoding="utf-8")
    shutil.copy2(ROOT / "references.bib", base / "references.bib")
    (base / "issues").mkdir()
    return docs


def project_with_letters(base: Path, letters: dict[str, str], keep_real: bool = False) -> Path:
    """The site project (:func:`site_project`) whose letters are ``letters`` (name
    -> MyST source), after the real ones if ``keep_real``; returns its ``docs``."""
    srcdir = site_project(base)
    if keep_real:
        for path in (ROOT / "issues").glob("*.md"):
            shutil.copy2(path, base / "issues" / path.name)
    for name, text in letters.items():
        (base / "issues" / name).write_text(text, encoding="utf-8")
    return srcdir


def slim_project(base: Path) -> Path:
    """The site's configuration and registries, without the site's pages or
    letters: quick to build. Laid out as the project is (letters in ``issues/``,
    read through the ``docs/lettres`` link); returns its ``docs`` folder."""
    docs = base / "docs"
    shutil.copytree(ROOT / "docs" / "registres", docs / "registres")
    shutil.copytree(ROOT / "docs" / "_static", docs / "_static")
    shutil.copy2(ROOT / "docs" / "conf.py", docs / "conf.py")
    shutil.copy2(ROOT / "references.bib", base / "references.bib")
    (base / "issues").mkdir()
    (docs / "lettres").symlink_to(Path("..") / "issues")
    (docs / "index.md").write_text(
        "# Essai\n\n```{toctree}\n:glob:\n\nlettres/*\nterritoires/*\n```\n", encoding="utf-8"
    )
    return docs


def warning_lines(warnings: str, srcdir: Path) -> list[str]:
    """Warnings one per line, with paths relative to the project (the folder of
    the source folder): ``issues/2021-12.md``, ``docs/registres/…``."""
    prefix = str(srcdir.parent) + "/"
    return [
        strip_colors(line).replace(prefix, "") for line in warnings.splitlines() if line.strip()
    ]


def build_project(
    base: Path, confoverrides: dict | None = None, **options
) -> tuple[SphinxTestApp, str]:
    """Build the project ``base`` (its ``docs`` folder) from its root, as ``make``
    does: paths in messages are then shown from there, as ``almanach check``
    shows them. Every letter's numbering is checked. ``confoverrides``: more
    settings (``{"almanach_preview": True}``: drafts and letters in review too)."""
    cwd = os.getcwd()
    os.chdir(base)
    try:
        return build(
            base / "docs",
            "html",
            base / "build",
            confoverrides={"suppress_warnings": ["toc.not_included"], **(confoverrides or {})},
            numbering=True,
            **options,
        )
    finally:
        os.chdir(cwd)


def run_check(base: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``almanach check`` run in the project ``base``."""
    return subprocess.run(
        [sys.executable, "-m", "almanach.cli", "check", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=base,
    )


if TYPE_CHECKING:
    from pypdf import PdfReader


# -- reading a PDF ---------------------------------------------------------------------


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def page_text(pdf: Path, first: int, last: int | None = None, layout: bool = False) -> str:
    """Text of pages ``first``..``last`` (1-based), as pdftotext gives it."""
    pdftotext = require_tool("pdftotext")
    last = last or first
    command = [pdftotext, *(["-layout"] if layout else []), "-f", str(first), "-l", str(last)]
    command += [str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def render_page(pdf: Path, page: int, target: Path) -> Path:
    """One page as a PNG (``target`` without suffix), for a human to look at."""
    pdftoppm = require_tool("pdftoppm")
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [pdftoppm, "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(pdf), str(target)], check=True)
    return target.with_suffix(".png")


def colour_images(pdf: Path, page: int) -> int:
    """Colour images on a page (colour emoji are embedded as RGB images)."""
    pdfimages = require_tool("pdfimages")
    command = [pdfimages, "-list", "-f", str(page), "-l", str(page), str(pdf)]
    lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return sum(1 for line in lines.splitlines()[2:] if line.split()[5] == "rgb")


def letter_pages(reader: PdfReader, title: str) -> tuple[int, int]:
    """First and last page (1-based) of the chapter titled ``title``."""
    entries = outline(reader)
    index = next(i for i, entry in enumerate(entries) if entry[1] == title)
    depth, _title, start = entries[index]
    following = [page for d, _t, page in entries[index + 1 :] if d <= depth]
    end = (following[0] if following else len(reader.pages)) - 1
    return start + 1, max(start, end) + 1
