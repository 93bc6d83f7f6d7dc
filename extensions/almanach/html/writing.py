"""The site's pages are written by one process, even with ``-j``.

Sphinx writes in parallel by resolving every page in the main process (its
references, and here the gathered views, the most costly part) and forking
workers that only translate chunks of already resolved pages into HTML: with
``-j 2`` a single worker. The main process holds a chunk's resolved pages when
it forks, and the gathered pages are the largest of the site, so each worker
starts with them in its memory. Measured on the benchmark archive (2 cores,
``make bench``): with parallel writing, 120 letters built in 16.7 s instead of
17.8 s at a peak of 289 MB instead of 174 MB, and 12 letters more slowly than
serially (2.56 s against 2.44 s). Reading stays parallel: that is where ``-j``
pays.

Turning it off through the extension's metadata (``parallel_write_safe``)
would make Sphinx warn, and the strict build fail: the builder's own switch is
turned off when writing starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def write_serially(app: Sphinx, builder: Builder) -> None:
    if builder.format == "html":
        builder.parallel_ok = False


def setup_writing(app: Sphinx) -> None:
    app.connect("write-started", write_serially)
