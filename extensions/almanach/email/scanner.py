"""Reading an email's HTML into hits: each feature it uses, where.

:func:`scan` reads an HTML document — its elements and attributes, its
``<style>`` elements and its ``style=""`` attributes — with the standard
library's tolerant parser and tinycss2, and returns a :class:`Hit` for each
occurrence of a feature that has a caniemail slug (the tables of
:mod:`almanach.email.features`), supported or not: judging them is
:func:`almanach.email.support.lint`'s part. Pure: no Sphinx, no network;
malformed HTML or CSS never raises. The locations are described in
:mod:`almanach.email.support`'s docstring.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from html.parser import HTMLParser
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import tinycss2

from .features import (
    AT_RULE_SLUGS,
    ATTRIBUTE_SLUGS,
    BODY_PRESENTATION,
    COLOR_SCHEME_META,
    COMBINATORS,
    DIRECT_PROPERTIES,
    ELEMENT_SLUGS,
    FUNCTION_SLUGS,
    IMAGE_EXTENSIONS,
    IMAGE_TYPES,
    INPUT_SLUGS,
    KEYWORD_SLUGS,
    MEDIA_FEATURES,
    PIXEL_RATIO,
    PROPERTY_FAMILIES,
    PROPERTY_SLUGS,
    PSEUDO_CLASSES,
    PSEUDO_ELEMENTS,
    UNITS,
    VALUE_SLUGS,
)

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: At-rules whose block holds rules (read), as opposed to descriptors or steps.
_RULE_BLOCKS = frozenset(("media", "supports", "layer", "container", "scope", "document"))
_LEGACY_PSEUDO_ELEMENTS = frozenset(("after", "before", "first-letter", "first-line"))
_VENDOR_PREFIX = re.compile(r"^-(?:webkit|moz|ms|o)-")


def scan(html: str, enhancements: Collection[str]) -> list[Hit]:
    """The hits of an HTML document, in the order it is read. What an
    ``@media`` block holds has its ``within`` set when every slug of the block
    (``css-at-media`` and those of its features) is in ``enhancements``: the
    block's most specific slug, for the outermost such block."""
    scanner = _Scanner(enhancements)
    try:
        scanner.feed(html)
        scanner.close()
    except AssertionError:
        # Python 3.11's parser asserts on some malformed markup (« <![ » without
        # a name): what was read so far is reported, the rest is not markup.
        pass
    return scanner.hits


class Hit(NamedTuple):
    """One occurrence of a feature: its slug, where it is (see
    :class:`almanach.email.support.Finding`), an excerpt of what was written,
    and ``within``, the enhancement ``@media`` block's slug that holds it."""

    slug: str
    line: int
    column: int
    excerpt: str
    origin: str | None = None
    origin_line: int | None = None
    source_line: int | None = None
    within: str | None = None


class _CssHit(NamedTuple):
    slug: str
    line: int  # 1-based, in the CSS text
    column: int
    excerpt: str
    within: str | None  # the enhancement @media block holding it


