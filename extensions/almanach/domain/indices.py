"""Domain indices: territories, people and resources, with every place in the
letters where each appears. They become pages of the site and indices at the
end of the PDF (``latex_domain_indices``)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx
from markupsafe import Markup, escape
from sphinx.domains import Index, IndexEntry
from sphinx.locale import _

from .. import _compat
from ..model.letters import letter_label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..model.records import Place
    from .domain import AlmanachDomain


#: What is not a letter or digit (``str.isalnum``): ``\w`` is that and ``_``.
NOT_ALNUM = re.compile(r"[\W_]+")
ALNUM = re.compile(r"[^\W_]")


def initial(label: str) -> str:
    first = ALNUM.search(unicodedata.normalize("NFD", label))
    return first.group().upper() if first else "#"


class PlacesIndex(Index):
    """Entries with a main target and one sub-entry per place in the letters."""

    kind = ""

    @property
    def almanach(self) -> AlmanachDomain:
        return self.domain  # type: ignore[return-value]

    def items(self) -> Iterable[tuple[str, str, str, str, list[Place]]]:
        """(id, label, docname, anchor, places) for each entry of the index."""
        raise NotImplementedError

    def generate(self, docnames: Iterable[str] | None = None):
        self._mentions = None  # the records may have changed since the last call
        labels = {letter.docname: letter_label(letter) for letter in self.almanach.letters()}
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        for _id, label, docname, anchor, places in sorted(
            self.items(), key=lambda item: _sort_key(item[1])
        ):
            places = [p for p in places if p.docname in labels and p.anchor]
            entries = content[initial(label)]
            entries.append(IndexEntry(label, 1 if places else 0, docname, anchor, "", "", ""))
            seen = set()
            for place in places:
                if (place.docname, place.anchor) in seen:
                    continue
                seen.add((place.docname, place.anchor))
                name = labels[place.docname]
                if place.section and place.section != name:
                    name = f"{name}, {place.section}"
                entries.append(IndexEntry(name, 2, place.docname, place.anchor, "", "", ""))
        return sorted(content.items(), key=lambda item: _sort_key(item[0])), True

    def registry_items(
        self, kind: str, registry: str, places_of: Callable[[str], list[Place]]
    ) -> Iterator[tuple[str, str, str, str, list[Place]]]:
        """The registry's entries that have a page or section, with their places:
        ``places_of`` (updates, quotations…) and the mentions."""
        domain = self.almanach
        for entry in domain.registry[registry].values():
            target = domain.target(kind, entry.id)
            if target is None:
                continue
            places = places_of(entry.id) + self.mention_places(kind, entry.id)
            places.sort(key=lambda p: (p.docname, p.order))
            yield entry.id, entry.label, target[0], target[1], places

    def mention_places(self, kind: str, target: str) -> list[Place]:
        """The places that mention one entry (the mentions are grouped once per index)."""
        if getattr(self, "_mentions", None) is None:
            grouped: dict[tuple[str, str], list[Place]] = defaultdict(list)
            for mention in self.almanach.records("mentions"):
                grouped[mention.kind, mention.target].append(mention.place)
            self._mentions = grouped
        return list(self._mentions.get((kind, target), ()))


def _sort_key(label: str) -> str:
    return NOT_ALNUM.sub("", unicodedata.normalize("NFD", label.lower()))


class TerritoryIndex(PlacesIndex):
    name = "territoires"
    localname = _("Index des territoires")
    shortname = _("territoires")

    def items(self):
        updates = self.almanach.records("updates")
        return self.registry_items(
            "territory",
            "territories",
            lambda territory: [u.place for u in updates if u.territory == territory],
        )


class PersonIndex(PlacesIndex):
    name = "personnes"
    localname = _("Index des personnes")
    shortname = _("personnes")

    def items(self):
        updates = self.almanach.records("updates")
        quotes = self.almanach.records("quotes")
        return self.registry_items(
            "person",
            "people",
            lambda person: (
                [u.place for u in updates if person in u.speakers]
                + [q.place for q in quotes if q.speaker == person]
            ),
        )


class ResourceIndex(PlacesIndex):
    name = "ressources"
    localname = _("Index des ressources")
    shortname = _("ressources")

    def items(self):
        domain = self.almanach
        letters = {letter.docname for letter in domain.letters()}
        for resource in domain.records("resources"):
            if resource.place.docname not in letters:
                continue
            places = self.mention_places("resource", resource.id)
            yield (
                resource.id,
                resource.title,
                resource.place.docname,
                resource.place.anchor,
                places,
            )


# -- the HTML pages ------------------------------------------------------------------------

#: Sphinx's own template of the domain indices: the body rendered by
#: :func:`index_body` is the one it renders.
BASIC_DOMAININDEX = Path(sphinx.__file__).parent / "themes" / "basic" / "domainindex.html"


def index_body(context: dict) -> str:
    """The ``body`` block of Sphinx's ``domainindex.html`` for ``context``,
    written in Python: the same characters, without the template's cost (one
    call through the sandbox per entry, thousands of entries)."""
    pathto = context["pathto"]
    content = context["content"]
    out = [f'\n\n   <h1>{context["indextitle"]}</h1>\n\n   <div class="modindex-jumpbox">']
    last = len(content) - 1
    for number, (letter, _entries) in enumerate(content):
        out.append(f'\n   <a href="#cap-{letter}"><strong>{letter}</strong></a>')
        if number != last:
            out.append(" | ")
    out.append('\n   </div>\n\n   <table class="indextable modindextable">')
    group = 0
    pages: dict[str, str] = {}
    toggler = None
    for letter, entries in content:
        out.append(
            '\n     <tr class="pcap"><td></td><td>&#160;</td><td></td></tr>'
            f'\n     <tr class="cap" id="cap-{letter}"><td></td><td>'
            f"\n       <strong>{letter}</strong></td><td></td></tr>"
        )
        for name, grouptype, page, anchor, extra, qualifier, description in entries:
            out.append(f'\n     <tr class="cg-{group}">' if grouptype == 2 else "\n     <tr>")
            out.append("\n       <td>")
            if grouptype == 1:
                if toggler is None:
                    toggler = pathto("_static/minus.png", 1)
                group += 1
                out.append(
                    f'<img src="{toggler}" class="toggler"'
                    f'\n              id="toggle-{group}" style="display: none" alt="-" />'
                )
            out.append("</td>\n       <td>")
            if grouptype == 2:
                out.append("&#160;&#160;&#160;")
            out.append("\n       ")
            if page:
                href = pages.get(page)
                if href is None:
                    href = pages[page] = str(escape(pathto(page)))
                out.append(f'<a href="{href}#{anchor}">')
            out.append(f'<code class="xref">{escape(name)}</code>')
            if page:
                out.append("</a>")
            if extra:
                out.append(f" <em>({escape(extra)})</em>")
            out.append("</td><td>")
            if qualifier:
                out.append(f"<strong>{escape(qualifier)}:</strong>")
            out.append(f"\n       <em>{escape(description)}</em></td></tr>")
    out.append("\n   </table>\n\n")
    return "".join(out)


def _theme_renders_basic_index(app: Sphinx) -> bool:
    """Whether the theme's ``domainindex.html`` is Sphinx's own (a few ``stat``
    calls, for each of almanach's three index pages: not worth remembering)."""
    for loader in _compat.theme_template_loaders(app.builder):
        found = [
            Path(folder) / "domainindex.html"
            for folder in getattr(loader, "searchpath", ())
            if (Path(folder) / "domainindex.html").is_file()
        ]
        if found:
            return found[0].resolve() == BASIC_DOMAININDEX.resolve()
    return False


def prerender_index(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the body of almanach's indices, for our
    ``domainindex.html`` (which falls back on the theme's when it is absent)."""
    if templatename != "domainindex.html" or pagename not in INDEX_PAGES:
        return
    if "content" not in context or "pathto" not in context:
        return
    if _theme_renders_basic_index(app):
        context["almanach_index_body"] = Markup(index_body(context))


def setup_indices(app: Sphinx) -> None:
    for index in (TerritoryIndex, PersonIndex, ResourceIndex):
        app.add_index_to_domain("almanach", index)
    app.connect("html-page-context", prerender_index)


#: The pages of almanach's indices.
INDEX_PAGES = frozenset(
    f"almanach-{index.name}" for index in (TerritoryIndex, PersonIndex, ResourceIndex)
)
