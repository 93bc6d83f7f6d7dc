"""almanach: the publishing pipeline of the Territoires Pilotes letters.

A Sphinx extension (this package's :func:`setup`) and the ``almanach``
command line (:mod:`almanach.cli`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: Bumped whenever the shape of what the extension stores in the environment
#: changes, so that an old pickled environment is thrown away.
ENV_VERSION = 3


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every feature of almanach with Sphinx."""
    from .a11y import setup_a11y
    from .assets import setup_assets
    from .bibstyle import setup_bibstyle
    from .config import setup_config
    from .directives.quote import setup_quote
    from .directives.resource import setup_resource
    from .directives.rubrique import setup_rubrique
    from .directives.territory_update import setup_territory_update
    from .domain import AlmanachDomain
    from .download import setup_download
    from .feeds import setup_feeds
    from .gathered import setup_gathered
    from .indices import setup_indices
    from .latex import setup_latex
    from .model import setup_model
    from .nodes import setup_nodes
    from .roles import setup_roles
    from .safety import setup_safety
    from .search import setup_search
    from .theme import setup_theme
    from .workflow import setup_workflow

    setup_config(app)
    setup_bibstyle(app)
    setup_latex(app)
    setup_download(app)
    app.add_domain(AlmanachDomain)
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
    setup_a11y(app)
    setup_search(app)
    setup_theme(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
