"""What a letter may contain: the allowlist, checked on MyST's token stream.

Letters come from pull requests; building one must never read a file, run
code or publish markup the project did not write. So a letter may use only
the constructs listed here — markdown-it token types, directives with their
options, roles, link schemes, image files — and everything else is refused
*before* any directive or role runs. The check walks the token stream at every
level: both fence styles, directive bodies (parsed again, as MyST will parse
them), option values and arguments that MyST parses as inline markup.

:func:`screen` reports each refusal (line, French message naming the construct,
never the content it would have read) and neutralises the refused token in
place: a refused block is shown as literal text, a refused role as code, a
refused link as its text, a refused image as its description. The build runs it
on every token stream MyST renders in a letter; ``almanach check`` runs the same
function on the same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from docutils.parsers.rst.states import MarkupError
from markdown_it import MarkdownIt
from markdown_it.token import Token
from myst_parser.mdit_to_docutils.base import default_slugify
from myst_parser.parsers.directives import parse_directive_text
from sphinxcontrib.bibtex.citation_target import parse_citation_targets

from ..warnings_ import closest
from .characters import shorten
from .directives import AnyOption, option_line, unknown_bibkey
from .structure import (
    COMMENT_IN_PARAGRAPH,
    HASH_HEADING,
    HASH_NOT_HEADING,
    INDENTED_CODE,
    LIST_IN_A_SENTENCE,
    OPTION_ON_TWO_LINES,
    PARENTS,
    ROLE_LIKE,
    SETEXT_HEADING,
    SPACED_ADDRESS,
    SPACED_ADDRESS_MESSAGE,
    STRAY_FENCE,
    TOO_DEEP,
    is_closed,
    misplaced_message,
    role_without_backquote,
    unclosed_message,
)

#: MyST syntax extensions a letter is parsed with, whatever ``conf.py`` enables
#: for the site's own pages (no substitutions: they are Jinja templates).
LETTER_MYST_EXTENSIONS = frozenset({"colon_fence", "deflist"})
#: Link schemes a letter may use.
LINK_SCHEMES = ("https", "http", "mailto")
#: Image files a letter may show: raster formats that lualatex embeds. (SVG can
#: carry script; remote images would be downloaded by the LaTeX build.)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: The path of an image: folders and a file name, plain characters only.
IMAGE_PATH = re.compile(r"^(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$")
#: How deep blocks may nest in a letter (a rubrique holding an update holding a
#: note is three).
MAX_DEPTH = 8
#: How many headings a letter may have (the December 2021 letter has 8).
MAX_HEADINGS = 100


@dataclass(frozen=True)
class DirectiveRule:
    """A directive a letter may use.

    ``options`` lists the options it may take; ``None`` means the directive is
    almanach's own and checks its options itself (it reports an unknown one and
    ignores it). ``body``: its content is MyST, checked like the letter.
    ``image``: its argument is an image file."""

    name: str
    directive: str  # "module:Class", whose argument/content layout MyST uses
    options: tuple[str, ...] | None = ()
    body: bool = True
    image: bool = False


_ADMONITIONS = "docutils.parsers.rst.directives.admonitions"
_IMAGES = "docutils.parsers.rst.directives.images"
_IMAGE_OPTIONS = ("alt", "width", "align")

LETTER_DIRECTIVES: dict[str, DirectiveRule] = {
    rule.name: rule
    for rule in (
        DirectiveRule("rubrique", "almanach.reading.directives.rubrique:Rubrique", None),
        DirectiveRule(
            "territory-update", "almanach.reading.directives.territory_update:TerritoryUpdate", None
        ),
        DirectiveRule("quote", "almanach.reading.directives.quote:Quote", None),
        DirectiveRule("resource", "almanach.reading.directives.resource:Resource", None),
        DirectiveRule("note", f"{_ADMONITIONS}:Note"),
        DirectiveRule("tip", f"{_ADMONITIONS}:Tip"),
        DirectiveRule("important", f"{_ADMONITIONS}:Important"),
        DirectiveRule("warning", f"{_ADMONITIONS}:Warning"),
        DirectiveRule("figure", f"{_IMAGES}:Figure", _IMAGE_OPTIONS, image=True),
        DirectiveRule("image", f"{_IMAGES}:Image", _IMAGE_OPTIONS, body=False, image=True),
        DirectiveRule(
            "list-table",
            "docutils.parsers.rst.directives.tables:ListTable",
            ("header-rows", "widths", "align"),
        ),
    )
}

#: Roles a letter may use: the mentions, citations, and three text roles.
LETTER_ROLES = frozenset(
    {
        "person",
        "territory",
        "organisation",
        "event",
        "resource",
        "cite:p",
        "cite:t",
        "cite:ps",
        "cite:ts",
        "cite:author",
        "cite:year",
        "sub",
        "sup",
        "abbr",
    }
)

#: markdown-it token types a letter may contain (block level, then inline).
BLOCK_TOKENS = frozenset(
    {
        "front_matter",
        "paragraph_open",
        "paragraph_close",
        "heading_open",
        "heading_close",
        "bullet_list_open",
        "bullet_list_close",
        "ordered_list_open",
        "ordered_list_close",
        "list_item_open",
        "list_item_close",
        "blockquote_open",
        "blockquote_close",
        "hr",
        "code_block",
        "fence",
        "colon_fence",
        "html_block",  # shown as text
        "table_open",
        "table_close",
        "thead_open",
        "thead_close",
        "tbody_open",
        "tbody_close",
        "tr_open",
        "tr_close",
        "th_open",
        "th_close",
        "td_open",
        "td_close",
        "dl_open",
        "dl_close",
        "dt_open",
        "dt_close",
        "dd_open",
        "dd_close",
        "footnote_reference_open",
        "footnote_reference_close",
        "myst_target",
        "myst_line_comment",
        "myst_block_break",
        "inline",
    }
)
INLINE_TOKENS = frozenset(
    {
        "text",
        "text_special",
        "softbreak",
        "hardbreak",
        "em_open",
        "em_close",
        "strong_open",
        "strong_close",
        "code_inline",
        "link_open",
        "link_close",
        "image",
        "html_inline",  # shown as text
        "footnote_ref",
        "myst_role",
    }
)

#: Where the screened tokens of blocks' contents are kept, in markdown-it's
#: environment of the letter (text -> tokens).
SCREENED = "almanach_screened"
#: Where a role token keeps the line of the letter it is on.
ROLE_LINE = "almanach_line"
#: What every refusal message ends with, in the build and in ``almanach check``.
POLICY_SUFFIX = " (règle de contribution)"

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: The characters that start inline markup in a letter's syntax (emphasis, code,
#: roles, links, images, HTML, entities, escapes, autolinks' « : » is in « < »):
#: text without any of them parses to plain text.
INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<>&{}~\n]")
#: Links markdown-it refuses to make (it leaves them as text): reported all the same.
UNLINKED = re.compile(r"(?:\]\(\s*<?|<|\]:\s*<?)(javascript|vbscript|file|data):", re.IGNORECASE)
#: A link to another page of the site: a relative ``.md`` path, an anchor, or both.
PAGE_LINK = re.compile(r"^(?:[\w./-]+\.md)?(?:#[\w.-]*)?$")


@dataclass(frozen=True)
class Refusal:
    """A construct the allowlist refuses: where, what kind, and the French message."""

    line: int  # 1-based, in the letter's file
    code: str  # directive, option, role, link, image, nesting, construct, raw-html
    message: str

    def text(self) -> str:
        """The message as the build and ``almanach check`` print it."""
        return self.message + POLICY_SUFFIX if self.code in POLICY_CODES else self.message


#: Refusals of the contribution policy (the others are editors' mistakes:
#: structure, raw HTML shown as text).
POLICY_CODES = frozenset({"directive", "option", "role", "link", "image", "nesting", "construct"})


class Missing(str):
    """What an image check says of a file that is not there: a broken link, not
    a refusal of the contribution policy."""


@cache
def probe_class(rule: DirectiveRule) -> type:
    """The directive class of ``rule`` with every option let through, for
    MyST's directive-text parser (arguments, options, body, line offset)."""
    module, _, name = rule.directive.partition(":")
    real = getattr(import_module(module), name)
    return type(f"Probe{name}", (real,), {"option_spec": AnyOption()})


