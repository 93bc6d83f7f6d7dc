"""The caches kept between builds (in the doctrees folder): one way to key,
read, check and write them.

A cache is a :class:`JsonStore`: one JSON file ``{"version": …, "key": …,
<field>: {…}}``. Its ``key`` digests the cache's declared :class:`Inputs`: the
versions of almanach, of Sphinx and of the libraries its content depends on,
and the source of the modules that compute it. A file whose key or version is
not this build's, unreadable, or of another shape reads as empty: the cache is
computed again, never trusted and never fatal. Entries are checked one by one
(``entry``); a file is written atomically (:func:`store_atomically`), so that
two builds sharing the folder never read half of it. Within a cache, an entry's
own key (what it was made of) is a :func:`digest` too.

The caches, each with its tests in ``tests/test_caches.py`` (a change of each
declared package's version and of each declared module's source invalidates it;
a damaged or older file is ignored):

sidebars: ``almanach-navigation.json`` (:mod:`almanach.html.navigation`)
    Key: almanach, Sphinx, pydata-sphinx-theme, sphinx-book-theme, beautifulsoup4,
    soupsieve; the modules ``almanach.html.navigation`` and ``pydata_sphinx_theme.toctree``.
    Saves: the sidebar's HTML without the current page's marks, by the digest of
    the toctree (unmarked), the theme's arguments and the toggles' label; the 64
    latest used. Gain (60 letters, CPU): a build with nothing to do, 2.32 → 2.18 s.

feeds: ``almanach-feeds.json`` (:mod:`almanach.html.feeds`)
    Key: almanach, Sphinx, feedgen, icalendar, lxml; ``almanach.html.feeds``.
    Saves: per feed (``atom.xml``, ``agenda.ics``), the digest of its content and
    output folder, and the time and size of the file written (an unchanged feed is
    not written again: the calendar keeps its ``DTSTAMP``). Gain: importing
    feedgen and icalendar (65 ms), below the noise of a whole build.

index pages: ``almanach-index-pages.json`` (:mod:`almanach.html.index_pages`)
    Key: almanach, Sphinx; ``almanach.html.index_pages`` and ``almanach.domain.indices``.
    Saves: per index page (territories, people, resources), the digest of its
    entries and of its frame (the page rendered without entries), and the time
    and size of the file written: a page whose digest and file are unchanged is
    not written again. Gain (120 letters): a build with nothing to do, 1.43 →
    1.35 s and 113 → 104 MB at its peak.

compiled templates: ``almanach-templates/<key>/`` (:mod:`almanach.html.theme`)
    Key (the folder's name): almanach, Sphinx, Jinja2, pydata-sphinx-theme,
    sphinx-book-theme, and the Jinja environment's options (``Inputs.extra``).
    Saves: Jinja's bytecode of each template (Jinja checks each template's
    source and writes atomically; a damaged file is compiled again). Gain: a
    build with nothing to do, 2.41 → 2.18 s.

documents with problems: ``almanach-warned.json`` (:mod:`almanach.warnings_`)
    Key: none (:data:`Inputs.RECORD`): a record of the project, not derived from
    code, that an upgrade must not forget. Saves: the documents the last build
    said a problem about, read again by the next build until it has none.

The letters' statuses are not cached: reading them all costs 45 ms at 60 letters
(a stale status would publish a draft). Within a build, the sidebar of each folder
(:class:`almanach.html.navigation.SiteNavigation`: a full build, 27.5 → 16.7 s) and
the search's stems (:class:`almanach.html.search.SearchFrenchUnaccented`: 21.3 →
16.7 s) are kept in memory.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, ClassVar

#: The distributions every cache depends on (almanach's own version is
#: ``almanach.__version__``: the package is not always installed).
BASE_PACKAGES = ("almanach", "sphinx")


def digest(*values: Any) -> str:
    """A digest of ``values`` (their ``repr``): a cache entry's key."""
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache  # (a process's installed versions do not change)
def _installed_version(name: str) -> str:
    if name == "almanach":
        from . import __version__

        return __version__
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def package_version(name: str) -> str:
    """The installed version of the distribution ``name`` ('' when absent)."""
    return _installed_version(name)


def module_source(name: str) -> bytes:
    """The source of the module ``name`` (b'' when it cannot be found)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return b""
    origin = getattr(spec, "origin", None)
    try:
        return Path(origin).read_bytes() if origin else b""
    except OSError:
        return b""


@dataclass(frozen=True)
class Inputs:
    """What a cache's content depends on besides what each entry is made of:
    distributions (their versions; almanach's and Sphinx's always) and modules
    (their source). ``extra``: other values (options) that count."""

    packages: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    extra: tuple[Any, ...] = ()
    #: A record kept across versions, not derived from code (see the table).
    record: bool = False

    RECORD: ClassVar[Inputs]

    def key(self) -> str:
        if self.record:
            return "record"
        packages = [*BASE_PACKAGES, *(p for p in self.packages if p not in BASE_PACKAGES)]
        return digest(
            [(name, package_version(name)) for name in packages],
            [(name, hashlib.sha256(module_source(name)).hexdigest()) for name in self.modules],
            self.extra,
        )


Inputs.RECORD = Inputs(record=True)


def file_stamp(path: Path) -> list[int] | None:
    """``[mtime_ns, size]`` of a file a build wrote (``None``: it is not there), to
    know next time that it is still the one written."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


def store_atomically(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file, so that two builds
    sharing the folder never read half a file; a cache that cannot be written is
    only a cache: ``False``, and the next build computes it again."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:  # (its folder could not be made)
            pass
        return False
    return True


@dataclass(frozen=True)
class JsonStore:
    """A cache in one JSON file (see the module's docstring). ``version``: the
    shape of what it saves (bumped by hand when it changes); ``inputs``: what
    its key digests; ``entry``: whether a saved entry is usable (the others are
    dropped); ``sort_keys``: write the mapping sorted (else in its order, which
    a cache may use: the latest used last)."""

    path: Path
    version: int
    field: str
    inputs: Inputs
    entry: Callable[[Any], bool] | None = None
    sort_keys: bool = False

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("version") != self.version
            or data.get("key") != self.inputs.key()
        ):
            return {}
        value = data.get(self.field)
        if not isinstance(value, dict):
            return {}
        if self.entry is None:
            return value
        return {name: item for name, item in value.items() if self.entry(item)}

    def save(self, value: dict[str, Any]) -> bool:
        text = json.dumps(
            {"version": self.version, "key": self.inputs.key(), self.field: value},
            sort_keys=self.sort_keys,
        )
        return store_atomically(self.path, text)
