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

The translator also writes the cover (:mod:`almanach.pdf.cover`: the programme,
the years of the letters, the publisher, the build date), the indices
(:mod:`almanach.pdf.indices`) and a fixed PDF trailer id so that the PDF does
not depend on the build folder.
"""

from __future__ import annotations

import functools
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

from ..config import almanach_config
from ..model.letters import day_label
from .build import SOURCE_MARK
from .cover import build_date, cover_settings
from .indices import CompendiumIndices

if TYPE_CHECKING:
    from ..domain.domain import AlmanachDomain
    from ..model.records import Letter

FRONTMATTER = "compendium-frontmatter"
PART = "compendium-part"
BACKMATTER = "compendium-backmatter"

#: A tagged PDF (its paragraphs, links and notes in a structure tree, for screen
#: readers and reflow), in French. LaTeX's tagging of this TeX Live (2022) knows
#: paragraphs, links and footnotes, not yet headings nor lists (« phase-II »).
#: No XMP packet: it would carry the build's time (SOURCE_DATE_EPOCH is not read
#: there) and the PDF would no longer be reproducible; the document information
#: dictionary holds the title, author, subject and keywords.
DOCUMENT_METADATA = r"\DocumentMetadata{testphase=phase-II,lang=fr-FR,pdfversion=1.7,xmp=false}"

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


@functools.lru_cache(maxsize=1024)  # asked for each block: 20,000 times for 120 letters
def source_label(source: str, root: Path) -> str:
    """A document's path as the editor knows it: the real file (``issues/…``, not
    the ``docs/lettres`` link), relative to the project."""
    real = Path(os.path.realpath(source))
    try:
        return real.relative_to(root.resolve()).as_posix()
    except ValueError:
        return real.name


class CompendiumTranslator(CompendiumIndices, LaTeXTranslator):
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
        return cover_settings(almanach_config(self.config), self.compendium_letters(), self.escape)

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
                # The page is the part: its title at part level, its sections as
                # chapters, which follow each other (a few lines each, often).
                self.sectionlevel -= 1
                self.body.append(CR + _tocdepth(depth - 2) + CR)
                self.body.append(r"\almanachflowingchapters" + CR)
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

    # -- lines that lead into what follows ------------------------------------------

    def depart_paragraph(self, node: nodes.Element) -> None:
        super().depart_paragraph(node)
        if leads_in(node):
            self.body.append(r"\almanachleadin" + CR)

    # -- reproducibility -------------------------------------------------------------

    def astext(self) -> str:
        """The document, with a trailer id derived from its content (lualatex
        would otherwise derive it from the build folder's path); tagged
        (:data:`DOCUMENT_METADATA`, before the class) when
        ``almanach_pdf_tagged`` asks for it."""
        text = super().astext()
        digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
        trailer = rf"\pdfvariable trailerid {{[<{digest}> <{digest}>]}}" + CR
        text = text.replace(r"\begin{document}", trailer + r"\begin{document}", 1)
        if almanach_config(self.config).pdf_tagged:
            return DOCUMENT_METADATA + CR + text
        return text


def leads_in(paragraph: nodes.Element) -> bool:
    """Whether a paragraph introduces what follows it, as a heading would, and must
    not end a page without it: a paragraph all in bold (« Guillaume Demeyer, chargé
    de mission : », « Lettre n° 2 (p. 5) » above its update) or ending with a colon.
    Only when something follows it in the same block."""
    parent = paragraph.parent
    if parent is None or parent.index(paragraph) == len(parent) - 1:
        return False
    children = [
        child
        for child in paragraph.children
        if not (isinstance(child, nodes.Text) and not child.strip())
    ]
    if len(children) == 1 and isinstance(children[0], nodes.strong):
        return True
    return paragraph.astext().rstrip().endswith(":")


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