def _shown(name: str) -> str:
    """A name from the letter, as a message shows it (never a page of text)."""
    return shorten(name, 40)


def _names(names: Iterable[str]) -> str:
    return ", ".join(f"« {name} »" for name in sorted(names))


def _close(name: str, choices: Iterable[str], what: str) -> str:
    from ..warnings_ import close_matches

    return close_matches(name, choices, what)


#: Checks an image path; returns a French problem or ''. The build gives one that
#: also looks at the file system (inside the project, not a link outside).
ImageCheck = Callable[[str], str]


def image_path_problem(path: str) -> str:
    """What is wrong with an image path in a letter, without looking at files.

    The path is held to :data:`IMAGE_PATH`: docutils rewrites others (it drops
    spaces and backslashes from a directive's path), so that the file read
    would not be the one checked."""
    if SCHEME.match(path) or path.startswith("//"):
        return (
            "image distante refusée : enregistrez l’image (PNG ou JPEG) dans le dépôt, à côté "
            "de la lettre, et donnez son nom"
        )
    if not path.lower().endswith(IMAGE_SUFFIXES):
        return "image refusée : seules les images PNG et JPEG (.png, .jpg, .jpeg) sont acceptées"
    if path.startswith("/") or ".." in path.split("/"):
        return "image refusée : elle doit être à côté de la lettre (sans « .. » ni « / » au début)"
    if not IMAGE_PATH.match(path):
        return (
            "image refusée : son nom ne peut contenir que des lettres sans accent, des chiffres, "
            "des tirets, des points et des « / » (par exemple « images/atelier-2022.jpg »)"
        )
    return ""


