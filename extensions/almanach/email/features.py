"""The features the support lint looks for: tables from HTML and CSS to caniemail slugs.

Data only: the tables below map HTML elements and attributes, image formats,
CSS properties, values, functions, units, at-rules and selectors to
caniemail slugs, and :data:`SLUGS` gathers every slug they can produce.
:mod:`almanach.email.scanner` reads a document with them;
:mod:`almanach.email.support` judges what it finds.

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
    a property ``p`` that has a slug            css-p (``DIRECT_PROPERTIES``)
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
"""

from __future__ import annotations

# -- HTML -----------------------------------------------------------------------

_SEMANTICS = "article aside details figcaption figure footer header main mark nav section"
ELEMENT_SLUGS: dict[str, str] = {
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
INPUT_SLUGS = {
    **{kind: f"html-input-{kind}" for kind in ("checkbox", "radio", "hidden", "submit", "reset")},
    "image": "html-input-submit",
}
ATTRIBUTE_SLUGS: dict[str, str] = {
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
BODY_PRESENTATION = frozenset(
    "style class id bgcolor background text link vlink alink leftmargin topmargin".split()
)
COLOR_SCHEME_META = frozenset(("color-scheme", "supported-color-schemes"))
IMAGE_EXTENSIONS = {
    **{ext: f"image-{ext}" for ext in ("svg", "webp", "avif", "png", "gif", "bmp", "ico")},
    **dict.fromkeys(("jpg", "jpeg", "jpe"), "image-jpg"),
    **dict.fromkeys(("tif", "tiff"), "image-tiff"),
    **dict.fromkeys(("heic", "heif"), "image-heif"),
    "apng": "image-apng",
    "mp4": "image-mp4",
}
IMAGE_TYPES = {
    "svg+xml": "image-svg",
    "jpeg": "image-jpg",
    "x-icon": "image-ico",
    "vnd.microsoft.icon": "image-ico",
}

# -- CSS ------------------------------------------------------------------------

DIRECT_PROPERTIES = frozenset(
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
PROPERTY_SLUGS: dict[str, str] = {
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
PROPERTY_FAMILIES = (
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
VALUE_SLUGS = {
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
KEYWORD_SLUGS = {
    "initial": "css-unit-initial",
    **dict.fromkeys(("fit-content", "min-content", "max-content"), "css-intrinsic-size"),
    **dict.fromkeys(
        ("system-ui", "ui-serif", "ui-sans-serif", "ui-rounded", "ui-monospace"),
        "css-sytem-ui",  # caniemail's spelling
    ),
}
FUNCTION_SLUGS = {
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
UNITS = frozenset("px em rem ex ch vh vw vmin vmax cm mm in pt pc".split())
MEDIA_FEATURES = {
    "prefers-color-scheme": "css-at-media-prefers-color-scheme",
    "prefers-reduced-motion": "css-at-media-prefers-reduced-motion",
    "orientation": "css-at-media-orientation",
    "hover": "css-at-media-hover",
    "any-hover": "css-at-media-hover",
}
PIXEL_RATIO = "css-at-media-device-pixel-ratio"
AT_RULE_SLUGS = {
    "font-face": "css-at-font-face",
    "import": "css-at-import",
    "keyframes": "css-at-keyframes",
    "supports": "css-at-supports",
}
PSEUDO_CLASSES = frozenset(
    """active checked default first-child first-of-type focus-visible focus-within focus
    has hover lang last-child last-of-type link not nth-child nth-last-child
    nth-last-of-type nth-of-type only-child only-of-type target visited""".split()
)
PSEUDO_ELEMENTS = frozenset("after before first-letter first-line marker placeholder".split())
COMBINATORS = {
    ">": "css-selector-child",
    "+": "css-selector-adjacent-sibling",
    "~": "css-selector-general-sibling",
}

#: Every slug the lint can report: the vendored data holds exactly these.
SLUGS: frozenset[str] = frozenset(
    {
        *ELEMENT_SLUGS.values(),
        *INPUT_SLUGS.values(),
        "html-input-text",
        "html-button-submit",
        "html-button-reset",
        "html-body",
        "html-meta-color-scheme",
        "html-anchor-links",
        "html-mailto-links",
        "html-comments",
        "html-doctype",
        *ATTRIBUTE_SLUGS.values(),
        *IMAGE_EXTENSIONS.values(),
        "image-base64",
        *(f"css-{name}" for name in DIRECT_PROPERTIES),
        *PROPERTY_SLUGS.values(),
        *(slug for _prefix, slug in PROPERTY_FAMILIES),
        "css-border-radius-logical",
        "css-border-inline-block-individual",
        "css-border-inline-block-longhand",
        *VALUE_SLUGS.values(),
        *KEYWORD_SLUGS.values(),
        *FUNCTION_SLUGS.values(),
        *(f"css-unit-{unit}" for unit in UNITS),
        "css-unit-percent",
        "css-important",
        "css-comments",
        "css-at-media",
        *MEDIA_FEATURES.values(),
        PIXEL_RATIO,
        *AT_RULE_SLUGS.values(),
        *(
            f"css-selector-{kind}"
            for kind in ("type universal class id attribute grouping chaining descendant".split())
        ),
        *COMBINATORS.values(),
        *(f"css-pseudo-class-{name}" for name in PSEUDO_CLASSES),
        *(f"css-pseudo-element-{name}" for name in PSEUDO_ELEMENTS),
        "css-nesting",
    }
)
