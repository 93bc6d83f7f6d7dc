"""What an import did, and its French summary for the editor.

The importer fills an :class:`ImportReport` while it writes the draft
(:mod:`almanach.tools.importer.plain_text` the structure, :mod:`almanach.tools.importer.inline` the
mentions, pending resources and unknown names); :func:`format_report` turns it
into the text that ``almanach import`` prints: what was structured, what was
left as plain text, and the names that no registry knows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

#: Mention kinds, in the order of the report, with their French plural.
MENTION_LABELS = {
    "person": "personnes",
    "territory": "territoires",
    "organisation": "organisations",
    "event": "événements",
}


@dataclass(frozen=True)
class Noted:
    """One thing the report lists: its line in the imported file, a label, a detail."""

    line: int
    label: str
    detail: str = ""


@dataclass
class ImportReport:
    """Everything an import structured, left as text, or did not recognise."""

    rubriques: list[Noted] = field(default_factory=list)
    descriptions: list[Noted] = field(default_factory=list)
    updates: list[Noted] = field(default_factory=list)
    quotes: list[Noted] = field(default_factory=list)
    resources: list[Noted] = field(default_factory=list)
    mentions: dict[str, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in MENTION_LABELS}
    )
    plain_quotes: list[Noted] = field(default_factory=list)
    plain: list[Noted] = field(default_factory=list)
    unknown_names: list[Noted] = field(default_factory=list)
    citations: list[Noted] = field(default_factory=list)
    lists: list[Noted] = field(default_factory=list)
    images: list[Noted] = field(default_factory=list)
    guesses: int = 0  # « % à revoir » markers written

    def mention(self, kind: str, label: str) -> None:
        self.mentions.setdefault(kind, Counter())[label] += 1

    def unknown_name(self, line: int, name: str) -> None:
        if all(noted.label != name for noted in self.unknown_names):
            self.unknown_names.append(Noted(line, name))


def excerpt(text: str, limit: int = 70) -> str:
    """The start of ``text`` on one line, cut at a word with « … »."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def format_report(
    report: ImportReport,
    *,
    output: str,
    source: str,
    encoding: str,
    heading: str,
    title: str,
    dating: str = "",
    status: str = "draft",
    dropped: list[str] = (),  # type: ignore[assignment]
) -> str:
    """The French summary ``almanach import`` prints (``dating``: where the
    letter's month comes from; ``dropped``: what the host's page held that is
    not the letter's)."""
    shown = (
        "statut draft : visible seulement en prévisualisation (make preview)"
        if status == "draft"
        else f"statut {status}"
    )
    lines = [
        f"Brouillon écrit : {output}",
        f"  {heading}, titre « {title} », {shown}",
        f"  source : {source} ({encoding})",
        *([f"  date : {dating}"] if dating else []),
        "",
        "Structuré",
    ]
    lines += _section("Rubriques", report.rubriques)
    if report.descriptions:
        lines.append(
            f"  Descriptions de rubrique identiques au registre ({len(report.descriptions)}) : "
            "le registre les affiche, elles restent dans le brouillon en commentaire « % »"
        )
    lines += _section("Nouvelles des territoires", report.updates)
    lines += _section("Citations attribuées", report.quotes)
    lines += _section(
        "Ressources (avec leur lien, ou :pending: quand il est perdu)", report.resources
    )
    lines += _section("Listes", report.lists)
    lines += _section("Références de la bibliographie ({cite:p})", report.citations)
    lines += _section("Images (lien vers leur adresse d’origine)", report.images)
    lines += _mentions(report.mentions)
    lines += ["", "Laissé en texte"]
    lines += _section("Citations sans auteur établi, en citation simple « > »", report.plain_quotes)
    lines += _section("Paragraphes", report.plain)
    if dropped:
        lines.append(f"  Laissé de côté, propre à la page de l’hébergeur ({len(dropped)}) :")
        lines += [f"    {what}" for what in dropped]
    lines += [
        "",
        f"À revoir : {report.guesses} supposition(s), chacune sur une ligne « % à revoir » du "
        "brouillon ; vérifiez, corrigez si besoin, puis supprimez la ligne "
        "(almanach check les liste)"
        if report.guesses
        else "À revoir : aucune supposition",
        "",
    ]
    lines += _section("Noms non reconnus (absents de docs/registres)", report.unknown_names)
    return "\n".join(lines) + "\n"


def _section(title: str, items: list[Noted]) -> list[str]:
    if not items:
        return [f"  {title} : aucun"]
    lines = [f"  {title} ({len(items)}) :"]
    for item in items:
        detail = f" — {item.detail}" if item.detail else ""
        lines.append(f"    ligne {item.line} : {item.label}{detail}")
    return lines


def _mentions(mentions: dict[str, Counter[str]]) -> list[str]:
    total = sum(sum(counter.values()) for counter in mentions.values())
    counts = ", ".join(
        f"{sum(mentions.get(kind, Counter()).values())} {label}"
        for kind, label in MENTION_LABELS.items()
    )
    lines = [f"  Mentions ({total}) : {counts}"]
    for kind, label in MENTION_LABELS.items():
        counter = mentions.get(kind)
        if counter:
            names = ", ".join(
                name if count == 1 else f"{name} ×{count}" for name, count in counter.items()
            )
            lines.append(f"    {label} : {names}")
    return lines
