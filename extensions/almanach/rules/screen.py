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

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from myst_parser.mdit_to_docutils.base import default_slugify

from .allowlist import (
    BLOCK_TOKENS,
    MAX_HEADINGS,
    ImageCheck,
    Refusal,
    image_path_problem,
)
from .guesses import GUESSES, Guess, guesses_in
from .refusals import (
    FRONT_MATTER_UNCLOSED,
    RULE_MISPLACED,
    anchor_message,
    footnote_message,
    footnote_twice_message,
    heading_jump_message,
    shown,
)
from .screen_fences import FenceScreen
from .screen_inline import InlineScreen
from .structure import (
    COMMENT_IN_PARAGRAPH,
    HASH_HEADING,
    HASH_NOT_HEADING,
    INDENTED_CODE,
    LIST_IN_A_SENTENCE,
    SETEXT_HEADING,
    TOO_DEEP,
)

#: MyST syntax extensions a letter is parsed with, whatever ``conf.py`` enables
#: for the site's own pages (no substitutions: they are Jinja templates).


@dataclass
class Screen(FenceScreen, InlineScreen):
    """The allowlist applied to token streams of one letter: the blocks and the
    whole letter here, directives and containers in :class:`FenceScreen`, the
    inline rules in :class:`InlineScreen`.

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
    #: The importer's ``% à revoir`` lines (:mod:`almanach.rules.guesses`).
    guesses: list[Guess] = field(default_factory=list)

    # -- reporting and neutralising ------------------------------------------------

    @staticmethod
    def as_literal(token: Token) -> None:
        """A refused block becomes a literal block of what was written."""
        token.content = f"{token.markup}{token.info}\n{token.content}{token.markup}\n"
        token.type, token.info, token.markup, token.tag = "fence", "text", "```", "code"
        token.children = None

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
                    line, "construct", f"construction « {shown(kind)} » refusée dans une lettre"
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
                self.guesses.extend(guesses_in(token, line))
                previous = lines[token.map[0] - 1].strip() if token.map[0] else ""
                after_front_matter = (
                    self.depth == 0
                    and not offset
                    and tokens[0].type == "front_matter"
                    and tokens[0].map is not None
                    and tokens[0].map[1] == token.map[0]
                )
                if previous and not previous.startswith("%") and not after_front_matter:
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
        to_show = []  # written but not called, or written a second time
        for label, line, tokens, index in self.footnote_defs:
            if written[label] != line:
                self.refuse(line, "structure", footnote_twice_message(label, written[label]))
                to_show.append((tokens, index, label))
            elif label not in called:
                self.refuse(line, "structure", footnote_message(label, called=False))
                to_show.append((tokens, index, label))
        for tokens, index, label in sorted(to_show, key=lambda item: -item[1]):
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


def screen(
    md: MarkdownIt,
    text: str,
    check_image: ImageCheck = image_path_problem,
    page_target: Callable[[str], str | None] | None = None,
    bib_keys: Collection[str] | None = None,
) -> tuple[list[Token], dict[str, Any], list[Refusal]]:
    """Parse a letter's text with ``md`` and check it at every level: the tokens
    (refused ones neutralised), the markdown-it environment (with the letter's
    ``% à revoir`` lines under :data:`~almanach.rules.guesses.GUESSES`), the
    refusals."""
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    checker = Screen(md, env, check_image, locate=True, page_target=page_target, bib_keys=bib_keys)
    checker.blocks(tokens, text=text)
    checker.finish()
    checker.transitions(tokens)
    env[GUESSES] = sorted(checker.guesses)
    return tokens, env, sorted(checker.refusals, key=lambda refusal: refusal.line)