class _Scanner(HTMLParser):
    """Collects hits while the standard library's tolerant parser reads."""

    def __init__(self, enhancements: Collection[str]) -> None:
        super().__init__(convert_charrefs=True)
        self._enhancements = enhancements
        self.hits: list[Hit] = []
        #: Open elements: (tag, the data-almanach-line in force inside).
        self._open: list[tuple[str, int | None]] = []
        self._svg_depth = 0
        self._style: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._svg_depth:
            self._svg_depth += tag == "svg"
            return
        line, offset = self.getpos()
        values = {name: value or "" for name, value in attrs}
        own = values.get("data-almanach-line", "").strip()
        inherited = self._open[-1][1] if self._open else None
        source_line = int(own) if re.fullmatch("[0-9]+", own) else inherited
        raw = self.get_starttag_text() or f"<{tag}>"
        for slug, excerpt in _element_slugs(tag, values, raw):
            self.hits.append(Hit(slug, line, offset + 1, excerpt, source_line=source_line))
        if values.get("style"):
            self._inline_style(values["style"], raw, line, offset + 1, source_line)
        if tag == "svg":
            self._svg_depth = 1  # its drawing is not HTML: not read
        elif tag not in _VOID:
            self._open.append((tag, source_line))
        if tag == "style":
            origin = values.get("data-almanach-source") or None
            self._style = {"origin": origin, "start": None, "chunks": []}

    def handle_endtag(self, tag: str) -> None:
        if self._svg_depth:
            self._svg_depth -= tag == "svg"
            return
        if tag == "style" and self._style is not None:
            self._stylesheet(self._style)
            self._style = None
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            if self._style["start"] is None:
                self._style["start"] = self.getpos()
            self._style["chunks"].append(data)

    def handle_comment(self, data: str) -> None:
        line, offset = self.getpos()
        self.hits.append(Hit("html-comments", line, offset + 1, f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        if decl.split() and [word.lower() for word in decl.split()] == ["doctype", "html"]:
            line, offset = self.getpos()
            self.hits.append(Hit("html-doctype", line, offset + 1, f"<!{decl}>"))

    def _inline_style(
        self, value: str, raw: str, line: int, column: int, source_line: int | None
    ) -> None:
        """The declarations of a ``style=""``, located where the attribute is."""
        found = re.search(r"(?<![\w:-])style\s*=\s*[\"']?", raw, re.IGNORECASE)
        before = raw[: found.end()] if found else ""
        breaks = before.count("\n")
        value_line = line + breaks
        value_column = column + len(before) if not breaks else len(before) - before.rfind("\n")
        for hit in _scan_css(
            tinycss2.parse_blocks_contents(value, skip_comments=False), self._enhancements
        ):
            self.hits.append(
                Hit(
                    hit.slug,
                    value_line + hit.line - 1,
                    value_column + hit.column - 1 if hit.line == 1 else hit.column,
                    hit.excerpt,
                    source_line=source_line,
                    within=hit.within,
                )
            )

    def _stylesheet(self, style: dict[str, Any]) -> None:
        """The rules of a ``<style>``, located in the HTML and in its file."""
        if style["start"] is None:
            return
        text = "".join(style["chunks"])
        start_line, start_offset = style["start"]
        shift = 1 if text.startswith(("\n", "\r\n")) else 0
        rules = tinycss2.parse_stylesheet(text, skip_comments=False)
        for hit in _scan_css(rules, self._enhancements):
            self.hits.append(
                Hit(
                    hit.slug,
                    start_line + hit.line - 1,
                    start_offset + hit.column if hit.line == 1 else hit.column,
                    hit.excerpt,
                    origin=style["origin"],
                    origin_line=hit.line - shift if style["origin"] else None,
                    within=hit.within,
                )
            )


def _element_slugs(tag: str, attrs: dict[str, str], raw: str) -> Iterator[tuple[str, str]]:
    """(slug, excerpt) for an element and its attributes."""
    slug = ELEMENT_SLUGS.get(tag)
    if tag == "input":
        slug = INPUT_SLUGS.get(attrs.get("type", "").strip().lower(), "html-input-text")
    elif tag == "button":
        reset = attrs.get("type", "").strip().lower() == "reset"
        slug = "html-button-reset" if reset else "html-button-submit"
    elif tag == "body" and BODY_PRESENTATION.intersection(attrs):
        slug = "html-body"
    elif tag == "meta" and attrs.get("name", "").strip().lower() in COLOR_SCHEME_META:
        slug = "html-meta-color-scheme"
    if slug:
        yield slug, raw
    for name, value in attrs.items():
        if name in ATTRIBUTE_SLUGS:
            yield ATTRIBUTE_SLUGS[name], f'<{tag} {name}="{value}">'
    href = attrs.get("href", "").strip()
    if tag in ("a", "area") and href.startswith("#") and len(href) > 1:
        yield "html-anchor-links", f'<{tag} href="{href}">'
    elif tag in ("a", "area") and href.lower().startswith("mailto:"):
        yield "html-mailto-links", f'<{tag} href="{href}">'
    if tag == "img":
        for image in _image_slugs(attrs.get("src", "")):
            yield image, raw


def _image_slugs(url: str) -> list[str]:
    """The image formats an address names: by its extension, or a ``data:``
    URI's type (and image-base64 when it is base64)."""
    url = url.strip()
    if url[:5].lower() == "data:":
        header = url[5:].split(",", 1)[0].lower()
        media_type = header.split(";", 1)[0].removeprefix("image/")
        slugs = [IMAGE_TYPES.get(media_type) or IMAGE_EXTENSIONS.get(media_type)]
        if ";base64" in header:
            slugs.append("image-base64")
        return [slug for slug in slugs if slug]
    try:
        path = urlsplit(url).path
    except ValueError:  # a malformed address (an unclosed [ in the host…)
        return []
    name = path.rsplit("/", 1)[-1].lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    return [IMAGE_EXTENSIONS[extension]] if extension in IMAGE_EXTENSIONS else []


# -- CSS ------------------------------------------------------------------------


def _scan_css(
    nodes: Iterable[Any], enhancements: Collection[str], within: str | None = None
) -> Iterator[_CssHit]:
    """Hits in a list of tinycss2 nodes: rules, at-rules, declarations,
    comments (parse errors are skipped: no client applies what does not parse)."""
    for node in nodes:
        if node.type == "comment":
            yield _CssHit(
                "css-comments", node.source_line, node.source_column, f"/*{node.value}*/", within
            )
        elif node.type == "declaration":
            yield from _declaration(node, within)
        elif node.type == "qualified-rule":
            yield from _selectors(node.prelude, node, within)
            yield from _block(node.content, enhancements, within)
        elif node.type == "at-rule":
            yield from _at_rule(node, enhancements, within)


def _block(
    content: list[Any] | None, enhancements: Collection[str], within: str | None
) -> Iterator[_CssHit]:
    """A rule's block: declarations, and rules nested in it (CSS nesting)."""
    for node in tinycss2.parse_blocks_contents(content or [], skip_comments=False):
        if node.type in ("qualified-rule", "at-rule"):
            yield _CssHit(
                "css-nesting",
                node.source_line,
                node.source_column,
                tinycss2.serialize(node.prelude or []),
                within,
            )
        yield from _scan_css([node], enhancements, within)


def _at_rule(rule: Any, enhancements: Collection[str], within: str | None) -> Iterator[_CssHit]:
    keyword = _VENDOR_PREFIX.sub("", rule.lower_at_keyword)
    excerpt = f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude)}"
    at = (rule.source_line, rule.source_column, excerpt)
    inside = within
    if keyword == "media":
        slugs = ["css-at-media", *_media_features(rule.prelude)]
        for slug in slugs:
            yield _CssHit(slug, *at, within)
        if within is None and all(slug in enhancements for slug in slugs):
            inside = slugs[-1]  # the most specific: prefers-color-scheme, or @media
    elif keyword in AT_RULE_SLUGS:
        yield _CssHit(AT_RULE_SLUGS[keyword], *at, within)
    for token in rule.prelude:  # @import url(…), (min-width: 30em)…
        yield from _value_token_hits(token, "", at, within)
    if keyword in _RULE_BLOCKS and rule.content is not None:
        yield from _scan_css(
            tinycss2.parse_rule_list(rule.content, skip_comments=False), enhancements, inside
        )


