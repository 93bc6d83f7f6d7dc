"""French typography in the HTML, as babel does it in the PDF.

- A narrow no-break space (U+202F) before ``; ! ?`` and inside « » (after « and
  before »), a no-break space (U+00A0) before ``:``; an ordinary space written
  there becomes the right one, and one is put where none is written
  (« Bonjour! » → « Bonjour\u202f! »). ``?!`` gets one space, before the group.
- Typographic apostrophes: ``'`` between two letters becomes ``’``.
- Never in code, literal or preformatted text, nor in URLs (``https://x.org/?a=1;b``),
  times (``14:30``), ratios (``1:2``) or attributes.

:func:`typeset` is the pure function at the core: it works on the text of one
block (a paragraph, a title…) given as segments, because a block's text is split
across nodes (``« <em>mot</em> »``). The HTML builders apply it while writing,
in the translator (:class:`TypographyMixin`): the body, the titles, and
everything Sphinx and the theme render through the translator (the sidebar,
breadcrumbs, previous and next links, the page's table of contents, ``<title>``);
:func:`typeset_metatags` does the page's descriptions. The doctree and the
environment are not touched: the LaTeX builder (babel) reads them as written,
and incremental or parallel builds give what a clean build gives.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? and inside « »
NBSP = "\u00a0"  # no-break space: before :

#: Spaces that may stand before a punctuation mark (or after «), breaking or not.
SPACES = frozenset(" \t\r\n\u00a0\u202f\u2009\u2007\u2002\u2003\u2005\u2006\u200a")
#: The marks that take a space before them, and the space each takes.
SPACE_BEFORE = {";": NNBSP, "!": NNBSP, "?": NNBSP, ":": NBSP, "»": NNBSP}
#: A mark of this group right before another one: one space before the group
#: (« ?! »), none inside.
GROUP = frozenset(";:!?")
#: After these, a mark written without a space is not French punctuation of the
#: text (« (?) », « [!] », « a=b;c », « x/y: »): it is left as it is.
NO_SPACE_AFTER = frozenset("([{«“‘\"'/\\=<>&#@_~+^|*`")
#: Before these, a ``; ! ?`` written without a space is part of a word or an
#: expression (« a;b », « x?y »); ``:`` takes a space only before a space or the
#: end (« 14:30 », « 1:2 », « http:// » are left as they are).
NOT_PUNCTUATION_BEFORE = frozenset("/\\=&#@_~+%<>")

#: URLs and e-mail addresses in text: never changed.
URL = re.compile(
    r"(?:\b(?:https?|ftp|file)://|\bmailto:|\bwww\.)[^\s<>«»\"]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
#: Trailing characters of a match that end the sentence rather than the URL.
URL_TRAILING = ".,)"


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in URL.finditer(text):
        start, end = match.span()
        while end > start + 1 and text[end - 1] in URL_TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


#: The characters :func:`typeset` looks at.
MARKS = re.compile(r"[';:!?«»]")


def typeset(segments: Sequence[tuple[str, bool]]) -> list[str]:
    """The text of one block, typeset the French way.

    ``segments``: the block's text, in pieces (its text nodes), each with
    whether it may be changed (False: code, literal text). The pieces that may
    not be changed still count as context (what stands before a mark). Returns
    the pieces, each changed or not; their number and order are kept. Already
    correct text is returned unchanged, and ``typeset`` of its result is the
    same result."""
    pieces = [text for text, _ in segments]
    text = "".join(pieces)
    if not MARKS.search(text) or not any(may for _, may in segments):
        return pieces
    starts = list(itertools.accumulate((len(piece) for piece in pieces), initial=0))[:-1]
    urls = _url_spans(text)
    size = len(text)

    def owner(i: int) -> int:
        """The piece character ``i`` is in."""
        return bisect.bisect_right(starts, i) - 1

    def editable(i: int) -> bool:
        return segments[owner(i)][1] and not any(start <= i < end for start, end in urls)

    # Edits: character i replaced by a string (possibly empty); a space put
    # before character i, in the piece of character ``side``.
    replaced: dict[int, str] = {}
    inserted: dict[int, tuple[str, int]] = {}

    def replace_run(start: int, stop: int, space: str) -> None:
        """The spaces text[start:stop] become one ``space``."""
        if text[start:stop] == space or not all(editable(i) for i in range(start, stop)):
            return
        replaced[start] = space
        for i in range(start + 1, stop):
            replaced[i] = ""

    def insert(at: int, space: str, mark: int) -> None:
        """A space between characters ``at - 1`` and ``at``: in the piece of the
        mark (character ``mark``), else in the piece on the other side."""
        other = at - 1 if mark == at else at
        if editable(mark):
            inserted[at] = (space, mark)
        elif editable(other):
            inserted[at] = (space, other)

    for match in MARKS.finditer(text):
        i = match.start()
        char = text[i]
        if not editable(i):
            continue
        if char == "'":
            if 0 < i < size - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
                replaced[i] = "’"
            continue
        if char == "«":
            stop = i + 1
            while stop < size and text[stop] in SPACES:
                stop += 1
            if stop == size or text[stop] == "»":
                continue  # nothing quoted
            if stop > i + 1:
                replace_run(i + 1, stop, NNBSP)
            else:
                insert(i + 1, NNBSP, i)
            continue
        space = SPACE_BEFORE[char]
        start = i
        while start > 0 and text[start - 1] in SPACES:
            start -= 1
        if start == 0:
            continue  # at the start of the block: nothing to hold on to
        before = text[start - 1]
        if start < i:  # a space is written
            if char in GROUP and before in GROUP:
                replace_run(start, i, NNBSP)  # « ? ! »: kept, but not breaking
            else:
                replace_run(start, i, space)
            continue
        after = text[i + 1] if i + 1 < size else ""
        if before in NO_SPACE_AFTER or (before in GROUP and char in GROUP):
            continue
        if char == "»":
            pass
        elif char == ":":
            if after and after not in SPACES and after != "«":
                continue  # 14:30, 1:2, http://, std::vector
        elif after and (after.isalnum() or after in NOT_PUNCTUATION_BEFORE):
            continue  # a;b, x?y=1
        insert(i, space, i)

    if not replaced and not inserted:
        return pieces
    out = [list(piece) for piece in pieces]
    # From the end, so that the offsets within each piece hold.
    for i in sorted(replaced.keys() | inserted.keys(), reverse=True):
        piece = owner(i)
        offset = i - starts[piece]
        if i in replaced:
            out[piece][offset] = replaced[i]
        if i in inserted:
            space, side = inserted[i]
            if owner(side) == piece:
                out[piece].insert(offset, space)
            else:  # after « , the last character of its piece
                out[owner(side)].append(space)
    return ["".join(chars) for chars in out]


def french_spacing(text: str) -> str:
    """One piece of text (a description, a title), typeset."""
    return typeset([(text, True)])[0]


# -- in the HTML translator -------------------------------------------------------

#: Elements whose text is never typeset (code, literal, preformatted, raw, math).
OPAQUE = (
    nodes.literal,
    nodes.FixedTextElement,
    nodes.raw,
    nodes.math,
    nodes.comment,
)


def text_block(node: nodes.Node) -> nodes.Node:
    """The block a text node's text flows in: its nearest element that holds
    text and is not inline (a paragraph, a title, a term, a field name…)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.TextElement) and not isinstance(parent, nodes.Inline):
            return parent
        if parent.parent is None:
            return parent
        parent = parent.parent
    return node


