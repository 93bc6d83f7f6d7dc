"""The compendium's indices: the domain indices with each entry's places in the
letters run in one paragraph (« n° 2 (p. 5) ; n° 7 (p. 41) »), then an index
of the organisations and events (:class:`OtherEntriesIndex`).

A letter's places are labels whose pages LaTeX alone knows: ``\almanachpage``
prints a place's page only when the letter's list does not hold it yet, so two
places on one page give « p. 4 », not « p. 4, 4 »."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sphinx.locale import _
from sphinx.writers.latex import CR

from .. import _compat
from ..domain.indices import Item, PlacesIndex
from ..reading.nodes import latex_label

if TYPE_CHECKING:
    from sphinx.domains import IndexEntry

    from ..domain.domain import AlmanachDomain


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
                yield Item(
                    entry.id, entry.label, target[0], target[1], self.mention_places(kind, entry.id)
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


#: The macros of the places' pages (refcount's ``\getpagerefnumber`` is
#: expandable, and hyperref loads refcount through nameref): within one
#: ``\almanachpagelist``, a page already printed is skipped.
PAGE_LIST_MACROS = r"""\makeatletter
\providecommand*\almanachpagelist[1]{\begingroup
  \def\almanach@seen{,}\let\almanach@sep\@empty #1\endgroup}
\providecommand*\almanachpage[1]{%
  \edef\almanach@page{\getpagerefnumber{#1}}%
  \edef\almanach@test{\noexpand\in@{,\almanach@page,}{\almanach@seen}}\almanach@test
  \ifin@\else
    \almanach@sep\pageref{#1}%
    \edef\almanach@seen{\almanach@seen\almanach@page,}%
    \def\almanach@sep{,\space}%
  \fi}
\makeatother
"""


class CompendiumIndices:
    """The indices' part of :class:`~almanach.pdf.translator.CompendiumTranslator`
    (it overrides Sphinx's ``generate_indices``)."""

    almanach: AlmanachDomain
    config: Any
    builder: Any
    escape: Callable[[str], str]
    encode: Callable[[str], str]

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
        return PAGE_LIST_MACROS + "".join(output) if output else ""

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
        """« n° 2 (p. 4, 6) » for each letter: its number, the pages of its places,
        each page once."""
        result = []
        for docname, labels in places.items():
            short = _("n° %d") % numbers[docname] if docname in numbers else ""
            pages = "".join(rf"\almanachpage{{{label}}}" for label in labels)
            result.append(rf"{self.encode(short)}\almanachpages{{\almanachpagelist{{{pages}}}}}")
        return result
