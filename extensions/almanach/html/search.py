"""French search that ignores accents: « sobriete » finds « sobriété ».

Words are folded (accents removed) before the French Snowball stemmer, when
the index is built in Python and when a reader's query is stemmed in the
browser, so both sides agree.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx.search
from sphinx.search.fr import SearchFrench

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


def setup_search(app: Sphinx) -> None:
    app.add_search_language(SearchFrenchUnaccented)
