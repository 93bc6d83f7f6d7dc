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
from typing import TYPE_CHECKING, Any

from ..caches import Inputs, JsonStore, digest, file_stamp
from ..config import almanach_config
from ..model.letters import letter_label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..domain.domain import AlmanachDomain

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


def atom_data(app: Sphinx, domain: AlmanachDomain) -> dict[str, Any]:
    """Everything the Atom feed says."""
    settings = almanach_config(app.config)
    letters = domain.letters(statuses=["published"])
    entries = []
    for letter in reversed(letters):
        url = absolute(app, app.builder.get_target_uri(letter.docname))
        entries.append(
            {
                "id": url if app.config.html_baseurl else f"urn:almanach:{letter.docname}",
                "title": xml_text(f"{letter_label(letter)} : {letter.title}"),
                "url": url,
                "date": letter_month(letter.date),
                "summary": xml_text(letter.summary or letter.title),
            }
        )
    return {
        "id": absolute(app, ATOM) if app.config.html_baseurl else f"urn:almanach:{ATOM}",
        "title": f"{settings.programme} — les lettres",
        "subtitle": settings.pdf_subject,
        "author": settings.publisher,
        "home": absolute(app, "index.html"),
        "self": absolute(app, ATOM),
        "updated": letter_month(letters[-1].date) if letters else build_time(),
        "entries": entries,
    }


def render_atom(data: dict[str, Any], path: Path) -> None:
    # Imported here: not every build writes the feeds.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(data["id"])
    feed.title(data["title"])
    feed.subtitle(data["subtitle"])
    feed.author({"name": data["author"]})
    feed.language("fr")
    feed.link(href=data["home"], rel="alternate")
    feed.link(href=data["self"], rel="self")
    feed.generator("almanach")
    feed.updated(data["updated"])
    for item in data["entries"]:
        entry = feed.add_entry(order="append")
        entry.id(item["id"])
        entry.title(item["title"])
        entry.link(href=item["url"], rel="alternate")
        entry.published(item["date"])
        entry.updated(item["date"])
        entry.summary(item["summary"])
    feed.atom_file(str(path), pretty=True)


def calendar_data(app: Sphinx, domain: AlmanachDomain) -> dict[str, Any]:
    """Everything the iCalendar file says but its ``DTSTAMP``."""
    settings = almanach_config(app.config)
    target = domain.target
    events = []
    for event in sorted(domain.registry.events.values(), key=lambda e: (e.get("start"), e.id)):
        page = target("event", event.id)
        place = "Visioconférence" if event.get("visio") else event.get("place")
        events.append(
            {
                "uid": f"{event.id}@almanach.territoires-pilotes",
                "summary": event.label,
                "start": event.get("start"),
                # DTEND of an all-day event is the day after the last day.
                "end": (event.get("end") or event.get("start")) + dt.timedelta(days=1),
                "location": place or None,
                # An event's URL is absolute (RFC 5545): only with a published address.
                "url": (
                    absolute(app, f"{app.builder.get_target_uri(page[0])}#{page[1]}")
                    if page is not None and app.config.html_baseurl
                    else None
                ),
            }
        )
    return {
        "prodid": f"-//{settings.publisher}//almanach//FR",
        "name": f"{settings.programme} — agenda",
        "events": events,
    }


def render_calendar(data: dict[str, Any], stamp: dt.datetime, path: Path) -> None:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", data["prodid"])
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", data["name"])
    for event in data["events"]:
        item = Event()
        item.add("uid", event["uid"])
        item.add("dtstamp", stamp)
        item.add("summary", event["summary"])
        item.add("dtstart", event["start"])
        item.add("dtend", event["end"])
        if event["location"]:
            item.add("location", event["location"])
        if event["url"] is not None:
            item.add("url", event["url"])
        calendar.add_component(item)
    path.write_bytes(calendar.to_ical())


#: What the feeds of the previous build were made of (in the doctree folder).
FEEDS_STORE = "almanach-feeds.json"
FEEDS_STORE_VERSION = 2  # 2: keyed by almanach.caches.Inputs
#: What writes the feeds: the libraries and this module.
FEEDS_INPUTS = Inputs(packages=("feedgen", "icalendar", "lxml"), modules=("almanach.html.feeds",))


def _feed_entry(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)


def feeds_store(doctreedir: str | Path) -> JsonStore:
    """Per feed file: ``[digest of its content, [mtime_ns, size] of the file written]``."""
    return JsonStore(
        Path(doctreedir) / FEEDS_STORE, FEEDS_STORE_VERSION, "files", FEEDS_INPUTS, _feed_entry
    )


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the feeds of an HTML build.

    A feed whose content is what the previous build wrote, and whose file is
    still the one it wrote, is not written again (not even with a new
    ``DTSTAMP``: the calendar's stamp is when it was last written, unless
    ``SOURCE_DATE_EPOCH`` sets it). Loading feedgen and icalendar, and writing,
    are most of what a build that changed nothing would spend on them."""
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    domain: AlmanachDomain = app.env.domains["almanach"]  # type: ignore[assignment]
    outdir = Path(app.outdir)
    store = feeds_store(app.doctreedir)
    stored = store.load()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    atom = atom_data(app, domain)
    calendar = calendar_data(app, domain)
    feeds = {
        ATOM: (digest(str(outdir), atom), lambda path: render_atom(atom, path)),
        CALENDAR: (
            digest(str(outdir), epoch if epoch.isdigit() else "", calendar),
            lambda path: render_calendar(calendar, build_time(), path),
        ),
    }
    files = {}
    for name, (made_of, render) in feeds.items():
        path = outdir / name
        written = file_stamp(path)
        if written is None or stored.get(name) != [made_of, written]:
            render(path)
        files[name] = [made_of, file_stamp(path)]
    if files != stored:
        store.save(files)


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
