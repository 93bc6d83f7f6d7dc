"""almanach's index pages (territories, people, resources), written again only
when what they show changed.

Sphinx writes every domain index page at the end of every HTML build, whatever
it read. On the benchmark archive of 120 letters, almanach's three (1.2 MB of
HTML) were 0.45 s and 12 MB of a build with nothing to do (1.43 s, 113 MB).
Here they are taken out of Sphinx's own indices (``html_domain_indices``) and
given as the extension's pages (``html-collect-pages``), each with a key: the
digest of its entries and of its frame — the same page rendered without
entries (theme, navigation, footer, stylesheets: whatever the build puts around
them, whatever changed it), so that nothing shown on the page can be left
stale. A page whose key is the one the previous build wrote, and whose file is
still the one it wrote, is not written again. Its entries are computed every
time (Sphinx did it anyway, to know which indices have any).

The keys are kept in the doctrees folder (``almanach-index-pages.json``, see
:mod:`almanach.caches`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def frame(builder: StandaloneHTMLBuilder, name: str, context: dict[str, Any]) -> str:
    """The page rendered without its entries: everything the build puts around them."""
    path = Path(builder.doctreedir) / f"{STORE}.{name}.html"
    try:
        builder.handle_page(name, {**context, "content": []}, TEMPLATE, outfilename=path)
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


class IndexPages:
    """The index pages of one application's builds: which are almanach's to write
    (set when its builder starts), and the key of each one this build showed."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.keys: dict[str, str] = {}

    def take_over(self, app: Sphinx) -> None:
        """``builder-inited``: almanach's indices left out of Sphinx's, noted as ours."""
        self.names, self.keys = [], {}
        wanted = app.config.html_domain_indices
        if app.builder.name not in BUILDERS or not wanted:
            return
        names = [
            f"{domain.name}-{index.name}"
            for domain in app.env.domains.sorted()
            for index in domain.indices
        ]
        asked = names if wanted is True else list(wanted)
        self.names = [name for name in INDEX_PAGES if name in asked]
        app.config.html_domain_indices = [name for name in asked if name not in INDEX_PAGES]

    def pages(self, app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
        """``html-collect-pages``: the index pages to write — those with entries
        whose key or file is not what the previous build left."""
        if not self.names:
            return []
        builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
        domain = app.env.domains["almanach"]
        stored = index_pages_store(app.doctreedir).load()
        pages = []
        for name in self.names:
            index = INDEX_PAGES[name]
            content, collapse = index(domain).generate()
            if not content:
                continue  # as Sphinx: an index without entries has no page
            context = {
                "indextitle": index.localname,
                "content": content,
                "collapse_index": collapse,
            }
            key = digest(str(app.outdir), frame(builder, name, context), content, collapse)
            self.keys[name] = key
            written = file_stamp(Path(builder.get_outfilename(name)))
            if written is None or stored.get(name) != [key, written]:
                pages.append((name, context, TEMPLATE))
        return pages

    def remember(self, app: Sphinx, exception: Exception | None) -> None:
        """``build-finished``: the keys and files of the index pages, for the next build."""
        if exception is not None or not self.keys:
            return
        builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
        pages = {
            name: [key, file_stamp(Path(builder.get_outfilename(name)))]
            for name, key in self.keys.items()
        }
        cache = index_pages_store(app.doctreedir)
        if pages != cache.load():
            cache.save(pages)


def setup_index_pages(app: Sphinx) -> None:
    index_pages = IndexPages()
    app.connect("builder-inited", index_pages.take_over)
    app.connect("html-collect-pages", index_pages.pages)
    app.connect("build-finished", index_pages.remember, priority=950)
