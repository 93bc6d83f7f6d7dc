"""Compile the LaTeX output of Sphinx into the PDF compendium, and check it.

``python -m almanach.pdf.build BUILDDIR`` runs latexmk (with lualatex, as set
up by Sphinx's ``latexmkrc``) on every ``.tex`` document of ``BUILDDIR/latex``,
refuses a PDF whose log reports a missing glyph, copies the PDF into
``BUILDDIR/pdf`` (and into ``BUILDDIR/html`` when the site is there, so that
the published site ships it) and prints where it is, its page count and the
number of overfull boxes (with where the first ones are, to fix them). Messages
are in French: editors read them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MISSING_CHARACTER = re.compile(
    r"^Missing character: There is no (?P<char>.+?) \(U\+(?P<code>[0-9A-F]+)\) in font .*$",
    re.MULTILINE,
)
#: Characters with nothing to draw: the joiner of an emoji sequence the emoji
#: font does not know (its parts are drawn one by one, as phones show them).
NOTHING_TO_DRAW = frozenset({"200D"})
OVERFULL_BOX = re.compile(r"^Overfull \\[hv]box.*$", re.MULTILINE)
#: Starts the comment line the LaTeX translator writes before each passage,
#: naming the file and line it comes from (almanach.pdf.translator).
SOURCE_MARK = "%% almanach-source: "
#: How many overfull boxes the summary locates.
SHOWN_OVERFULL = 5


class PdfBuildError(Exception):
    """The PDF could not be produced, or its log shows a defect."""


@dataclass(frozen=True)
class PdfReport:
    pdf: Path
    pages: int
    overfull_boxes: int
    overfull_where: tuple[str, ...] = ()

    def summary(self) -> str:
        lines = [
            f"PDF : {self.pdf} — {self.pages} pages, "
            f"{self.overfull_boxes} boîte(s) trop pleine(s) (overfull)"
        ]
        lines += [f"  {where}" for where in self.overfull_where[:SHOWN_OVERFULL]]
        return "\n".join(lines)


def latex_environment() -> dict[str, str]:
    """Environment for latexmk: long log lines, so a message is one line."""
    env = dict(os.environ)
    env["max_print_line"] = "10000"
    env.setdefault("LATEXOPTS", "")
    return env


def compile_tex(tex: Path) -> Path:
    """Run latexmk on one ``.tex`` file; return the PDF."""
    command = [
        "latexmk",
        "-pdf",
        "-dvi-",
        "-ps-",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-file-line-error",
        # Each address is footnoted once per page (almanach.sty), which reads the
        # pages of the previous run: a long letter may need more runs to settle
        # than latexmk's default five.
        "-e",
        "$max_repeat=9",
        tex.name,
    ]
    try:
        result = subprocess.run(
            command,
            cwd=tex.parent,
            env=latex_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise PdfBuildError(
            "latexmk est introuvable : lancez « make » pour installer TeX Live."
        ) from error
    log = tex.with_suffix(".log")
    if result.returncode != 0:
        text = read_log(log)
        traced = trace_errors(tex, text)
        if traced:
            raise PdfBuildError("le PDF ne peut pas être composé :\n" + "\n".join(traced))
        errors = [line for line in text.splitlines() if line.startswith(("!", "./"))]
        detail = "\n".join(errors[:10]) or result.stdout[-2000:]
        raise PdfBuildError(f"la compilation LaTeX de {tex} a échoué :\n{detail}")
    return tex.with_suffix(".pdf")


#: An error as ``-file-line-error`` writes it: « ./book.tex:1234: message ».
FILE_LINE_ERROR = re.compile(
    r"^(?:\./)?(?P<file>[^:\n]+\.tex):(?P<line>\d+): (?P<message>.*)$", re.M
)


def tex_lines(tex: Path) -> list[str]:
    try:
        return tex.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def source_at(lines: list[str], number: int) -> str:
    """The file and line (« issues/2022-01.md:42 ») the passage at line
    ``number`` of the ``.tex`` comes from: the last source mark above it, or ''."""
    for text in reversed(lines[:number]):
        if text.startswith(SOURCE_MARK.rstrip()):
            return text.removeprefix(SOURCE_MARK.rstrip()).strip()
    return ""


def trace_errors(tex: Path, log: str) -> list[str]:
    """Each error of the log in ``tex``, traced back to the file and line of the
    passage it comes from (the comment lines written by the LaTeX translator):
    « issues/2022-01.md:42: erreur: … »."""
    lines = tex_lines(tex)
    traced: list[str] = []
    for match in FILE_LINE_ERROR.finditer(log):
        if Path(match.group("file")).name != tex.name or "==> Fatal error" in match.group(0):
            continue
        where = source_at(lines, int(match.group("line")))
        if where:
            message = (
                f"{where}: erreur: LaTeX ne peut pas composer ce passage "
                f"({match.group('message')}) ; simplifiez-le (listes moins imbriquées, "
                "caractères inhabituels) ou signalez-le aux mainteneurs"
            )
            if message not in traced:
                traced.append(message)
    return traced


def read_log(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def check_log(log: Path, tex: Path | None = None) -> int:
    """Fail on any missing glyph, each traced to the letter's line that has
    the character when it can be; return the number of overfull boxes."""
    text = read_log(log)
    missing = {
        match.group("code"): match.group("char")
        for match in MISSING_CHARACTER.finditer(text)
        if match.group("code") not in NOTHING_TO_DRAW
    }
    if missing:
        raise PdfBuildError("\n".join(missing_characters(tex or log.with_suffix(".tex"), missing)))
    return len(OVERFULL_BOX.findall(text))


def missing_characters(tex: Path, missing: dict[str, str]) -> list[str]:
    """One message per missing character, at the letter's line (the source
    mark before its first use in ``tex``), or at the ``.tex`` when no letter has it."""
    lines = tex_lines(tex)
    messages = []
    for code, char in sorted(missing.items()):
        number = next(
            (
                n
                for n, line in enumerate(lines, start=1)
                if char in line and SOURCE_MARK not in line
            ),
            0,
        )
        where = (source_at(lines, number) or f"{tex}:{number}") if number else f"{tex}"
        messages.append(
            f"{where}: erreur: le caractère « {char} » (U+{code}) n’existe dans aucune police "
            "du PDF ; remplacez-le (par une image, ou un mot) ou demandez aux mainteneurs "
            "d’ajouter une police qui l’a (extensions/almanach/pdf/settings.py)"
        )
    return messages


def overfull_boxes(log: Path) -> tuple[str, ...]:
    """The log's overfull-box lines (« Overfull \\hbox (3.5pt too wide) in paragraph
    at lines 120--121 »), the lines being those of the ``.tex`` file."""
    return tuple(OVERFULL_BOX.findall(read_log(log)))


def page_count(pdf: Path) -> int:
    output = subprocess.run(
        ["pdfinfo", str(pdf)], stdout=subprocess.PIPE, text=True, check=True
    ).stdout
    match = re.search(r"^Pages:\s+(\d+)", output, re.MULTILINE)
    if not match:
        raise PdfBuildError(f"pdfinfo ne donne pas le nombre de pages de {pdf}")
    return int(match.group(1))


def build_pdfs(builddir: Path) -> list[PdfReport]:
    """Compile every document of ``builddir/latex`` and publish the PDFs."""
    latexdir = builddir / "latex"
    sources = sorted(latexdir.glob("*.tex"))
    sources = [tex for tex in sources if not tex.name.startswith(("sphinx", "python"))]
    if not sources:
        raise PdfBuildError(f"aucun document LaTeX dans {latexdir} : lancez « make pdf ».")
    pdfdir = builddir / "pdf"
    if pdfdir.exists():
        shutil.rmtree(pdfdir)
    pdfdir.mkdir(parents=True)
    reports = []
    for tex in sources:
        pdf = compile_tex(tex)
        log = tex.with_suffix(".log")
        overfull = check_log(log, tex)
        published = pdfdir / pdf.name
        shutil.copy2(pdf, published)
        if (builddir / "html").is_dir():
            shutil.copy2(pdf, builddir / "html" / pdf.name)
        reports.append(PdfReport(published, page_count(published), overfull, overfull_boxes(log)))
    return reports


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    builddir = Path(args[0] if args else "build")
    try:
        reports = build_pdfs(builddir)
    except PdfBuildError as error:
        message = str(error)
        sys.stderr.write(message if ": erreur: " in message else f"erreur : {message}")
        sys.stderr.write("\n")
        return 1
    for report in reports:
        sys.stdout.write(report.summary() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
