"""The support lint: what in an email's HTML the main mail clients lack.

:func:`lint` reads an HTML document — its elements and attributes, its
``<style>`` elements and its ``style=""`` attributes
(:mod:`almanach.email.scanner`) — and returns a :class:`Finding` for each
feature that at least one of :data:`MAIN_CLIENTS` does not support, according
to caniemail's data (vendored, pruned, in ``caniemail.json``;
:mod:`almanach.email.caniemail_data` makes it); :func:`describe` says it to an
editor, in French (:mod:`almanach.email.advice`). Pure: no Sphinx, no network,
no node; malformed HTML or CSS never raises.

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

What is detected
    The features that have a caniemail slug, each checked against it: the
    tables of :mod:`almanach.email.features`, whose docstring lists them
    (HTML elements and attributes, image formats, CSS properties, values,
    units, at-rules and selectors); :data:`SLUGS` is every slug they produce.

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
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .advice import advice_for, client_list
from .features import SLUGS
from .scanner import scan

__all__ = [
    "ENHANCEMENTS",
    "MAIN_CLIENTS",
    "SLUGS",
    "Finding",
    "describe",
    "lint",
    "support_data",
]

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
    features = support_data()["features"]
    findings: dict[tuple[object, ...], Finding] = {}
    for hit in scan(html, ENHANCEMENTS):
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


def describe(finding: Finding) -> str:
    """One French sentence for an editor: what is wrong, where it fails, and how
    to fix it (a warning) or why it is accepted (a note)."""
    subject = f"{finding.excerpt} ({finding.slug})"
    clients = client_list(finding.clients)
    if finding.enhancement:
        reason = ENHANCEMENTS[finding.enhancement]
        if finding.enhancement != finding.slug:
            block = support_data()["features"][finding.enhancement]["title"]
            reason = f"il est dans un bloc {block}, et {reason}"
        return (
            f"{subject} n’est pas pris en charge par {clients}, mais c’est accepté : "
            f"{reason} (voir {finding.url})."
        )
    consequence, remedy = advice_for(finding.slug)
    return (
        f"{subject} n’est pas pris en charge par {clients} : {consequence}. "
        f"{remedy} (voir {finding.url})."
    )


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
