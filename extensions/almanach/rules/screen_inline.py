"""The screen's inline rules: roles, links, images, raw HTML, in a paragraph
or in a directive's option or argument (:class:`InlineScreen`, a part of
:class:`almanach.rules.screen.Screen`)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from sphinxcontrib.bibtex.citation_target import parse_citation_targets

from ..warnings_ import closest
from .allowlist import (
    INLINE_MARKUP,
    INLINE_TOKENS,
    LETTER_ROLES,
    LINK_SCHEMES,
    PAGE_LINK,
    ROLE_LINE,
    SCHEME,
    UNLINKED,
    ImageCheck,
    Missing,
    Refusal,
)
from .ids import unknown_bibkey
from .refusals import (
    listed,
    nearby,
    page_message,
    raw_html_message,
    scheme_message,
    shown,
)
from .structure import (
    ROLE_LIKE,
    SPACED_ADDRESS,
    SPACED_ADDRESS_MESSAGE,
    role_without_backquote,
)

#: MyST syntax extensions a letter is parsed with, whatever ``conf.py`` enables
#: for the site's own pages (no substitutions: they are Jinja templates).


class InlineScreen:
    """The inline half of :class:`~almanach.rules.screen.Screen`: it reads and
    sets the screen's state (declared there)."""

    md: MarkdownIt
    env: dict[str, Any]
    check_image: ImageCheck
    refusals: list[Refusal]
    locate: bool
    page_target: Callable[[str], str | None] | None
    bib_keys: Collection[str] | None
    anchors: list[tuple[int, str, list[Token], int]]
    footnote_refs: list[tuple[int, str, Token]]

    # -- reporting and neutralising ------------------------------------------------

    def refuse(self, line: int, code: str, message: str) -> None:
        self.refusals.append(Refusal(line, code, message))

    @staticmethod
    def as_code(token: Token, name: str) -> None:
        """A refused role is shown as it was written, as code."""
        token.type, token.content = "code_inline", f"{{{name}}}`{token.content}`"
        token.meta = {}

    @staticmethod
    def as_text(token: Token, text: str) -> None:
        token.type, token.tag, token.nesting, token.content = "text", "", 0, text
        token.children, token.attrs, token.markup = None, {}, ""

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
            f"rôle « {{{shown(name)}}} » refusé dans une lettre"
            f"{nearby(name, LETTER_ROLES, 'rôles')} ; "
            f"rôles possibles : {listed(LETTER_ROLES)}",
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
