"""The support lint: what in an email's HTML the main mail clients lack.

:func:`lint` reads an HTML document — its elements and attributes, its
``<style>`` elements and its ``style=""`` attributes — and returns a
:class:`Finding` for each feature that at least one of :data:`MAIN_CLIENTS`
does not support, according to caniemail's data (vendored, pruned, in
``caniemail.json``; :mod:`almanach.email.caniemail_data` makes it). Pure: no
Sphinx, no network, no node; malformed HTML or CSS never raises.

Main clients
    What French readers use (:data:`MAIN_CLIENTS`): Apple Mail (macOS, iOS);
    Gmail (webmail, iOS, Android); Outlook (Windows, macOS, Outlook.com, iOS,
    Android) and Windows's own Mail app (« Courrier »); Yahoo (webmail); Samsung
    Email; Thunderbird (macOS, where caniemail tests it, and Windows); and the
    French webmails: Orange (France's largest), SFR, La Poste, Free — their
    webmails only: caniemail rarely tests their apps, and Free only as a
    webmail. Each is judged by its latest tested version
    (:func:`almanach.email.caniemail_data.latest_version`). A feature is
    *unsupported* when that version's result starts with ``n``; partial (``a``)
    and unknown (``u``) support are not reported.

What is detected, and the caniemail slug it is checked against
    ==========================================  ==========================================
    HTML                                        slug
    ==========================================  ==========================================
    ``<svg>`` (its drawing is not read)         html-svg
    ``<form> <select> <textarea>``              html-form, html-select, html-textarea
    ``<input type=…>``                          html-input-{text, checkbox, radio, hidden,
                                                submit, reset}; other types as text,
                                                ``image`` as submit
    ``<button>``                                html-button-submit, or -reset
    ``<video> <audio> <object> <picture>``      html-{the element}
    ``<dialog> <marquee> <progress> <meter>``
    ``<link> <base> <style> <address> <abbr>``
    ``<acronym> <bdi> <ruby> <rt> <rp> <wbr>``
    ``<code> <small> <pre> <del> <strike>``
    ``<dfn> <blockquote> <hr> <div> <span>``
    ``<p> <table> <img> <strong>``
    ``<h1>`` to ``<h6>``; ``<ul> <ol> <dl>``    html-h1-h6; html-lists
    ``<article> <aside> <details> <figure>``    html-semantics
    ``<figcaption> <footer> <header> <main>``
    ``<mark> <nav> <section> <summary>``
    ``<time>``
    ``<body>`` with presentation (``style``,    html-body: clients without it drop the
    ``class``, ``bgcolor``, ``background``…)    element, and what it carries
    ``<meta name=color-scheme>``, or            html-meta-color-scheme
    ``name=supported-color-schemes``
    attributes ``lang dir role hidden target``  html-{the attribute}
    ``align valign width height background``
    ``cellpadding cellspacing popover``
    ``required aria-label aria-hidden``
    ``aria-labelledby aria-describedby``
    ``aria-live``
    ``srcset`` and ``sizes``; ``loading``       html-srcset; html-loading-attribute
    ``inert``; ``usemap``                       css-inert-attribute; html-image-maps
    ``href="#…"``; ``href="mailto:…"``          html-anchor-links; html-mailto-links
    comments; ``<!DOCTYPE html>``               html-comments; html-doctype
    ``<img src>`` and CSS ``url()``, by the     image-{svg, webp, avif, png, jpg, gif, bmp,
    extension or the ``data:`` type             ico, tiff, heif, apng, mp4}; and
                                                image-base64 for ``;base64``
    ==========================================  ==========================================

    ==========================================  ==========================================
    CSS                                         slug
    ==========================================  ==========================================
    a property ``p`` that has a slug            css-p (``_DIRECT_PROPERTIES``)
    ``margin-*``, ``padding-*``, ``border-*``   css-margin, css-padding, css-border
    ``border-radius``, ``border-*-radius``      css-border-radius
    logical: ``margin-inline``,                 css-{margin, padding}-inline-block,
    ``padding-block-start``,                    -{inline, block}-start-end;
    ``border-inline-start``,                    css-border-inline-block{, -individual,
    ``border-inline-start-color``…
                                                -longhand}; css-border-radius-logical
    ``background-*`` that has no slug, and      css-background, css-animation,
    ``animation-* transition-* outline-*``      css-transition, css-outline, css-overflow,
    ``overflow-* scroll-snap-*``                css-scroll-snap, css-grid-template,
    ``grid-template* column-* columns``         css-column-layout-properties
    ``gap row-gap column-gap``;                 css-gap; css-left-right-top-bottom
    ``left right top bottom``
    ``display: flex | grid | none`` (and        css-display-flex, -grid, -none
    ``inline-flex``, ``inline-grid``)
    ``flex-direction: column``;                 css-flex-direction; css-flex-wrap
    ``flex-wrap: wrap``
    ``rgb() rgba() calc() min() max()``         css-rgb, css-rgba, css-unit-calc,
    ``clamp() var() light-dark()``              css-function-{min, max, clamp},
    ``lab() lch() oklab() oklch()``             css-variables, css-function-light-dark,
    gradients (and ``repeating-``)              css-modern-color, css-{linear, radial,
                                                conic}-gradient
    ``--custom: …``                             css-variables
    units ``px em rem ex ch vh vw vmin vmax``   css-unit-{the unit}; css-unit-percent
    ``cm mm in pt pc``; ``%``
    ``initial``; ``fit-content``,               css-unit-initial; css-intrinsic-size;
    ``min-content``, ``max-content``;           css-sytem-ui (caniemail's spelling)
    ``system-ui``, ``ui-serif``…
    ``!important``; ``/* … */``                 css-important; css-comments
    ``@media``, and its features                css-at-media, css-at-media-{prefers-color-
    ``prefers-color-scheme``,                   scheme, prefers-reduced-motion,
    ``prefers-reduced-motion``,                 orientation, hover, device-pixel-ratio}
    ``orientation``, ``(any-)hover``,
    ``…device-pixel-ratio``
    ``@font-face @import``,                     css-at-{font-face, import, keyframes,
    ``@keyframes @supports``                    supports}
    selectors: type, ``*``, ``.class``,         css-selector-{type, universal, class, id,
    ``#id``, ``[attr]``, ``a, b``, ``.a.b``,    attribute, grouping, chaining, descendant,
    ``a b``, ``a > b``, ``a + b``, ``a ~ b``    child, adjacent-sibling, general-sibling}
    ``:hover``…, ``::before``… (and the         css-pseudo-class-…, css-pseudo-element-…
    legacy ``:before``), those caniemail tests
    a rule inside a rule                        css-nesting
    ==========================================  ==========================================

    Vendor prefixes are dropped before a property or keyword is looked up
    (``-webkit-box-shadow`` is css-box-shadow); properties without a slug
    (``color``, ``font-family``, ``mso-*``…) are not reported. ``@font-face``
    descriptors and ``@keyframes`` steps are not read as declarations.

Enhancements
    :data:`ENHANCEMENTS` lists the features accepted although some main clients
    lack them, because a reader without them still gets the whole letter; they
    come back as notes (:attr:`Finding.enhancement` set), never as warnings:
    the language, the colour scheme, ``<style>`` and ``@media``; ``role`` too,
    for the same reason as ``lang`` (the layout tables' ``role="presentation"``
    is for screen readers only); and the doctype, which the clients that lack
    it ignore (they render as if there were none: removing it would help none
    of them). Everything inside an ``@media`` block that is itself an
    enhancement (``@media (prefers-color-scheme: dark)``, ``@media
    (max-width: …)``) is a note too:
    such a block only adds to the baseline, and a client that drops one of its
    declarations (Orange drops a ``!important`` written without a space) keeps
    the baseline for it. The dark mode's selectors need no entry: type, class,
    descendant and grouping selectors work in every main client, so they are
    never reported.

Locations (what :attr:`Finding.line`… mean)
    ``line`` and ``column`` are 1-based, in the HTML. Inside a ``<style>``
    element with ``data-almanach-source="path"``, ``origin`` is that path and
    ``origin_line`` the line in that file: the builder inserts the file's text
    verbatim, starting on the line right after the opening tag (when the
    element's text does not start with a line break, its first line is the
    file's first line). For an element, its attributes or its ``style=""``,
    ``source_line`` is the ``data-almanach-line`` of the element, or else of
    the nearest enclosing element that has one. A column inside ``style=""`` is
    counted on the attribute as written, so it may be off when character
    references precede it. The text of a ``<style>`` left unclosed is not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import tinycss2

#: The clients a feature must work in: (caniemail family, platform, name shown
#: to editors). One tuple, so that the vendored data and the lint agree.
MAIN_CLIENTS: tuple[tuple[str, str, str], ...] = (
    ("apple-mail", "macos", "Apple Mail (macOS)"),
    ("apple-mail", "ios", "Apple Mail (iOS)"),
    ("gmail", "desktop-webmail", "Gmail (webmail)"),
    ("gmail", "ios", "Gmail (iOS)"),
    ("gmail", "android", "Gmail (Android)"),
    ("outlook", "windows", "Outlook (Windows)"),
    ("outlook", "windows-mail", "Courrier de Windows"),
    ("outlook", "macos", "Outlook (macOS)"),
    ("outlook", "outlook-com", "Outlook.com"),
    ("outlook", "ios", "Outlook (iOS)"),
    ("outlook", "android", "Outlook (Android)"),
    ("yahoo", "desktop-webmail", "Yahoo (webmail)"),
    ("samsung-email", "android", "Samsung Email"),
    ("thunderbird", "macos", "Thunderbird (macOS)"),
    ("thunderbird", "windows", "Thunderbird (Windows)"),
    ("orange", "desktop-webmail", "Orange (webmail)"),
    ("sfr", "desktop-webmail", "SFR (webmail)"),
    ("laposte", "desktop-webmail", "La Poste (webmail)"),
    ("free-fr", "desktop-webmail", "Free (webmail)"),
)

_SCREEN_READERS = "il sert aux lecteurs d’écran ; sans lui, rien de visible ne change"
_DARK_MODE = (
    "le mode sombre est un complément : sans lui, la messagerie montre la version claire, "
    "ou l’assombrit elle-même"
)

#: Features accepted although some main clients lack them (slug: why, in
#: French): without them a reader still gets the whole letter.
ENHANCEMENTS: dict[str, str] = {
    "html-lang": _SCREEN_READERS,
    "html-role": _SCREEN_READERS,  # role="presentation" on layout tables
    "html-doctype": (
        "une messagerie qui l’ignore affiche le message comme sans doctype ; "
        "les autres l’affichent en mode standard"
    ),
    "html-style": (
        "la construction intègre ses règles aux éléments (styles en ligne) ; ce qui ne peut "
        "l’être, comme le mode sombre, n’est qu’un complément"
    ),
    "css-at-media": "une requête média ne fait qu’adapter la version de base, qui reste lisible",
    "css-at-media-prefers-color-scheme": _DARK_MODE,
    "css-color-scheme": _DARK_MODE,
    "html-meta-color-scheme": _DARK_MODE,
}

# -- HTML tables ----------------------------------------------------------------

_SEMANTICS = "article aside details figcaption figure footer header main mark nav section"
_ELEMENT_SLUGS: dict[str, str] = {
    **{
        tag: f"html-{tag}"
        for tag in (
            "form select textarea video audio object picture dialog marquee progress meter "
            "link base style address abbr acronym bdi ruby rt rp wbr code small pre del "
            "strike dfn blockquote hr div span p table img strong svg"
        ).split()
    },
    **{f"h{level}": "html-h1-h6" for level in range(1, 7)},
    **dict.fromkeys(("ul", "ol", "dl"), "html-lists"),
    **dict.fromkeys((*_SEMANTICS.split(), "summary", "time"), "html-semantics"),
}
_INPUT_SLUGS = {
    **{kind: f"html-input-{kind}" for kind in ("checkbox", "radio", "hidden", "submit", "reset")},
    "image": "html-input-submit",
}
_ATTRIBUTE_SLUGS: dict[str, str] = {
    **{
        name: f"html-{name}"
        for name in (
            "lang dir role hidden target align valign width height background cellpadding "
            "cellspacing popover required aria-label aria-hidden aria-labelledby "
            "aria-describedby aria-live"
        ).split()
    },
    "srcset": "html-srcset",
    "sizes": "html-srcset",
    "loading": "html-loading-attribute",
    "inert": "css-inert-attribute",
    "usemap": "html-image-maps",
}
#: What ``<body>`` may carry that a client dropping the element loses.
_BODY_PRESENTATION = frozenset(
    "style class id bgcolor background text link vlink alink leftmargin topmargin".split()
)
_COLOR_SCHEME_META = frozenset(("color-scheme", "supported-color-schemes"))
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_IMAGE_EXTENSIONS = {
    **{ext: f"image-{ext}" for ext in ("svg", "webp", "avif", "png", "gif", "bmp", "ico")},
    **dict.fromkeys(("jpg", "jpeg", "jpe"), "image-jpg"),
    **dict.fromkeys(("tif", "tiff"), "image-tiff"),
    **dict.fromkeys(("heic", "heif"), "image-heif"),
    "apng": "image-apng",
    "mp4": "image-mp4",
}
_IMAGE_TYPES = {
    "svg+xml": "image-svg",
    "jpeg": "image-jpg",
    "x-icon": "image-ico",
    "vnd.microsoft.icon": "image-ico",
}

# -- CSS tables -----------------------------------------------------------------

_DIRECT_PROPERTIES = frozenset(
    """accent-color align-items animation aspect-ratio backdrop-filter background
    background-blend-mode background-clip background-color background-image
    background-origin background-position background-repeat background-size border
    border-collapse border-image border-radius border-spacing box-shadow box-sizing
    caption-side clear clip-path color-scheme column-count cursor direction display
    empty-cells filter float font font-kerning font-size font-size-adjust font-stretch
    font-weight height hyphenate-character hyphenate-limit-chars hyphens inset
    justify-content letter-spacing line-height list-style list-style-image
    list-style-position list-style-type margin mask-image max-block-size max-height
    max-inline-size max-width min-block-size min-height min-inline-size min-width
    mix-blend-mode object-fit object-position opacity orphans outline outline-offset
    overflow overflow-wrap padding position resize tab-size table-layout text-align
    text-align-last text-decoration text-decoration-color text-decoration-line
    text-decoration-skip-ink text-decoration-style text-decoration-thickness
    text-emphasis text-emphasis-position text-indent text-justify text-orientation
    text-overflow text-shadow text-transform text-underline-offset
    text-underline-position text-wrap transform transition user-select vertical-align
    visibility white-space white-space-collapse widows width word-break word-spacing
    word-wrap writing-mode z-index shape-margin shape-outside""".split()
)
_PROPERTY_SLUGS: dict[str, str] = {
    **dict.fromkeys(("gap", "row-gap", "column-gap"), "css-gap"),
    **dict.fromkeys(("left", "right", "top", "bottom"), "css-left-right-top-bottom"),
    "block-size": "css-block-inline-size",
    "inline-size": "css-inline-size",
    "columns": "css-column-layout-properties",
    "mask": "css-mask-image",
    "transform-origin": "css-transform",
    "border-inline": "css-border-inline-block",
    "border-block": "css-border-inline-block",
    **{
        f"{box}-{axis}": f"css-{box}-inline-block"
        for box in ("margin", "padding")
        for axis in ("inline", "block")
    },
    **{
        f"{box}-{axis}-{side}": f"css-{box}-{axis}-start-end"
        for box in ("margin", "padding")
        for axis in ("inline", "block")
        for side in ("start", "end")
    },
}
#: Longhands without a slug of their own, checked as their family (longest first).
_PROPERTY_FAMILIES = (
    ("border-image-", "css-border-image"),
    ("grid-template", "css-grid-template"),
    ("text-emphasis-", "css-text-emphasis"),
    ("scroll-snap-", "css-scroll-snap"),
    ("background-", "css-background"),
    ("transition-", "css-transition"),
    ("list-style-", "css-list-style"),
    ("animation-", "css-animation"),
    ("overflow-", "css-overflow"),
    ("outline-", "css-outline"),
    ("padding-", "css-padding"),
    ("text-wrap-", "css-text-wrap"),
    ("column-", "css-column-layout-properties"),
    ("border-", "css-border"),
    ("margin-", "css-margin"),
)
_VALUE_SLUGS = {
    ("display", "flex"): "css-display-flex",
    ("display", "inline-flex"): "css-display-flex",
    ("display", "grid"): "css-display-grid",
    ("display", "inline-grid"): "css-display-grid",
    ("display", "none"): "css-display-none",
    ("flex-direction", "column"): "css-flex-direction",
    ("flex-direction", "column-reverse"): "css-flex-direction",
    ("flex-wrap", "wrap"): "css-flex-wrap",
    ("flex-wrap", "wrap-reverse"): "css-flex-wrap",
}
_KEYWORD_SLUGS = {
    "initial": "css-unit-initial",
    **dict.fromkeys(("fit-content", "min-content", "max-content"), "css-intrinsic-size"),
    **dict.fromkeys(
        ("system-ui", "ui-serif", "ui-sans-serif", "ui-rounded", "ui-monospace"),
        "css-sytem-ui",  # caniemail's spelling
    ),
}
_FUNCTION_SLUGS = {
    "rgb": "css-rgb",
    "rgba": "css-rgba",
    "calc": "css-unit-calc",
    "min": "css-function-min",
    "max": "css-function-max",
    "clamp": "css-function-clamp",
    "var": "css-variables",
    "light-dark": "css-function-light-dark",
    "fit-content": "css-intrinsic-size",
    **dict.fromkeys(("lab", "lch", "oklab", "oklch"), "css-modern-color"),
    **{
        f"{repeating}{shape}-gradient": f"css-{shape}-gradient"
        for repeating in ("", "repeating-")
        for shape in ("linear", "radial", "conic")
    },
}
_UNITS = frozenset("px em rem ex ch vh vw vmin vmax cm mm in pt pc".split())
_MEDIA_FEATURES = {
    "prefers-color-scheme": "css-at-media-prefers-color-scheme",
    "prefers-reduced-motion": "css-at-media-prefers-reduced-motion",
    "orientation": "css-at-media-orientation",
    "hover": "css-at-media-hover",
    "any-hover": "css-at-media-hover",
}
_PIXEL_RATIO = "css-at-media-device-pixel-ratio"
_AT_RULE_SLUGS = {
    "font-face": "css-at-font-face",
    "import": "css-at-import",
    "keyframes": "css-at-keyframes",
    "supports": "css-at-supports",
}
#: At-rules whose block holds rules (read), as opposed to descriptors or steps.
_RULE_BLOCKS = frozenset(("media", "supports", "layer", "container", "scope", "document"))
_PSEUDO_CLASSES = frozenset(
    """active checked default first-child first-of-type focus-visible focus-within focus
    has hover lang last-child last-of-type link not nth-child nth-last-child
    nth-last-of-type nth-of-type only-child only-of-type target visited""".split()
)
_PSEUDO_ELEMENTS = frozenset("after before first-letter first-line marker placeholder".split())
_LEGACY_PSEUDO_ELEMENTS = frozenset(("after", "before", "first-letter", "first-line"))
_COMBINATORS = {
    ">": "css-selector-child",
    "+": "css-selector-adjacent-sibling",
    "~": "css-selector-general-sibling",
}
_VENDOR_PREFIX = re.compile(r"^-(?:webkit|moz|ms|o)-")

#: Every slug the lint can report: the vendored data holds exactly these.
SLUGS: frozenset[str] = frozenset(
    {
        *_ELEMENT_SLUGS.values(),
        *_INPUT_SLUGS.values(),
        "html-input-text",
        "html-button-submit",
        "html-button-reset",
        "html-body",
        "html-meta-color-scheme",
        "html-anchor-links",
        "html-mailto-links",
        "html-comments",
        "html-doctype",
        *_ATTRIBUTE_SLUGS.values(),
        *_IMAGE_EXTENSIONS.values(),
        "image-base64",
        *(f"css-{name}" for name in _DIRECT_PROPERTIES),
        *_PROPERTY_SLUGS.values(),
        *(slug for _prefix, slug in _PROPERTY_FAMILIES),
        "css-border-radius-logical",
        "css-border-inline-block-individual",
        "css-border-inline-block-longhand",
        *_VALUE_SLUGS.values(),
        *_KEYWORD_SLUGS.values(),
        *_FUNCTION_SLUGS.values(),
        *(f"css-unit-{unit}" for unit in _UNITS),
        "css-unit-percent",
        "css-important",
        "css-comments",
        "css-at-media",
        *_MEDIA_FEATURES.values(),
        _PIXEL_RATIO,
        *_AT_RULE_SLUGS.values(),
        *(
            f"css-selector-{kind}"
            for kind in ("type universal class id attribute grouping chaining descendant".split())
        ),
        *_COMBINATORS.values(),
        *(f"css-pseudo-class-{name}" for name in _PSEUDO_CLASSES),
        *(f"css-pseudo-element-{name}" for name in _PSEUDO_ELEMENTS),
        "css-nesting",
    }
)


@dataclass(frozen=True)
class Finding:
    """A feature of the document that some main clients do not support.

    ``clients`` are the names (from :data:`MAIN_CLIENTS`, in its order) of the
    clients that lack it. ``enhancement`` is ``None`` for a warning; for a note,
    the :data:`ENHANCEMENTS` slug under which the lint accepts it: its own, or
    the ``@media`` block's that holds it. The locations are described in the
    module's docstring."""

    slug: str
    title: str
    url: str
    clients: tuple[str, ...]
    line: int
    column: int
    excerpt: str
    origin: str | None = None
    origin_line: int | None = None
    source_line: int | None = None
    enhancement: str | None = None


