"""What the support lint tells an editor about a feature: in French, what the
reader of the letter gets in the clients that lack it, and what to do instead.

:func:`advice_for` picks the advice of a slug's family (the first entry of
:data:`_ADVICE` that names the slug, or a prefix of it), else a generic one;
:func:`client_list` names the clients. :func:`almanach.email.support.describe`
makes the sentence.
"""

from __future__ import annotations

#: (slugs, or slug prefixes ending in "-"; what the reader gets; what to do).
_ADVICE: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        (
            "css-display-flex",
            "css-display-grid",
            "css-flex-",
            "css-align-items",
            "css-justify-content",
            "css-gap",
            "css-grid-template",
            "css-float",
            "css-clear",
            "css-column-",
        ),
        "la mise en page se défait dans ces messageries",
        "Utilisez un tableau : une colonne, ou des cellules côte à côte",
    ),
    (
        ("css-position", "css-inset", "css-left-right-top-bottom", "css-z-index"),
        "l’élément n’est pas placé où prévu",
        "Laissez-le dans le flux normal du texte, sans position",
    ),
    (
        ("html-svg", "image-"),
        "l’image ne s’affiche pas",
        "Utilisez une image PNG, ou JPEG pour une photo, hébergée sur le site",
    ),
    (
        ("css-at-font-face", "css-sytem-ui"),
        "la police n’est pas chargée",
        "Utilisez une police système (Arial, Georgia, Verdana…)",
    ),
    (
        ("css-at-import", "html-link"),
        "la feuille de style n’est pas chargée",
        "Mettez les styles dans le document : la construction les intègre aux éléments",
    ),
    (
        (
            "html-form",
            "html-input-",
            "html-button-",
            "html-select",
            "html-textarea",
            "html-required",
        ),
        "le formulaire ne fonctionne pas",
        "Remplacez-le par un lien vers la page du site",
    ),
    (
        (
            "css-background-",
            "html-background",
            "css-linear-gradient",
            "css-radial-gradient",
            "css-conic-gradient",
        ),
        "le fond n’apparaît pas",
        "Donnez une couleur de fond unie, avec background-color, qui suffise à la lecture",
    ),
    (
        ("css-border-radius",),
        "les coins restent carrés",
        "Retirez l’arrondi, ou vérifiez que le bloc se lit aussi bien avec des coins carrés",
    ),
    (
        ("html-video", "html-audio", "html-object", "html-picture", "html-marquee"),
        "le contenu n’est pas lu",
        "Mettez une image fixe et un lien vers la page du site",
    ),
    (
        ("css-unit-",),
        "la longueur est ignorée",
        "Exprimez-la en pixels : px",
    ),
    (
        ("css-function-", "css-variables"),
        "la valeur est ignorée",
        "Écrivez directement la valeur finale",
    ),
    (
        ("css-rgba", "css-modern-color"),
        "la couleur est ignorée",
        "Écrivez-la en hexadécimal : #rrggbb",
    ),
    (
        ("css-selector-", "css-pseudo-", "css-nesting"),
        "la règle ne s’applique pas",
        "Ciblez l’élément par une classe simple, ou mettez le style en ligne",
    ),
    (
        ("css-animation", "css-transition", "css-at-keyframes", "css-transform"),
        "l’effet n’est pas rendu",
        "Assurez-vous que l’état fixe suffit à la lecture",
    ),
    (
        ("css-comments",),
        "la règle ou l’attribut qui le contient peut être supprimé",
        "Retirez les commentaires CSS",
    ),
    (
        ("css-important",),
        "la déclaration peut être supprimée",
        "Retirez « !important » : les styles en ligne l’emportent déjà",
    ),
    (
        ("css-at-",),
        "ces règles conditionnelles sont ignorées",
        "Assurez-vous que la lettre se lit sans elles",
    ),
    (
        ("html-anchor-links",),
        "le lien interne ne mène nulle part",
        "Faites pointer le lien vers la page du site",
    ),
    (
        ("html-body",),
        "ces messageries retirent la balise <body>, et ce qu’elle porte",
        "Portez le fond et les styles sur un tableau qui englobe la lettre",
    ),
    (
        ("html-target",),
        "l’attribut est ignoré, les liens s’ouvrant de toute façon dans une nouvelle fenêtre",
        "Retirez l’attribut target",
    ),
)
_GENERIC_ADVICE = (
    "ces messageries l’ignorent ou le retirent",
    "Retirez-le, ou vérifiez que la lettre se lit sans lui",
)


def advice_for(slug: str) -> tuple[str, str]:
    """(what the reader gets, what to do) for a feature a warning reports."""
    return next(
        (
            (consequence, remedy)
            for slugs, consequence, remedy in _ADVICE
            if any(
                slug == family or (family.endswith("-") and slug.startswith(family))
                for family in slugs
            )
        ),
        _GENERIC_ADVICE,
    )


def client_list(clients: tuple[str, ...], shown: int = 5) -> str:
    """« A, B et C »; past ``shown`` + 1 names, « A, B… et 7 autres »."""
    if len(clients) <= shown + 1:
        return ", ".join(clients[:-1]) + (" et " if len(clients) > 1 else "") + clients[-1]
    return f"{', '.join(clients[:shown])} et {len(clients) - shown} autres"
