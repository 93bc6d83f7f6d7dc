"""The bibliography in French: a pybtex formatting style and a citation style.

pybtex's styles print English words ("and", "In", "editor", "pages"…), and
sphinxcontrib-bibtex's author-year citations join authors with "and" inside
square brackets. This module registers:

* ``almanach`` — a pybtex formatting style (``bibtex_default_style``): pybtex's
  ``plain`` (sorted by author, year, title) with every English word in French
  (« et », « dans », « éd. », « p. », « thèse de doctorat »…);
* ``almanach-auteur-annee`` — a citation style (``bibtex_reference_style``):
  author-year citations with authors joined by « et », « [Dupont et Durand, 2020] »;
  and a pybtex label style of the same name, which the ``almanach`` formatting
  style uses: the bibliography's labels are the citations' words
  (« [Dupont et Durand, 2020] », not « [1] »), in the site and in the PDF.

Both are registered when the extension is set up, before sphinxcontrib-bibtex
looks them up (at ``builder-inited`` and when reading documents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pybtex.plugin
from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.richtext import Symbol
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field as bibfield
from pybtex.style.template import (
    first_of,
    href,
    join,
    names,
    optional,
    optional_field,
    sentence,
    tag,
    together,
    words,
)
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join as bibjoin
from sphinxcontrib.bibtex.style.template import year

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Names under which the styles are registered (set them in ``conf.py``).
FORMATTING_STYLE = "almanach"
REFERENCE_STYLE = "almanach-auteur-annee"

AND = " et "


class FrenchStyle(PlainStyle):
    """pybtex's ``plain`` style, with its words in French, its entries labelled
    by author and year as the citations are."""

    default_label_style = REFERENCE_STYLE

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=AND, last_sep=AND)
        return sentence[formatted] if as_sentence else formatted

    def format_editor(self, e, as_sentence=True):
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors  # raises FieldIsMissing when rendered, as upstream
        result = join(sep=" ")[editors, "(éd.)"]
        return sentence[result] if as_sentence else result

    def format_volume_and_series(self, e, as_sentence=True):
        volume_and_series = optional[
            words[
                together["Vol." if as_sentence else "vol.", bibfield("volume")],
                optional[words["de", bibfield("series")]],
            ]
        ]
        number_and_series = optional[
            words[
                join(sep=Symbol("nbsp"))["n°", bibfield("number")],
                optional[words["dans", bibfield("series")]],
            ]
        ]
        result = first_of[volume_and_series, number_and_series, optional_field("series")]
        return sentence(capfirst=True)[result] if as_sentence else result

    def format_chapter_and_pages(self, e):
        return join(sep=", ")[
            optional[together["chap.", bibfield("chapter")]],
            optional[together["p.", pages]],
        ]

    def format_edition(self, e):
        return optional[words[bibfield("edition", apply_func=lambda x: x.lower()), "édition"]]

    def get_article_template(self, e):
        volume_and_pages = first_of[
            optional[
                join[
                    bibfield("volume"),
                    optional["(", bibfield("number"), ")"],
                    ":",
                    pages,
                ],
            ],
            together["p.", pages],
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[
                tag("em")[bibfield("journal")],
                optional[volume_and_pages],
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_inbook_template(self, e):
        return toplevel[
            self.format_author_or_editor(e),
            sentence[
                self.format_btitle(e, "title", as_sentence=False),
                self.format_chapter_and_pages(e),
            ],
            self.format_volume_and_series(e),
            sentence[
                bibfield("publisher"),
                optional_field("address"),
                self.format_edition(e),
                date,
                optional_field("note"),
            ],
            self.format_web_refs(e),
        ]

    def get_incollection_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words["Dans", self._in_book(e, self.format_chapter_and_pages(e))],
            sentence[
                optional_field("publisher"),
                optional_field("address"),
                self.format_edition(e),
                date,
            ],
            self.format_web_refs(e),
        ]

    def _in_book(self, e, where):
        """The book a contribution is in (after « Dans »): its editors, title,
        volume or series, then ``where`` in it (chapter, pages)."""
        return sentence[
            optional[self.format_editor(e, as_sentence=False)],
            self.format_btitle(e, "booktitle", as_sentence=False),
            self.format_volume_and_series(e, as_sentence=False),
            where,
        ]

    def get_inproceedings_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[
                "Dans",
                self._in_book(e, optional[together["p.", pages]]),
                self.format_address_organization_publisher_date(e),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_mastersthesis_template(self, e):
        return self._thesis(e, "Mémoire de master", self.format_title(e, "title"))

    def get_phdthesis_template(self, e):
        return self._thesis(e, "Thèse de doctorat", self.format_btitle(e, "title"))

    def _thesis(self, e, kind, title):
        return toplevel[
            sentence[self.format_names("author")],
            title,
            sentence[
                first_of[optional_field("type"), kind],
                bibfield("school"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[
                words[
                    first_of[optional_field("type"), "Rapport technique"],
                    optional[join(sep=Symbol("nbsp"))["n°", bibfield("number")]],
                ],
                bibfield("institution"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        return sentence[
            optional[self.format_url(e), optional[" (consulté le ", bibfield("urldate"), ")"]],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]

    def format_url(self, e):
        url = bibfield("url", raw=True)
        return href(url)[url]

    def format_isbn(self, e):
        return join(sep=Symbol("nbsp"))["ISBN", bibfield("isbn")]


def _french_person() -> PersonStyle:
    return PersonStyle(sep2=AND, last_sep=AND)


@dataclass
class FrenchAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """Author-year citations with French words: « [Dupont et Durand, 2020] »."""

    person: PersonStyle = field(default_factory=_french_person)


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels of the bibliography's entries: what an author-year citation of the
    entry says between its brackets (« Dupont et Durand, 2020 », « Petit et al.,
    2019 »), made by the citation style's own template so that both agree."""

    def format_labels(self, sorted_entries):
        style = FrenchAuthorYearReferenceStyle()
        template = bibjoin(sep=style.author_year_sep)[
            style.person.author_or_editor_or_title(full=False), year
        ]
        for entry in sorted_entries:
            yield template.format_data({"entry": entry, "style": style}).render_as("text")


def setup_bibliography(app: Sphinx) -> None:
    """Register the French formatting and citation styles (idempotent)."""
    pybtex.plugin.register_plugin(
        "pybtex.style.formatting", FORMATTING_STYLE, FrenchStyle, force=True
    )
    pybtex.plugin.register_plugin(
        "pybtex.style.labels", REFERENCE_STYLE, AuthorYearLabelStyle, force=True
    )
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing",
        REFERENCE_STYLE,
        FrenchAuthorYearReferenceStyle,
        force=True,
    )
    # sphinxcontrib-bibtex asks pybtex for its plain-text backend at each citation;
    # found among the installed packages' entry points, that is a scan of their
    # metadata each time (20 ms: 0.9 s for the 40 citations of 120 letters in the
    # PDF). Registered at run time, the same class is found at once.
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", PlaintextBackend, force=True)
