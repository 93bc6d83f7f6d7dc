"""The sitemap lists every page, whatever the build wrote this time.

sphinx-sitemap collects the pages as they are written (``html-page-context``):
a rebuild that writes three pages would publish a sitemap of three pages, and
a parallel build lists them in the order its processes finish. Before it writes
``sitemap.xml`` (``build-finished``), the pages this build did not write are
added, and the documents are put in one order — what a clean serial build gives.
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, before sphinx-sitemap: every document, in name order,
    then the other pages (indices, search) as they were first written."""
    links = getattr(app, "sitemap_links", None)  # sphinx-sitemap's queue
    if exception is not None or links is None or app.builder.name not in ("html", "dirhtml"):
        return
    from sphinx_sitemap import add_html_link

    def drain() -> list[tuple[str, Any]]:
        found = []
        while True:
            try:
                found.append(links.get_nowait())
            except queue.Empty:
                return found

    written = drain()
    for docname in sorted(app.env.found_docs):
        add_html_link(app, docname, None, None, None)  # the entry a clean build makes
    documents = drain()
    document_links = {link for link, _updated in documents}
    # The other pages once each: an index page is rendered twice when it changed
    # (its frame, then the page: almanach.html.index_pages).
    others: dict[str, Any] = {}
    for entry in written:
        if entry[0] not in document_links:
            others.setdefault(entry[0], entry)
    for entry in [*documents, *others.values()]:
        links.put(entry)


def stop_sitemap_manager(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, after sphinx-sitemap: stop the process that serves its
    queue (``multiprocessing.Manager``), which it never stops: every build in one
    Python process (tests, hypothesis examples) would leave one running."""
    manager = getattr(getattr(app, "sitemap_links", None), "_manager", None)
    if manager is not None:
        manager.shutdown()


def setup_sitemap(app: Sphinx) -> None:
    app.connect("build-finished", complete_sitemap, priority=400)
    app.connect("build-finished", stop_sitemap_manager, priority=900)
