"""almanach's index pages (territories, people, resources), written again only
when what they show changed.

Sphinx writes every domain index page at the end of every HTML build, whatever
it read. On the benchmark archive of 120 letters, almanach's three (1.2 MB of
HTML) were 0.45 s and 12 MB of a build with nothing to do (1.43 s, 113 MB).
Sphinx still generates their entries (as it does for every index, in
``prepare_writing``), but leaves the writing of almanach's to the extension
(``html-collect-pages``), which gives each a key: the digest of its entries and
of its frame — the same page rendered without entries (theme, navigation,
footer, stylesheets: whatever the build puts around them, whatever changed it),
so that nothing shown on the page can be left stale. A page whose key is the one
the previous build wrote, and whose file is still the one it wrote, is not
written again; a page that was due and could not be written is not remembered.

The keys are kept in the doctrees folder (``almanach-index-pages.json``, see
:mod:`almanach.caches`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _compat
from ..caches import Inputs, JsonStore, digest, file_stamp
from ..domain.indices import INDEX_PAGES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

STORE = "almanach-index-pages.json"
STORE_VERSION = 1
INPUTS = Inputs(modules=("almanach.html.index_pages", "almanach.domain.indices"))
#: The builders whose end writes the domain indices (singlehtml and the email
#: edition write none).
BUILDERS = ("html", "dirhtml")
TEMPLATE = "domainindex.html"


def _entry(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)


def index_pages_store(doctreedir: str | Path) -> JsonStore:
    """Per page: ``[its key, [mtime_ns, size] of the file written]``."""
    return JsonStore(Path(doctreedir) / STORE, STORE_VERSION, "pages", INPUTS, _entry)


def frame(builder: StandaloneHTMLBuilder, name: str, context: dict[str, Any]) -> str | None:
    """The page rendered without its entries: everything the build puts around
    them (``None`` when it could not be rendered: the page is then written)."""
    handle, temporary = tempfile.mkstemp(suffix=".html", dir=builder.doctreedir)
    os.close(handle)
    path = Path(temporary)
    try:
        builder.handle_page(name, {**context, "content": []}, TEMPLATE, outfilename=path)
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    finally:
        path.unlink(missing_ok=True)


class IndexPages:
    """The index pages of one application's builds: whether almanach writes them
    (set when its builder starts), the key of each one this build showed, and the
    file each one due to be written had before."""

    def __init__(self) -> None:
        self.active = False
        self.keys: dict[str, str] = {}
        self.due: dict[str, list[int] | None] = {}

    def take_over(self, app: Sphinx) -> None:
        """``builder-inited``: almanach's index pages left out of those Sphinx writes."""
        self.keys, self.due = {}, {}
        self.active = app.builder.name in BUILDERS
        if self.active:
            _compat.leave_domain_index_pages(app.builder, frozenset(INDEX_PAGES))

    def pages(self, app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
        """``html-collect-pages``: almanach's index pages Sphinx generated this build
        (those asked for, with entries) whose key or file is not what the previous
        build left."""
        if not self.active:
            return []
        builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
        stored = index_pages_store(app.doctreedir).load()
        pages = []
        for name, index, content, collapse in _compat.domain_index_pages(builder):
            if name not in INDEX_PAGES:
                continue
            context = {
                "indextitle": index.localname,
                "content": content,
                "collapse_index": collapse,
            }
            shown = frame(builder, name, context)
            written = file_stamp(Path(builder.get_outfilename(name)))
            if shown is not None:
                self.keys[name] = digest(str(app.outdir), shown, content, collapse)
                if written is not None and stored.get(name) == [self.keys[name], written]:
                    continue
            self.due[name] = written
            pages.append((name, context, TEMPLATE))
        return pages

    def remember(self, app: Sphinx, exception: Exception | None) -> None:
        """``build-finished``: the key and file of each index page, for the next
        build — not of a page that was due and was not written (Sphinx only warns
        when it cannot write a file)."""
        if exception is not None or not self.active:
            return
        builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
        pages = {}
        for name, key in self.keys.items():
            written = file_stamp(Path(builder.get_outfilename(name)))
            if written is None or (name in self.due and written == self.due[name]):
                continue
            pages[name] = [key, written]
        cache = index_pages_store(app.doctreedir)
        if pages != cache.load():
            cache.save(pages)


def setup_index_pages(app: Sphinx) -> None:
    index_pages = IndexPages()
    app.connect("builder-inited", index_pages.take_over)
    app.connect("html-collect-pages", index_pages.pages)
    app.connect("build-finished", index_pages.remember, priority=950)