@dataclass
class Screen:
    """The allowlist applied to token streams of one letter.

    ``md`` and ``env`` are the markdown-it parser and environment MyST renders
    the letter with (directive bodies are parsed with them, as MyST will).
    """

    md: MarkdownIt
    env: dict[str, Any] = field(default_factory=dict)
    check_image: ImageCheck = image_path_problem
    refusals: list[Refusal] = field(default_factory=list)
    depth: int = 0
    #: The blocks the walk is in: (directive or container name, line).
    parents: list[tuple[str, int]] = field(default_factory=list)
    #: Set when the top-level block being walked must not be rendered at all
    #: (a block deeper inside is too deep, never closed or out of place).
    spoiled: bool = False
    #: Whether the lines the walk computes are the letter's (the whole letter is
    #: walked): each role is then given its own line, for the build's messages.
    locate: bool = False
    #: The page a letter links to (a ``.md`` path from the letter's folder), as
    #: a path from the site's folder, or None when it does not exist; not given:
    #: pages are not checked.
    page_target: Callable[[str], str | None] | None = None
    #: The keys of references.bib; None: not checked.
    bib_keys: Collection[str] | None = None
    # What the whole letter must agree with, checked at the end (:meth:`finish`):
    levels: list[int] = field(default_factory=lambda: [0])
    slugs: set[str] = field(default_factory=set)
    anchors: list[tuple[int, str, list[Token], int]] = field(default_factory=list)
    footnote_refs: list[tuple[int, str, Token]] = field(default_factory=list)
    footnote_defs: list[tuple[str, int, list[Token], int]] = field(default_factory=list)

    # -- reporting and neutralising ------------------------------------------------

    def refuse(self, line: int, code: str, message: str) -> None:
        self.refusals.append(Refusal(line, code, message))

    @staticmethod
    def as_literal(token: Token) -> None:
        """A refused block becomes a literal block of what was written."""
        token.content = f"{token.markup}{token.info}\n{token.content}{token.markup}\n"
        token.type, token.info, token.markup, token.tag = "fence", "text", "```", "code"
        token.children = None

    @staticmethod
    def as_code(token: Token, name: str) -> None:
        """A refused role is shown as it was written, as code."""
        token.type, token.content = "code_inline", f"{{{name}}}`{token.content}`"
        token.meta = {}

    @staticmethod
    def as_text(token: Token, text: str) -> None:
        token.type, token.tag, token.nesting, token.content = "text", "", 0, text
        token.children, token.attrs, token.markup = None, {}, ""

    # -- blocks --------------------------------------------------------------------

    def blocks(
        self, tokens: list[Token], offset: int = 0, *, deep: bool = True, text: str | None = None
    ) -> None:
        """Check block tokens (1-based line of a token: ``offset + map[0] + 1``).

        ``deep``: also check directive bodies and containers (their own parse),
        and the letter's structure, from ``text``, the text the tokens come from."""
        lines = text.split("\n") if deep and text is not None else None
        too_deep = False
        headings = 0
        for index, token in enumerate(tokens):
            line = offset + (token.map[0] if token.map else 0) + 1
            kind = token.type
            if self.depth == 0:
                self.spoiled = False
            if lines is not None and token.level >= self.md.options["maxNesting"] - 1:
                if not too_deep:
                    self.refuse(line, "structure", TOO_DEEP)
                too_deep = self.spoiled = True
            if kind not in BLOCK_TOKENS:
                self.refuse(
                    line, "construct", f"construction « {_shown(kind)} » refusée dans une lettre"
                )
                self.as_text(token, "")
            elif kind == "front_matter" and (index or offset):
                self.as_text(token, "")  # MyST drops a nested front matter; so do we
            elif kind in ("fence", "colon_fence"):
                self.fence(token, line, deep, lines)
            elif kind == "html_block":
                self.raw_html(token, line)
            elif kind == "heading_open" and token.markup[:1] in ("=", "-") and lines is not None:
                underline = offset + token.map[1] if token.map else line
                written = lines[token.map[1] - 1].strip() if token.map else token.markup
                self.refuse(underline, "structure", SETEXT_HEADING.format(markup=written))
                if self.depth == 0:
                    headings += 1
                    self.count_heading(token, line, headings)
            elif kind == "heading_open" and self.depth == 0:
                headings += 1
                if lines is not None:
                    following = tokens[index + 1] if index + 1 < len(tokens) else None
                    self.heading(token, following, line)
                self.count_heading(token, line, headings)
            elif kind == "heading_close" and self.depth == 0:
                if headings > MAX_HEADINGS:
                    token.type, token.tag = "paragraph_close", "p"
            elif kind == "inline":
                if (
                    lines is not None
                    and index
                    and tokens[index - 1].type == "paragraph_open"
                    and HASH_HEADING.match(token.content)
                    and "\n" not in token.content
                ):
                    self.refuse(line, "structure", HASH_NOT_HEADING)
                self.inline(token, line)
            elif kind == "myst_target":
                self.slugs.add(token.content.strip())
            elif kind == "footnote_reference_open" and self.depth == 0 and lines is not None:
                label = str(token.meta.get("label", ""))
                self.footnote_defs.append((label, line, tokens, index))
            elif (
                kind == "bullet_list_open"
                and lines is not None
                and index
                and tokens[index - 1].type == "paragraph_close"
                and self.list_in_a_sentence(tokens, index)
            ):
                self.refuse(line, "structure", LIST_IN_A_SENTENCE.format(marker=token.markup))
            elif kind == "code_block" and lines is not None:
                self.refuse(line, "structure", INDENTED_CODE)
            elif kind == "myst_line_comment" and lines is not None and token.map:
                previous = lines[token.map[0] - 1].strip() if token.map[0] else ""
                if previous and not previous.startswith("%"):
                    self.refuse(line, "structure", COMMENT_IN_PARAGRAPH)
            if self.depth == 0 and self.spoiled and token.type in ("fence", "colon_fence"):
                self.as_literal(token)  # nothing of it is rendered, at any depth

    @staticmethod
    def list_in_a_sentence(tokens: list[Token], index: int) -> bool:
        """A one-item bullet list right under a paragraph (no blank line), whose
        sentence does not announce a list: a hard-wrapped « - 30 % »."""
        opening = next(
            (tokens[i] for i in range(index - 1, -1, -1) if tokens[i].type == "paragraph_open"),
            None,
        )
        if opening is None or not opening.map or not tokens[index].map:
            return False
        if opening.map[1] != tokens[index].map[0]:
            return False  # a blank line between them
        text = tokens[index - 2].content.rstrip() if index >= 2 else ""
        items = 0
        for token in tokens[index:]:
            if token.type == "list_item_open" and token.level == tokens[index].level + 1:
                items += 1
            if token.type == "bullet_list_close" and token.level == tokens[index].level:
                break
        return items == 1 and not text.endswith(":")

    def count_heading(self, token: Token, line: int, headings: int) -> None:
        """MyST gives each heading a unique anchor by trying « -1 », « -2 »… in
        turn: thousands of headings take minutes. Past the bound, headings are
        shown as paragraphs."""
        if headings == MAX_HEADINGS + 1:
            self.refuse(
                line,
                "construct",
                f"trop de titres dans une lettre (plus de {MAX_HEADINGS}) : les suivants sont "
                "affichés comme des paragraphes",
            )
        if headings > MAX_HEADINGS:
            token.type, token.tag = "paragraph_open", "p"

    def heading(self, token: Token, inline: Token | None, line: int) -> None:
        """A heading one level below the one it is under, at most (« # » then
        « ## »): a jump is said, and the heading set at the level it can have.
        Its anchor is noted, for the links to it."""
        level = int(token.tag[1:])
        parent = max(open_level for open_level in self.levels if open_level < level)
        if level > parent + 1:
            self.refuse(line, "structure", heading_jump_message(level, parent))
            level = parent + 1
            token.tag, token.markup = f"h{level}", "#" * level
        self.levels = [open_level for open_level in self.levels if open_level < level] + [level]
        config = self.md.options.get("myst_config")
        if inline is not None and config is not None and level <= config.heading_anchors:
            slugify = config.heading_slug_func or default_slugify
            slug, number = slugify(inline.content), 0
            while (slug if not number else f"{slug}-{number}") in self.slugs:
                number += 1
            self.slugs.add(slug if not number else f"{slug}-{number}")

    def finish(self) -> None:
        """What needs the whole letter: links to anchors of the letter, and
        footnotes called and written."""
        for line, anchor, children, index in self.anchors:
            if anchor not in self.slugs:
                self.refuse(line, "broken-link", anchor_message(anchor))
                self.unlink(children, index)
        called = {label for _line, label, _token in self.footnote_refs}
        written: dict[str, int] = {}
        for label, line, _tokens, _index in self.footnote_defs:
            written.setdefault(label, line)
        for line, label, token in self.footnote_refs:
            if label not in written:
                self.refuse(line, "structure", footnote_message(label, called=True))
                self.as_text(token, f"[^{label}]")
        shown = []  # written but not called, or written a second time
        for label, line, tokens, index in self.footnote_defs:
            if written[label] != line:
                self.refuse(line, "structure", footnote_twice_message(label, written[label]))
                shown.append((tokens, index, label))
            elif label not in called:
                self.refuse(line, "structure", footnote_message(label, called=False))
                shown.append((tokens, index, label))
        for tokens, index, label in sorted(shown, key=lambda item: -item[1]):
            self.footnote_as_text(tokens, index, label)

    def transitions(self, tokens: list[Token]) -> None:
        """A rule (« --- ») must stand between two passages of a part of the
        letter: at its start or end, after a heading or before another rule,
        docutils refuses it (in English). Said here, and left out."""
        blocks = [
            index for index, token in enumerate(tokens) if token.level == 0 and token.nesting >= 0
        ]
        for position in reversed(range(len(blocks))):
            index = blocks[position]
            if tokens[index].type != "hr":
                continue
            before = tokens[index - 1] if index else None
            after = tokens[blocks[position + 1]] if position + 1 < len(blocks) else None
            if (
                before is None
                or before.type in ("front_matter", "heading_close")
                or after is None
                or after.type in ("heading_open", "hr")
            ):
                line = (tokens[index].map[0] + 1) if tokens[index].map else 1
                unclosed = before is None and line == 1
                self.refuse(
                    line, "structure", FRONT_MATTER_UNCLOSED if unclosed else RULE_MISPLACED
                )
                del tokens[index]

    def unlink(self, children: list[Token], index: int) -> None:
        """A refused link becomes its text: its opening and closing tokens go."""
        depth = 0
        for position in range(index, len(children)):
            child = children[position]
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
                if depth == 0:
                    self.as_text(child, "")
                    break
        self.as_text(children[index], "")

    @staticmethod
    def footnote_as_text(tokens: list[Token], index: int, label: str) -> None:
        """A footnote no text calls is shown where it is written, as a paragraph."""
        end = next(
            (i for i in range(index, len(tokens)) if tokens[i].type == "footnote_reference_close"),
            len(tokens) - 1,
        )
        inner = tokens[index + 1 : end]
        first_inline = next((token for token in inner if token.type == "inline"), None)
        if first_inline is not None and first_inline.children is not None:
            mark = Token("text", "", 0)
            mark.content = f"[^{label}] "
            first_inline.children.insert(0, mark)
        tokens[index : end + 1] = inner

    def fence(self, token: Token, line: int, deep: bool, lines: list[str] | None) -> None:
        # The name as MyST's render_fence and render_colon_fence read it: the
        # first word of the info string, a directive when it is in braces.
        parts = (token.info or "").strip().split(maxsplit=1)
        first = parts[0] if parts else ""
        directive = first.startswith("{") and first.endswith("}")
        name = first[1:-1] if directive else first
        if lines is not None:
            self.structure(token, line, name if directive else None, lines)
        if not directive:
            written = BRACELESS.match(first)
            known = written and (
                written.group(1)
                if written.group(1) in LETTER_DIRECTIVES
                else next(iter(closest(written.group(1), LETTER_DIRECTIVES)), "")
            )
            if token.type == "colon_fence" and known and lines is not None:
                self.refuse(line, "structure", braceless_message(first, known, token.markup))
                self.as_literal(token)
                return
            if token.type == "colon_fence" and deep:
                # ``:::name`` without braces: a container whose content MyST parses
                content = token.content + "\n"
                self.nested(name, line, self.parse(content), line, content)
            return  # a code block: shown as written
        if self.locate:  # for the build's messages (almanach.reading.parser)
            token.meta[ROLE_LINE] = line
        argument = parts[1] if len(parts) > 1 else ""
        rule = LETTER_DIRECTIVES.get(name)
        if rule is None:
            self.refuse(
                line,
                "directive",
                f"directive « {_shown(name)} » refusée dans une lettre"
                f"{_close(name, LETTER_DIRECTIVES, 'directives')} ; directives possibles : "
                f"{_names(LETTER_DIRECTIVES)}",
            )
            self.as_literal(token)
            return
        continued = option_on_two_lines(token.content)
        if continued is not None:
            name_written, offset = continued
            self.refuse(line + offset, "structure", OPTION_ON_TWO_LINES.format(name=name_written))
        token.content = quote_option_values(token.content)
        content = token.content
        shift = 0
        if token.type == "colon_fence" and content.startswith(":::"):
            content, shift = "\n" + content, -1  # as MyST's render_colon_fence does
        try:
            parsed = parse_directive_text(probe_class(rule), argument, content, line=line)
        except MarkupError:
            # MyST would say it in English, and run nothing: said here, in French,
            # and the block is shown as written.
            self.refuse(line, "structure", unreadable_options_message(name))
            self.as_literal(token)
            return
        if parsed.warnings and any(
            warning.type.value == "directive_option" for warning in parsed.warnings
        ):
            self.refuse(line, "structure", unreadable_options_message(name))
            self.as_literal(token)
            return
        before = len(self.refusals)
        if rule.options is not None:
            for option in parsed.options:
                if option not in rule.options:
                    allowed = _names(rule.options) if rule.options else "aucune"
                    self.refuse(
                        line + option_line(token.content, option),
                        "option",
                        f"directive « {name} » avec « :{_shown(option)}: » refusée dans une lettre"
                        f"{_close(option, rule.options, 'options')} ; options possibles : "
                        f"{allowed}",
                    )
        for option, value in parsed.options.items() if rule.image else ():
            problem = IMAGE_OPTION_CHECKS.get(option, _no_problem)(str(value or ""))
            if problem:
                where = line + option_line(token.content, option)
                self.refuse(where, "structure", f"{name} : {problem}")
                self.as_literal(token)
                return
        if name == "list-table" and parsed.body:
            problem = list_table_problem(self.md, "\n".join(parsed.body))
            if problem:
                self.refuse(line, "structure", f"list-table : {problem}")
                self.as_literal(token)
                return
        if rule.image and parsed.arguments:
            problem = self.check_image(parsed.arguments[0])
            if problem:
                code = "broken-link" if isinstance(problem, Missing) else "image"
                self.refuse(line, code, f"{name} : {problem}")
        for text in parsed.arguments:
            self.inline_text(text, line)
        for option, value in parsed.options.items():
            if value:
                self.inline_text(str(value), line + option_line(token.content, option))
        # Raw HTML in an option stays text wherever it is shown; anything else
        # refused in the options or the argument keeps the directive from running.
        header_refused = any(refusal.code != "raw-html" for refusal in self.refusals[before:])
        if rule.body and deep and parsed.body:
            # Reported here; MyST parses the body again when the directive runs,
            # and that parse is screened too (almanach.reading.parser).
            body = "\n".join(parsed.body) + "\n"
            self.nested(name, line, self.parse(body), line + parsed.body_offset + shift, body)
        if header_refused:
            self.as_literal(token)

    def parse(self, text: str) -> list[Token]:
        """The tokens of a block's content, kept (screened, once :meth:`blocks` has
        walked them) in the environment under :data:`SCREENED`: MyST parses the
        same text when it renders the block, and takes them from there."""
        tokens = self.md.parse(text, self.env)
        self.env.setdefault(SCREENED, {})[text] = tokens
        return tokens

    def structure(self, token: Token, line: int, name: str | None, lines: list[str]) -> None:
        """The block closes, and stands where a letter may hold it."""
        base = 0  # the tokens were parsed from ``lines``
        if token.type == "colon_fence" and not (token.info or "").strip():
            self.refuse(line, "structure", STRAY_FENCE.format(marker=token.markup))
            self.spoiled = True
        elif not is_closed(token, lines, base):
            enclosing = self.parents[-1] if self.parents else None
            self.refuse(line, "structure", unclosed_message(name, token, line, enclosing))
            self.spoiled = True
        if name in PARENTS:
            parent, parent_line = self.enclosing(name)
            # (in a stray « ::: » block, already reported, nothing is in its place)
            if parent not in PARENTS[name] and parent != "":
                self.refuse(line, "structure", misplaced_message(name, line, parent, parent_line))
                self.spoiled = True

    def enclosing(self, name: str) -> tuple[str | None, int]:
        """The block ``name`` stands in, for the nesting rules: containers without
        a directive (``:::encadre``) are transparent, except to a rubrique, which
        stands at the top of the letter only."""
        for parent, line in reversed(self.parents):
            if parent in LETTER_DIRECTIVES or name == "rubrique" or parent == "":
                return parent, line
        return None, 0

    def nested(self, name: str, line: int, tokens: list[Token], offset: int, text: str) -> None:
        """Check the content of a block, one level deeper. Past :data:`MAX_DEPTH`
        the block is refused whole: MyST and docutils recurse once per level."""
        if self.depth >= MAX_DEPTH:
            self.refuse(
                line,
                "nesting",
                f"blocs imbriqués trop profondément (plus de {MAX_DEPTH} niveaux) : fermez "
                "les blocs (« ::: ») avant d’en ouvrir d’autres",
            )
            self.spoiled = True
            return
        self.depth += 1
        self.parents.append((name, line))
        try:
            self.blocks(tokens, offset, text=text)
        finally:
            self.depth -= 1
            self.parents.pop()

    # -- inline --------------------------------------------------------------------

    def inline_text(self, text: str, line: int) -> None:
        """Check text that MyST parses as inline markup (an option, an argument)."""
        if not INLINE_MARKUP.search(text):
            return  # plain text (an id, most titles): nothing the inline rules would make
        for token in self.md.parseInline(text, self.env):
            self.inline(token, line)

    def inline(self, token: Token, line: int) -> None:
        breaks = 0
        refused_link = False
        for position, child in enumerate(token.children or []):
            here = line + breaks
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                breaks += 1
            elif kind not in INLINE_TOKENS:
                self.refuse(here, "construct", f"construction « {kind} » refusée dans une lettre")
                self.as_text(child, child.content)
            elif kind == "myst_role":
                self.role(child, here)
            elif kind == "link_open":
                refused_link = not self.link(child, here)
                if not refused_link:
                    self.local_link(child, here, token.children or [], position)
            elif kind == "footnote_ref":
                self.footnote_refs.append((here, str(child.meta.get("label", "")), child))
            elif kind == "link_close" and refused_link:
                self.as_text(child, "")
                refused_link = False
            elif kind == "image":
                self.image(child, here)
            elif kind == "html_inline":
                self.raw_html(child, here)
            elif kind == "text":
                for match in UNLINKED.finditer(child.content):
                    self.refuse(here, "link", scheme_message(match.group(1).lower()))
                self.role_like(child.content, here)
                if SPACED_ADDRESS.search(child.content) and self.locate:
                    self.refuse(here, "broken-link", SPACED_ADDRESS_MESSAGE)

    def role_like(self, text: str, line: int) -> None:
        """A role's name written without its backquotes (« {person}lea »,
        « {person} `lea` »): published as it is written, so said."""
        for match in ROLE_LIKE.finditer(text):
            name = match.group(1)
            known = name if name in LETTER_ROLES else next(iter(closest(name, LETTER_ROLES)), "")
            if known:
                self.refuse(line, "structure", role_without_backquote(name, known))

    def raw_html(self, token: Token, line: int) -> None:
        """Raw HTML is shown as the text it was written as, never as markup."""
        self.refuse(line, "raw-html", raw_html_message(token.content))
        if token.type == "html_block":
            token.type, token.info, token.markup, token.tag = "fence", "text", "```", "code"
        else:
            self.as_text(token, token.content)

    def role(self, token: Token, line: int) -> None:
        if self.locate:  # for the build's messages (almanach.reading.parser)
            token.meta[ROLE_LINE] = line
        name = token.meta.get("name", "")
        if name in LETTER_ROLES and name.startswith("cite:"):
            try:
                targets = list(parse_citation_targets(token.content))
            except ValueError:
                self.refuse(
                    line,
                    "role",
                    f"citation {{{name}}} illisible : écrivez la clé de references.bib, ou "
                    f"plusieurs clés séparées par des virgules, par exemple "
                    f"{{{name}}}`hopkins2010`",
                )
                self.as_code(token, name)
                return
            unknown = [
                target.key
                for target in targets
                if self.bib_keys is not None and target.key not in self.bib_keys
            ]
            if unknown and self.locate:
                self.refuse(
                    line, "unknown-bibkey", unknown_bibkey(unknown[0], self.bib_keys or (), name)
                )
                self.as_code(token, name)
            return
        if name in LETTER_ROLES:
            return
        self.refuse(
            line,
            "role",
            f"rôle « {{{_shown(name)}}} » refusé dans une lettre"
            f"{_close(name, LETTER_ROLES, 'rôles')} ; "
            f"rôles possibles : {_names(LETTER_ROLES)}",
        )
        self.as_code(token, name)

    def link(self, token: Token, line: int) -> bool:
        """Whether a link may stay; a refused one becomes its text."""
        href = str(token.attrGet("href") or "")
        scheme = SCHEME.match(href)
        if scheme:
            if scheme.group(1).lower() in LINK_SCHEMES:
                return True
            problem = scheme_message(scheme.group(1).lower())
        elif PAGE_LINK.match(href):
            return True
        else:
            problem = (
                "lien vers un fichier refusé : une lettre peut renvoyer à une page du site "
                "(fichier .md) ou à une adresse https://"
            )
        self.refuse(line, "link", problem)
        self.as_text(token, "")
        return False

    def local_link(self, token: Token, line: int, children: list[Token], index: int) -> None:
        """A link to a page of the site must find it; one to an anchor of the
        letter, its heading (checked at the end of the letter)."""
        href = str(token.attrGet("href") or "")
        if SCHEME.match(href) or not self.locate:
            return
        page, hash_, anchor = href.partition("#")
        if not page and anchor:
            self.anchors.append((line, anchor, children, index))
        elif page and self.page_target is not None:
            target = self.page_target(page)
            if target is None:
                self.refuse(line, "broken-link", page_message(page))
                self.unlink(children, index)
            else:  # MyST would look for it from issues/, where the letter really is
                token.attrSet("href", target + hash_ + anchor)

    def image(self, token: Token, line: int) -> None:
        problem = self.check_image(str(token.attrGet("src") or ""))
        if problem:
            self.refuse(line, "broken-link" if isinstance(problem, Missing) else "image", problem)
            self.as_text(token, token.content)


