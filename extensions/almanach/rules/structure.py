"""The structure of a letter: blocks that close, and blocks in their place.

A letter is a sequence of rubriques holding territory updates, quotations and
resources. MyST never complains about a block whose closing line is missing
(it runs to the end of its parent, swallowing what follows) or about a block in
the wrong place; both silently change what is published, so both are errors,
found by the same pass as the allowlist (:mod:`almanach.rules.allowlist`).

Nesting rules (:data:`PARENTS`):

- a ``rubrique`` is at the top of the letter, never inside another block;
- a ``territory-update`` is at the top or in a rubrique;
- a ``quote`` or a ``resource`` is at the top, in a rubrique or in a
  territory update (or in a note, tip…);
- the other blocks (notes, figures, tables) go anywhere, but hold no rubrique
  or territory update.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

#: Where each of almanach's blocks may stand: the directive it sits in (None:
#: the top of the letter). Other blocks may stand anywhere these allow.
PARENTS: dict[str, frozenset[str | None]] = {
    "rubrique": frozenset({None}),
    "territory-update": frozenset({None, "rubrique"}),
    "quote": frozenset(
        {None, "rubrique", "territory-update", "note", "tip", "important", "warning"}
    ),
    "resource": frozenset(
        {None, "rubrique", "territory-update", "note", "tip", "important", "warning"}
    ),
}
#: How editors call the blocks, in messages.
LABELS = {
    "rubrique": "la rubrique",
    "territory-update": "la nouvelle de territoire",
    "quote": "la citation",
    "resource": "la ressource",
}
#: A line that only holds a fence's marker (inside list items or quotations,
#: after their markers).
CLOSING = re.compile(r"^[\s>]*(?P<marker>:{3,}|`{3,}|~{3,})\s*$")


def label(name: str | None) -> str:
    if name is None:
        return "la lettre"
    return LABELS.get(name, f"le bloc « {name} »")


def is_closed(token: Token, lines: list[str], base: int) -> bool:
    """Whether a fence token ends on its own closing line (``lines``: the text the
    tokens were parsed from; ``base``: the index of its first line there)."""
    if not token.map:
        return True
    last = token.map[1] - 1 - base
    if last <= token.map[0] - base or last >= len(lines):
        return False
    match = CLOSING.match(lines[last])
    marker = token.markup
    return (
        bool(match)
        and match.group("marker")[0] == marker[0]
        and (len(match.group("marker")) >= len(marker))
    )


def block(name: str | None, token: Token) -> str:
    """« le bloc « quote » », « le bloc de code »: a block, in messages."""
    if name:
        return f"le bloc « {name} »"
    return "le bloc de code" if token.type == "fence" else "le bloc"


def unclosed_message(
    name: str | None, token: Token, line: int, parent: tuple[str, int] | None
) -> str:
    message = (
        f"{block(name, token)} ouvert ligne {line} n’est jamais fermé : il avale tout ce qui "
        f"suit ; ajoutez une ligne « {token.markup} » à la fin de son contenu"
    )
    if parent and parent[0]:
        message += (
            f" (si elle y est, c’est le bloc « {parent[0]} » ouvert ligne {parent[1]} qui n’est "
            "pas fermé avant lui : sa ligne de fermeture est prise par ce bloc-ci)"
        )
    return message


def misplaced_message(name: str, line: int, parent: str | None, parent_line: int) -> str:
    return (
        f"{label(name)} ligne {line} est dans {label(parent)} ouverte ligne {parent_line} : "
        f"{label(parent)} n’est sans doute pas fermée ; ajoutez sa ligne de fermeture avant "
        f"la ligne {line}"
        if parent in LABELS
        else f"{label(name)} ligne {line} ne peut pas être dans {label(parent)} ouvert ligne "
        f"{parent_line} : placez-la en dehors"
    )


STRAY_FENCE = (
    "la ligne « {marker} » ne ferme aucun bloc : elle ouvrirait un bloc qui avale la suite ; "
    "si elle devait fermer un bloc ouvert avec plus de « : », écrivez-en autant, sinon "
    "retirez-la"
)
COMMENT_IN_PARAGRAPH = (
    "cette ligne commence par « % » : elle est lue comme un commentaire et n’est pas publiée ; "
    "si c’est la suite de la phrase précédente, remontez-la sur la ligne d’avant (ou écrivez "
    "« \\% »)"
)
TOO_DEEP = (
    "listes ou citations imbriquées trop profondément : la suite de ce passage serait perdue ; "
    "réduisez l’imbrication"
)
INDENTED_CODE = (
    "ce passage est décalé de 4 espaces (ou d’une tabulation) : il est publié comme du code, "
    "tel quel ; retirez le décalage en début de ligne (pour du code, entourez-le de « ``` »)"
)
HASH_NOT_HEADING = (
    "cette ligne commence par « # » sans espace après : elle est publiée comme une phrase, "
    "pas comme un titre ; écrivez « # Titre » (si c’est un mot-dièse, ajoutez un mot avant)"
)
#: A heading without the space after its « # »: a paragraph of one line.
HASH_HEADING = re.compile(r"^#{1,6}[^ \t#]")
#: A role's name in braces, not followed by the backquote that would make it one.
ROLE_LIKE = re.compile(r"\{([A-Za-z][\w:.-]*)\}(?!`)")


def role_without_backquote(name: str, known: str) -> str:
    return (
        f"« {{{name}}} » n’est pas suivi de l’identifiant entre accents graves : il est publié "
        f"tel quel ; écrivez {{{known}}}`identifiant`, accent grave collé, sans espace"
    )


SETEXT_HEADING = (
    "la ligne « {markup} » sous ce texte en fait un titre : pour un trait de séparation, "
    "laissez une ligne vide avant « --- » ; pour un titre, écrivez « ## Titre »"
)
#: A link or an image whose address holds a space: markdown leaves it as text.
SPACED_ADDRESS = re.compile(r"!?\[[^\]\n]*\]\((?!<)[^()\s]*\s[^()]*\)")
SPACED_ADDRESS_MESSAGE = (
    "lien ou image non reconnu : son adresse contient une espace, il est publié comme du "
    "texte ; écrivez %20 à la place de l’espace, ou renommez le fichier sans espace"
)
LIST_IN_A_SENTENCE = (
    "cette ligne commence par « {marker} » juste sous une phrase : elle est publiée comme une "
    "liste à puce d’un élément ; si c’est la suite de la phrase, remontez-la sur la ligne "
    "d’avant (pour une liste, laissez une ligne vide ou finissez la phrase par « : »)"
)
OPTION_ON_TWO_LINES = (
    "la valeur de « :{name}: » continue sur la ligne suivante : les options qui suivent sont "
    "lues comme du texte ; écrivez la valeur sur une seule ligne"
)
