"""The French messages of the screen (:mod:`almanach.rules.screen`): what a
refused or misplaced construct is, and how to write it instead."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .allowlist import LINK_SCHEMES
from .characters import shorten

#: MyST syntax extensions a letter is parsed with, whatever ``conf.py`` enables
#: for the site's own pages (no substitutions: they are Jinja templates).


def shown(name: str) -> str:
    """A name from the letter, as a message shows it (never a page of text)."""
    return shorten(name, 40)


def listed(names: Iterable[str]) -> str:
    return ", ".join(f"« {name} »" for name in sorted(names))


def nearby(name: str, choices: Iterable[str], what: str) -> str:
    from ..warnings_ import close_matches

    return close_matches(name, choices, what)


def raw_html_message(html: str) -> str:
    return (
        f"HTML brut refusé dans une lettre : « {shorten(html, 60)} » ; il est affiché comme du "
        "texte. "
        "Écrivez en MyST (gras : **mot**, lien : [texte](adresse))"
    )


def scheme_message(scheme: str) -> str:
    allowed = ", ".join(f"{s}:" for s in LINK_SCHEMES)
    return f"lien « {scheme}: » refusé : seuls les liens {allowed} sont acceptés"


def heading_jump_message(level: int, parent: int) -> str:
    under = f"un titre de niveau {parent}" if parent else "le début de la lettre"
    return (
        f"titre de niveau {level} (« {'#' * level} ») sous {under} : il est publié au niveau "
        f"{parent + 1} ; écrivez « {'#' * (parent + 1)} » (un « # » de plus que le titre "
        "au-dessus)"
    )


def anchor_message(anchor: str) -> str:
    return (
        f"lien vers « #{shown(anchor)} » : aucun titre de la lettre n’a cette ancre ; il est "
        "publié comme du texte ; corrigez l’ancre (le titre en minuscules, mots reliés par "
        "des tirets) ou retirez le lien"
    )


def page_message(page: str) -> str:
    return (
        f"lien vers « {shown(page)} » : cette page n’existe pas ; il est publié comme du "
        "texte ; corrigez le nom du fichier (une lettre : « 2022-01.md ») ou retirez le lien"
    )


def footnote_message(label: str, called: bool) -> str:
    if called:
        return (
            f"note « [^{shown(label)}] » appelée mais jamais écrite : ajoutez, à la fin de la "
            f"lettre, une ligne « [^{shown(label)}]: texte de la note »"
        )
    return (
        f"note « [^{shown(label)}] » écrite mais jamais appelée : elle est publiée comme un "
        f"paragraphe ; appelez-la dans le texte avec « [^{shown(label)}] » ou retirez-la"
    )


#: ``:::quote``, ``:::{quote``, ``:::{rubrique}edito``: a directive's name
#: written without its braces (or one of them), read by MyST as a plain box.
BRACELESS = re.compile(r"^\{?([A-Za-z][\w-]*)\}?")


def braceless_message(written: str, name: str, markup: str) -> str:
    return (
        f"« {markup}{shown(written)} » : le nom du bloc s’écrit entre accolades, suivi d’une "
        f"espace : « {markup}{{{name}}} » ; sinon le bloc est publié comme une simple boîte"
    )


def unreadable_options_message(name: str) -> str:
    return (
        f"les options du bloc « {name} » ne se lisent pas : écrivez une option par ligne, "
        "« :nom: valeur », juste sous la ligne du bloc (sans tabulation ni ligne de suite) ; "
        "le bloc est publié tel quel, comme du texte"
    )


FRONT_MATTER_UNCLOSED = (
    "en-tête jamais fermé : ajoutez une ligne « --- » après son dernier champ (status: …)"
)
RULE_MISPLACED = (
    "trait de séparation « --- » au début ou à la fin d’une partie (ou juste après un titre, "
    "ou suivi d’un autre trait) : il n’est pas publié ; retirez-le, ou placez-le entre deux "
    "paragraphes"
)


def footnote_twice_message(label: str, first: int) -> str:
    return (
        f"note « [^{shown(label)}] » écrite une seconde fois (déjà ligne {first}) : elle est "
        "publiée comme un paragraphe ; donnez-lui un autre nom et appelez-la"
    )
