"""The home page as the publication's front page: the latest published letter
(its summary and rubriques), every letter newest first, the pilot territories
with their news, and where to subscribe (the Atom feed, the calendar).

The front page is the site's: in the book, the table of contents does its work
(``docs/index.md`` holds it in an ``only html`` block). Its PDF renderings
still give something sensible, should a page of the book hold it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import _
from sphinx.util.osutil import relative_uri

from ...domain.selection import Query
from ...html.feeds import ATOM, CALENDAR
from ...model import records
from ...model.letters import letter_label, month_label
from ...model.names import sort_key
from ...reading.review import PUBLISHED
from ..directives import GatheringDirective
from ..render import Page
from ..view import Results, View

LETTERS = Query("letters")

# -- renderings ----------------------------------------------------------------------


def shown_letters(page: Page, letters: list[records.Letter]) -> list[records.Letter]:
    """The letters a reader may see, newest first: the published ones (a preview
    build shows the others too, marked)."""
    shown = [letter for letter in letters if page.preview or letter.status == PUBLISHED]
    return sorted(shown, key=lambda letter: letter.sort_key, reverse=True)


def status_mark(letter: records.Letter) -> list[nodes.Node]:
    """« brouillon » or « en relecture » beside a letter that is not published
    (a preview build only holds such letters)."""
    if letter.status == PUBLISHED:
        return []
    text = _("en relecture") if letter.status == "review" else _("brouillon")
    return [nodes.Text(" "), nodes.inline(text, text, classes=["almanach-home-status"])]


def latest(page: Page, results: Results) -> list[nodes.Node]:
    """The latest published letter: its number and month, its title, its
    summary, its rubriques (each linked) and « Lire la lettre »."""
    letters, rubriques = results
    published = [letter for letter in letters if letter.status == PUBLISHED]
    if not published:
        return []
    letter = max(published, key=lambda letter: letter.sort_key)
    card = nodes.container(classes=["almanach-home-latest"])
    label = letter_label(letter)
    card += nodes.paragraph(label, label, classes=["almanach-home-kicker"])
    title = nodes.paragraph(classes=["almanach-home-title"])
    title += page.link(letter.docname, "", letter.title)
    card += title
    if letter.summary:
        card += nodes.paragraph(letter.summary, letter.summary, classes=["almanach-home-summary"])
    sections = [section for section in rubriques if section.place.docname == letter.docname]
    if sections:
        heading = _("Au sommaire")
        card += nodes.paragraph(heading, heading, classes=["almanach-home-contents-title"])
        items = nodes.bullet_list(classes=["almanach-home-contents"])
        for section in sections:
            paragraph = nodes.paragraph()
            paragraph += page.link(section.place.docname, section.place.anchor, section.title)
            items += nodes.list_item("", paragraph)
        card += items
    read = nodes.paragraph(classes=["almanach-home-read"])
    read += page.link(letter.docname, "", _("Lire la lettre"))
    card += read
    return [card]


def letter_list(page: Page, results: Results) -> list[nodes.Node]:
    """Every letter, newest first: its title, its number and month, one link."""
    (letters,) = results
    items = nodes.bullet_list(classes=["almanach-home-letters"])
    for letter in shown_letters(page, letters):
        label = letter_label(letter)
        content = nodes.inline()
        content += nodes.inline(letter.title, letter.title, classes=["almanach-home-letter-title"])
        content += nodes.Text(" ")
        content += nodes.inline(label, label, classes=["almanach-home-date"])
        paragraph = nodes.paragraph()
        paragraph += page.domain.refnode(page.builder, page.docname, letter.docname, "", content)
        paragraph += status_mark(letter)
        items += nodes.list_item("", paragraph)
    return [items] if len(items) else []


def news_count(count: int, last: records.Letter | None) -> str:
    """« 2 nouvelles, la dernière en décembre 2021 », « pas encore de nouvelles »."""
    if not count or last is None:
        return _("pas encore de nouvelles")
    month = month_label(last.date)
    if count == 1:
        return _("1 nouvelle, en {month}").format(month=month)
    return _("{count} nouvelles, la dernière en {month}").format(count=count, month=month)


def pilots(page: Page, results: Results) -> list[nodes.Node]:
    """Each pilot territory (linked to its page), with its number of news and
    the month of the latest."""
    (updates,) = results
    territories = [
        entry for entry in page.domain.registry.territories.values() if entry.get("pilot")
    ]
    items = nodes.bullet_list(classes=["almanach-home-territories"])
    for territory in sorted(territories, key=lambda entry: sort_key(entry.label)):
        news = [update for update in updates if update.territory == territory.id]
        last = page.letters.get(news[-1].place.docname) if news else None
        paragraph = nodes.paragraph()
        paragraph += page.mention("territory", territory.id)
        paragraph += nodes.Text(" — ")
        text = news_count(len(news), last)
        paragraph += nodes.inline(text, text, classes=["almanach-home-news"])
        items += nodes.list_item("", paragraph)
    return [items] if len(items) else []


def feed_address(page: Page, filename: str) -> str | None:
    """Where a feed is, from this page: relative in the HTML build that writes
    the feeds (:mod:`almanach.html.feeds`), else under the site's address."""
    builder = page.builder
    if builder is None:
        return filename
    if builder.name == "html":
        return relative_uri(builder.get_target_uri(page.docname), filename)
    base = (builder.config.html_baseurl or "").rstrip("/")
    return f"{base}/{filename}" if base else None


