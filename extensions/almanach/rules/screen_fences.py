"""The screen's directives and containers (``{name}`` fences and ``:::`` blocks):
the allowlist of directives and options, the blocks' structure and nesting,
their bodies screened one level deeper (:class:`FenceScreen`, a part of
:class:`almanach.rules.screen.Screen`)."""

from __future__ import annotations

from typing import Any

from docutils.parsers.rst.states import MarkupError
from markdown_it import MarkdownIt
from markdown_it.token import Token
from myst_parser.parsers.directives import parse_directive_text

from ..warnings_ import closest
from .allowlist import (
    LETTER_DIRECTIVES,
    MAX_DEPTH,
    ROLE_LINE,
    SCREENED,
    ImageCheck,
    Missing,
    Refusal,
    probe_class,
)
from .directive_text import (
    IMAGE_OPTION_CHECKS,
    list_table_problem,
    no_problem,
    option_on_two_lines,
    quote_option_values,
)
from .directives import option_line
from .refusals import (
    BRACELESS,
    braceless_message,
    listed,
    nearby,
    shown,
    unreadable_options_message,
)
from .structure import (
    OPTION_ON_TWO_LINES,
    PARENTS,
    STRAY_FENCE,
    is_closed,
    misplaced_message,
    unclosed_message,
)

#: MyST syntax extensions a letter is parsed with, whatever ``conf.py`` enables
#: for the site's own pages (no substitutions: they are Jinja templates).


class FenceScreen:
    """The directives' half of :class:`~almanach.rules.screen.Screen`: it reads
    and sets the screen's state (declared there) and calls its other parts."""

    md: MarkdownIt
    env: dict[str, Any]
    check_image: ImageCheck
    refusals: list[Refusal]
    depth: int
    parents: list[tuple[str, int]]
    spoiled: bool
    locate: bool

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
                f"directive « {shown(name)} » refusée dans une lettre"
                f"{nearby(name, LETTER_DIRECTIVES, 'directives')} ; directives possibles : "
                f"{listed(LETTER_DIRECTIVES)}",
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
                    allowed = listed(rule.options) if rule.options else "aucune"
                    self.refuse(
                        line + option_line(token.content, option),
                        "option",
                        f"directive « {name} » avec « :{shown(option)}: » refusée dans une lettre"
                        f"{nearby(option, rule.options, 'options')} ; options possibles : "
                        f"{allowed}",
                    )
        for option, value in parsed.options.items() if rule.image else ():
            problem = IMAGE_OPTION_CHECKS.get(option, no_problem)(str(value or ""))
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
