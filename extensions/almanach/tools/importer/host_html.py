"""A post's HTML body, as the newsletter host exports it, into the lines of a
letter (:class:`~almanach.tools.importer.source.SourceLine`), with its links and
emphasis as :class:`~almanach.tools.importer.source.Mark` ranges; what the host
adds around the letter (buttons, widgets, footers) and what cannot be a letter's
text (script, style, iframe, svg…) left out and listed. Pure: :func:`html_lines`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ...rules.allowlist import LINK_SCHEMES
from .source import Mark, SourceLine

#: Elements that open a new line (HTML's block-level elements).
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr html li main "
    "nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
#: Elements whose content is never a letter's text, and how the report names them.
_DROPPED_TAGS = {
    "script": "script",
    "style": "feuille de style",
    "iframe": "cadre intégré (iframe)",
    "svg": "image vectorielle (svg)",
    "noscript": "contenu « noscript »",
    "template": "modèle HTML (template)",
    "object": "objet intégré",
    "embed": "objet intégré",
    "audio": "lecteur audio",
    "video": "lecteur vidéo",
    "canvas": "dessin (canvas)",
    "form": "formulaire",
    "button": "bouton",
    "input": "champ de formulaire",
    "select": "liste de choix",
    "textarea": "champ de formulaire",
    "head": "en-tête du document HTML",
}
#: Icons the host draws beside headings and images: no text, nothing to report.
_CHROME = ("header-anchor-widget", "image-link-expand")
#: The host's own buttons' addresses (subscribe, share, comment, account); a
#: paragraph that is only such a link is a button too.
_BUTTON_URL = re.compile(
    r"[?&](?:action|utm_content)=share|/(?:subscribe|share|comments?|account)(?:[/?#]|$)", re.I
)
#: A footer paragraph: how to unsubscribe, or why this e-mail came.
_FOOTER = re.compile(
    r"d[ée]sabonn|d[ée]sinscri|unsubscribe|"
    r"^vous recevez (?:cette|ce|cet) (?:lettre|newsletter|message|e-?mail|courriel)\b"
    r".{0,120}?\b(?:car|parce qu|en tant qu)",
    re.I,
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_STYLE_MARKS = (
    (re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I), "strong"),
    (re.compile(r"font-style\s*:\s*italic", re.I), "emphasis"),
)


@dataclass
class _Open:
    """An open element: its tag, classes, and the mark it makes."""

    tag: str
    classes: tuple[str, ...]
    mark: str = ""  # link | emphasis | strong
    url: str = ""
    start: int = 0  # where its mark starts in the current line's raw text


@dataclass
class _Dropping:
    """An element left out, until it closes."""

    element: _Open
    what: str  # a key of _DROPPED_TAGS, or chrome | footer | widget | button
    line: int
    src: str
    text: list[str] = field(default_factory=list)


def _collapse(raw: str, marks: list[tuple[int, int, str, str]]) -> tuple[str, tuple[Mark, ...]]:
    """Whitespace runs of ``raw`` collapsed to one space, stripped, and the marks
    moved onto that text (trimmed to its non-blank characters; empty ones dropped)."""
    kept: list[int] = []  # the raw index of each non-blank character
    final: list[int] = []  # its index in the text
    chars: list[str] = []
    for index, char in enumerate(raw):
        if char.isspace():
            continue
        if kept and kept[-1] != index - 1:
            chars.append(" ")
        kept.append(index)
        final.append(len(chars))
        chars.append(char)
    result: list[Mark] = []
    for start, end, kind, url in marks:
        first = bisect_left(kept, start)
        last = bisect_left(kept, end) - 1
        if first <= last:
            result.append(Mark(final[first], final[last] + 1, kind, url))
    text = "".join(chars)
    return text, _merged(text, result)


def _merged(text: str, marks: list[Mark]) -> tuple[Mark, ...]:
    """Marks without duplicates, and one mark for two of the same kind and
    address that touch or stand one space apart (``<em>a </em><em>b</em>``)."""
    merged: list[Mark] = []
    for mark in sorted(set(marks), key=lambda m: (m.kind, m.url, m.start, -m.end)):
        last = merged[-1] if merged else None
        if (
            last
            and (last.kind, last.url) == (mark.kind, mark.url)
            and text[last.end : mark.start] in ("", " ")
        ):
            merged[-1] = Mark(last.start, max(last.end, mark.end), mark.kind, mark.url)
        else:
            merged.append(mark)
    return tuple(sorted(merged, key=lambda m: (m.start, -m.end, m.kind)))


def _data_url(data: str) -> str:
    """The ``url`` of a host component's ``data-attrs`` (JSON), or ""."""
    try:
        attributes = json.loads(data)
    except ValueError:
        return ""
    url = attributes.get("url") if isinstance(attributes, dict) else None
    return url.strip() if isinstance(url, str) else ""


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