def subscribe(page: Page, results: Results) -> list[nodes.Node]:
    """« S'abonner »: the Atom feed of the letters and the programme's calendar."""
    items = nodes.bullet_list(classes=["almanach-home-subscribe"])
    for filename, text in (
        (ATOM, _("Les lettres, par flux Atom (atom.xml)")),
        (CALENDAR, _("L’agenda du programme, au format iCalendar (agenda.ics)")),
    ):
        address = feed_address(page, filename)
        if address is None:
            continue
        paragraph = nodes.paragraph()
        paragraph += nodes.reference(
            "", "", nodes.Text(text), refuri=address, internal=False, classes=["almanach-feed"]
        )
        items += nodes.list_item("", paragraph)
    return [items] if len(items) else []


# -- views -----------------------------------------------------------------------------

HOME_LATEST = View(
    "home-latest",
    lambda t: (LETTERS, Query("rubriques", follow=False)),
    html=latest,
    pdf=latest,
)
HOME_LETTERS = View("home-letters", lambda t: (LETTERS,), html=letter_list, pdf=letter_list)
HOME_TERRITORIES = View(
    "home-territories",
    lambda t: (Query("updates", follow=False),),
    html=pilots,
    pdf=pilots,
)
#: The feeds are the site's own files: this view reads no record.
HOME_SUBSCRIBE = View("home-subscribe", lambda t: (), html=subscribe, pdf=subscribe)

VIEWS = (HOME_LATEST, HOME_LETTERS, HOME_TERRITORIES, HOME_SUBSCRIBE)


# -- directives ------------------------------------------------------------------------


class FrontPage(GatheringDirective):
    """``front-page``: the sections of the home page, each holding its view."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        result = []
        for anchor, title, view in (
            ("a-la-une", _("À la une"), HOME_LATEST),
            ("toutes-les-lettres", _("Toutes les lettres"), HOME_LETTERS),
            ("les-territoires-pilotes", _("Les territoires pilotes"), HOME_TERRITORIES),
            ("s-abonner", _("S’abonner"), HOME_SUBSCRIBE),
        ):
            section = self.section(anchor, title)
            section["classes"].append("almanach-home")
            section += self.placeholder(view)
            result.append(section)
        return result


DIRECTIVES = {"front-page": FrontPage}
