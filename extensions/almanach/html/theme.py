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
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape
from sphinx.locale import _

from ..caches import Inputs, JsonStore, digest
from ..config import almanach_config

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


#: The sidebars of the previous builds (in the doctree folder), by what they are
#: made of: see :meth:`SiteNavigation.stored`.
NAVIGATION_STORE = "almanach-navigation.json"
NAVIGATION_STORE_VERSION = 2  # 2: keyed by almanach.caches.Inputs
#: What turns a toctree into the sidebar: the theme's code, its HTML parser's, ours.
NAVIGATION_INPUTS = Inputs(
    packages=("pydata-sphinx-theme", "sphinx-book-theme", "beautifulsoup4", "soupsieve"),
    modules=("almanach.html.theme", "pydata_sphinx_theme.toctree"),
)
#: At most this many sidebars are kept (the latest used).
NAVIGATION_STORE_SIZE = 64
#: The arguments of the theme's ``generate_toctree_html`` that are not Sphinx's
#: ``toctree``'s.
THEME_ARGUMENTS = ("kind", "startdepth", "show_nav_level")


def navigation_store(doctreedir: str | Path) -> JsonStore:
    return JsonStore(
        Path(doctreedir) / NAVIGATION_STORE,
        NAVIGATION_STORE_VERSION,
        "entries",
        NAVIGATION_INPUTS,
        entry=lambda html: isinstance(html, str),
    )


class NavigationStore:
    """The sidebars of the previous builds, by a digest of the toctree Sphinx
    renders for the page (a fraction of the cost) and the theme's options; the
    store's key covers the code that turns it into the sidebar. A build that
    changed nothing renders no sidebar again."""

    def __init__(self, doctreedir: str | Path) -> None:
        self.store = navigation_store(doctreedir)
        self.entries: dict[str, str] | None = None
        self.changed = False

    def load(self) -> dict[str, str]:
        if self.entries is None:
            self.entries = self.store.load()
        return self.entries

    def get(self, key: str) -> str | None:
        entries = self.load()
        html = entries.pop(key, None)
        if html is not None:
            entries[key] = html  # the latest used last
        return html

    def put(self, key: str, html: str) -> None:
        entries = self.load()
        entries.pop(key, None)
        entries[key] = html
        while len(entries) > NAVIGATION_STORE_SIZE:
            del entries[next(iter(entries))]
        self.changed = True

    def save(self) -> None:
        """Write the store (atomically: two builds may share the doctree folder)."""
        if not self.changed or self.entries is None:
            return
        self.store.save(self.entries)
        self.changed = False


#: The marks Sphinx puts in the toctree of the page it is rendered for (its link
#: is marked as the theme's is: :data:`CURRENT_LINK`).
TOCTREE_CURRENT_ITEM = re.compile(r'(<li class="toctree-l\d+) current(?=[ "])')


def unmark_toctree(html: str, href: str) -> str:
    """Sphinx's toctree HTML as it is for any page of the folder: without the
    marks of the page it was rendered for (``href``: that page's link in the
    folder). Pages of one folder whose toctrees are the same once unmarked have
    the same sidebar once unmarked (:func:`unmark_current`)."""
    html = html.replace(CURRENT_LINK, f'<a class="reference internal" href="{href}">')
    html = TOCTREE_CURRENT_ITEM.sub(r"\1", html)
    return html.replace('<ul class="current">', "<ul>")


def toctree_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The arguments the theme's ``generate_toctree_html`` passes to ``toctree``."""
    return {k: v for k, v in kwargs.items() if k not in THEME_ARGUMENTS}


class SiteNavigation:
    """The sidebars of one application's HTML builds: rendered once per folder
    (:meth:`add`) and kept between builds (:meth:`stored`).

    One object per application, made by :func:`setup_theme` and owned by the
    event handlers it connects (its bound methods): no state on the builder."""

    def __init__(self) -> None:
        #: The sidebars of this build (without the current page's marks), by
        #: folder, root address and arguments.
        self.folders: dict[tuple, str] = {}
        self.store: NavigationStore | None = None

    def start(self, app: Sphinx) -> None:
        """``builder-inited``: a new build starts from the stored sidebars."""
        self.folders = {}
        self.store = NavigationStore(app.doctreedir)

    def finish(self, app: Sphinx, exception: Exception | None) -> None:
        """``build-finished``: keep the sidebars for the next build."""
        if exception is None and self.store is not None:
            self.store.save()

    def stored(self, context: dict, href: str, kwargs: dict[str, Any], render: Any) -> str:
        """The sidebar (without the current page's marks) from the store, or
        rendered by ``render(toctree)`` and stored.

        Only for the theme's plain case (``startdepth=0``: the sidebar is the whole
        toctree): then the theme's HTML is a function of the toctree's HTML and of
        ``kind`` and ``show_nav_level``. The key is the toctree without the page's
        marks, so that any page of the folder finds the sidebar another page stored
        (a build that changed nothing writes other pages than the full build)."""
        toctree = context.get("toctree")
        theme = sys.modules.get("pydata_sphinx_theme.toctree")
        store = self.store
        if kwargs.get("startdepth") != 0 or not callable(toctree) or theme is None or not store:
            return render(None)
        try:
            raw = toctree(**toctree_arguments(kwargs))
        except Exception:  # the theme would raise it again, with its own context
            return render(None)
        if not isinstance(raw, str):  # no toctree: the theme has its own answer
            return render(None)
        key = digest(
            unmark_toctree(raw, href),
            sorted((k, repr(v)) for k, v in kwargs.items()),
            _("Afficher ou masquer les sous-pages"),
        )
        html = store.get(key)
        if html is None:
            html = render(raw)
            store.put(key, html)
        return html

    def add(self, app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
        """``html-page-context`` (before the theme's): ``almanach_navigation``, which
        our ``sbt-sidebar-nav.html`` calls instead of the theme's ``generate_toctree_html``.

        The sidebar lists every page (all the letters): rendering it for each page
        makes a build grow with the square of the number of letters. It is the same
        for every page of a folder but for the current page's marks, so it is rendered
        once per folder (and set of options) and marked for each page. Between builds,
        it is kept in the doctree folder (:meth:`stored`)."""
        folders = self.folders
        folder, href = posixpath.split(app.builder.get_target_uri(pagename))

        def almanach_navigation(*args: Any, **kwargs: Any) -> Markup:
            generate = context["generate_toctree_html"]  # the theme's, set after this
            if kwargs.get("collapse") or args:  # the tree itself depends on the page
                return Markup(accessible_navigation(str(generate(*args, **kwargs))))
            # Pages of one folder share their addresses, unless the page makes its own
            # (the 404 page's are absolute): the root's address tells them apart.
            key = (folder, context["pathto"](app.config.root_doc), tuple(sorted(kwargs.items())))
            if key not in folders:

                def render(toctree: Any) -> str:
                    if toctree is None:
                        html = str(generate(**kwargs))
                    else:  # the theme gets the toctree already rendered
                        own = context["toctree"]
                        arguments = toctree_arguments(kwargs)
                        context["toctree"] = lambda **given: (
                            toctree if given == arguments else own(**given)
                        )
                        try:
                            html = str(generate(**kwargs))
                        finally:
                            context["toctree"] = own
                    return unmark_current(accessible_navigation(html), href)

                folders[key] = self.stored(context, href, kwargs, render)
            return Markup(mark_current(folders[key], href))

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
