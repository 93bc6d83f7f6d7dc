"""Checking letters and registries without a build (``almanach check``).

The letters are tokenised with MyST's own markdown-it set-up, so directives
and roles are found exactly where the build finds them, with their lines. Each
problem is a :class:`Finding`: ``file:line: niveau: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docutils.parsers.rst.states import MarkupError
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.parsers.directives import parse_directive_text

from .directives.quote import Quote
from .directives.resource import RESOURCE_KINDS, Resource
from .directives.rubrique import Rubrique
from .directives.territory_update import TerritoryUpdate
from .domain import MENTION_KINDS
from .letter_parser import NOT_UTF8, image_check, letter_file_problem, letter_markdown
from .letters import read_front_matter
from .model import page_clashes
from .registry import ID_PATTERN, SCHEMAS, Registry, is_url, load_registry
from .rules.allowlist import LETTER_DIRECTIVES, probe_class, screen
from .rules.characters import strip_invisible
from .rules.consistency import LetterFacts, check_letter, check_letters, facts_from_file
from .rules.front_matter import MISSING_FRONT_MATTER, read_front_matter_yaml
from .warnings_ import close_matches, of
from .workflow import PUBLISHED

LEVELS = {"error": "erreur", "warning": "avertissement"}
DIRECTIVES = {
    "territory-update": TerritoryUpdate,
    "quote": Quote,
    "resource": Resource,
    "rubrique": Rubrique,
}
ROLE_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
KIND_LABELS = {
    "territory": "territoire",
    "person": "personne",
    "organisation": "organisation",
    "event": "événement",
    "resource": "ressource",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    level: str  # error | warning
    code: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}: {LEVELS[self.level]}: {self.message}"

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
                if directive.body.strip():
                    body = parser.parse(directive.body, env if env is not None else {})
                    scan_tokens(body, directive.body_line - 1, scan, parser, env)
            elif token.type == "colon_fence":  # a container: MyST parses its content
                content = parser.parse(token.content + "\n", env if env is not None else {})
                scan_tokens(content, offset + token.map[0] + 1, scan, parser, env)
        elif token.type == "inline" and token.map:
            _roles(token, offset, scan)


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
    return Directive(name, argument, options, "\n".join(parsed.body), line, body_line)


def _roles(token: Token, offset: int, scan: LetterScan) -> None:
    position = 0
    for child in token.children or []:
        if child.type != "myst_role":
            continue
        name = child.meta.get("name", "")
        if name not in MENTION_KINDS:
            continue
        markup = f"{{{name}}}`"
        found = token.content.find(markup, position)
        position = max(found, 0) + 1
        line = offset + token.map[0] + 1 + token.content[: max(found, 0)].count("\n")
        content = child.content.strip()
        target = ROLE_TARGET.match(content)
        scan.roles.append((name, (target.group("target") if target else content).strip(), line))


class Checker:
    """Checks a project's registries and letters; collects findings."""

    def __init__(self, root: Path, strict: bool = False, display_root: Path | None = None):
        self.root = root
        self.strict = strict
        self.display_root = display_root or Path.cwd()
        self.findings: list[Finding] = []
        self.registry: Registry = Registry()
        self.bib_keys: set[str] = set()

    # reporting

    def shown(self, path: Path) -> str:
        real = path.parent.resolve() / path.name  # the file itself may be a link
        try:
            return str(real.relative_to(self.display_root.resolve()))
        except ValueError:
            return str(path)

    def add(self, path: str, line: int, level: str, code: str, message: str) -> None:
        self.findings.append(Finding(path, line, level, code, message))

    # checks

    def run(self, letters: Iterable[Path]) -> list[Finding]:
        self.check_registries()
        self.read_bibliography()
        letters = list(letters)
        scans = [scan for path in letters if (scan := self.scan_letter(path)) is not None]
        self.check_numbering(letters)
        declared = self.check_resources(scans)
        for scan in scans:
            for directive in scan.directives:
                self.check_directive(scan, directive)
            for kind, target, line in scan.roles:
                self.check_role(scan, kind, target, line, declared)
        return sorted(self.findings, key=lambda f: (f.path, f.line, f.code, f.message))

    def check_numbering(self, checked: list[Path]) -> None:
        """Numbers unique and in date order, among all the project's letters (the
        problems of the letters being checked are reported)."""
        folder = self.root / "issues"
        facts = [
            found
            for path in sorted(folder.glob("*.md"))
            if letter_file_problem(path, folder, decode=False) is None
            and (found := facts_from_file(path, self.shown(path))) is not None
        ]
        wanted = {self.shown(path) for path in checked}
        for problem in check_letters(facts):
            if problem.path in wanted:
                self.add(problem.path, problem.line, problem.level, "numbering", problem.message)

    def check_registries(self) -> None:
        folder = self.root / "docs" / "registres"
        self.registry = load_registry(folder, display_root=self.display_root)
        territories = self.root / "docs" / "territoires"
        for problem in [*self.registry.problems, *page_clashes(territories, self.registry)]:
            self.add(problem.path, problem.line, "error", "registry", problem.message)

    def read_bibliography(self) -> None:
        from pybtex.database import parse_file
        from pybtex.scanner import PybtexError

        path = self.root / "references.bib"
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
        problem = letter_file_problem(path, (self.root / "issues").resolve(), decode=False)
        if problem:
            self.add(shown, 1, "error", *problem)
            return None
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:  # read once: letter_file_problem need not decode it
            self.add(shown, 1, "error", "encoding", NOT_UTF8)
            return None
        scan = LetterScan(path, shown)
        text, invisible = strip_invisible(text)
        for found in invisible:
            self.add(shown, found.line, "error", "control-character", found.message())
        parser = markdown_parser()
        tokens, env, refusals = screen(parser, text, image_check(path.parent, path.name))
        for refusal in refusals:
            self.add(shown, refusal.line, "error", refusal.code, refusal.text())
        self.check_front_matter(scan, tokens)
        scan_tokens(tokens, 0, scan, parser, env)
        return scan

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

    def check_resources(self, scans: list[LetterScan]) -> set[str]:
        declared: dict[str, tuple[str, int]] = {}
        for scan in scans:
            for directive in scan.directives:
                if directive.name != "resource" or not directive.argument:
                    continue
                if directive.argument in declared:
                    path, line = declared[directive.argument]
                    self.add(
                        scan.shown,
                        directive.line,
                        "error",
                        "duplicate-id",
                        f"ressource « {directive.argument} » déjà déclarée dans {path} "
                        f"(ligne {line}) ; citez-la avec {{resource}}`{directive.argument}` "
                        "ou changez d’identifiant",
                    )
                    continue
                declared[directive.argument] = (scan.shown, directive.line)
                if "pending" in directive.options and scan.status == PUBLISHED:
                    self.add(
                        scan.shown,
                        directive.line,
                        "error" if self.strict else "warning",
                        "pending-link",
                        f"lien à retrouver : la ressource « {directive.argument} » n’a pas "
                        "d’adresse (:pending:) dans une lettre publiée",
                    )
        return set(declared)

    def check_directive(self, scan: LetterScan, directive: Directive) -> None:
        spec = DIRECTIVES.get(directive.name)
        if spec is None:
            return

        def problem(code: str, message: str, line: int | None = None) -> None:
            self.add(
                scan.shown, line or directive.line, "error", code, f"{directive.name} : {message}"
            )

        for name in directive.options:
            if name not in spec.known_options:
                allowed = ", ".join(f":{o}:" for o in spec.known_options)
                close = close_matches(name, spec.known_options, "options")
                problem(
                    "unknown-option",
                    f"option inconnue « :{name}: »{close} (options possibles : {allowed})",
                )
        for name in spec.required_options:
            if not directive.options.get(name):
                problem("missing-option", f"option obligatoire « :{name}: » absente ou vide")
        argument = directive.argument
        if directive.name in ("territory-update", "rubrique", "resource") and not argument:
            problem("missing-option", "identifiant absent après le nom de la directive")
        if directive.name == "territory-update":
            self.check_id(problem, "territories", argument, "argument")
            for speaker in re.split(r"[,;]", directive.options.get("speakers", "")):
                if speaker.strip():
                    self.check_id(problem, "people", speaker.strip(), ":speakers:")
        if directive.name == "rubrique":
            self.check_id(problem, "rubriques", argument, "argument")
        if directive.name == "quote":
            if not directive.options.get("speaker") and not directive.options.get("source"):
                problem(
                    "missing-option",
                    "ni « :speaker: » ni « :source: » : dites qui parle ou d’où vient la citation",
                )
            if directive.options.get("speaker"):
                self.check_id(problem, "people", directive.options["speaker"], ":speaker:")
        if directive.name == "resource":
            self.check_resource(problem, directive)
        if directive.name in ("territory-update", "quote") and not directive.body.strip():
            problem("empty-body", "le contenu est vide")

    def check_resource(self, problem, directive: Directive) -> None:
        options = directive.options
        if directive.argument and not ID_PATTERN.match(directive.argument):
            problem(
                "bad-value",
                f"identifiant « {directive.argument} » invalide : minuscules, "
                "chiffres et tirets seulement",
            )
        kind = options.get("kind", "")
        if kind and kind not in RESOURCE_KINDS:
            problem(
                "bad-value",
                f"type « {kind} » inconnu ; types possibles : {', '.join(RESOURCE_KINDS)}",
            )
        url = options.get("url", "")
        if url and not is_url(url):
            problem(
                "bad-url",
                f"adresse « {url} » invalide : elle doit commencer par https:// ou http://",
            )
        if not url and "pending" not in options:
            problem(
                "missing-option",
                "ni « :url: » ni « :pending: » : donnez l’adresse, ou « :pending: »",
            )
        if options.get("publisher"):
            self.check_id(problem, "organisations", options["publisher"], ":publisher:")
        bib = options.get("bib", "")
        if bib and bib not in self.bib_keys:
            problem(
                "unknown-bibkey",
                f"clé bibliographique « {bib} » absente de references.bib"
                f"{close_matches(bib, self.bib_keys, 'clés')}",
            )

    def check_id(self, problem, registry: str, entry_id: str, where: str) -> None:
        if not entry_id or entry_id in self.registry[registry]:
            return
        schema = SCHEMAS[registry]
        problem(
            "unknown-id",
            f"identifiant {of(schema.label)} inconnu : « {entry_id} » ({where})"
            f"{close_matches(entry_id, self.registry[registry])} ; corrigez-le ou ajoutez-le "
            f"à docs/registres/{schema.filename}",
        )

    def check_role(
        self, scan: LetterScan, kind: str, target: str, line: int, declared: set[str]
    ) -> None:
        registry = MENTION_KINDS[kind]
        known = declared if registry is None else self.registry[registry]
        if target in known:
            return
        self.add(
            scan.shown,
            line,
            "error",
            "unknown-id",
            f"{{{kind}}} : identifiant {of(KIND_LABELS[kind])} inconnu : « {target} »"
            f"{close_matches(target, known)}",
        )


def letter_files(root: Path, paths: Iterable[Path]) -> Iterator[Path]:
    """The letters to check: the given files, the .md files of given folders,
    or every letter of the project."""
    given = list(paths)
    for path in given or [root / "issues"]:
        if path.is_dir():
            yield from sorted(path.rglob("*.md"))  # those in subfolders are reported
        else:
            yield path
