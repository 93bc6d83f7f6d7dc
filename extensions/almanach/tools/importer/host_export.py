"""Reading the newsletter host's archive export: a ZIP (or the folder it unzips
to) that holds ``posts.csv`` (one row per post: id, date, published flag, type,
title, subtitle…) and ``posts/<post_id>.html``, each post's body as an HTML
fragment.

Contract: :func:`read_export` gives an :class:`Export`, its posts in date order
(posts without a date last, in the CSV's order) and one French problem per post
that could not be read; it raises :class:`ExportFormatError` (French) when the
archive itself is unusable. Members are read by name, never extracted; a member
name that is absolute or climbs with « .. » is refused, and sizes are bounded
(:data:`MAX_HTML_BYTES`, :data:`MAX_TOTAL_BYTES`).

:func:`html_lines` is the core, pure: an HTML body becomes
:class:`~almanach.tools.importer.source.SourceLine` (paragraphs, headings, list
items, quotations, captions, images), with links and emphasis as
:class:`~almanach.tools.importer.source.Mark` ranges over each line's final
text. What the host adds around a letter (buttons « S’abonner » / « Partager »,
subscription widgets, footers) and what cannot be a letter's text (script,
style, iframe, svg, noscript…) is left out and listed, with its line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...rules.allowlist import LINK_SCHEMES
from .source import Mark, SourceLine

#: The largest post body read (bytes); a larger one is a problem, not a crash.
MAX_HTML_BYTES = 5 * 1024 * 1024
#: The most read from one archive (bytes), against ZIP bombs.
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: The largest ``posts.csv`` read (bytes).
MAX_CSV_BYTES = 20 * 1024 * 1024
#: Post types that are letters (an empty type is one too); any other type
#: (``podcast``, ``thread``…) is left out with a problem.
LETTER_TYPES = ("newsletter",)

try:
    # A post's day is the day in France, where the letters are sent: a letter
    # sent on 31 December at 23:30 UTC is a January letter.
    _LETTERS_ZONE: tzinfo | None = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # pragma: no cover - no time zone database
    _LETTERS_ZONE = None


class ExportFormatError(ValueError):
    """An archive that is not the host's export (French message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Post:
    """One letter of the export: its row of ``posts.csv`` and its body's lines."""

    post_id: str
    date: str  # « AAAA-MM-JJ », or "" for a draft without a date
    published: bool
    title: str
    subtitle: str
    source: str  # e.g. « export.zip:posts/48327343.lettre.html », for messages
    lines: list[SourceLine] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # « ligne 3 : bouton « S’abonner » »


@dataclass
class Export:
    """The posts of an export, in date order, and what could not be read."""

    posts: list[Post]
    problems: list[str]


# -- the archive -----------------------------------------------------------------


class _Unreadable(Exception):
    """A member that is missing, too large, refused or unreadable (French reason)."""


def _unsafe(name: str) -> bool:
    """A member name that is absolute, names a drive, or climbs with « .. »."""
    return (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or "\x00" in name
        or ".." in re.split(r"[/\\]", name)
    )


