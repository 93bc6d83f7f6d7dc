"""The compendium as a book: the LaTeX translator and what it reads from the project.

The home page's toctrees give the book its structure, through their ``class``:

* ``compendium-frontmatter``: after the table of contents, before the parts
  (the introduction);
* ``compendium-part``: a part titled by the toctree's caption (« Les lettres »,
  « Ressources »); when the toctree holds a single page whose title is the
  caption (« Les territoires »), that page *is* the part: its title becomes the
  part's, its sections the part's chapters;
* ``compendium-backmatter``: after the parts (the bibliography), followed by
  the indices.

A toctree's ``maxdepth`` sets how deep the table of contents goes in its part
(2: the letters and their rubriques; 1: chapters only).

The translator also writes the cover (the programme, the years of the letters,
the publisher, the build date), the domain indices with their places in the
letters as sub-entries, an index of organisations and events, and a fixed PDF
trailer id so that the PDF does not depend on the build folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import clean_astext
from sphinx.writers.latex import CR, LaTeXTranslator

from .. import _compat
from ..config import almanach_config
from ..domain.indices import PlacesIndex
from ..model.letters import day_label, month_label
from ..reading.nodes import latex_label
from .build import SOURCE_MARK

if TYPE_CHECKING:
    from sphinx.domains import IndexEntry

    from ..domain.domain import AlmanachDomain
    from ..model.records import Letter

FRONTMATTER = "compendium-frontmatter"
PART = "compendium-part"
BACKMATTER = "compendium-backmatter"

#: Around the places in the letters of an index entry (closing, opening).
SUBENTRIES = (r"\end{almanachsubentries}", r"\begin{almanachsubentries}")


class RecordToctreeCaptions(SphinxTransform):
    """Keep each toctree's caption and depth on its wrapper.

    Sphinx's LaTeX builder replaces toctrees by the pages they list, and their
    captions are lost; the wrapper (a ``compound``) stays and tells the
    translator where the parts begin.
    """

    default_priority = 900

    def apply(self, **kwargs: Any) -> None:
        for toctree in self.document.findall(addnodes.toctree):
            wrapper = toctree.parent
            if isinstance(wrapper, nodes.compound):
                wrapper["almanach_caption"] = toctree.get("caption") or ""
                wrapper["almanach_maxdepth"] = toctree.get("maxdepth", -1)


# -- facts for the cover -----------------------------------------------------------


def build_date() -> dt.date:
    """The day of the build: ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def year_span(letters: list[Letter]) -> str:
    """« 2021 » or « 2021–2022 », from the letters' dates."""
    years = sorted({letter.date[:4] for letter in letters})
    if not years:
        return ""
    return years[0] if len(years) == 1 else f"{years[0]}\N{EN DASH}{years[-1]}"


def letters_span(letters: list[Letter]) -> str:
    """« 1 lettre, décembre 2021 », « 9 lettres, de décembre 2021 à août 2022 »."""
    if not letters:
        return ""
    first, last = month_label(letters[0].date), month_label(letters[-1].date)
    count = _("1 lettre") if len(letters) == 1 else _("%d lettres") % len(letters)
    if first == last:
        return f"{count}, {first}"
    return _("%(count)s, de %(first)s à %(last)s") % {
        "count": count,
        "first": first,
        "last": last,
    }


# -- indices -------------------------------------------------------------------------


class OtherEntriesIndex(PlacesIndex):
    """The entries the domain indices leave out — organisations and events —
    each with its kind, its own page and its places in the letters."""

    name = "others"
    localname = _("Index des organisations et des rendez-vous")

    KINDS = (
        ("organisation", "organisations", _("organisation")),
        ("event", "events", _("rendez-vous")),
    )

    def items(self):
        self.kinds: dict[tuple[str, str], str] = {}
        domain = self.almanach
        for kind, registry, word in self.KINDS:
            for entry in domain.registry[registry].values():
                target = domain.target(kind, entry.id)
                if target is None:
                    continue
                self.kinds[target] = str(word)
                yield (
                    entry.id,
                    entry.label,
                    target[0],
                    target[1],
                    self.mention_places(kind, entry.id),
                )

    def generate(self, docnames=None):
        content, collapsed = super().generate(docnames)
        return [
            (letter, [self._qualified(entry) for entry in entries]) for letter, entries in content
        ], collapsed

    def _qualified(self, entry: IndexEntry) -> IndexEntry:
        if entry.subtype == 2:
            return entry
        return entry._replace(extra=self.kinds.get((entry.docname, entry.anchor), ""))


# -- the translator ------------------------------------------------------------------


