"""Checking letters and registries without a build (``almanach check``).

The letters are tokenised with MyST's own markdown-it set-up, so directives
and roles are found exactly where the build finds them, with their lines. Each
problem is a :class:`Finding`: ``file:line: niveau: message``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from docutils.parsers.rst.states import MarkupError
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.parsers.directives import parse_directive_text
from sphinx.util.nodes import split_explicit_title

from ..model.letters import read_front_matter
from ..model.registry import Registry, load_registry
from ..reading.parser import (
    NOT_UTF8,
    image_check,
    letter_file_problem,
    letter_markdown,
    page_check,
    refusal_kind,
)
from ..reading.registries import page_clashes
from ..reading.review import PUBLISHED
from ..rules.allowlist import LETTER_DIRECTIVES, probe_class
from ..rules.characters import strip_invisible
from ..rules.consistency import (
    LetterFacts,
    check_letter,
    check_letters,
    facts_from_file,
    repeats,
)
from ..rules.directives import SPECS, check_use, option_line
from ..rules.front_matter import MISSING_FRONT_MATTER, read_front_matter_yaml
from ..rules.guesses import GUESS_CODE, blocks_publication, guess_message, letter_guesses
from ..rules.ids import (
    MENTION_KINDS,
    SOURCE_HINT,
    Known,
    duplicate_resource,
    pending_summary,
    unknown_mention,
)
from ..rules.screen import screen
from ..warnings_ import shown_path
from .project import Project

#: A finding's level, as the build says it. A note (a draft's guess to
#: review) is said by ``almanach check`` only, and never fails it.
LEVELS = {"error": "erreur", "warning": "avertissement", "note": "note"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    level: str  # error | warning | note
    code: str
    message: str

    def text(self) -> str:
        """The line the build prints for the same problem, word for word."""
        return (
            f"{self.path}:{self.line}: {LEVELS[self.level]}: {self.message} [almanach.{self.code}]"
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Directive:
    """A directive found in a letter: name, argument, options, body and lines."""

    name: str
    argument: str
    options: dict[str, str]
    body: str
    line: int  # of the opening fence, 1-based
    body_line: int
    content: str = ""  # the text below the opening line, as written
    values: dict[str, Any] = field(default_factory=dict)  # those that hold, once checked
    checked_argument: str = ""  # the argument, once checked ('' when wrong)


@dataclass
class LetterScan:
    path: Path
    shown: str
    status: str = ""
    directives: list[Directive] = field(default_factory=list)
    roles: list[tuple[str, str, int]] = field(default_factory=list)  # kind, target, line


def markdown_parser():
    """markdown-it set up exactly as the build sets it up for letters."""
    return letter_markdown(RendererHTML)


def scan_tokens(tokens: list[Token], offset: int, scan: LetterScan, parser, env=None) -> None:
    """Collect directives (recursively) and roles from tokens; lines are 1-based."""
    for token in tokens:
        if token.type in ("colon_fence", "fence") and token.map:
            directive = _directive(token, offset)
            if directive is not None:
                scan.directives.append(directive)
                scan_option_roles(directive, scan, parser, env if env is not None else {})
                if directive.body.strip():
                    body = parser.parse(directive.body, env if env is not None else {})
                    scan_tokens(body, directive.body_line - 1, scan, parser, env)
            elif token.type == "colon_fence":  # a container: MyST parses its content
                content = parser.parse(token.content + "\n", env if env is not None else {})
                scan_tokens(content, offset + token.map[0] + 1, scan, parser, env)
        elif token.type == "inline" and token.map:
            _roles(token, offset, scan)


def scan_option_roles(directive: Directive, scan: LetterScan, parser, env) -> None:
    """The mentions in a directive's text options (``:context:``, ``:question:``,
    ``:title:``…), each on its option's line."""
    spec = SPECS.get(directive.name)
    for option in spec.options if spec else ():
        value = directive.options.get(option.name, "")
        if option.type == "text" and "{" in value:
            line = directive.line + option_line(directive.content, option.name)
            for token in parser.parseInline(value, env):
                token.map = None  # the option's line, not the first of its text
                _roles(token, line, scan)


def _directive(token: Token, offset: int) -> Directive | None:
    """One of almanach's directives, its options and body read by MyST's own
    directive-text parser (``:key:`` lines and ``---`` YAML blocks alike)."""
    parts = (token.info or "").strip().split(maxsplit=1)
    first = parts[0] if parts else ""
    name = first[1:-1] if first.startswith("{") and first.endswith("}") else ""
    rule = LETTER_DIRECTIVES.get(name)
    if rule is None:  # refused: the screen said so, and nothing of it runs
        return None
    line = offset + token.map[0] + 1
    content, shift = token.content, 0
    if token.type == "colon_fence" and content.startswith(":::"):
        content, shift = "\n" + content, -1  # as MyST's render_colon_fence does
    try:
        parsed = parse_directive_text(
            probe_class(rule), parts[1] if len(parts) > 1 else "", content, line=line
        )
    except MarkupError:
        return None
    options = {
        key: "" if value is None else str(value).strip() for key, value in parsed.options.items()
    }
    argument = parsed.arguments[0].strip() if parsed.arguments else ""
    body_line = line + 1 + parsed.body_offset + shift
    body = "\n".join(parsed.body)
    return Directive(name, argument, options, body, line, body_line, token.content)


