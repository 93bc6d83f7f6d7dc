"""HTML-only adjustments of the theme: accessibility (RGAA) and publication.

- The sidebar's section captions are ``role="heading"`` without a level, and
  its fold-out toggles are ``<summary>`` elements without a name: both are
  fixed in the navigation HTML the theme generates.
- The search button gets an accessible name that matches its visible text
  (a template of ours, found before the theme's).
- Every page has a button to download the PDF compendium.
- A letter's summary is its meta description and OpenGraph description.
- « Proposer une modification » opens the file really edited: a letter in
  ``issues/``, a territory page's registry.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sphinx.locale import _

from .config import almanach_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

TEMPLATES = Path(__file__).parent / "templates"


def accessible_navigation(html: str) -> str:
    html = re.sub(r'role="heading"(?! aria-level)', 'role="heading" aria-level="2"', html)
    label = _("Afficher ou masquer les sous-pages")
    return html.replace("<summary>", f'<summary aria-label="{label}">')


def wrap_navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (after the theme's): fix the navigation it generates."""
    generate = context.get("generate_toctree_html")
    if not callable(generate) or getattr(generate, "almanach", False):
        return

    def generate_accessible(*args: Any, **kwargs: Any) -> Markup:
        return Markup(accessible_navigation(str(generate(*args, **kwargs))))

    generate_accessible.almanach = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_accessible
    if "body" in context:  # toctrees written in the page itself
        context["body"] = accessible_navigation(context["body"])


def source_path(app: Sphinx, file_name: str) -> str:
    """The repository path an editor changes for the page built from ``file_name``."""
    settings = almanach_config(app.config)
    letters = settings.letters_dir.strip("/") + "/"
    territories = settings.territories_dir.strip("/") + "/"
    if file_name.startswith(letters):
        return "issues/" + file_name[len(letters) :]
    if file_name.startswith(territories) and not file_name.endswith("index.md"):
        return f"docs/{settings.registry_dir}/territoires.yaml"
    return "docs/" + file_name


def page_additions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (before the theme's and OpenGraph's)."""
    context["almanach_source_path"] = lambda file_name: source_path(app, file_name)
    domain = app.env.domains["almanach"]
    letter = domain.data["letters"].get(pagename)
    if letter is not None and letter.summary:
        context["meta"] = {**(context.get("meta") or {}), "og:description": letter.summary}
        context["metatags"] = (
            context.get("metatags", "")
            + f'\n<meta name="description" content="{escape(letter.summary)}" />'
        )


def pdf_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """A « PDF » button in every page's header (after the theme filled its buttons)."""
    buttons = context.get("header_buttons")
    if buttons is None or "pathto" not in context:
        return
    filename = almanach_config(app.config).pdf_filename
    buttons.insert(
        0,
        {
            "type": "link",
            "url": context["pathto"](filename, 1),
            "tooltip": _("Télécharger le compendium (PDF)"),
            "icon": "fas fa-file-pdf",
            "text": "PDF",
            "label": "almanach-pdf",
        },
    )


def add_templates(app: Sphinx, config: Config) -> None:
    # A new list: the default one is shared by every Sphinx application.
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def setup_theme(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", page_additions, priority=400)
    app.connect("html-page-context", wrap_navigation, priority=900)
    app.connect("html-page-context", pdf_button, priority=900)