class _BodyReader(HTMLParser):
    """Lines from an HTML body; see :func:`html_lines`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[SourceLine] = []
        self.dropped: list[str] = []
        self._stack: list[_Open] = []
        self._raw: list[str] = []
        self._length = 0
        self._has_text = False
        self._marks: list[tuple[int, int, str, str]] = []
        self._line: int | None = None  # where the line being read starts
        self._images: list[SourceLine] = []  # met inside a line: written after it
        self._drop: _Dropping | None = None

    # -- parser events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if self._drop is not None:
            if tag in _BLOCKS or tag == "br":
                self._drop.text.append(" ")  # for the report: « Merci ! Laisser… »
            if tag not in _VOID:
                self._stack.append(_Open(tag, ()))
            return
        if tag in _BLOCKS or tag == "li":
            self._close_implied(tag)
        element = _Open(tag, tuple(attributes.get("class", "").split()))
        what = self._dropped_as(element, attributes)
        if what:
            if tag in _BLOCKS:
                self._flush()
            drop = _Dropping(element, what, line, attributes.get("src", "").strip())
            if tag in _VOID:
                self._note_drop(drop)
            else:
                self._stack.append(element)
                self._drop = drop
            return
        if tag in _VOID:
            self._void(tag, attributes, line)
            return
        if tag in _BLOCKS:
            self._flush()
            self._line = line
        self._stack.append(element)
        if "footnote-anchor" in element.classes:
            self._text("[")
        self._start_mark(element, attributes, line)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                self._pop_to(index)
                return

    def handle_data(self, data: str) -> None:
        if self._drop is not None:
            self._drop.text.append(data)
        else:
            self._text(data)

    def close(self) -> None:
        super().close()
        self._pop_to(0)
        self._flush()

    # -- elements

    def _close_implied(self, tag: str) -> None:
        """A paragraph ends where a block starts; a list item where the next starts."""
        for index in range(len(self._stack) - 1, -1, -1):
            open_tag = self._stack[index].tag
            if open_tag == "p":
                self._pop_to(index)
                return
            if tag == "li" and open_tag == "li":
                self._pop_to(index)
                return
            if open_tag in _BLOCKS or open_tag == "li":
                return

    def _dropped_as(self, element: _Open, attributes: dict[str, str]) -> str:
        """Why an element is left out: a key of _DROPPED_TAGS, chrome, footer,
        widget or button; or "" when it is kept."""
        if element.tag in _DROPPED_TAGS:
            return element.tag
        classes = element.classes
        component = attributes.get("data-component-name", "").lower()
        if any(name.startswith(_CHROME) for name in classes):
            return "chrome"
        if element.tag == "footer" or any(
            name == "footer" or name.startswith("footer-") or name.endswith("-footer")
            for name in classes
        ):
            return "footer"
        if (
            any(name.startswith(("subscription-widget", "subscribe-widget")) for name in classes)
            or "subscribewidget" in component
        ):
            return "widget"
        if (
            (element.tag == "a" and "button" in classes)
            or any(
                name in ("button-wrapper", "share")
                or name.startswith(("captioned-button", "share-", "sharing"))
                or name.endswith("-button")
                for name in classes
            )
            or "button" in component
            or "share" in component
        ):
            # A button to one of the letter's resources is the letter's: kept,
            # with its link; the host's own (subscribe, share, comment) is not.
            url = attributes.get("href", "") or _data_url(attributes.get("data-attrs", ""))
            return "" if url and not _BUTTON_URL.search(url) else "button"
        return ""

    def _start_mark(self, element: _Open, attributes: dict[str, str], line: int) -> None:
        tag = element.tag
        if tag == "a":
            href = attributes.get("href", "").strip()
            scheme = _SCHEME.match(href)
            if (scheme and scheme.group(1).lower() in LINK_SCHEMES) or (
                href and not scheme and not href.startswith("#")
            ):
                element.mark, element.url = "link", href
            elif scheme:
                self.dropped.append(
                    f"ligne {line} : lien « {scheme.group(1)}: » non repris (son texte est gardé)"
                )
        elif tag in ("em", "i"):
            element.mark = "emphasis"
        elif tag in ("strong", "b"):
            element.mark = "strong"
        else:
            style = attributes.get("style", "")
            element.mark = next((kind for rule, kind in _STYLE_MARKS if rule.search(style)), "")
        element.start = self._length

    def _pop_to(self, index: int) -> None:
        """Close the elements from the top of the stack down to ``index``."""
        while len(self._stack) > index:
            element = self._stack[-1]
            if self._drop is not None and element is self._drop.element:
                self._stack.pop()
                self._note_drop(self._drop)
                self._drop = None
                continue
            if self._drop is None:
                if element.tag in _BLOCKS:
                    self._flush()
                elif element.mark:
                    self._marks.append((element.start, self._length, element.mark, element.url))
                if "footnote-anchor" in element.classes:
                    self._text("]")
            self._stack.pop()

    def _void(self, tag: str, attributes: dict[str, str], line: int) -> None:
        if tag == "br":
            if self._kind()[0] in ("heading", "caption"):
                self._text(" ")  # a heading or a caption is one line
            else:
                self._flush()
        elif tag == "hr":
            self._flush()
        elif tag == "img":
            self._image(attributes, line)

    def _image(self, attributes: dict[str, str], line: int) -> None:
        src = (attributes.get("src") or attributes.get("data-src") or "").strip()
        if not src:
            self.dropped.append(f"ligne {line} : image sans adresse")
            return
        if src.lower().startswith("data:"):
            self.dropped.append(f"ligne {line} : image incorporée à la page (data:), sans adresse")
            return
        alt = " ".join(attributes.get("alt", "").split())
        image = SourceLine(line, alt, "image", url=src)
        if self._has_text:
            self._images.append(image)  # inside a line: after it, not cutting it
        else:
            self.lines.append(image)

    def _note_drop(self, drop: _Dropping) -> None:
        text = " ".join("".join(drop.text).split())
        if drop.what == "chrome":
            return
        if drop.what == "footer":
            what = f"pied de page « {_excerpt(text)} »" if text else "pied de page"
        elif drop.what == "widget":
            what = "widget d’abonnement"
        elif drop.what == "button":
            what = f"bouton « {_excerpt(text)} »" if text else "bouton"
        else:
            what = _DROPPED_TAGS[drop.what]
            if drop.src:
                what += f" {drop.src}"
        self.dropped.append(f"ligne {drop.line} : {what}")

    # -- lines

    def _text(self, data: str) -> None:
        if not self._has_text and data.strip():
            self._has_text = True
            if self._line is None:
                self._line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self._raw.append(data)
        self._length += len(data)

    def _kind(self) -> tuple[str, int, bool]:
        """What the line being read is, from the open elements: (kind, level, ordered)."""
        for element in reversed(self._stack):
            if element.tag in _HEADINGS:
                return "heading", _HEADINGS[element.tag], False
            if element.tag == "figcaption":
                return "caption", 0, False
            if element.tag == "li":
                lists = [e.tag for e in self._stack if e.tag in ("ul", "ol")]
                return "item", max(len(lists), 1), bool(lists) and lists[-1] == "ol"
            if element.tag == "blockquote" or "pullquote" in element.classes:
                return "quote", 0, False
        return "para", 0, False

    def _flush(self) -> None:
        """End the line being read (a block ends or starts, or a ``<br>``)."""
        for element in self._stack:
            if element.mark:
                self._marks.append((element.start, self._length, element.mark, element.url))
                element.start = 0
        text, marks = _collapse("".join(self._raw), self._marks)
        line = self._line or self.getpos()[0]
        self._raw, self._length, self._has_text, self._marks = [], 0, False, []
        self._line = None
        kind, level, ordered = self._kind()
        if text and kind == "para" and self._in_footnote() and re.fullmatch(r"\[?\d+\]?", text):
            # A footnote's number, before its text: one line « [1] text ».
            self._text(f"[{text.strip('[]')}] ")
            self._line = line
            return
        if text and not self._drops_line(line, kind, text, marks):
            self.lines.append(SourceLine(line, text, kind, marks, level=level, ordered=ordered))
        self.lines.extend(self._images)
        self._images = []

    def _in_footnote(self) -> bool:
        return any("footnote" in element.classes for element in self._stack)

    def _drops_line(self, line: int, kind: str, text: str, marks: tuple[Mark, ...]) -> bool:
        """A paragraph that is the host's, not the letter's: a footer, or a
        lone link that is a button (share, subscribe, comment)."""
        if kind != "para":
            return False
        if len(text) <= 300 and _FOOTER.search(text):
            self.dropped.append(f"ligne {line} : pied de page « {_excerpt(text)} »")
            return True
        links = [mark for mark in marks if mark.kind == "link"]
        if (
            len(links) == 1
            and (links[0].start, links[0].end) == (0, len(text))
            and len(text) <= 40
            and _BUTTON_URL.search(links[0].url)
        ):
            self.dropped.append(f"ligne {line} : bouton « {text} »")
            return True
        return False


def html_lines(html: str) -> tuple[list[SourceLine], list[str]]:
    """The lines of a post's HTML body, and what was left out.

    Each block (paragraph, heading, list item, quotation paragraph, caption) is
    one :class:`SourceLine`, its ``line`` the line of the HTML where it starts;
    its text has its entities decoded and its whitespace runs (non-breaking
    spaces too: French spacing is the site's) collapsed to one space; a
    ``<br>`` splits it (a run of them, once), except in a heading or a caption.
    An image is a line of its own (``url``, its alt text as ``text``), after
    the line it stands in. Links (http, https, mailto, or a relative address,
    kept as written), ``<em>``/``<i>`` and ``<strong>``/``<b>`` are marks over
    the final text. Left out, each as « ligne N : what » in the second list:
    the host's buttons, subscription widgets and footers, and script, style,
    iframe, svg, noscript, forms; an unknown element keeps its text.
    """
    html = unicodedata.normalize("NFC", re.sub(r"\r\n?", "\n", html))
    reader = _BodyReader()
    reader.feed(html)
    reader.close()
    return reader.lines, reader.dropped
