"""almanach: the publishing pipeline of the Territoires Pilotes letters.

A Sphinx extension (this package's :func:`setup`) and the ``almanach``
command line (:mod:`almanach.cli`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _compat

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: Bumped whenever the shape of what the extension stores in the environment
#: changes, so that an old pickled environment is thrown away.
ENV_VERSION = 5


def drop_read_doctrees(app: Sphinx, *args: Any) -> None:
    """``doctree-read`` and ``env-updated``: let go of the doctrees read so far.

    A serial build keeps every doctree it read in memory until it writes the page
    (``BuildEnvironment._write_doc_doctree_cache``): the whole archive at once, the
    largest part of the build's memory. Written pages read their doctree back from
    the pickle Sphinx saved (a millisecond each) instead."""
    _compat.drop_read_doctrees(app.env)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every feature of almanach with Sphinx."""
    from .collector import setup_collector
    from .config import setup_config
    from .domain.domain import AlmanachDomain
    from .domain.indices import setup_indices
    from .gathered.directives import setup_gathered
    from .html.accessibility import setup_accessibility
    from .html.addresses import setup_addresses
    from .html.assets import setup_assets
    from .html.feeds import setup_feeds
    from .html.index_pages import setup_index_pages
    from .html.search import setup_search
    from .html.sitemap import setup_sitemap
    from .html.theme import setup_theme
    from .html.typography import setup_typography
    from .html.writing import setup_writing
    from .pdf.settings import setup_latex
    from .progress import setup_progress
    from .reading.bibliography import setup_bibliography
    from .reading.collect import setup_collect
    from .reading.directives.pdf_download import setup_download
    from .reading.directives.quote import setup_quote
    from .reading.directives.resource import setup_resource
    from .reading.directives.rubrique import setup_rubrique
    from .reading.directives.territory_update import setup_territory_update
    from .reading.nodes import setup_nodes
    from .reading.parser import setup_parser
    from .reading.registries import setup_model
    from .reading.review import setup_workflow
    from .reading.roles import setup_roles
    from .reading.safety import setup_safety
    from .warnings_ import setup_warning_locations

    setup_collector(app)
    setup_warning_locations(app)
    setup_config(app)
    setup_parser(app)
    app.connect("doctree-read", drop_read_doctrees)
    app.connect("env-updated", drop_read_doctrees)
    setup_bibliography(app)
    setup_latex(app)
    setup_download(app)
    app.add_domain(AlmanachDomain)
    setup_collect(app)
    setup_indices(app)
    setup_model(app)
    setup_nodes(app)
    setup_roles(app)
    setup_rubrique(app)
    setup_territory_update(app)
    setup_quote(app)
    setup_resource(app)
    setup_gathered(app)
    setup_safety(app)
    setup_assets(app)
    setup_workflow(app)
    setup_feeds(app)
    setup_index_pages(app)
    setup_accessibility(app)
    setup_search(app)
    setup_sitemap(app)
    setup_addresses(app)
    setup_theme(app)
    setup_typography(app)
    setup_writing(app)
    setup_progress(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
