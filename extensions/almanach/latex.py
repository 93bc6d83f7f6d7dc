"""PDF specifics: fonts that cover French and colour emoji, metadata, checks.

The compendium is typeset by Sphinx's LaTeX builder with lualatex. The
settings below are defaults: a key that ``conf.py`` sets in ``latex_elements``
wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util.texescape import escape

from .config import almanach_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Fonts: TeX Gyre Pagella (text), Heros (headings), DejaVu Sans Mono (code),
#: each falling back to Noto Color Emoji in HarfBuzz mode, so that emoji come
#: out in colour in headings, the table of contents, bookmarks and lists.
FONTPKG = r"""
\directlua{luaotfload.add_fallback("almanachemoji", {"NotoColorEmoji:mode=harf;"})}
\setmainfont{TeX Gyre Pagella}[RawFeature={fallback=almanachemoji}]
\setsansfont{TeX Gyre Heros}[RawFeature={fallback=almanachemoji}]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase,RawFeature={fallback=almanachemoji}]
\newfontfamily\almanachemojifont{Noto Color Emoji}[Renderer=HarfBuzz]
"""

#: Characters that the text fonts have in black and white but that the
#: letters use as emoji (Pagella has ➡, so the fallback never fires for it).
EMOJI_FORCED = ("\u27a1",)

PREAMBLE = r"""
\usepackage{newunicodechar}
%(forced)s
\AtBeginDocument{\hypersetup{
  pdftitle={%(title)s},
  pdfauthor={%(author)s},
  pdfsubject={%(subject)s},
  pdfkeywords={%(keywords)s},
}}
"""


def setup_latex(app: Sphinx) -> None:
    """Fill ``latex_elements`` defaults once the configuration is read."""
    app.connect("config-inited", set_latex_defaults)


def set_latex_defaults(app: Sphinx, config: Config) -> None:
    """Complete ``latex_elements`` with the compendium's fonts and metadata."""
    settings = almanach_config(config)
    title = config.latex_documents[0][2] if config.latex_documents else settings.programme
    forced = "\n".join(
        rf"\newunicodechar{{{char}}}{{{{\almanachemojifont {char}}}}}" for char in EMOJI_FORCED
    )
    preamble = PREAMBLE % {
        "forced": forced,
        "title": escape(title),
        "author": escape(settings.publisher),
        "subject": escape(settings.pdf_subject),
        "keywords": escape(settings.pdf_keywords),
    }
    elements = dict(config.latex_elements)
    elements.setdefault("fontpkg", FONTPKG)
    elements["preamble"] = preamble + elements.get("preamble", "")
    elements.setdefault("papersize", "a4paper")
    # /Lang must reach hyperref before it writes the catalog.
    elements["passoptionstopackages"] = (
        r"\PassOptionsToPackage{pdflang=fr-FR}{hyperref}"
        + "\n"
        + elements.get("passoptionstopackages", "")
    )
    config.latex_elements = elements