#: The blocks before which the translator writes where they come from: enough for
#: every LaTeX error to follow a mark of its own passage.
MARKED_BLOCKS = (
    nodes.paragraph,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.definition_list,
    nodes.list_item,
    nodes.literal_block,
    nodes.table,
    nodes.figure,
    nodes.block_quote,
    nodes.Admonition,
)


def source_label(source: str, root: Path) -> str:
    """A document's path as the editor knows it: the real file (``issues/…``, not
    the ``docs/lettres`` link), relative to the project."""
    real = Path(os.path.realpath(source))
    try:
        return real.relative_to(root.resolve()).as_posix()
    except ValueError:
        return real.name


class CompendiumTranslator(LaTeXTranslator):
    """Sphinx's LaTeX translator, with parts, front and back matter, a cover,
    sub-entries in the domain indices and an index of the other entries."""

    def __init__(self, document: nodes.document, builder, theme) -> None:
        super().__init__(document, builder, theme)
        self.in_mainmatter = False
        self.part_levels: list[int] = []
        self.last_source_mark = ""
        self.elements["contentsname"] = self.babel_renewcommand(
            r"\contentsname", self.escape(_("Table des matières"))
        )
        self.elements["date"] = self.escape(day_label(build_date()))
        self.elements["preamble"] += CR + self.cover_settings() + CR

    # -- where each passage comes from ------------------------------------------------

    def mark_source(self, node: nodes.Element) -> None:
        """A comment line naming the file and line a block comes from, so that a
        LaTeX error is traced back to the letter (almanach.pdf.build)."""
        source, line = get_source_line(node)
        # A block without a source says so: an error in it is not blamed on the
        # passage before.
        mark = (
            f"{source_label(source, Path(self.builder.srcdir).parent)}:{line}"
            if (source and line)
            else ""
        )
        if mark != self.last_source_mark:
            self.last_source_mark = mark
            self.body.append(f"{CR}{SOURCE_MARK}{mark}{CR}")

    def dispatch_visit(self, node: nodes.Node) -> None:
        if (
            isinstance(node, MARKED_BLOCKS)
            or (isinstance(node, nodes.image) and not isinstance(node.parent, nodes.TextElement))
            or (isinstance(node, nodes.title) and isinstance(node.parent, nodes.section))
        ):
            self.mark_source(node)
        super().dispatch_visit(node)

    # -- the cover ---------------------------------------------------------------

    @property
    def almanach(self) -> AlmanachDomain:
        return self.builder.env.domains["almanach"]  # type: ignore[return-value]

    def compendium_letters(self) -> list[Letter]:
        """The letters of this PDF (those its toctrees include), in date order."""
        return [
            letter for letter in self.almanach.letters() if letter.docname in self.builder.docnames
        ]

    def cover_settings(self) -> str:
        settings = almanach_config(self.config)
        letters = self.compendium_letters()
        date = day_label(build_date())
        colophon = _(
            "Les lettres mensuelles du programme %(programme)s, réunies en un volume. "
            "Éditeur : %(publisher)s. Édition du %(date)s, composée avec Sphinx et LuaLaTeX."
        ) % {"programme": settings.programme, "publisher": settings.publisher, "date": date}
        values = (
            settings.programme,
            _("Les lettres du programme"),
            year_span(letters),
            letters_span(letters),
            settings.publisher,
            date,
            colophon,
        )
        return r"\almanachsetcover" + "".join(f"{{{self.escape(value)}}}" for value in values)

    # -- parts ---------------------------------------------------------------------

    def visit_compound(self, node: nodes.Element) -> None:
        classes = node.get("classes", [])
        caption = node.get("almanach_caption", "")
        depth = node.get("almanach_maxdepth", -1)
        self.part_levels.append(self.sectionlevel)
        if "toctree-wrapper" not in classes or not _in_root_document(node):
            return
        if FRONTMATTER in classes:
            self.body.append(CR + _tocdepth(depth - 1) + CR)
            return
        if not self.in_mainmatter:
            # The first toctree after the front matter opens the main matter.
            self.body.append(CR + r"\mainmatter" + CR)
            self.in_mainmatter = True
        if PART in classes:
            pages = [child for child in node.children if isinstance(child, addnodes.start_of_file)]
            if len(pages) == 1 and _page_title(pages[0]) == caption:
                # The page is the part: its title at part level, its sections as chapters.
                self.sectionlevel -= 1
                self.body.append(CR + _tocdepth(depth - 2) + CR)
            else:
                self.body.append(CR + rf"\almanachpart{{{self.escape(caption)}}}" + CR)
                self.body.append(_tocdepth(depth - 1) + CR)
        elif BACKMATTER in classes:
            self.body.append(CR + r"\almanachbackmatter" + CR)

    def depart_compound(self, node: nodes.Element) -> None:
        self.sectionlevel = self.part_levels.pop()

    def depart_title(self, node: nodes.Element) -> None:
        super().depart_title(node)
        if isinstance(node.parent, nodes.section) and self.sectionlevel == 0:
            # A page made a part: the running heads name it.
            self.body.append(rf"\almanachsetpart{{{self.escape(clean_astext(node))}}}" + CR)

    # -- indices -------------------------------------------------------------------

    def generate_indices(self) -> str:
        """The domain indices, their sub-entries indented under their entry, then
        the index of organisations and events."""
        output: list[str] = []
        indices = self.config.latex_domain_indices
        for domain in _compat.translator_domains(self):
            for index_class in domain.indices:
                name = f"{domain.name}-{index_class.name}"
                if not indices or (not isinstance(indices, bool) and name not in indices):
                    continue
                content, _collapsed = index_class(domain).generate(self.builder.docnames)
                if content:
                    output.append(self.index_block(str(index_class.localname), content))
        content, _collapsed = OtherEntriesIndex(self.almanach).generate(self.builder.docnames)
        if content:
            output.append(self.index_block(str(OtherEntriesIndex.localname), content))
        return "".join(output)

    def index_block(self, title: str, content: list[tuple[str, list[IndexEntry]]]) -> str:
        """One index: each entry with its page, then its places in the letters run
        in one paragraph, « n° 2 (p. 5) ; n° 7 (p. 41) » — one line per place
        would make the index as long as the archive."""
        numbers = {letter.docname: letter.number for letter in self.almanach.letters()}
        lines = [
            rf"\renewcommand{{\indexname}}{{{title}}}",
            r"\begin{sphinxtheindex}",
            r"\let\bigletter\sphinxstyleindexlettergroup",
        ]
        places: dict[str, list[str]] = {}  # the current entry's: letter -> its labels

        def run_in_places() -> None:
            if places:
                lines.append(r"\begin{almanachsubentries}")
                lines.append(r"\item " + " ; ".join(self.letter_pages(places, numbers)))
                lines.append(r"\end{almanachsubentries}")
                places.clear()

        for number, (letter, entries) in enumerate(content):
            if number:
                lines.append(r"\indexspace")
            lines.append(rf"\bigletter{{{self.escape(letter)}}}")
            for entry in entries:
                if not entry.anchor:
                    continue
                label = latex_label(self, entry.docname, entry.anchor)
                if entry.subtype == 2:
                    places.setdefault(entry.docname, []).append(label)
                    continue
                run_in_places()
                item = rf"\item\relax\sphinxstyleindexentry{{{self.encode(entry.name)}}}"
                if entry.extra:
                    item += rf"\sphinxstyleindexextra{{{self.encode(entry.extra)}}}"
                lines.append(item + rf"\sphinxstyleindexpageref{{{label}}}")
            run_in_places()
        lines.append(r"\end{sphinxtheindex}")
        return CR.join(lines) + CR

    def letter_pages(self, places: dict[str, list[str]], numbers: dict[str, int]) -> list[str]:
        """« n° 2 (p. 4, 6) » for each letter: its number, the pages of its places."""
        result = []
        for docname, labels in places.items():
            short = _("n° %d") % numbers[docname] if docname in numbers else ""
            pages = ", ".join(rf"\pageref{{{label}}}" for label in labels)
            result.append(rf"{self.encode(short)}\almanachpages{{{pages}}}")
        return result

    # -- reproducibility -------------------------------------------------------------

    def astext(self) -> str:
        """The document, with a trailer id derived from its content: lualatex
        would otherwise derive it from the build folder's path."""
        text = super().astext()
        digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
        trailer = rf"\pdfvariable trailerid {{[<{digest}> <{digest}>]}}" + CR
        return text.replace(r"\begin{document}", trailer + r"\begin{document}", 1)


def _in_root_document(node: nodes.Node) -> bool:
    """Whether ``node`` belongs to the home page (not to a page its toctrees include)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return False
        parent = parent.parent
    return True


def _page_title(page: addnodes.start_of_file) -> str:
    section = next(iter(page.findall(nodes.section)), None)
    if section is None or not len(section) or not isinstance(section[0], nodes.title):
        return ""
    return clean_astext(section[0])


def _tocdepth(depth: int) -> str:
    """How deep the table of contents goes from here (0: chapters, 1: sections)."""
    return rf"\almanachtocdepth{{{max(0, min(depth, 2))}}}"
