"""HTML-only adjustments of the theme: accessibility (RGAA) and publication.

- The sidebar is accessible, rendered once per folder and kept between builds
  (:mod:`almanach.html.navigation`).
- The search button gets an accessible name that matches its visible text
  (a template of ours, found before the theme's).
- Every page has a button to download the PDF compendium.
- A letter's summary is its meta description and OpenGraph description.
- « Proposer une modification » opens the file really edited: a letter in
  ``issues/``, a territory page's registry.
- The footer in French: « Par l’Association… » (``almanach_author`` in
  ``html_context``) and « © 2021–2022 », the years of the letters (not of the
  build); the theme's last English strings (our templates).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import escape
from sphinx.locale import _

from ..caches import Inputs
from ..config import almanach_config
from .navigation import SiteNavigation, wrap_navigation

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..domain.domain import AlmanachDomain

TEMPLATES = Path(__file__).parent / "templates"


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


def escape_page_title(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """``html-page-context`` (after sphinx-book-theme's): the page title as HTML text.

    sphinx-book-theme 1.4 sets ``pagetitle`` to the title's plain text and prints
    it unescaped in its layout (the title printed at the top of a page on paper):
    a heading written ``# Le `<script>…` `` would be live markup."""
    title = context.get("pagetitle")
    if isinstance(title, str):
        context["pagetitle"] = escape(title)


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


def copyright_years(domain: AlmanachDomain) -> str:
    """« 2021–2022 »: the years of the letters in the build (« 2021 » for one
    year, nothing without letters)."""
    years = sorted({letter.date[:4] for letter in domain.letters() if letter.date[:4].isdigit()})
    if not years:
        return ""
    return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


#: Where the domain keeps, for each HTML output, the years its footers show.
COPYRIGHT_STATE = "copyright_years"


def footers_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: every page, when the letters' years changed since
    this output was written (each page's footer shows them)."""
    if getattr(app.builder, "format", None) != "html":
        return []
    domain: AlmanachDomain = env.domains["almanach"]  # type: ignore[assignment]
    years = copyright_years(domain)
    state = domain.data.setdefault(COPYRIGHT_STATE, {})
    output = f"{app.builder.name}:{app.outdir}"
    before = state.get(output)
    state[output] = years
    return sorted(env.found_docs) if before != years else []


def footer_years(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the years the footer shows (the search field's
    French placeholder is set once, in :mod:`almanach.html.search`)."""
    domain: AlmanachDomain = app.env.domains["almanach"]  # type: ignore[assignment]
    context["almanach_copyright"] = copyright_years(domain)


#: Where the compiled templates are kept between builds (in the doctree folder).
TEMPLATE_CACHE = "almanach-templates"


def template_inputs(environment: Any) -> Inputs:
    """What the compiled code of a template depends on besides its source
    (Jinja's own cache checks the source and the Python version): Jinja, the
    theme, and the options of this kind of environment."""
    options = (
        type(environment).__module__,
        type(environment).__qualname__,
        getattr(environment, "sandboxed", False),
        sorted(environment.extensions),
        getattr(environment, "newstyle_gettext", None),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        repr(environment.autoescape),
        environment.optimized,
        environment.finalize is None,
        environment.is_async,
    )
    return Inputs(packages=("jinja2", "pydata-sphinx-theme", "sphinx-book-theme"), extra=options)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache (written atomically), but a damaged file (cut
    short) is compiled again instead of failing the build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # (pickle's and marshal's errors are of many kinds)
            bucket.reset()


def cache_templates(app: Sphinx) -> None:
    """``builder-inited``: keep the theme's compiled templates between builds.

    Each build compiles again the few dozen templates of the theme, a fifth of a
    build that has nothing else to do. Jinja's bytecode cache keeps them in the
    doctree folder; it compiles again a template whose source changed."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache is not None:
        return
    # The folder's name is the key: a build of other inputs uses another folder.
    folder = Path(app.doctreedir) / TEMPLATE_CACHE / template_inputs(environment).key()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment.bytecode_cache = TemplateCache(str(folder))


def add_templates(app: Sphinx, config: Config) -> None:
    # A new list: the default one is shared by every Sphinx application.
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def setup_theme(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    navigation = SiteNavigation()
    app.connect("builder-inited", cache_templates)
    app.connect("builder-inited", navigation.start)
    app.connect("build-finished", navigation.finish)
    app.connect("html-page-context", page_additions, priority=400)
    app.connect("html-page-context", escape_page_title, priority=900)
    app.connect("html-page-context", navigation.add, priority=400)
    app.connect("html-page-context", wrap_navigation, priority=900)
    app.connect("html-page-context", pdf_button, priority=900)
    app.connect("html-page-context", footer_years, priority=900)
    app.connect("env-get-updated", footers_to_rewrite)
