"""Where a line of a letter points at something to read, watch or listen to.

A mailing tool's plain text keeps the words of a link but not its address: « à
retrouver ici », « la mallette pédagogique par là », « cet article de The
Conversation », « disponible sur le compte-rendu de la journée », « leur site
pact2.fr », « Cette citation provient de la synthèse… ». Each such place is a
:class:`Cue`: the words that carried the link, what they point at (its kind:
one of the project's resource kinds) and a title made of the letter's own
words (:func:`resource_title`), which the draft marks as to review. The host's
HTML export keeps the links; their words get a title the same way when they are
not a title themselves (« ici »).

The functions here are pure; they look at the text of one paragraph and at its
:class:`Context` (the sentences before it in the same item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inline import SENTENCE_END, fold

#: Words that say what a link points to (folded, singular or plural), and the kind.
KIND_WORDS = (
    (r"articles?", "article"),
    (r"audios?|podcasts?|enregistrements?\s+audio", "audio"),
    (r"videos?|replays?|webinaires?", "vidéo"),
    (r"interviews?|entretiens?", "interview"),
    (r"syntheses?", "synthèse"),
    (r"comptes?[ -]rendus?|resumes?|resumees?", "compte-rendu"),
    (r"mallettes?", "mallette"),
    (r"documents?|rapports?|etudes?|diaporamas?|supports?|fiches?|livrets?|guides?", "document"),
    (r"sites?", "site"),
    (r"livres?|ouvrages?", "livre"),
    (r"outils?", "outil"),
)
_KIND = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(KIND_WORDS)) + r")(?!\w)"
)


def kind_of(folded: str) -> str:
    """The kind the last kind word of a folded text names, or ''."""
    kinds = [
        KIND_WORDS[int(name[1:])][1]
        for match in _KIND.finditer(folded)
        for name, value in match.groupdict().items()
        if value
    ]
    return kinds[-1] if kinds else ""


# -- the cues ---------------------------------------------------------------------------

_APOS = "[’']"
_AFTER = r"(?=\s*(?:[.,;:!?…()]|$)|\s+(?:et|ou)\s)"
_DEMONSTRATIVE_KIND = (
    r"(?:ce|cet|cette|ces)\s+(?:"
    r"articles?|interviews?|entretiens?|documents?(?:\s+de\s+synthèse)?|synthèses?|"
    r"comptes?[- ]rendus?|résumés?|vidéos?|podcasts?|rapports?|études?|guides?|diaporamas?|"
    r"mallettes?(?:\s+pédagogiques?)?|enregistrements?|replays?|livres?|ouvrages?|fiches?|outils?"
    r")"
)
_KIND_NP = (
    r"(?:l[’']|le\s+|la\s+|les\s+|un\s+|une\s+|leur\s+|son\s+|sa\s+|notre\s+)(?:"
    r"articles?|interviews?|entretiens?|synthèses?|comptes?[- ]rendus?|résumés?|vidéos?|"
    r"podcasts?|rapports?|études?|guides?|diaporamas?|mallettes?|replays?|documents?|livres?|"
    r"fiches?|outils?)\b[^.;:!?()]*?"
)
_CUES = re.compile(
    r"(?<![\w’'])(?:"
    rf"(?P<ici>ici){_AFTER}"
    rf"|par\s+(?P<par>là){_AFTER}"
    r"|(?<!ici\s)(?P<la>là)(?=\s*[.!…]?$)"
    r"|sous\s+forme\s+(?P<forme>audio|vidéo|video)(?=\s*:$)"
    rf"|(?P<demonstrative>{_DEMONSTRATIVE_KIND})(?!\w)"
    r"|(?:disponibles?|accessibles?|consultables?|à\s+(?:retrouver|lire|écouter|voir|découvrir"
    rf"|consulter|télécharger))\s+(?:sur|dans)\s+(?P<np>{_KIND_NP})(?=\s*[.,;!?(]|\s*$)"
    r"|(?:provient|provenait|est\s+(?:extraite?|tirée?|issue?))\s+(?:de\s+la\s+|du\s+|des\s+|de\s+l[’']|d[’']|de\s+)"
    r"(?P<source>[^.!?]+?)(?=\s*[.!?]\s|\s*[.!?]?$)"
    r"|(?P<domain>(?<![@/.\w-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:fr|org|com|net|eu|info|io|coop|gouv\.fr|asso\.fr)(?:/[\w/.-]*\w)?)(?![\w@-]|\.\w)"
    r")",
    re.IGNORECASE,
)
#: Cues whose words are themselves a description of what they point at.
_DESCRIPTIVE = ("np", "source")


@dataclass(frozen=True)
class Cue:
    """Words of a paragraph that stood for a link, and what they point at."""

    start: int
    end: int
    title: str
    kind: str
    url: str = ""
    day: str = ""  # the day the title names (« 17 novembre »), to know the same document again
    words: str = ""  # the cue as the letter says it, for the marker


@dataclass(frozen=True)
class Context:
    """What comes before a paragraph in the same item: its sentences."""

    lead: str = ""  # the first sentence of the item the paragraph belongs to
    before: str = ""  # the item's text before this paragraph


def find_cues(text: str, context: Context | None = None) -> list[Cue]:
    """The places of a paragraph whose links the export lost, with their titles."""
    context = context or Context()
    cues: list[Cue] = []
    clause_start = 0
    for match in _CUES.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value)
        start, end = match.span(group)
        if cues and start < cues[-1].end:
            continue
        words = text[start:end]
        if group == "domain":
            if not re.search(r"[a-z]", words.split(".")[0], re.IGNORECASE):
                continue
            url = "https://" + words
            cues.append(Cue(start, end, site_title(text, words), "site", url, words=words))
            clause_start = end
            continue
        begin = max([0, *sentence_starts(text, start)])
        sentence = text[begin : _sentence_end(text, end)]
        before = Context(context.lead, f"{context.before} {text[:begin]}")
        if group in _DESCRIPTIVE:
            title = _clean_title(_completed(words, sentence, before) if group == "np" else words)
            kind = kind_of(fold(words)) or "document"
        elif group == "demonstrative":
            title = _clean_title(_demonstrative_title(text, begin, start, end, context))
            kind = kind_of(fold(words)) or "autre"
        else:
            clause = text[max(begin, clause_start) : start]
            kind = kind_of(fold(text[max(begin, clause_start) : end])) or (
                "vidéo"
                if group == "forme" and "audio" not in fold(words)
                else "audio"
                if group == "forme"
                else "autre"
            )
            title = resource_title(clause, sentence, before) or _clean_title(sentence) or words
        cues.append(_cue(start, end, title, kind, words))
        clause_start = end
        # « … ici et la mallette pédagogique qui va avec » : a second link, on its own words.
        second = _SECOND.match(text, end)
        if second and not re.search(r"\b(?:ici|là)\b", second.group("np"), re.IGNORECASE):
            words = second.group("np")
            title = resource_title(words, sentence, before)
            cues.append(
                _cue(second.start("np"), second.end("np"), title, kind_of(fold(words)), words)
            )
            clause_start = second.end("np")
    return cues


def _cue(start: int, end: int, title: str, kind: str, words: str) -> Cue:
    return Cue(
        start, end, title, kind or "autre", day=day_of(title) or "", words=" ".join(words.split())
    )


_SECOND = re.compile(r"\s+et\s+(?P<np>" + _KIND_NP + r")(?=\s+qui\s|\s*[.,;!?]|$)", re.IGNORECASE)


def _sentence_end(text: str, position: int) -> int:
    match = SENTENCE_END.search(text, position)
    return match.end() if match else len(text)


def _previous_sentence(text: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?…:])\s+|\n", text.strip()) if s.strip()]
    return sentences[-1] if sentences else ""


_DESCRIBES = re.compile(
    r"^(?:il|elle|ils|elles|celui-ci|celle-ci|ce\s+document|cet\s+article)\s+"
    r"(?:dresse|dressent|présente|présentent|décrit|décrivent|explique|expliquent|analyse|"
    r"analysent|raconte|racontent|montre|montrent|propose|proposent|revient|reviennent|"
    r"retrace|retracent|résume|résument)\s+(?:sur\s+)?(.+?)[.!…]?$",
    re.IGNORECASE,
)


def _demonstrative_title(text: str, begin: int, start: int, end: int, context: Context) -> str:
    """« cet article de The Conversation. Il dresse un tableau… » : the kind, its
    complement, and what the next sentence says it holds; « Le projet est résumé
    dans ce document de synthèse » : the kind and the sentence before it."""
    kind = text[start:end]
    head = kind.split(None, 1)[1] if " " in kind else kind
    head = head[:1].upper() + head[1:]
    rest = text[end:]
    complement = re.match(r"\s+(?:de|d[’'])\s*([^.,;:!?]{1,60})", rest)
    if complement:
        head = f"{head} de {complement.group(1).strip()}"
    following = text[_sentence_end(text, end) :].strip()
    described = _DESCRIBES.match(_first_sentence(following))
    if described:
        return f"{head} : {described.group(1)}"
    after = re.match(r"\s*,\s*(.{1,160}?)(?=[.;!?](?:\s|$)|$)", rest)
    if after:
        return f"{head} : {after.group(1).strip()}"
    if complement:
        return head
    previous = _previous_sentence(f"{context.before} {text[:begin]}")
    if previous and len(previous.split()) <= 24:
        return f"{head} : {' '.join(previous.split()).rstrip('.!…')}"
    return head


def _first_sentence(text: str) -> str:
    match = SENTENCE_END.search(text)
    return text[: match.end()].strip() if match else text


def sentence_starts(text: str, position: int) -> list[int]:
    """The starts of the sentences of ``text`` before ``position``."""
    return [match.end() for match in SENTENCE_END.finditer(text, 0, position)]


_TITLE_TAIL = re.compile(
    r"(?:\s+(?:est|sont|(?:se\s+)?trouvent?)?\s*(?:à|a)\s+(?:retrouver|lire|écouter|voir|découvrir"
    r"|consulter|télécharger)|\s+(?:est|sont)?\s*(?:disponibles?|accessibles?|consultables?)"
    r"|\s+(?:se\s+)?trouvent?|\s+sous\s+forme|\s+(?:est|sont)|\s+qui\s+va(?:\s+avec)?"
    r"|\s+qui\s+vont(?:\s+avec)?|\s+avec\s+(?:le|la|les)|\s+par|\s+(?:sur|dans)(?:\s+(?:le|la|les))?)\s*$",
    re.IGNORECASE,
)
_TITLE_HEAD = re.compile(
    r"^(?:.*?,\s*)?(?:vous\s+pouvez|on\s+peut|retrouvez|découvrez|lisez|écoutez)\s+"
    r"(?:retrouver\s+|lire\s+|écouter\s+|voir\s+|découvrir\s+|consulter\s+|télécharger\s+)?"
    r"|^(?:et|ou|puis|mais|en\s+attendant|de\s+manière\s+générale|enfin|aussi|également)\s*,?\s*",
    re.IGNORECASE,
)
_NP_START = re.compile(
    r"(?:^|\s)((?:l[’']|le\s+|la\s+|les\s+|un\s+|une\s+|leur\s+|leurs\s+|son\s+|sa\s+|ses\s+)"
    r"(?:articles?|interviews?|entretiens?|synthèses?|comptes?[- ]rendus?|résumés?|vidéos?|"
    r"podcasts?|rapports?|études?|guides?|diaporamas?|mallettes?|replays?|documents?|livres?|"
    r"fiches?|outils?)\b.*)$",
    re.IGNORECASE,
)
_STOP = set(
    "le la les l d de du des et ou a au aux un une en pour par sur dans sa son ses leur leurs"
    " qui que est sont avec ce cet cette ces il elle on nous vous y".split()
)
_DAY = re.compile(
    r"\b(\d{1,2}(?:er)?(?:\s+(?:et|au)\s+\d{1,2})?\s+(?:janvier|février|fevrier|mars|avril|mai|"
    r"juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre))\b",
    re.IGNORECASE,
)
_DAY_PHRASE = re.compile(
    r"\b((?:la\s+|les\s+)?(?:journées?|séances?|rencontres?|ateliers?|formations?)\s+(?:du|des|de\s+la)"
    r"\s+" + _DAY.pattern[2:-2] + r")\b",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\bsur\s+((?:la|le|les|l[’'])\s*[^.,;:!?()]{3,60}?)(?=\s*[.,;:!?()]|$)", re.I)


def content_words(text: str) -> list[str]:
    return [word for word in re.findall(r"\w+", fold(text)) if word not in _STOP]


def day_of(text: str) -> str | None:
    match = _DAY.search(text)
    return " ".join(fold(match.group(1)).split()) if match else None


def resource_title(clause: str, sentence: str, context: Context) -> str:
    """A title for what a lost link pointed at, made of the letter's own words:
    the noun phrase of its kind (« la mallette pédagogique ») or the clause
    before it, completed when it says too little by the day the sentence names
    (« de la journée du 18 novembre »), else the subject of the item (« sur la
    mise en récit »), else the item's first sentence."""
    title = " ".join(clause.split())
    title = _TITLE_HEAD.sub("", title, count=1)
    for _ in range(3):
        title = _TITLE_TAIL.sub("", title).strip(" ,;:–—-")
    noun_phrase = _NP_START.search(title)
    if noun_phrase:
        title = noun_phrase.group(1)
        for _ in range(3):
            title = _TITLE_TAIL.sub("", title).strip(" ,;:–—-")
    if title.startswith("(") and ")" not in title:
        title = title[1:].strip()
    if len(content_words(title)) < 3:
        title = _completed(title, sentence, context)
    return _clean_title(title)