def raw_html_message(html: str) -> str:
    return (
        f"HTML brut refusé dans une lettre : « {shorten(html, 60)} » ; il est affiché comme du "
        "texte. "
        "Écrivez en MyST (gras : **mot**, lien : [texte](adresse))"
    )


def scheme_message(scheme: str) -> str:
    allowed = ", ".join(f"{s}:" for s in LINK_SCHEMES)
    return f"lien « {scheme}: » refusé : seuls les liens {allowed} sont acceptés"


def screen(
    md: MarkdownIt,
    text: str,
    check_image: ImageCheck = image_path_problem,
    page_target: Callable[[str], str | None] | None = None,
    bib_keys: Collection[str] | None = None,
) -> tuple[list[Token], dict[str, Any], list[Refusal]]:
    """Parse a letter's text with ``md`` and check it at every level: the tokens
    (refused ones neutralised), the markdown-it environment, the refusals."""
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    checker = Screen(md, env, check_image, locate=True, page_target=page_target, bib_keys=bib_keys)
    checker.blocks(tokens, text=text)
    checker.finish()
    checker.transitions(tokens)
    return tokens, env, sorted(checker.refusals, key=lambda refusal: refusal.line)


def heading_jump_message(level: int, parent: int) -> str:
    under = f"un titre de niveau {parent}" if parent else "le début de la lettre"
    return (
        f"titre de niveau {level} (« {'#' * level} ») sous {under} : il est publié au niveau "
        f"{parent + 1} ; écrivez « {'#' * (parent + 1)} » (un « # » de plus que le titre "
        "au-dessus)"
    )