def _media_features(prelude: list[Any]) -> list[str]:
    slugs: list[str] = []
    for token in _walk(prelude):
        if token.type != "ident":
            continue
        name = token.lower_value
        slug = PIXEL_RATIO if "device-pixel-ratio" in name else MEDIA_FEATURES.get(name)
        if slug and slug not in slugs:
            slugs.append(slug)
    return slugs


def _declaration(node: Any, within: str | None) -> Iterator[_CssHit]:
    name = node.lower_name
    value = tinycss2.serialize(node.value).strip()
    excerpt = f"{node.name}: {value}" + (" !important" if node.important else "")
    at = (node.source_line, node.source_column, excerpt)
    if name.startswith("--"):
        yield _CssHit("css-variables", *at, within)
    else:
        name = _VENDOR_PREFIX.sub("", name)
        slug = _property_slug(name)
        if slug:
            yield _CssHit(slug, *at, within)
    for token in node.value:
        yield from _value_token_hits(token, name, at, within)
    if node.important:
        yield _CssHit("css-important", *at, within)


def _property_slug(name: str) -> str | None:
    if name in PROPERTY_SLUGS:
        return PROPERTY_SLUGS[name]
    if name in DIRECT_PROPERTIES:
        return f"css-{name}"
    if name.startswith("border-") and name.endswith("-radius"):
        logical = name.startswith(("border-start-", "border-end-"))
        return "css-border-radius-logical" if logical else "css-border-radius"
    if name.startswith(("border-inline-", "border-block-")):
        parts = name.split("-")  # border-inline-color, border-inline-start-color
        return f"css-border-inline-block-{'longhand' if len(parts) > 3 else 'individual'}"
    for prefix, slug in PROPERTY_FAMILIES:
        if name.startswith(prefix):
            return slug
    return None