def _roles(token: Token, offset: int, scan: LetterScan) -> None:
    """The mentions of an inline token, each on its line (the paragraph's first
    line, plus the line breaks before it — as the screen locates them for the
    build), with its target as Sphinx reads it."""
    line = offset + token.map[0] + 1 if token.map else offset
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "myst_role" and child.meta.get("name", "") in MENTION_KINDS:
            _explicit, _title, target = split_explicit_title(child.content.strip())
            scan.roles.append((child.meta["name"], target.strip(), line))


class Checker:
    """Checks a project's registries and letters; collects findings. Every rule
    is the build's own (:mod:`almanach.rules`): the checker only reads the
    files and reports."""

    def __init__(
        self,
        project: Project,
        strict: bool = False,
        display_root: Path | None = None,
        list_pending: bool = False,
    ):
        self.project = project
        self.strict = strict
        #: One line per link to find (else one line per letter, as the build says).
        self.list_pending = list_pending
        self.display_root = display_root or Path.cwd()
        self.findings: list[Finding] = []
        self.registry: Registry = Registry()
        self.bib_keys: set[str] = set()

    # reporting

    def shown(self, path: Path) -> str:
        return shown_path(path, self.display_root)

    def add(self, path: str, line: int, level: str, code: str, message: str) -> None:
        self.findings.append(Finding(path, line, level, code, message))

    # checks

    def run(self, letters: Iterable[Path]) -> list[Finding]:
        self.check_registries()
        self.read_bibliography()
        letters = list(letters)
        scans = [scan for path in letters if (scan := self.scan_letter(path)) is not None]
        # In the build's order (that of document names), which says which of two
        # declarations of a resource comes first.
        scans.sort(key=lambda scan: str(scan.path.with_suffix("")))
        self.check_numbering(letters)
        known = Known(self.registry, self.bib_keys, self.registry.folder)
        for scan in scans:
            for directive in scan.directives:
                self.check_directive(scan, directive, known)
        self.check_resources(scans)
        published = {
            directive.checked_argument
            for scan in scans
            if scan.status == PUBLISHED
            for directive in scan.directives
            if directive.name == "resource" and directive.checked_argument
        }
        for scan in scans:
            # What the published build holds, and the letter itself (its preview).
            own = {d.checked_argument for d in scan.directives if d.name == "resource"}
            known = dataclasses.replace(known, resources=(published | own) - {""})
            for directive in scan.directives:
                self.check_source(scan, directive, known)
            for kind, target, line in scan.roles:
                if target not in known.ids(MENTION_KINDS[kind] or "resources"):
                    self.add(
                        scan.shown,
                        line,
                        "error",
                        "unknown-id",
                        unknown_mention(kind, target, known),
                    )
        return sorted(self.findings, key=lambda f: (f.path, f.line, f.code, f.message))

    def check_numbering(self, checked: list[Path]) -> None:
        """Numbers unique and in date order, among all the project's letters (the
        problems of the letters being checked are reported)."""
        folder = self.project.letters
        facts = [
            found
            for path in sorted(folder.glob("*.md"))
            if letter_file_problem(path, folder, decode=False) is None
            and (found := facts_from_file(path, self.shown(path))) is not None
        ]
        wanted = {self.shown(path) for path in checked}
        for problem in check_letters(facts):
            if problem.path in wanted:  # an error: the strict build stops on it too
                self.add(problem.path, problem.line, "error", "numbering", problem.message)

    @cached_property
    def pages(self):
        """Where a letter's links to pages lead (once the registries are read)."""
        docs = self.project.docs
        return page_check(
            docs / self.project.settings.letters_dir,
            docs,
            self.project.territories,
            {territory.id for territory in self.registry.pilots},
        )

    def check_registries(self) -> None:
        self.registry = load_registry(self.project.registries, display_root=self.display_root)
        clashes = page_clashes(self.project.territories, self.registry)
        for problem in [*self.registry.problems, *clashes]:
            self.add(problem.path, problem.line, "error", "registry", problem.message)

    def read_bibliography(self) -> None:
        from pybtex.database import parse_file
        from pybtex.scanner import PybtexError

        path = self.project.bibliography
        if not path.exists():
            return
        try:
            self.bib_keys = set(parse_file(str(path), bib_format="bibtex").entries)
        except PybtexError as error:
            self.add(
                self.shown(path), 1, "error", "bibliography", f"bibliographie illisible : {error}"
            )

    def scan_letter(self, path: Path) -> LetterScan | None:
        shown = self.shown(path)
        problem = letter_file_problem(path, self.project.letters, decode=False)
        if problem:
            self.add(shown, 1, "error", *problem)
            return None
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:  # read once: letter_file_problem need not decode it
            self.add(shown, 1, "error", "letter", NOT_UTF8)
            return None
        scan = LetterScan(path, shown)
        text, invisible = strip_invisible(text)
        for found in invisible:
            self.add(shown, found.line, "error", "control-character", found.message())
        parser = markdown_parser()
        check = image_check(path.parent, path.name)
        tokens, env, refusals = screen(parser, text, check, self.pages, self.bib_keys)
        for refusal in refusals:
            kind = refusal_kind(refusal.code).value
            self.add(shown, refusal.line, "error", kind, refusal.text())
        self.check_front_matter(scan, tokens)
        self.check_guesses(scan, env)
        scan_tokens(tokens, 0, scan, parser, env)
        return scan

    def check_guesses(self, scan: LetterScan, env: dict[str, Any]) -> None:
        """The importer's ``% à revoir`` lines: notes in a draft, errors in any
        other letter (as the build says them)."""
        level = "error" if blocks_publication(scan.status) else "note"
        for guess in letter_guesses(env):
            self.add(scan.shown, guess.line, level, GUESS_CODE, guess_message(guess, scan.status))

    def check_front_matter(self, scan: LetterScan, tokens: list[Token]) -> None:
        if not tokens or tokens[0].type != "front_matter":
            self.add(scan.shown, 1, "error", "letter", MISSING_FRONT_MATTER)
            return
        front = read_front_matter_yaml(tokens[0].content)
        for line, problem in front.problems:
            self.add(scan.shown, line, "error", "letter", problem)
        letter, problems = read_front_matter(str(scan.path), front.values)
        for key, problem in problems:
            self.add(scan.shown, front.lines.get(key, 1), "error", "letter", problem)
        scan.status = letter.status if letter else str(front.values.get("status", ""))
        if letter is not None:
            heading = next(
                (index for index, token in enumerate(tokens) if token.type == "heading_open"), None
            )
            facts = LetterFacts(
                scan.shown,
                scan.path.stem,
                letter.number,
                letter.date,
                front.lines.get("number", 1),
                front.lines.get("date", 1),
                tokens[heading + 1].content if heading is not None else "",
                tokens[heading].map[0] + 1 if heading is not None and tokens[heading].map else 1,
            )
            for found in check_letter(facts):
                self.add(scan.shown, found.line, found.level, "letter", found.message)

    def check_resources(self, scans: list[LetterScan]) -> None:
        """A resource declared twice, and the links to find, are reported."""
        declared = [
            (scan, directive)
            for scan in scans
            for directive in scan.directives
            if directive.name == "resource" and directive.checked_argument
        ]
        repeated = {
            id(directive): first
            for (_scan, directive), first in repeats(declared, key=lambda d: d[1].checked_argument)
        }
        for scan in scans:
            pending: list[Directive] = []
            for directive in scan.directives:
                resource_id = directive.checked_argument
                if directive.name != "resource" or not resource_id:
                    continue
                if id(directive) in repeated:
                    first_scan, first = repeated[id(directive)]
                    message = duplicate_resource(
                        resource_id, first_scan.shown, first.line, same_file=first_scan is scan
                    )
                    self.add(scan.shown, directive.line, "error", "duplicate-id", message)
                    continue
                if directive.values.get("pending") and scan.status == PUBLISHED:
                    pending.append(directive)
            self.report_pending(scan, pending)

    def report_pending(self, scan: LetterScan, pending: list[Directive]) -> None:
        """The links still to find in a published letter: one line for the letter
        (what the build says), or one per resource (``--pending``)."""
        level = "error" if self.strict else "warning"
        if pending and not self.list_pending:
            message = pending_summary(len(pending))
            self.add(scan.shown, pending[0].line, level, "pending-link", message)
            return
        for directive in pending:
            self.add(
                scan.shown,
                directive.line,
                level,
                "pending-link",
                f"lien à retrouver : la ressource « {directive.argument} » n’a pas "
                "d’adresse (:pending:) dans une lettre publiée",
            )

    def check_directive(self, scan: LetterScan, directive: Directive, known: Known) -> None:
        spec = SPECS.get(directive.name)
        if spec is None:  # docutils' own (note, figure…): its options are the screen's
            return
        checked = check_use(
            spec, directive.argument, directive.options, directive.body, known, directive.content
        )
        for problem in checked.problems:
            self.add(
                scan.shown,
                directive.line,
                "error",
                problem.kind.value,
                problem.message,
            )
        directive.values = checked.values
        directive.checked_argument = checked.argument

    def check_source(self, scan: LetterScan, directive: Directive, known: Known) -> None:
        """A quote's ``:source:``: a key of references.bib, or a resource of the
        letters (the build mentions it)."""
        source = directive.values.get("source", "")
        if directive.name != "quote" or not source or source in self.bib_keys:
            return
        if source not in known.resources:
            message = unknown_mention("resource", source, known, "quote (:source:)", SOURCE_HINT)
            self.add(scan.shown, directive.line, "error", "unknown-id", message)


def letter_files(project: Project, paths: Iterable[Path]) -> Iterator[Path]:
    """The letters to check: the given files, the .md files of given folders,
    or every letter of the project."""
    given = list(paths)
    for path in given or [project.letters]:
        if path.is_dir():
            yield from sorted(path.rglob("*.md"))  # those in subfolders are reported
        else:
            yield path