def anchor_message(anchor: str) -> str:
    return (
        f"lien vers « #{_shown(anchor)} » : aucun titre de la lettre n’a cette ancre ; il est "
        "publié comme du texte ; corrigez l’ancre (le titre en minuscules, mots reliés par "
        "des tirets) ou retirez le lien"
    )


def page_message(page: str) -> str:
    return (
        f"lien vers « {_shown(page)} » : cette page n’existe pas ; il est publié comme du "
        "texte ; corrigez le nom du fichier (une lettre : « 2022-01.md ») ou retirez le lien"
    )


def footnote_message(label: str, called: bool) -> str:
    if called:
        return (
            f"note « [^{_shown(label)}] » appelée mais jamais écrite : ajoutez, à la fin de la "
            f"lettre, une ligne « [^{_shown(label)}]: texte de la note »"
        )
    return (
        f"note « [^{_shown(label)}] » écrite mais jamais appelée : elle est publiée comme un "
        f"paragraphe ; appelez-la dans le texte avec « [^{_shown(label)}] » ou retirez-la"
    )


#: ``:::quote``, ``:::{quote``, ``:::{rubrique}edito``: a directive's name
#: written without its braces (or one of them), read by MyST as a plain box.
BRACELESS = re.compile(r"^\{?([A-Za-z][\w-]*)\}?")


