"""What a letter may contain: the allowlist.

Letters come from pull requests; building one must never read a file, run
code or publish markup the project did not write. So a letter may use only
the constructs listed here — markdown-it token types, directives with their
options, roles, link schemes, image files — and everything else is refused
*before* any directive or role runs, by :mod:`almanach.rules.screen`, which
walks MyST's token stream at every level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from .directives import AnyOption

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