class _Archive:
    """Members read by name from a ZIP or a folder, within the size limits."""

    def __init__(self, path: Path) -> None:
        self.name = path.name or str(path)
        self.refused: list[str] = []
        self.total = 0
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._root = path
        if path.is_dir():
            names = {
                child.relative_to(path).as_posix()
                for child in [*path.glob("posts.csv"), *path.glob("*/posts.csv")]
            }
        elif path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
                infos = self._zip.infolist()
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
                raise ExportFormatError(
                    f"{self.name} : ce n’est pas une archive ZIP lisible ({error}) ; donnez "
                    "l’export de l’hébergeur (le fichier .zip) ou le dossier décompressé"
                ) from None
            for info in infos:
                if _unsafe(info.filename):
                    self.refused.append(
                        f"{self.name} : membre « {info.filename} » refusé (chemin absolu ou "
                        "« .. ») ; il n’est pas lu"
                    )
                elif not info.is_dir():
                    self._members[info.filename] = info
            names = {name for name in self._members if re.fullmatch(r"(?:[^/]+/)?posts\.csv", name)}
        else:
            raise ExportFormatError(f"{self.name} : introuvable (ni fichier ZIP ni dossier)")
        if "posts.csv" in names:
            self.prefix = ""
        elif len(names) == 1:  # the export zipped again with its folder
            self.prefix = names.pop()[: -len("posts.csv")]
        else:
            raise ExportFormatError(
                f"{self.name} : ce n’est pas un export de l’hébergeur : posts.csv introuvable"
            )

    def html_names(self) -> set[str]:
        """The post bodies the archive holds, as ``posts/<id>.html``."""
        if self._zip is not None:
            names = self._members
        else:
            folder = self._root / self.prefix / "posts"
            names = {f"{self.prefix}posts/{p.name}" for p in folder.glob("*.html")}
        pattern = re.compile(re.escape(self.prefix) + r"(posts/[^/]+\.html)")
        return {m.group(1) for m in map(pattern.fullmatch, names) if m}

    def read(self, member: str, limit: int) -> bytes:
        """A member's bytes (``member`` relative to the export's root)."""
        name = self.prefix + member
        if _unsafe(name):
            raise _Unreadable("chemin refusé (chemin absolu ou « .. »)")
        if self._zip is not None:
            info = self._members.get(name)
            if info is None:
                raise _Unreadable(f"{member} introuvable dans {self.name}")
            self._within(member, info.file_size, limit)
            try:
                with self._zip.open(info) as stream:
                    data = stream.read(limit + 1)  # the declared size may lie
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError,
                    OSError, EOFError, ValueError) as error:  # fmt: skip
                raise _Unreadable(f"{member} illisible dans l’archive ({error})") from None
        else:
            path = self._root / name
            root = self._root.resolve()
            if not path.resolve().is_relative_to(root):
                raise _Unreadable(f"{member} mène hors du dossier de l’export : refusé")
            if not path.is_file():
                raise _Unreadable(f"{member} introuvable dans {self.name}")
            try:
                self._within(member, path.stat().st_size, limit)
                with path.open("rb") as stream:
                    data = stream.read(limit + 1)
            except OSError as error:
                raise _Unreadable(f"{member} illisible ({error.strerror})") from None
        self._within(member, len(data), limit)
        self.total += len(data)
        return data

    def _within(self, member: str, size: int, limit: int) -> None:
        if size > limit:
            raise _Unreadable(
                f"{member} dépasse {limit // (1024 * 1024)} Mo ({size} octets) : non lu"
            )
        if self.total + size > MAX_TOTAL_BYTES:
            raise _Unreadable(
                f"{member} non lu : l’archive dépasserait {MAX_TOTAL_BYTES // (1024 * 1024)} Mo "
                "lus au total"
            )

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _csv_rows(data: bytes, where: str) -> list[tuple[int, dict[str, str]]]:
    """(line, row by lower-case column name) for each non-blank row of posts.csv."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportFormatError(
            f"{where} : ce n’est pas de l’UTF-8 (octet 0x{data[error.start]:02X} en position "
            f"{error.start}) ; ce n’est pas l’export de l’hébergeur"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        columns = [name.strip().lower() for name in header or []]
        if "post_id" not in columns:
            read = ", ".join(name for name in columns if name) or "aucune"
            raise ExportFormatError(
                f"{where} : pas de colonne « post_id » dans l’en-tête (colonnes lues : {read}) ; "
                "ce n’est pas un export de l’hébergeur"
            )
        start = reader.line_num + 1
        for row in reader:
            if any(value.strip() for value in row):
                rows.append((start, dict(zip(columns, row, strict=False))))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ExportFormatError(f"{where}:{reader.line_num} : CSV illisible ({error})") from None
    return rows


def _post_date(value: str) -> tuple[str, str]:
    """(« AAAA-MM-JJ », a sort key) of an ISO 8601 moment, or ValueError."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None and _LETTERS_ZONE is not None:
        moment = moment.astimezone(_LETTERS_ZONE)
    return moment.date().isoformat(), moment.isoformat()


_TRUE = ("true", "1", "yes", "oui", "vrai", "t")
_FALSE = ("false", "0", "no", "non", "faux", "f", "")


def read_export(path: Path) -> Export:
    """The posts of the host's export at ``path`` (a ZIP file or its unzipped
    folder), in date order; a post that cannot be read is a problem, and the
    others are still read. Raises :class:`ExportFormatError` when the archive is
    unusable (not a ZIP, no ``posts.csv``, no ``post_id`` column)."""
    archive = _Archive(path)
    try:
        where = f"{archive.name}:{archive.prefix}posts.csv"
        try:
            data = archive.read("posts.csv", MAX_CSV_BYTES)
        except _Unreadable as error:
            raise ExportFormatError(f"{archive.name} : {error}") from None
        rows = _csv_rows(data, where)
        problems = list(archive.refused)
        dated: list[tuple[str, int, Post]] = []
        undated: list[Post] = []
        seen: set[str] = set()
        for index, (line, row) in enumerate(rows):
            read = _read_post(archive, row, f"{where}:{line}", seen, problems)
            if read is None:
                continue
            post, moment = read
            if moment:
                dated.append((moment, index, post))
            else:
                undated.append(post)
        for member in sorted(archive.html_names() - {f"posts/{post_id}.html" for post_id in seen}):
            problems.append(f"{archive.name}:{archive.prefix}{member} : absent de posts.csv, ignoré")
    finally:
        archive.close()
    dated.sort(key=lambda entry: entry[:2])
    return Export([post for _, _, post in dated] + undated, problems)


