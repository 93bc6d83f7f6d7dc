"""One paragraph of a letter written as MyST, with what it points at.

Contract: :class:`InlineWriter` turns the text of one block (a paragraph, an
item, a quotation, a speaker line) and the marks its export kept into MyST
inline text that reads exactly as the letter does:

- a link the export kept (``<a href>``) becomes a ``{resource}`` mention of a
  resource with its ``:url:``; the same address twice is one resource;
- a place whose link was lost (:mod:`almanach.tools.importer.cues`) becomes a
  ``{resource}`` mention of a ``:pending:`` resource; the same kind of document
  of the same day (« le compte-rendu de la journée du 17 novembre », « la
  journée du 17 novembre résumée ici ») is one resource;
- names of the registries become mentions (:class:`~.inline.NameIndex`), days
  of the events registry ``{event}`` mentions (:mod:`.events`), works of the
  bibliography a ``{cite:p}`` (:mod:`.citations`);
- emphasis the export kept stays emphasis; everything else is escaped.

What the writer guesses — a resource's title, kind or publisher, a citation —
comes back as French sentences for the ``% à revoir`` markers the draft puts
before the guessed block. The resources a paragraph declares come back as
:class:`NewResource` objects, written after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .citations import Work, find_citations
from .cues import Context, Cue, content_words, find_cues, kind_of, resource_title, sentence_starts
from .events import Event, event_of, find_days
from .inline import (
    Found,
    Name,
    NameIndex,
    _line_start,
    _slug,
    escape,
    fold,
    unknown_people,
)
from .report import ImportReport, Noted
from .source import Mark

#: The start of a guess marker: a MyST comment the tools know (see rules/guesses).
MARKER = "% à revoir : "


@dataclass
class NewResource:
    """A resource a paragraph points at, to declare after it."""

    id: str
    title: str  # plain text; written as MyST with mentions
    kind: str
    url: str = ""
    publisher: str = ""  # an organisation id
    guessed: list[str] = field(default_factory=list)  # what is to review, in French
    words: str = ""  # the words of the letter that point at it


@dataclass
class Written:
    """A block's MyST text, the resources it declares, and its guesses."""

    text: str
    resources: list[NewResource]
    guesses: list[str]


_URL_KINDS = (
    (r"\.pdf(?:$|[?#])", "document"),
    (r"youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com|peertube", "vidéo"),
    (r"soundcloud\.com|\.mp3(?:$|[?#])|ausha|podcast|anchor\.fm", "audio"),
)
#: Words that say nothing of what a link points at.
_VAGUE = {"ici", "la", "là", "lien", "cliquez", "clic", "ce", "cet", "cette", "voir", "lire"}