def _completed(title: str, sentence: str, context: Context) -> str:
    if day_of(title):
        return title
    days = {day_of(match.group(0)) for match in _DAY.finditer(f"{context.before} {sentence}")}
    if re.search(r"journées?$", title, re.IGNORECASE) and len(days) == 1:
        return f"{title} du {_DAY.search(f'{context.before} {sentence}').group(1)}"
    day = _DAY_PHRASE.search(sentence)
    if day:
        phrase = re.sub(r"^(?:la|les)\s+", "", day.group(1), flags=re.I)
        plural = phrase.lower().startswith(("journées", "séances", "rencontres", "ateliers"))
        joiner = " des " if plural else " de la "
        return f"{title}{joiner}{phrase}" if title else phrase
    clause = sentence.split(title, 1)[0] if title else ""
    clause = _TITLE_HEAD.sub("", " ".join(clause.split()), count=1).strip(" ,;:–—-")
    clause = re.sub(r"\s+(?:et|ou|avec)$", "", clause)
    if title and len(content_words(clause)) >= 3:
        return f"{title} — {clause[:1].lower() + clause[1:]}"
    topics = _TOPIC.findall(f"{context.before} {clause}")
    if topics and title:
        return f"{title} sur {topics[-1].strip()}"
    lead = re.sub(r"^[➡\ufe0f\s]+", "", " ".join(context.lead.split())).rstrip(".")
    if lead and len(lead.split()) <= 16 and title:
        return f"{title} — {lead}"
    return title or lead


def _clean_title(title: str) -> str:
    title = " ".join(title.split()).strip(" ,;:–—-")
    words = title.split(" ")
    if len(words) > 16:
        cut = 16
        for position in range(8, 16):
            if fold(words[position]) in ("sur", "pour", "dans", "avec", "qui", "afin"):
                cut = position
                break
        title = " ".join(words[:cut]).rstrip(",;:") + ("…" if cut == 16 else "")
    return title[:1].upper() + title[1:]


def site_title(text: str, domain: str) -> str:
    """A site's title: the name the paragraph gives the domain (« PACT2, Parcours
    apprenants… » for pact2.fr) with its apposition, else the domain."""
    label = domain.split("/")[0].rsplit(".", 1)[0].split(".")[-1]
    pattern = re.compile(rf"(?<![\w.]){re.escape(label)}(?![\w.])", re.IGNORECASE)
    for match in pattern.finditer(text):
        if text[match.start() : match.start() + len(domain)].lower() == domain.lower():
            continue
        apposition = re.match(r",\s*([^,()]{3,120}?)\s*(?:,|\(|$)", text[match.end() :])
        name = text[match.start() : match.end()]
        return f"{name}, {apposition.group(1)}" if apposition else name
    return domain