def is_opaque(node: nodes.Node, block: nodes.Node) -> bool:
    """Whether a text node is code or literal text (up to its block, included)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, OPAQUE) or "pre" in parent.get("classes", ()):
            return True
        if parent is block:
            return False
        parent = parent.parent
    return False


def typeset_block(block: nodes.Node) -> dict[int, str]:
    """The typeset text of each text node of ``block`` (by ``id``)."""
    texts = [text for text in block.findall(nodes.Text) if text_block(text) is block]
    result = typeset([(str(text), not is_opaque(text, block)) for text in texts])
    return {id(text): new for text, new in zip(texts, result, strict=True)}


class TypographyMixin:
    """Mixed into the HTML builders' translator (:func:`add_typography`)."""

    body: list[str]

    def visit_Text(self, node: nodes.Text) -> None:
        block = text_block(node)
        cached = getattr(self, "_almanach_typeset", None)
        if cached is None or cached[0] is not block:
            cached = (block, typeset_block(block))
            self._almanach_typeset = cached
        text = cached[1].get(id(node))
        if text is not None and text != str(node):
            node = nodes.Text(text)
        super().visit_Text(node)  # type: ignore[misc]

    def depart_field_name(self, node: nodes.Element) -> None:
        """« Type : » — a no-break space before the colon the writer adds."""
        self.body.append(f'<span class="colon">{NBSP}:</span></dt>\n')


def add_typography(app: Sphinx) -> None:
    """``builder-inited``: the HTML builders' translator typesets (mixed into the
    translator in use, as pydata-sphinx-theme mixes its own)."""
    if getattr(app.builder, "format", None) != "html":
        return
    try:
        translator = app.builder.get_translator_class()
    except AttributeError:  # builders without a translator (linkcheck)
        return
    if translator is None or issubclass(translator, TypographyMixin):
        return
    mixed = types.new_class("AlmanachTypographyTranslator", (TypographyMixin, translator), {})
    app.set_translator(app.builder.name, mixed, override=True)


#: The page's descriptions and titles, as OpenGraph and almanach write them.
META_TEXT = re.compile(
    r'(<meta (?:property|name)="(?:og:title|og:description|description|twitter:title|'
    r'twitter:description)" content=")([^"]*)(")'
)


def typeset_metatags(metatags: str) -> str:
    """The texts of the page's description and title tags, typeset."""

    def typeset_content(match: re.Match) -> str:
        content = french_spacing(html.unescape(match.group(2)))
        return match.group(1) + html.escape(content, quote=True) + match.group(3)

    return META_TEXT.sub(typeset_content, metatags)


def page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (after OpenGraph's): the description tags typeset."""
    metatags = context.get("metatags")
    if isinstance(metatags, str) and metatags:
        context["metatags"] = typeset_metatags(metatags)


TAG = re.compile(r"<[^>]*>")
BREAKING_SPACES = re.compile(r"[ \t\r\n]+")


def plain_title(title: str) -> str:
    """A title's HTML as plain text for ``<title>``: Jinja's ``striptags``, but
    without turning the no-break spaces into ordinary ones."""
    return BREAKING_SPACES.sub(" ", html.unescape(TAG.sub("", title))).strip()


def page_titles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (after sphinx-book-theme's, before almanach escapes
    ``pagetitle``): the titles the theme takes as plain text, typeset;
    ``almanach_page_title`` for our ``layout.html``'s ``<title>``."""
    for key in ("pagetitle", "root_title"):
        value = context.get(key)
        if type(value) is str:  # plain text (not markup)
            context[key] = french_spacing(value)
    title = context.get("title")
    if isinstance(title, str):
        context["almanach_page_title"] = plain_title(title)


def setup_typography(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", add_typography, priority=600)
    app.connect("html-page-context", page_titles, priority=800)
    app.connect("html-page-context", page_metadata, priority=950)
    return {}