class InlineWriter:
    """Writes blocks' text as MyST, and notes in the report what it met."""

    def __init__(
        self,
        index: NameIndex,
        taken_ids: Iterable[str],
        report: ImportReport,
        *,
        events: list[Event] = (),  # type: ignore[assignment]
        works: list[Work] = (),  # type: ignore[assignment]
        date: str = "",
    ) -> None:
        self.index = index
        self.taken = set(taken_ids)
        self.report = report
        self.events = list(events)
        self.works = list(works)
        self.date = date
        self.by_url: dict[str, NewResource] = {}
        self._line = 0
        self.by_day: dict[tuple[str, str], NewResource] = {}

    # -- the text of one block -----------------------------------------------------

    def write(
        self,
        text: str,
        line: int,
        *,
        links: bool = True,
        marks: tuple[Mark, ...] = (),
        context: Context | None = None,
        emphasis: bool = False,
    ) -> Written:
        """``text`` (line ``line`` of the export) as MyST. ``links``: look for
        lost links and keep the export's; ``emphasis``: the whole text is emphasised."""
        self._line = line
        context = context or Context()
        found = self.index.find(text)
        link_marks = [m for m in marks if m.kind == "link" and m.end > m.start]
        spans: list[tuple[int, int, object]] = []
        resources: list[NewResource] = []
        guesses: list[str] = []
        cues = find_cues(text, context) if links else []
        if links:
            for mark in link_marks:
                spans.append((mark.start, mark.end, mark))
            for cue in cues:
                if not any(m.start < cue.end and cue.start < m.end for m in link_marks):
                    spans.append((cue.start, cue.end, cue))
        spans += [(f.start, f.end, f.name) for f in found]
        if self.date:
            for days in find_days(text, self.date):
                event = event_of(days, self.events)
                if event is not None:
                    spans.append((days.start, days.end, event))
        spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
        citations = {position: work for position, work in find_citations(text, self.works)}
        # One item per character of plain text, one per mention or link: the
        # export's emphasis is then opened and closed between items, never inside a role.
        items: list[tuple[int, int, str]] = []
        position = 0
        forced = _line_start(text)
        for start, end, what in spans:
            if start < position:
                continue
            items += self._plain(text, position, start, forced, citations, guesses)
            written = escape(text, start, end)
            if isinstance(what, Name):
                self.report.mention(what.kind, what.label)
                myst = f"{{{what.kind}}}`{written} <{what.id}>`"
            elif isinstance(what, Event):
                self.report.mention("event", what.label)
                myst = f"{{event}}`{written} <{what.id}>`"
            elif isinstance(what, Mark) and what.url.lower().startswith("mailto:"):
                myst = _mail_link(text[start:end], what.url)
            else:
                resource, new = self._resource(text, start, end, what, context, line, cues)
                myst = f"{{resource}}`{written} <{resource.id}>`"
                if new:
                    resources.append(resource)
            items.append((start, end, myst + self._cite(end, citations, guesses)))
            position = end
        items += self._plain(text, position, len(text), forced, citations, guesses)
        self.note_unknown_names(text, line, found)
        kept = [m for m in marks if m.kind in ("emphasis", "strong")]
        if emphasis:
            kept = []
        myst = _with_emphasis(text, items, kept)
        if emphasis and myst.strip():
            myst = _emphasised(myst)
        return Written(myst, resources, guesses)

    def _plain(
        self,
        text: str,
        start: int,
        end: int,
        forced: set[int],
        citations: dict[int, Work],
        guesses: list[str],
    ) -> list[tuple[int, int, str]]:
        """Plain text, one escaped character an item, citations after their names."""
        items = []
        for position in range(start, end):
            myst = escape(text, position, position + 1, forced)
            if position + 1 in citations and position + 1 != end:
                myst += self._cite(position + 1, citations, guesses)
            items.append((position, position + 1, myst))
        return items

    def _cite(self, position: int, citations: dict[int, Work], guesses: list[str]) -> str:
        work = citations.pop(position, None)
        if work is None:
            return ""
        self.report.citations.append(Noted(self._line, work.key, work.label))
        guesses.append(f"référence bibliographique devinée : {work.key} ({work.label})")
        return f" {{cite:p}}`{work.key}`"

    # -- resources ------------------------------------------------------------------

    def _resource(
        self,
        text: str,
        start: int,
        end: int,
        what: object,
        context: Context,
        line: int,
        cues: list[Cue],
    ) -> tuple[NewResource, bool]:
        words = " ".join(text[start:end].split())
        if isinstance(what, Mark):
            known = self.by_url.get(what.url)
            if known is not None:
                return known, False
            resource = self._linked(text, start, end, what.url, context, cues)
            self.by_url[what.url] = resource
        else:
            key = (what.kind, what.day)  # type: ignore[attr-defined]
            known = self.by_day.get(key) if what.day else None  # type: ignore[attr-defined]
            if known is not None:
                return known, False
            guessed = ["titre deviné d’après la phrase", f"genre « {what.kind} » deviné"]  # type: ignore[attr-defined]
            resource = NewResource(
                "",
                what.title,
                what.kind,
                what.url,
                guessed=guessed,
                words=words,  # type: ignore[attr-defined]
            )
            if what.url:  # type: ignore[attr-defined]
                resource.guessed.append(f"adresse {what.url} déduite du nom de domaine")  # type: ignore[attr-defined]
            if what.day:  # type: ignore[attr-defined]
                self.by_day[key] = resource
        resource.id = self.new_id(resource.title)
        publisher = self._publisher(resource.title)
        if publisher:
            resource.publisher = publisher.id
            resource.guessed.append(f"éditeur « {publisher.label} » deviné")
        state = f"lien {resource.url}" if resource.url else "lien perdu, :pending:"
        self.report.resources.append(
            Noted(line, f"{resource.id} ({resource.kind}, {state})", f"« {resource.title} »")
        )
        return resource, True

    def _linked(
        self, text: str, start: int, end: int, url: str, context: Context, cues: list[Cue]
    ) -> NewResource:
        """A resource for a link the export kept: its words are its title when
        they say what it is, else the sentence's words are."""
        words = " ".join(text[start:end].split())
        kind = _url_kind(url) or kind_of(fold(words))
        guessed = []
        cue = next((c for c in cues if c.start < end and start < c.end), None)
        if cue is not None:
            kind = kind_of(fold(words)) or cue.kind or _url_kind(url)
            # The sentence says more than a link's few words (« ici », « sous forme
            # audio », « cet article de… »); a link of five words or more is a title.
            if cue.title and len(content_words(words)) < 5:
                guessed.append("titre deviné d’après la phrase")
                return NewResource(
                    "", cue.title, kind or "autre", url, guessed=guessed, words=words
                )
        if len(content_words(words)) >= 3 and not set(fold(words).split()) <= _VAGUE:
            title = words
        else:
            begin = max([0, *sentence_starts(text, start)])
            sentence_end = re.search(r"[.!?…](?:\s|$)", text[end:])
            sentence = text[begin : end + (sentence_end.end() if sentence_end else len(text))]
            clause = text[begin:start] + ("" if fold(words) in _VAGUE else words)
            title = resource_title(clause, sentence, context) or words
            guessed.append("titre deviné d’après la phrase")
            kind = kind or kind_of(fold(sentence))
        if not kind:
            kind = "autre"
            guessed.append("genre deviné (« autre »)")
        title = title[:1].upper() + title[1:]
        return NewResource("", title, kind, url, guessed=guessed, words=words)

    def _publisher(self, title: str) -> Name | None:
        organisations = {f.name for f in self.index.find(title) if f.name.kind == "organisation"}
        return next(iter(organisations)) if len(organisations) == 1 else None

    def new_id(self, title: str) -> str:
        """A resource id made from ``title``, that no letter declares yet."""
        base = _slug(title)
        resource_id, suffix = base, 1
        while resource_id in self.taken:
            suffix += 1
            resource_id = f"{base}-{suffix}"
        self.taken.add(resource_id)
        return resource_id

    def title_item(
        self, text: str, marks: tuple[Mark, ...], publisher: Name | None, line: int = 0
    ) -> NewResource:
        """The resource a title item (« ➡️ Orne (61) : une plateforme… ») names."""
        body = re.sub(r"^➡\ufe0f?\s*", "", text)
        links = [m for m in marks if m.kind == "link"]
        url = links[0].url if links else ""
        guessed = [] if url else ["ressource devinée : la ligne est un titre sans lien"]
        kind = _url_kind(url) or kind_of(fold(body)) or "article"
        if not kind_of(fold(body)) and not _url_kind(url):
            guessed.append(f"genre « {kind} » deviné")
        resource = NewResource("", body, kind, url, guessed=guessed, words=body)
        resource.id = self.new_id(body)
        if url:
            self.by_url[url] = resource
        if publisher is not None:
            resource.publisher = publisher.id
            resource.guessed.append(f"éditeur « {publisher.label} » deviné d’après la rubrique")
        state = f"lien {url}" if url else "lien perdu, :pending:"
        self.report.resources.append(
            Noted(line, f"{resource.id} ({resource.kind}, {state})", f"« {resource.title} »")
        )
        return resource

    def note_unknown_names(self, text: str, line: int, known: list[Found]) -> None:
        """Notes the names in ``text`` that look like people's but are not ``known``."""
        for start, end, name in unknown_people(text):
            if not any(f.start < end and start < f.end for f in known):
                self.report.unknown_name(line, name)