def _read_post(
    archive: _Archive, row: dict[str, str], where: str, seen: set[str], problems: list[str]
) -> tuple[Post, str] | None:
    """One row's post and its moment (a sort key, "" without a date), or None
    with its problem."""
    post_id = row.get("post_id", "").strip()
    if not post_id:
        problems.append(f"{where} : ligne sans post_id, ignorée")
        return None
    if post_id in seen:
        problems.append(f"{where} : {post_id} figure deux fois dans posts.csv ; seconde ligne ignorée")
        return None
    if re.search(r"[/\\\x00]", post_id) or post_id in (".", ".."):
        problems.append(f"{where} : post_id « {post_id} » refusé (chemin dans le nom) ; ignoré")
        return None
    seen.add(post_id)
    kind = row.get("type", "").strip().lower()
    if kind and kind not in LETTER_TYPES:
        problems.append(f"{where} : {post_id} ignoré : type {kind} (seules les lettres sont importées)")
        return None
    notes = []
    date = moment = ""
    if value := row.get("post_date", "").strip():
        try:
            date, moment = _post_date(value)
        except ValueError:
            notes.append(f"date « {value} » illisible : gardée sans date")
    flag = row.get("is_published", "").strip().lower()
    if flag not in _TRUE + _FALSE:
        notes.append(f"is_published « {flag} » non reconnu : gardée en brouillon")
    member = f"posts/{post_id}.html"
    source = f"{archive.name}:{archive.prefix}{member}"
    try:
        data = archive.read(member, MAX_HTML_BYTES)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        html = data.decode("utf-8")
    except _Unreadable as error:
        problems.append(f"{where} : {post_id} non importée : {error}")
        return None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(
            f"{source}:{line} : pas en UTF-8 (octet 0x{data[error.start]:02X}) ; lettre non importée"
        )
        return None
    problems.extend(f"{where} : {post_id} : {note}" for note in notes)
    lines, dropped = html_lines(html)
    post = Post(
        post_id=post_id,
        date=date,
        published=flag in _TRUE,
        title=" ".join(row.get("title", "").split()),
        subtitle=" ".join(row.get("subtitle", "").split()),
        source=source,
        lines=lines,
        dropped=dropped,
    )
    return post, moment


# -- the HTML body -----------------------------------------------------------------

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
#: Links that are buttons when they are a paragraph's whole text.
_BUTTON_URL = re.compile(
    r"[?&](?:action|utm_content)=share|/(?:subscribe|share|comments?)(?:[/?#]|$)", re.I
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
    return "".join(chars), _merged(result)


def _merged(marks: list[Mark]) -> tuple[Mark, ...]:
    """Marks without duplicates, and one mark for two of the same kind and
    address that touch or stand one space apart (``<em>a </em><em>b</em>``)."""
    merged: list[Mark] = []
    for mark in sorted(set(marks), key=lambda m: (m.kind, m.url, m.start, -m.end)):
        last = merged[-1] if merged else None
        if last and (last.kind, last.url) == (mark.kind, mark.url) and mark.start <= last.end + 1:
            merged[-1] = Mark(last.start, max(last.end, mark.end), mark.kind, mark.url)
        else:
            merged.append(mark)
    return tuple(sorted(merged, key=lambda m: (m.start, -m.end, m.kind)))


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
                name == "button-wrapper"
                or name.startswith(("captioned-button", "share"))
                or name.endswith("-button")
                for name in classes
            )
            or "button" in component
            or "share" in component
        ):
            return "button"
        return ""

    def _start_mark(self, element: _Open, attributes: dict[str, str], line: int) -> None:
        tag = element.tag
        if tag == "a":
            href = attributes.get("href", "").strip()
            scheme = _SCHEME.match(href)
            if scheme and scheme.group(1).lower() in LINK_SCHEMES or (
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