def _value_token_hits(
    token: Any, prop: str, at: tuple[int, int, str], within: str | None
) -> Iterator[_CssHit]:
    """Value-specific slugs in a token and what it holds: keywords, functions,
    units, image formats in url(), comments."""
    for item in _walk([token]):
        kind = item.type
        slugs: list[str | None] = []
        if kind == "ident":
            word = _VENDOR_PREFIX.sub("", item.lower_value)  # display: -webkit-flex
            slugs = [VALUE_SLUGS.get((prop, word)), KEYWORD_SLUGS.get(word)]
        elif kind == "dimension":
            unit = item.lower_unit
            slugs = [f"css-unit-{unit}" if unit in UNITS else None]
        elif kind == "percentage":
            slugs = ["css-unit-percent"]
        elif kind == "comment":  # Orange drops the whole style="" then
            slugs = ["css-comments"]
        elif kind == "url":
            slugs = list(_image_slugs(item.value))
        elif kind == "function":
            slugs = [FUNCTION_SLUGS.get(item.lower_name)]
            if item.lower_name == "url":
                strings = [arg.value for arg in item.arguments if arg.type == "string"]
                slugs += _image_slugs(strings[0]) if strings else []
        for slug in slugs:
            if slug:
                yield _CssHit(slug, *at, within)


def _walk(tokens: Iterable[Any]) -> Iterator[Any]:
    """Tokens, and the tokens inside functions and blocks, depth first."""
    for token in tokens:
        yield token
        if token.type == "function":
            yield from _walk(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _walk(token.content)


def _selectors(prelude: list[Any], rule: Any, within: str | None) -> Iterator[_CssHit]:
    """The selector features of a rule's prelude (``a, .b > c:hover``)."""
    groups: list[list[Any]] = [[]]
    text = " ".join(tinycss2.serialize(prelude).split())
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            groups.append([])
        elif token.type == "comment":
            yield _CssHit("css-comments", token.source_line, token.source_column, text, within)
        else:
            groups[-1].append(token)
    if len(groups) > 1:
        yield _CssHit("css-selector-grouping", rule.source_line, rule.source_column, text, within)
    for group in groups:
        for slug, token in _selector_features(group):
            yield _CssHit(slug, token.source_line, token.source_column, text, within)


def _selector_features(tokens: list[Any]) -> Iterator[tuple[str, Any]]:
    """(slug, token) for each simple selector, combinator and pseudo-class of one
    complex selector; chaining when a compound has two class, id or attribute
    selectors (``.a.b``)."""
    while tokens and tokens[0].type == "whitespace":
        tokens = tokens[1:]
    while tokens and tokens[-1].type == "whitespace":
        tokens = tokens[:-1]
    chained = 0
    pending_space: Any = None
    after_combinator = False  # the spaces around ">" are not a descendant combinator
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        kind, value = token.type, getattr(token, "value", None)
        if kind == "whitespace":
            pending_space = None if after_combinator else token
            continue
        if kind == "literal" and value in COMBINATORS:
            yield COMBINATORS[value], token
            pending_space, chained, after_combinator = None, 0, True
            continue
        after_combinator = False
        if pending_space is not None:
            yield "css-selector-descendant", pending_space
            pending_space, chained = None, 0
        if kind == "ident":
            yield "css-selector-type", token
        elif kind == "literal" and value == "*":
            yield "css-selector-universal", token
        elif kind == "hash":
            yield "css-selector-id", token
        elif kind == "[] block":
            yield "css-selector-attribute", token
        elif kind == "literal" and value == "." and index < len(tokens):
            index += 1  # the class name
            yield "css-selector-class", token
        elif kind == "literal" and value == ":" and index < len(tokens):
            double = tokens[index].type == "literal" and tokens[index].value == ":"
            index += double
            if index < len(tokens):
                name_token = tokens[index]
                index += 1
                name = getattr(name_token, "lower_name", None) or getattr(
                    name_token, "lower_value", ""
                )
                element = double or name in _LEGACY_PSEUDO_ELEMENTS
                if element and name in PSEUDO_ELEMENTS:
                    yield f"css-pseudo-element-{name}", token
                elif not element and name in PSEUDO_CLASSES:
                    yield f"css-pseudo-class-{name}", token
            continue
        else:
            continue
        if kind in ("hash", "[] block") or value == ".":
            chained += 1
            if chained == 2:
                yield "css-selector-chaining", token