def braceless_message(written: str, name: str, markup: str) -> str:
    return (
        f"« {markup}{_shown(written)} » : le nom du bloc s’écrit entre accolades, suivi d’une "
        f"espace : « {markup}{{{name}}} » ; sinon le bloc est publié comme une simple boîte"
    )


def unreadable_options_message(name: str) -> str:
    return (
        f"les options du bloc « {name} » ne se lisent pas : écrivez une option par ligne, "
        "« :nom: valeur », juste sous la ligne du bloc (sans tabulation ni ligne de suite) ; "
        "le bloc est publié tel quel, comme du texte"
    )


#: The start of an option line: « :name: » and what separates it from the value.
OPTION_HEAD = re.compile(r"^(:[\w-]+:)[ \t\u00a0]+(.*)$")
#: An option without a value: a flag (« :pending: »).
FLAG_LINE = re.compile(r"^(:[\w-]+:)$")
#: What YAML would not read as plain text at the start of a value.
YAML_SPECIAL = tuple("\"'>|{[&*!%@`#")


def quote_option_values(content: str) -> str:
    """The options at the head of a directive, each value read as written:
    MyST reads them as YAML, where « # » starts a comment (« Le guide #2 » would
    be « Le guide ») and a leading « " », « > » or « | » means something else.
    Such values are put in double quotes; a tab or a non-breaking space after the
    option's name becomes a space."""
    lines = content.split("\n")
    for index, line in enumerate(lines):
        match = OPTION_HEAD.match(line)
        if not match:
            if FLAG_LINE.match(line.rstrip()):
                continue  # a flag (« :pending: »)
            break
        name, value = match.group(1), match.group(2).rstrip()
        quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "\"'"
        if not quoted and (value.startswith(YAML_SPECIAL) or " #" in value or ": " in value):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            value = f'"{escaped}"'
        lines[index] = f"{name} {value}"
    return "\n".join(lines)


