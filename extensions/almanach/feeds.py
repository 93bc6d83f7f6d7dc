"""The site's feeds: an Atom feed of the published letters (feedgen) and an
iCalendar file of the programme's events (icalendar).

Both are written into the HTML output when the build finishes. Their dates
come from the letters and the registry, and ``DTSTAMP`` from
``SOURCE_DATE_EPOCH`` when it is set, so two builds of the same sources give
the same files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from .config import almanach_config
from .letters import letter_label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import AlmanachDomain

ATOM = "atom.xml"
CALENDAR = "agenda.ics"


#: Characters XML 1.0 cannot hold (C0 controls but tab, newline and return).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML feed cannot hold."""
    return XML_INVALID.sub("", text)


def build_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def absolute(app: Sphinx, path: str) -> str:
    """``path`` under ``html_baseurl`` (relative when no base URL is configured)."""
    base = (app.config.html_baseurl or "").rstrip("/")
    return f"{base}/{path}" if base else path


def letter_month(date: str) -> dt.datetime:
    year, month = (int(part) for part in date.split("-"))
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def write_atom(app: Sphinx, domain: AlmanachDomain, outdir: Path) -> Path:
    settings = almanach_config(app.config)
    letters = domain.letters(statuses=["published"])
    feed = FeedGenerator()
    feed.id(absolute(app, ATOM) if app.config.html_baseurl else f"urn:almanach:{ATOM}")
    feed.title(f"{settings.programme} — les lettres")
    feed.subtitle(settings.pdf_subject)
    feed.author({"name": settings.publisher})
    feed.language("fr")
    feed.link(href=absolute(app, "index.html"), rel="alternate")
    feed.link(href=absolute(app, ATOM), rel="self")
    feed.generator("almanach")
    updated = letter_month(letters[-1].date) if letters else build_time()
    feed.updated(updated)
    for letter in reversed(letters):
        url = absolute(app, app.builder.get_target_uri(letter.docname))
        entry = feed.add_entry(order="append")
        entry.id(url if app.config.html_baseurl else f"urn:almanach:{letter.docname}")
        entry.title(xml_text(f"{letter_label(letter)} : {letter.title}"))
        entry.link(href=url, rel="alternate")
        entry.published(letter_month(letter.date))
        entry.updated(letter_month(letter.date))
        entry.summary(xml_text(letter.summary or letter.title))
    path = outdir / ATOM
    feed.atom_file(str(path), pretty=True)
    return path


def write_calendar(app: Sphinx, domain: AlmanachDomain, outdir: Path) -> Path:
    settings = almanach_config(app.config)
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.publisher}//almanach//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.programme} — agenda")
    stamp = build_time()
    target = domain.target
    for event in sorted(domain.registry.events.values(), key=lambda e: (e.get("start"), e.id)):
        item = Event()
        item.add("uid", f"{event.id}@almanach.territoires-pilotes")
        item.add("dtstamp", stamp)
        item.add("summary", event.label)
        item.add("dtstart", event.get("start"))
        # DTEND of an all-day event is the day after the last day.
        item.add("dtend", (event.get("end") or event.get("start")) + dt.timedelta(days=1))
        place = "Visioconférence" if event.get("visio") else event.get("place")
        if place:
            item.add("location", place)
        page = target("event", event.id)
        if page is not None:
            item.add("url", absolute(app, f"{app.builder.get_target_uri(page[0])}#{page[1]}"))
        calendar.add_component(item)
    path = outdir / CALENDAR
    path.write_bytes(calendar.to_ical())
    return path


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the feeds of an HTML build."""
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    domain: AlmanachDomain = app.env.domains["almanach"]  # type: ignore[assignment]
    outdir = Path(app.outdir)
    write_atom(app, domain, outdir)
    write_calendar(app, domain, outdir)


def feed_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Announce the feeds in every page's head."""
    to_root = app.builder.get_target_uri(pagename).count("/") * "../"
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" type="application/atom+xml" title="Les lettres" '
        f'href="{to_root}{ATOM}" />'
        f'\n<link rel="alternate" type="text/calendar" title="L’agenda" '
        f'href="{to_root}{CALENDAR}" />'
    )


def setup_feeds(app: Sphinx) -> None:
    app.connect("build-finished", write_feeds)
    app.connect("html-page-context", feed_links)
