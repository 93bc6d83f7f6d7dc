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
ENV_VERSION = 1


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every feature of almanach with Sphinx."""
    from .config import setup_config
    from .download import setup_download
    from .latex import setup_latex

    setup_config(app)
    setup_latex(app)
    setup_download(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
