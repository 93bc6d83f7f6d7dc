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

:func:`html_lines` (from :mod:`almanach.tools.importer.host_html`) is the
core, pure: an HTML body becomes
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
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .host_html import html_lines
from .source import SourceLine

__all__ = ["Export", "ExportFormatError", "Post", "html_lines", "read_export"]

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
            self.close()
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
    if moment.tzinfo is not None:
        if _LETTERS_ZONE is not None:
            moment = moment.astimezone(_LETTERS_ZONE)
        # within a day, the moments in UTC (a day may change its offset)
        return moment.date().isoformat(), f"{moment.date()} {moment.astimezone(UTC)}"
    return moment.date().isoformat(), f"{moment.date()} {moment}"


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
            problems.append(
                f"{archive.name}:{archive.prefix}{member} : absent de posts.csv, ignoré"
            )
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
        problems.append(
            f"{where} : {post_id} figure deux fois dans posts.csv ; seconde ligne ignorée"
        )
        return None
    if re.search(r"[/\\\x00]", post_id) or post_id in (".", ".."):
        problems.append(f"{where} : post_id « {post_id} » refusé (chemin dans le nom) ; ignoré")
        return None
    seen.add(post_id)
    kind = row.get("type", "").strip().lower()
    if kind and kind not in LETTER_TYPES:
        problems.append(
            f"{where} : {post_id} ignoré : type {kind} (seules les lettres, de type newsletter, "
            "sont importées)"
        )
        return None
    notes = []
    date = moment = ""
    if value := row.get("post_date", "").strip():
        try:
            date, moment = _post_date(value)
        except ValueError:
            notes.append(f"date « {value} » illisible : lettre gardée sans date")
    flag = row.get("is_published", "").strip().lower()
    if flag not in _TRUE + _FALSE:
        notes.append(f"is_published « {flag} » non reconnu : lettre gardée en brouillon")
    member = f"posts/{post_id}.html"
    source = f"{archive.name}:{archive.prefix}{member}"
    try:
        data = archive.read(member, MAX_HTML_BYTES)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        html = data.decode("utf-8")
    except _Unreadable as error:
        problems.append(f"{where} : lettre {post_id} non importée : {error}")
        return None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(
            f"{source}:{line} : pas en UTF-8 (octet 0x{data[error.start]:02X}) ; "
            "lettre non importée"
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