@cache
def support_data() -> dict[str, Any]:
    """The vendored caniemail data (``caniemail.json``), read once."""
    text = resources.files(__package__).joinpath("caniemail.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def lint(html: str) -> list[Finding]:
    """The findings of an HTML document: one per feature and location (the
    ``origin`` line for a stylesheet's text, else the ``source_line``, else the
    HTML line), the first occurrence kept; ordered by line, column and slug."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    features = support_data()["features"]
    findings: dict[tuple[object, ...], Finding] = {}
    for hit in scanner.hits:
        feature = features[hit.slug]
        clients = tuple(
            name
            for family, platform, name in MAIN_CLIENTS
            if feature["support"].get(f"{family}/{platform}") == "n"
        )
        if not clients:
            continue
        if hit.origin is not None:
            place: tuple[object, ...] = (hit.origin, hit.origin_line)
        elif hit.source_line is not None:
            place = ("source", hit.source_line)
        else:
            place = ("html", hit.line)
        key = (hit.slug, *place)
        if key in findings:
            continue
        findings[key] = Finding(
            slug=hit.slug,
            title=feature["title"],
            url=feature["url"],
            clients=clients,
            line=hit.line,
            column=hit.column,
            excerpt=_shorten(hit.excerpt),
            origin=hit.origin,
            origin_line=hit.origin_line,
            source_line=hit.source_line,
            enhancement=hit.slug if hit.slug in ENHANCEMENTS else hit.within,
        )
    return sorted(findings.values(), key=lambda f: (f.line, f.column, f.slug))


# -- Messages -------------------------------------------------------------------

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


def describe(finding: Finding) -> str:
    """One French sentence for an editor: what is wrong, where it fails, and how
    to fix it (a warning) or why it is accepted (a note)."""
    subject = f"{finding.excerpt} ({finding.slug})"
    clients = _client_list(finding.clients)
    if finding.enhancement:
        reason = ENHANCEMENTS[finding.enhancement]
        if finding.enhancement != finding.slug:
            block = support_data()["features"][finding.enhancement]["title"]
            reason = f"il est dans un bloc {block}, et {reason}"
        return (
            f"{subject} n’est pas pris en charge par {clients}, mais c’est accepté : "
            f"{reason} (voir {finding.url})."
        )
    consequence, remedy = next(
        (
            (consequence, remedy)
            for slugs, consequence, remedy in _ADVICE
            if any(
                finding.slug == slug or (slug.endswith("-") and finding.slug.startswith(slug))
                for slug in slugs
            )
        ),
        _GENERIC_ADVICE,
    )
    return (
        f"{subject} n’est pas pris en charge par {clients} : {consequence}. "
        f"{remedy} (voir {finding.url})."
    )


def _client_list(clients: tuple[str, ...], shown: int = 5) -> str:
    """« A, B et C »; past ``shown`` + 1 names, « A, B… et 7 autres »."""
    if len(clients) <= shown + 1:
        return ", ".join(clients[:-1]) + (" et " if len(clients) > 1 else "") + clients[-1]
    return f"{', '.join(clients[:shown])} et {len(clients) - shown} autres"


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- HTML -----------------------------------------------------------------------


class _Hit(NamedTuple):
    slug: str
    line: int
    column: int
    excerpt: str
    origin: str | None = None
    origin_line: int | None = None
    source_line: int | None = None
    within: str | None = None


class _CssHit(NamedTuple):
    slug: str
    line: int  # 1-based, in the CSS text
    column: int
    excerpt: str
    within: str | None  # the enhancement @media block holding it


class _Scanner(HTMLParser):
    """Collects hits while the standard library's tolerant parser reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hits: list[_Hit] = []
        #: Open elements: (tag, the data-almanach-line in force inside).
        self._open: list[tuple[str, int | None]] = []
        self._svg_depth = 0
        self._style: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._svg_depth:
            self._svg_depth += tag == "svg"
            return
        line, offset = self.getpos()
        values = {name: value or "" for name, value in attrs}
        own = values.get("data-almanach-line", "").strip()
        inherited = self._open[-1][1] if self._open else None
        source_line = int(own) if re.fullmatch("[0-9]+", own) else inherited
        raw = self.get_starttag_text() or f"<{tag}>"
        for slug, excerpt in _element_slugs(tag, values, raw):
            self.hits.append(_Hit(slug, line, offset + 1, excerpt, source_line=source_line))
        if values.get("style"):
            self._inline_style(values["style"], raw, line, offset + 1, source_line)
        if tag == "svg":
            self._svg_depth = 1  # its drawing is not HTML: not read
        elif tag not in _VOID:
            self._open.append((tag, source_line))
        if tag == "style":
            origin = values.get("data-almanach-source") or None
            self._style = {"origin": origin, "start": None, "chunks": []}

    def handle_endtag(self, tag: str) -> None:
        if self._svg_depth:
            self._svg_depth -= tag == "svg"
            return
        if tag == "style" and self._style is not None:
            self._stylesheet(self._style)
            self._style = None
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            if self._style["start"] is None:
                self._style["start"] = self.getpos()
            self._style["chunks"].append(data)

    def handle_comment(self, data: str) -> None:
        line, offset = self.getpos()
        self.hits.append(_Hit("html-comments", line, offset + 1, f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        if decl.split() and [word.lower() for word in decl.split()] == ["doctype", "html"]:
            line, offset = self.getpos()
            self.hits.append(_Hit("html-doctype", line, offset + 1, f"<!{decl}>"))

    def _inline_style(
        self, value: str, raw: str, line: int, column: int, source_line: int | None
    ) -> None:
        """The declarations of a ``style=""``, located where the attribute is."""
        found = re.search(r"(?<![\w:-])style\s*=\s*[\"']?", raw, re.IGNORECASE)
        before = raw[: found.end()] if found else ""
        breaks = before.count("\n")
        value_line = line + breaks
        value_column = column + len(before) if not breaks else len(before) - before.rfind("\n")
        for hit in _scan_css(tinycss2.parse_blocks_contents(value, skip_comments=False)):
            self.hits.append(
                _Hit(
                    hit.slug,
                    value_line + hit.line - 1,
                    value_column + hit.column - 1 if hit.line == 1 else hit.column,
                    hit.excerpt,
                    source_line=source_line,
                    within=hit.within,
                )
            )

    def _stylesheet(self, style: dict[str, Any]) -> None:
        """The rules of a ``<style>``, located in the HTML and in its file."""
        if style["start"] is None:
            return
        text = "".join(style["chunks"])
        start_line, start_offset = style["start"]
        shift = 1 if text.startswith(("\n", "\r\n")) else 0
        rules = tinycss2.parse_stylesheet(text, skip_comments=False)
        for hit in _scan_css(rules):
            self.hits.append(
                _Hit(
                    hit.slug,
                    start_line + hit.line - 1,
                    start_offset + hit.column if hit.line == 1 else hit.column,
                    hit.excerpt,
                    origin=style["origin"],
                    origin_line=hit.line - shift if style["origin"] else None,
                    within=hit.within,
                )
            )


def _element_slugs(tag: str, attrs: dict[str, str], raw: str) -> Iterator[tuple[str, str]]:
    """(slug, excerpt) for an element and its attributes."""
    slug = _ELEMENT_SLUGS.get(tag)
    if tag == "input":
        slug = _INPUT_SLUGS.get(attrs.get("type", "").strip().lower(), "html-input-text")
    elif tag == "button":
        reset = attrs.get("type", "").strip().lower() == "reset"
        slug = "html-button-reset" if reset else "html-button-submit"
    elif tag == "body" and _BODY_PRESENTATION.intersection(attrs):
        slug = "html-body"
    elif tag == "meta" and attrs.get("name", "").strip().lower() in _COLOR_SCHEME_META:
        slug = "html-meta-color-scheme"
    if slug:
        yield slug, raw
    for name, value in attrs.items():
        if name in _ATTRIBUTE_SLUGS:
            yield _ATTRIBUTE_SLUGS[name], f'<{tag} {name}="{value}">'
    href = attrs.get("href", "").strip()
    if tag in ("a", "area") and href.startswith("#") and len(href) > 1:
        yield "html-anchor-links", f'<{tag} href="{href}">'
    elif tag in ("a", "area") and href.lower().startswith("mailto:"):
        yield "html-mailto-links", f'<{tag} href="{href}">'
    if tag == "img":
        for image in _image_slugs(attrs.get("src", "")):
            yield image, raw


def _image_slugs(url: str) -> list[str]:
    """The image formats an address names: by its extension, or a ``data:``
    URI's type (and image-base64 when it is base64)."""
    url = url.strip()
    if url[:5].lower() == "data:":
        header = url[5:].split(",", 1)[0].lower()
        media_type = header.split(";", 1)[0].removeprefix("image/")
        slugs = [_IMAGE_TYPES.get(media_type) or _IMAGE_EXTENSIONS.get(media_type)]
        if ";base64" in header:
            slugs.append("image-base64")
        return [slug for slug in slugs if slug]
    try:
        path = urlsplit(url).path
    except ValueError:  # a malformed address (an unclosed [ in the host…)
        return []
    name = path.rsplit("/", 1)[-1].lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    return [_IMAGE_EXTENSIONS[extension]] if extension in _IMAGE_EXTENSIONS else []


# -- CSS ------------------------------------------------------------------------


def _scan_css(nodes: Iterable[Any], within: str | None = None) -> Iterator[_CssHit]:
    """Hits in a list of tinycss2 nodes: rules, at-rules, declarations,
    comments (parse errors are skipped: no client applies what does not parse)."""
    for node in nodes:
        if node.type == "comment":
            yield _CssHit(
                "css-comments", node.source_line, node.source_column, f"/*{node.value}*/", within
            )
        elif node.type == "declaration":
            yield from _declaration(node, within)
        elif node.type == "qualified-rule":
            yield from _selectors(node.prelude, node, within)
            yield from _block(node.content, within)
        elif node.type == "at-rule":
            yield from _at_rule(node, within)


def _block(content: list[Any] | None, within: str | None) -> Iterator[_CssHit]:
    """A rule's block: declarations, and rules nested in it (CSS nesting)."""
    for node in tinycss2.parse_blocks_contents(content or [], skip_comments=False):
        if node.type in ("qualified-rule", "at-rule"):
            yield _CssHit(
                "css-nesting",
                node.source_line,
                node.source_column,
                tinycss2.serialize(node.prelude or []),
                within,
            )
        yield from _scan_css([node], within)


def _at_rule(rule: Any, within: str | None) -> Iterator[_CssHit]:
    keyword = _VENDOR_PREFIX.sub("", rule.lower_at_keyword)
    excerpt = f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude)}"
    at = (rule.source_line, rule.source_column, excerpt)
    inside = within
    if keyword == "media":
        slugs = ["css-at-media", *_media_features(rule.prelude)]
        for slug in slugs:
            yield _CssHit(slug, *at, within)
        if within is None and all(slug in ENHANCEMENTS for slug in slugs):
            inside = slugs[-1]  # the most specific: prefers-color-scheme, or @media
    elif keyword in _AT_RULE_SLUGS:
        yield _CssHit(_AT_RULE_SLUGS[keyword], *at, within)
    for token in rule.prelude:  # @import url(…), (min-width: 30em)…
        yield from _value_token_hits(token, "", at, within)
    if keyword in _RULE_BLOCKS and rule.content is not None:
        yield from _scan_css(tinycss2.parse_rule_list(rule.content, skip_comments=False), inside)


def _media_features(prelude: list[Any]) -> list[str]:
    slugs: list[str] = []
    for token in _walk(prelude):
        if token.type != "ident":
            continue
        name = token.lower_value
        slug = _PIXEL_RATIO if "device-pixel-ratio" in name else _MEDIA_FEATURES.get(name)
        if slug and slug not in slugs:
            slugs.append(slug)
    return slugs


def _declaration(node: Any, within: str | None) -> Iterator[_CssHit]:
    name = node.lower_name
    value = tinycss2.serialize(node.value).strip()
    excerpt = f"{node.name}: {value}" + (" !important" if node.important else "")
    at = (node.source_line, node.source_column, excerpt)
    if name.startswith("--"):
        yield _CssHit("css-variables", *at, within)
    else:
        name = _VENDOR_PREFIX.sub("", name)
        slug = _property_slug(name)
        if slug:
            yield _CssHit(slug, *at, within)
    for token in node.value:
        yield from _value_token_hits(token, name, at, within)
    if node.important:
        yield _CssHit("css-important", *at, within)


def _property_slug(name: str) -> str | None:
    if name in _PROPERTY_SLUGS:
        return _PROPERTY_SLUGS[name]
    if name in _DIRECT_PROPERTIES:
        return f"css-{name}"
    if name.startswith("border-") and name.endswith("-radius"):
        logical = name.startswith(("border-start-", "border-end-"))
        return "css-border-radius-logical" if logical else "css-border-radius"
    if name.startswith(("border-inline-", "border-block-")):
        parts = name.split("-")  # border-inline-color, border-inline-start-color
        return f"css-border-inline-block-{'longhand' if len(parts) > 3 else 'individual'}"
    for prefix, slug in _PROPERTY_FAMILIES:
        if name.startswith(prefix):
            return slug
    return None


def _value_token_hits(
    token: Any, prop: str, at: tuple[int, int, str], within: str | None
) -> Iterator[_CssHit]:
    """Value-specific slugs in a token and what it holds: keywords, functions,
    units, image formats in url(), comments."""
    for item in _walk([token]):
        kind = item.type
        slugs: list[str | None] = []
        if kind == "ident":
            word = _VENDOR_PREFIX.sub("", item.lower_value)  # display: -webkit-flex
            slugs = [_VALUE_SLUGS.get((prop, word)), _KEYWORD_SLUGS.get(word)]
        elif kind == "dimension":
            unit = item.lower_unit
            slugs = [f"css-unit-{unit}" if unit in _UNITS else None]
        elif kind == "percentage":
            slugs = ["css-unit-percent"]
        elif kind == "comment":  # Orange drops the whole style="" then
            slugs = ["css-comments"]
        elif kind == "url":
            slugs = list(_image_slugs(item.value))
        elif kind == "function":
            slugs = [_FUNCTION_SLUGS.get(item.lower_name)]
            if item.lower_name == "url":
                strings = [arg.value for arg in item.arguments if arg.type == "string"]
                slugs += _image_slugs(strings[0]) if strings else []
        for slug in slugs:
            if slug:
                yield _CssHit(slug, *at, within)


def _walk(tokens: Iterable[Any]) -> Iterator[Any]:
    """Tokens, and the tokens inside functions and blocks, depth first."""
    for token in tokens:
        yield token
        if token.type == "function":
            yield from _walk(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _walk(token.content)


def _selectors(prelude: list[Any], rule: Any, within: str | None) -> Iterator[_CssHit]:
    """The selector features of a rule's prelude (``a, .b > c:hover``)."""
    groups: list[list[Any]] = [[]]
    text = " ".join(tinycss2.serialize(prelude).split())
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            groups.append([])
        elif token.type == "comment":
            yield _CssHit("css-comments", token.source_line, token.source_column, text, within)
        else:
            groups[-1].append(token)
    if len(groups) > 1:
        yield _CssHit("css-selector-grouping", rule.source_line, rule.source_column, text, within)
    for group in groups:
        for slug, token in _selector_features(group):
            yield _CssHit(slug, token.source_line, token.source_column, text, within)


def _selector_features(tokens: list[Any]) -> Iterator[tuple[str, Any]]:
    """(slug, token) for each simple selector, combinator and pseudo-class of one
    complex selector; chaining when a compound has two class, id or attribute
    selectors (``.a.b``)."""
    while tokens and tokens[0].type == "whitespace":
        tokens = tokens[1:]
    while tokens and tokens[-1].type == "whitespace":
        tokens = tokens[:-1]
    chained = 0
    pending_space: Any = None
    after_combinator = False  # the spaces around ">" are not a descendant combinator
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        kind, value = token.type, getattr(token, "value", None)
        if kind == "whitespace":
            pending_space = None if after_combinator else token
            continue
        if kind == "literal" and value in _COMBINATORS:
            yield _COMBINATORS[value], token
            pending_space, chained, after_combinator = None, 0, True
            continue
        after_combinator = False
        if pending_space is not None:
            yield "css-selector-descendant", pending_space
            pending_space, chained = None, 0
        if kind == "ident":
            yield "css-selector-type", token
        elif kind == "literal" and value == "*":
            yield "css-selector-universal", token
        elif kind == "hash":
            yield "css-selector-id", token
        elif kind == "[] block":
            yield "css-selector-attribute", token
        elif kind == "literal" and value == "." and index < len(tokens):
            index += 1  # the class name
            yield "css-selector-class", token
        elif kind == "literal" and value == ":" and index < len(tokens):
            double = tokens[index].type == "literal" and tokens[index].value == ":"
            index += double
            if index < len(tokens):
                name_token = tokens[index]
                index += 1
                name = getattr(name_token, "lower_name", None) or getattr(
                    name_token, "lower_value", ""
                )
                element = double or name in _LEGACY_PSEUDO_ELEMENTS
                if element and name in _PSEUDO_ELEMENTS:
                    yield f"css-pseudo-element-{name}", token
                elif not element and name in _PSEUDO_CLASSES:
                    yield f"css-pseudo-class-{name}", token
            continue
        else:
            continue
        if kind in ("hash", "[] block") or value == ".":
            chained += 1
            if chained == 2:
                yield "css-selector-chaining", token
