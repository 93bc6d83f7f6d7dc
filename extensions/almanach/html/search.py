"""French search that ignores accents: « sobriete » finds « sobriété ».

Words are folded (accents removed) before the French Snowball stemmer, when
the index is built in Python and when a reader's query is stemmed in the
browser, so both sides agree.

The search page shows the results as a programme's publication would
(``static/almanach-search.js``, loaded by ``templates/search.html`` after
Sphinx's ``searchtools.js``): the letters first, the editors' pages last;
each result says where its hit is (« Lettre n° 2 — décembre 2021 › En
pratique… ») and quotes the sentence of the article around it, the query's
words marked, accents or not. The page gives that script what the build knows
(:func:`search_page_data`). The theme's search box is French and shown once.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx.search
from markupsafe import Markup
from sphinx.search.fr import SearchFrench

from ..model.letters import letter_label
from .typography import french_spacing

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_MINIFIED = Path(sphinx.search.__file__).parent / "minified-js"

#: The browser side: Sphinx's French stemmer behind the same folding.
FOLDING_STEMMER_JS = """
var FoldingFrenchStemmer = function () {
  var french = new FrenchStemmer();
  this.stemWord = function (word) {
    return french.stemWord(word.normalize("NFD").replace(/[\\u0300-\\u036f]/g, ""));
  };
};
window.Stemmer = FoldingFrenchStemmer;
"""


@functools.lru_cache(maxsize=1 << 16)  # (a pure function of the word, asked for each word)
def fold(word: str) -> str:
    """``word`` without its accents (é → e, ç → c), lower-cased."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


class SearchFrenchUnaccented(SearchFrench):
    """Sphinx's French search, insensitive to accents."""

    js_stemmer_rawcode = ""

    @property
    def js_stemmer_code(self) -> str:  # type: ignore[override]
        return "\n".join(
            (
                (_MINIFIED / "base-stemmer.js").read_text(encoding="utf-8"),
                (_MINIFIED / "french-stemmer.js").read_text(encoding="utf-8"),
                FOLDING_STEMMER_JS,
            )
        )

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        #: The stems found so far, by word: every page asks for the stems of its
        #: words, the same few thousand words (Sphinx keeps them for one page only).
        #: At 60 letters, a tenth of the stemming's time (1.8 s → 0.14 s).
        self.stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self.stems.get(word)
        if stem is None:
            stem = self.stems[word] = self.stemmer.stemWord(fold(word))
        return stem

    def word_filter(self, word: str) -> bool:
        return super().word_filter(word) and fold(word) not in _FOLDED_STOPWORDS


_FOLDED_STOPWORDS = frozenset(fold(word) for word in SearchFrench.stopwords)


#: The editors' pages (the guide): found, but after every page for readers.
EDITORS_PAGES = ("guide/",)

#: The placeholder of the search box (the theme's is English: « Search... »).
SEARCH_BOX_TEXT = "Rechercher…"


def search_page_data(app: Sphinx) -> dict[str, Any]:
    """What the search page's script knows of the site: each letter's label,
    its rank by date (0 to 1, the newest highest) and its rubriques (section
    anchor → the rubrique's title in the registry); the editors' pages; every
    page's title. Its texts are typeset as the pages are (the search index
    holds them as written)."""
    domain = app.env.domains["almanach"]
    titles = domain.registry.rubriques
    letters = domain.letters()
    found: dict[str, Any] = {}
    for rank, letter in enumerate(letters, start=1):
        rubriques: dict[str, str] = {}
        for section in domain.data["rubriques"].get(letter.docname, ()):
            entry = titles.get(section.rubrique)
            title = str(entry.get("title") or "") if entry is not None else ""
            if section.place.anchor:
                rubriques[section.place.anchor] = french_spacing(title or section.title)
        found[letter.docname] = {
            "label": letter_label(letter),
            "order": round(rank / (len(letters) + 1), 6),
            "rubriques": rubriques,
        }
    titles = {docname: french_spacing(title.astext()) for docname, title in app.env.titles.items()}
    return {"letters": found, "last": list(EDITORS_PAGES), "titles": titles}


def script_json(value: Any) -> Markup:
    """``value`` as JSON to place in a ``<script type="application/json">``:
    no ``<``, ``>`` or ``&`` (the letters' titles are the editors' text, and
    ``</script>`` in one must not close the element)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def search_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """``html-page-context``: the search page's data (written last, from the
    whole environment, so a partial or parallel build gives the same)."""
    if templatename == "search.html":
        context["almanach_search_data"] = script_json(search_page_data(app))


def french_search_box(app: Sphinx) -> None:
    """``builder-inited`` (before the themes'): the search box's French
    placeholder, and no search box in the page header — the theme's header
    (pydata-sphinx-theme 0.20 puts one there unless told otherwise) would
    repeat the sidebar's at large widths and cover the sidebar when scrolled;
    on a phone the article header's search button stays. ``conf.py``'s
    ``html_theme_options`` still decide."""
    options = getattr(app.builder, "theme_options", None)
    if not isinstance(options, dict):
        return
    # A copy: the builder's options are conf.py's own dictionary.
    options = app.builder.theme_options = dict(options)
    options.setdefault("search_bar_text", SEARCH_BOX_TEXT)
    options.setdefault("navbar_persistent", [])


def setup_search(app: Sphinx) -> None:
    app.add_search_language(SearchFrenchUnaccented)
    app.connect("builder-inited", french_search_box, priority=400)
    app.connect("html-page-context", search_page_context)
