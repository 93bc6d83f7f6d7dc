"""PDF specifics: the compendium's LaTeX settings, its style and its translator.

The compendium is typeset by Sphinx's LaTeX builder with lualatex, as a book
(``book`` class, A4, 11 pt): a cover, the table of contents and the
introduction as front matter, the parts, then the bibliography and the indices.
Its look lives in ``pdf/almanach.sty`` (copied next to the ``.tex``); its
structure is written by :class:`~almanach.pdf.translator.CompendiumTranslator`.

The settings below are defaults: a key that ``conf.py`` sets in
``latex_elements`` wins.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.texescape import escape

from ..config import almanach_config
from .translator import CompendiumTranslator, RecordToctreeCaptions

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The style file shipped with the package, loaded by the preamble.
STYLE = Path(__file__).parent / "almanach.sty"

#: Fonts: TeX Gyre Pagella (text), Heros (headings), DejaVu Sans Mono (code),
#: each falling back to Noto Color Emoji in HarfBuzz mode, so that emoji come
#: out in colour in headings, the table of contents, bookmarks and lists.
#: ``\almanachemojifont`` serves the characters asked in emoji presentation
#: (followed by U+FE0F, as ➡️): see ``almanach.sty``. Sphinx turns TeX's
#: ligatures off (the letters keep their straight quotes): only the dashes
#: that Sphinx itself writes (``---`` before a quotation's author) are joined.
FONTPKG = r"""
\directlua{luaotfload.add_fallback("almanachemoji", {"NotoColorEmoji:mode=harf;"})}
\directlua{fonts.handlers.otf.addfeature{
  name = "almanachdashes", type = "ligature",
  data = {endash = {"hyphen", "hyphen"}, emdash = {"hyphen", "hyphen", "hyphen"}},
}}
\setmainfont{TeX Gyre Pagella}[RawFeature={fallback=almanachemoji;+almanachdashes}]
\setsansfont{TeX Gyre Heros}[RawFeature={fallback=almanachemoji;+almanachdashes}]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase,RawFeature={fallback=almanachemoji}]
\newfontfamily\almanachemojifont{Noto Color Emoji}[Renderer=HarfBuzz,
  BoldFont=*,ItalicFont=*,BoldItalicFont=*,SlantedFont=*,BoldSlantedFont=*]
"""

PREAMBLE = r"""
\usepackage{almanach}
\AtBeginDocument{\hypersetup{
  pdftitle={%(title)s},
  pdfauthor={%(author)s},
  pdfsubject={%(subject)s},
  pdfkeywords={%(keywords)s},
}}
"""

#: Link colours: the accent of the style for links inside the book, a dark
#: blue for addresses outside it.
SPHINXSETUP = (
    "InnerLinkColor={HTML}{1D5C4D}, OuterLinkColor={HTML}{1F4E8C}, "
    "TitleColor={HTML}{1D5C4D}, HeaderFamily=\\sffamily\\bfseries"
)


def setup_latex(app: Sphinx) -> None:
    """Register the compendium's translator, its settings and its style file."""
    app.add_transform(RecordToctreeCaptions)
    app.set_translator("latex", CompendiumTranslator)
    app.connect("config-inited", set_latex_defaults)
    app.connect("build-finished", copy_style)


def set_latex_defaults(app: Sphinx, config: Config) -> None:
    """Complete ``latex_elements`` with the compendium's book settings and metadata."""
    settings = almanach_config(config)
    title = config.latex_documents[0][2] if config.latex_documents else settings.programme
    preamble = PREAMBLE % {
        "title": escape(title),
        "author": escape(settings.publisher),
        "subject": escape(settings.pdf_subject),
        "keywords": escape(settings.pdf_keywords),
    }
    elements = dict(config.latex_elements)
    for key, value in {
        "papersize": "a4paper",
        "pointsize": "11pt",
        "classoptions": ",openany",
        "fontpkg": FONTPKG,
        "fncychap": "",
        "sphinxsetup": SPHINXSETUP,
        "maketitle": r"\almanachcover",
        "tableofcontents": r"\almanachtableofcontents",
        # Lists and quotations nest as deep as MyST lets a letter nest them
        # (LaTeX's own limit is 4 lists and 6 levels: deeper, the PDF fails).
        "maxlistdepth": "20",
    }.items():
        elements.setdefault(key, value)
    elements["preamble"] = preamble + elements.get("preamble", "")
    # /Lang and the viewer's preferences must reach hyperref before it writes
    # the catalog.
    elements["passoptionstopackages"] = (
        r"\PassOptionsToPackage{pdflang=fr-FR,pdfdisplaydoctitle=true}{hyperref}"
        + "\n"
        + elements.get("passoptionstopackages", "")
    )
    config.latex_elements = elements
    # Front, main and back matter need the book class.
    config.latex_docclass = {"manual": "book", **config.latex_docclass}


def copy_style(app: Sphinx, exception: Exception | None) -> None:
    """Put ``almanach.sty`` next to the ``.tex`` files."""
    if exception is None and app.builder.format == "latex":
        shutil.copyfile(STYLE, Path(app.outdir) / STYLE.name)