def _no_problem(value: str) -> str:
    return ""


def _align(value: str) -> str:
    allowed = ("left", "center", "right", "top", "middle", "bottom")
    if value in allowed:
        return ""
    return f"« :align: {_shown(value)} » : écrivez l’une des valeurs {', '.join(allowed)}"


def _width(value: str) -> str:
    if re.match(r"^\d+(?:\.\d+)?(?:%|px|em|ex|pt|cm|mm|in|pc)?$", value.strip()):
        return ""
    return f"« :width: {_shown(value)} » : écrivez une largeur, par exemple « 60% » ou « 300px »"


#: The values an image's options may take (docutils would refuse others in English).
IMAGE_OPTION_CHECKS: dict[str, Callable[[str], str]] = {"align": _align, "width": _width}


def list_table_problem(md: MarkdownIt, body: str) -> str:
    """Why a ``list-table`` body is not a table (docutils would say it in
    English, dumping the block): one list of rows, each a list of as many cells."""
    tokens = md.parse(body + "\n", {})
    rows: list[int] = []
    depth = 0
    for token in tokens:
        if token.type == "bullet_list_open":
            depth += 1
            if depth == 2:
                rows.append(0)
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open" and depth == 2:
            rows[-1] += 1
        elif depth == 0 and token.type not in ("bullet_list_close",):
            return "le tableau s’écrit en une seule liste : une ligne « * - » par rangée"
    if (
        not rows
        or len(set(rows)) != 1
        or len(rows)
        != sum(1 for token in tokens if token.type == "list_item_open" and token.level == 1)
    ):
        return (
            "chaque rangée (« * - … ») doit avoir le même nombre de cases (« - … »), et chaque "
            "case sa ligne ; le tableau est publié tel quel, comme du texte"
        )
    return ""


