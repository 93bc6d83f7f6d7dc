"""Sphinx configuration of the Territoires Pilotes compendium.

Build from the repository root: ``sphinx-build -c docs docs build/html`` (the
Makefile does it). The letters live in ``issues/`` and are read through the
``docs/lettres`` link, so that the site has one source tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "extensions"))

# -- Project -----------------------------------------------------------------

project = "Territoires Pilotes"
author = "Association de Promotion de la Fabrique des Transitions"
copyright = f"%Y, {author}"
language = "fr"
root_doc = "index"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "almanach",
]

# The guide's examples are included by its pages (and built by the tests), not pages.
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "guide/exemples/*"]
source_suffix = {".md": "markdown"}

# -- MyST ---------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
# The letters keep their own typography (’ « » “ ”) exactly as written.
smartquotes = False
myst_heading_anchors = 3

# -- Bibliography -------------------------------------------------------------

# Relative to this folder, so that the configuration (and the build) does not
# depend on where the project lives.
bibtex_bibfiles = ["../references.bib"]
# French styles registered by almanach (almanach/bibstyle.py): « et », « dans »,
# « éd. » in the bibliography; « [Dupont et Durand, 2020] » in the text.
bibtex_default_style = "almanach"
bibtex_reference_style = "almanach-auteur-annee"

# -- HTML ---------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = "Territoires Pilotes"
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
}

# -- LaTeX / PDF --------------------------------------------------------------

# The book's layout (cover, parts, indices, fonts) is set by almanach/latex.py;
# the home page's toctrees give its plan.
latex_engine = "lualatex"
latex_documents = [
    (
        root_doc,
        "territoires-pilotes.tex",
        "Territoires Pilotes — le compendium",
        author,
        "manual",
    ),
]
