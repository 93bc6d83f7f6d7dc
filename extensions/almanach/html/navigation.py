"""The sidebar: accessible (RGAA), rendered once per folder, kept between builds.

- Its section captions are ``role="heading"`` without a level, and its fold-out
  toggles are ``<summary>`` elements without a name: both are fixed in the
  navigation HTML the theme generates.
- It lists every page (all the letters): it is rendered once per folder and
  marked for each page (:class:`SiteNavigation`), and kept in the doctree folder
  (:class:`NavigationStore`, an :mod:`almanach.caches` store).
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sphinx.locale import _

from ..caches import Inputs, JsonStore, digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx


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
    modules=("almanach.html.navigation", "pydata_sphinx_theme.toctree"),
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
