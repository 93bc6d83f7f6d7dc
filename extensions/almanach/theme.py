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

import posixpath
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


#: The tags of the sidebar that hold the current page's link.
NAV_TAG = re.compile(r"<(/?)(li|ul|details)\b[^>]*>")
CURRENT_LINK = '<a class="current reference internal" href="#">'


def unmark_current(html: str, href: str) -> str:
    """The sidebar as it is for any page of the folder: without the marks of
    the page it was rendered for (``href``: that page's link in the folder)."""
    html = html.replace(CURRENT_LINK, f'<a class="reference internal" href="{href}">')
    html = re.sub(r'(<li class="toctree-l\d+) current active', r"\1", html)
    html = html.replace('<ul class="current nav', '<ul class="nav')
    html = html.replace('<ul class="current">', "<ul>")
    return html.replace('<details open="open">', "<details>")


def mark_current(html: str, href: str) -> str:
    """Mark the page whose link in the folder is ``href`` as the theme does: its
    link, its list items and lists (« current »), its open sub-lists."""
    link = f'<a class="reference internal" href="{href}">'
    at = html.find(link)
    if at < 0:
        return html  # a page outside the toctrees (search, indices)
    ancestors: list[re.Match] = []
    for tag in NAV_TAG.finditer(html, 0, at):
        if tag.group(1):
            ancestors.pop()
        else:
            ancestors.append(tag)
    end = at + len(link)
    edits = [(at, end, CURRENT_LINK)]
    closing = html.find("</a>", end)
    if html.startswith("<details>", closing + 4):  # the page's own sub-pages
        edits.append((closing + 4, closing + 13, '<details open="open">'))
    for tag in ancestors:
        text, name = tag.group(0), tag.group(2)
        if name == "li":
            text = re.sub(r'(class="toctree-l\d+)', r"\1 current active", text, count=1)
        elif name == "ul":
            text = (
                text.replace('class="', 'class="current ', 1)
                if "class=" in text
                else ('<ul class="current">')
            )
        else:
            text = '<details open="open">'
        edits.append((tag.start(), tag.end(), text))
    for start, stop, text in sorted(edits, reverse=True):
        html = html[:start] + text + html[stop:]
    return html


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


def add_navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (before the theme's): ``almanach_navigation``, which
    our ``sbt-sidebar-nav.html`` calls instead of the theme's ``generate_toctree_html``.

    The sidebar lists every page (all the letters): rendering it for each page
    makes a build grow with the square of the number of letters. It is the same
    for every page of a folder but for the current page's marks, so it is rendered
    once per folder (and set of options) and marked for each page."""
    cache: dict = app.builder.__dict__.setdefault("_almanach_navigation", {})
    folder, href = posixpath.split(app.builder.get_target_uri(pagename))

    def almanach_navigation(*args: Any, **kwargs: Any) -> Markup:
        generate = context["generate_toctree_html"]  # the theme's, set after this
        if kwargs.get("collapse"):  # the tree itself depends on the page
            return Markup(accessible_navigation(str(generate(*args, **kwargs))))
        # Pages of one folder share their addresses, unless the page makes its own
        # (the 404 page's are absolute): the root's address tells them apart.
        key = (folder, context["pathto"](app.config.root_doc), args, tuple(sorted(kwargs.items())))
        if key not in cache:
            html = accessible_navigation(str(generate(*args, **kwargs)))
            cache[key] = unmark_current(html, href)
        return Markup(mark_current(cache[key], href))

    context["almanach_navigation"] = almanach_navigation


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
        context["meta"] = {
            **(context.get("meta") or {}),
            "og:description": letter.summary,
        }
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
    app.connect("html-page-context", add_navigation, priority=400)
    app.connect("html-page-context", wrap_navigation, priority=900)
    app.connect("html-page-context", pdf_button, priority=900)