FRONT_MATTER_UNCLOSED = (
    "en-tête jamais fermé : ajoutez une ligne « --- » après son dernier champ (status: …)"
)
RULE_MISPLACED = (
    "trait de séparation « --- » au début ou à la fin d’une partie (ou juste après un titre, "
    "ou suivi d’un autre trait) : il n’est pas publié ; retirez-le, ou placez-le entre deux "
    "paragraphes"
)


def footnote_twice_message(label: str, first: int) -> str:
    return (
        f"note « [^{_shown(label)}] » écrite une seconde fois (déjà ligne {first}) : elle est "
        "publiée comme un paragraphe ; donnez-lui un autre nom et appelez-la"
    )


def option_on_two_lines(content: str) -> tuple[str, int] | None:
    """An option whose value goes on on an indented line, followed by more
    options: (its name, the line of the continuation from the directive's)."""
    lines = content.split("\n")
    for index, line in enumerate(lines[:-1]):
        match = OPTION_HEAD.match(line) or FLAG_LINE.match(line.rstrip())
        if not match:
            return None
        following = lines[index + 1]
        if following[:1] in (" ", "\t") and following.strip():
            rest = lines[index + 2 :]
            if any(OPTION_HEAD.match(other) for other in rest[:3]):
                return match.group(1).strip(":"), index + 2
    return None
