"""Sphinx configuration of the Territoires Pilotes compendium.

Build from the repository root: ``sphinx-build -c docs docs build/html`` (the
Makefile does it). The letters live in ``issues/`` and are read through the
``docs/lettres`` link, so that the site has one source tree.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "extensions"))

# sphinxext.opengraph prints, on import, that matplotlib (for social cards, not
# used here) is missing: imported first, silently, the build says only what matters.
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: F401

# -- Project -----------------------------------------------------------------

project = "Territoires Pilotes"
author = "Association de Promotion de la Fabrique des Transitions"
# The site's footer shows the years of the letters (« © 2021–2022 »,
# almanach/html/theme.py), never the year of the build.
copyright = author
language = "fr"
root_doc = "index"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "notfound.extension",
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
# French styles registered by almanach (almanach/reading/bibliography.py): « et »,
# « dans », « éd. » in the bibliography; « [Dupont et Durand, 2020] » in the text.
bibtex_default_style = "almanach"
bibtex_reference_style = "almanach-auteur-annee"

# -- Publication ----------------------------------------------------------------

# Where the site is published: the one place to set it. The deployment sets
# ALMANACH_BASEURL (GitHub Pages: the repository variable of that name) and
# ALMANACH_PUBLISH=1, Read the Docs its canonical URL. A publication build without
# an address stops with a French message; a local build (`make`, `make live`)
# has none and writes no absolute address: no sitemap, no canonical link
# (almanach/html/addresses.py).
html_baseurl = os.environ.get("ALMANACH_BASEURL") or os.environ.get("READTHEDOCS_CANONICAL_URL", "")
if html_baseurl and not html_baseurl.endswith("/"):
    html_baseurl += "/"
almanach_publication = os.environ.get("ALMANACH_PUBLISH", "") not in ("", "0")
# The sitemap lists absolute addresses: only with a published address.
if html_baseurl:
    extensions.append("sphinx_sitemap")
# The hosted repository, for the « proposer une modification » buttons (set by CI;
# without it the buttons are left out rather than pointing to a guessed address).
REPOSITORY_URL = os.environ.get("ALMANACH_REPOSITORY_URL", "").rstrip("/")
REPOSITORY_BRANCH = os.environ.get("ALMANACH_REPOSITORY_BRANCH", "main")

# The email edition (`make email`, almanach/email): its headers come from the
# deployment's variables, never from this file's guesses; a message built without
# them leaves them out and the build says which.
almanach_email_from = os.environ.get("ALMANACH_EMAIL_FROM", "")
almanach_email_reply_to = os.environ.get("ALMANACH_EMAIL_REPLY_TO", "")
almanach_email_list_unsubscribe = os.environ.get("ALMANACH_EMAIL_UNSUBSCRIBE", "")
almanach_email_list = os.environ.get("ALMANACH_EMAIL_LIST", "")

sitemap_url_scheme = "{link}"
sitemap_locales = [None]
ogp_site_url = html_baseurl
ogp_site_name = "Territoires Pilotes"
ogp_type = "website"
ogp_social_cards = {"enable": False}
notfound_urls_prefix = urlsplit(html_baseurl).path or "/"
notfound_context = {
    "title": "Page introuvable",
    "body": (
        "<h1>Page introuvable</h1>"
        "<p>Cette page n’existe pas ou a été déplacée. Les lettres, les territoires et "
        "les ressources sont accessibles depuis la page d’accueil et la recherche.</p>"
    ),
}

# -- HTML ---------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = "Territoires Pilotes"
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_last_updated_fmt = None
# The primary sidebar: the site's name and the search button in one region
# (almanach/html/templates/almanach-masthead.html), then the navigation.
html_sidebars = {"**": ["almanach-masthead.html", "sbt-sidebar-nav.html"]}
html_theme_options = {
    "show_toc_level": 2,
    # The site's name at the top of the sidebar is the link to the home page.
    "home_page_in_toc": False,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": bool(REPOSITORY_URL),
    "use_edit_page_button": bool(REPOSITORY_URL),
    "use_source_button": False,
    "repository_url": REPOSITORY_URL,
    "repository_branch": REPOSITORY_BRANCH,
    "path_to_docs": "docs",
}
# The letters are edited in issues/, not through the docs/lettres link.
html_context = {
    # Light or dark as the reader's system prefers, until they pick one.
    "default_mode": "auto",
    # The footer's « Par … »: the author with its article.
    "almanach_author": "l’Association de Promotion de la Fabrique des Transitions",
    "edit_page_provider_name": "GitHub",
    "edit_page_url_template": (
        REPOSITORY_URL + "/edit/" + REPOSITORY_BRANCH + "/{{ almanach_source_path(file_name) }}"
    ),
}

# -- Link check -------------------------------------------------------------------

# The live preview's address is not a published page.
linkcheck_ignore = [r"http://127\.0\.0\.1(:\d+)?/?"]
linkcheck_timeout = 30
linkcheck_retries = 2

# -- Contribution policy (almanach.reading.safety) --------------------------------

# Strict for every page; the editors' guide includes its example files, and only
# pages listed here (never a letter) may do that.
almanach_policy = {
    "raw_html": False,
    "file_inclusion": False,
    "link_schemes": ["https", "http", "mailto"],
    "trusted_pages": ["guide/index"],
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