def _mail_link(words: str, url: str) -> str:
    """A ``mailto:`` link: the address as an autolink when the words are the
    address, else a link with its words."""
    address = url[len("mailto:") :].split("?", 1)[0]
    if words.strip() == address and re.fullmatch(r"[^\s<>@]+@[^\s<>@]+", address):
        return f"<{address}>"
    return f"[{escape(words, 0, len(words))}](<{url}>)"


def _url_kind(url: str) -> str:
    for pattern, kind in _URL_KINDS:
        if re.search(pattern, url, re.IGNORECASE):
            return kind
    return ""


def _with_emphasis(text: str, items: list[tuple[int, int, str]], marks: list[Mark]) -> str:
    """The items' MyST with the export's emphasis around the words it covers:
    its ends moved to whole mentions and off spaces; a mark that overlaps one
    already placed is left out (its words stay, as text)."""
    opening: dict[int, str] = {}
    closing: dict[int, str] = {}
    taken: list[tuple[int, int]] = []
    for mark in sorted(marks, key=lambda m: (m.kind != "strong", m.start)):
        first = next((i for i, item in enumerate(items) if item[1] > mark.start), None)
        last = next((i for i in range(len(items) - 1, -1, -1) if items[i][0] < mark.end), None)
        if first is None or last is None:
            continue
        while first <= last and not items[first][2].strip():
            first += 1
        while last >= first and not items[last][2].strip():
            last -= 1
        if first > last or any(a <= last and first <= b for a, b in taken):
            continue
        taken.append((first, last))
        delimiter = "**" if mark.kind == "strong" else "*"
        opening[first] = opening.get(first, "") + delimiter
        closing[last] = delimiter + closing.get(last, "")
    return "".join(
        opening.get(i, "") + myst + closing.get(i, "") for i, (_s, _e, myst) in enumerate(items)
    )


def _emphasised(myst: str, delimiter: str = "*") -> str:
    """``myst`` in emphasis, the delimiters next to its first and last visible
    characters (CommonMark needs them against the words)."""
    stripped = myst.strip()
    lead = myst[: len(myst) - len(myst.lstrip())]
    tail = myst[len(myst.rstrip()) :]
    return f"{lead}{delimiter}{stripped}{delimiter}{tail}"
