"""The cues that say what a capitalised name of a letter is: a territory
(« la ville de X », « X Agglomération », « X (69) », « Pôle Territorial de X »,
a department's name), an organisation (« l’association X », « le laboratoire
X », « cet article de X », an acronym in capitals), and the words, runs of
capitalised words and ids that :mod:`~almanach.tools.importer.proposals` and
:mod:`~almanach.tools.importer.people` share. Pure functions over one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .departments import COMPOUND_NAMES, DEPARTMENTS, NUMBER, department_label, department_number
from .inline import fold, name_key

# -- words ----------------------------------------------------------------------------

UP, LOW = "A-ZÀ-ÖØ-ÞŒ", "a-zß-öø-ÿœ"
CAP = rf"[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)*"
APOSTROPHE = "[’']"
#: A word of a proper name: capitalised, or an acronym, or « Colab.Studio ».
PROPER = rf"[{UP}](?:[\w&]|[.-](?=\w))*"
#: A person's name: given name(s) and family name, a lower-case particle only
#: after a single given name (« Sandro de Gasparo », « Aude Van Haeringen »).
PERSON = (
    rf"{CAP}(?:\s(?:de|du|des|van|von|der|le|la)\s{CAP}|\sd{APOSTROPHE}{CAP}"
    rf"|(?:\s{CAP}){{1,2}})"
)

#: Words that say what the name after them is, for organisations (folded) and
#: the description proposed for it.
_ORGANISATION_CUES = {
    "association": "association",
    "laboratoire": "laboratoire",
    "labo": "laboratoire",
    "institut": "institut",
    "cabinet": "cabinet",
    "agence": "agence",
    "media": "média",
    "collectif": "collectif",
    "fondation": "fondation",
    "cooperative": "coopérative",
    "federation": "fédération",
    "reseau": "réseau",
    "entreprise": "entreprise",
    "societe": "société",
}
#: Lower-case words that may end an organisation's name (« Quadrant conseil »).
ORGANISATION_TAILS = frozenset("conseil conseils consultants consulting associes studio".split())
#: Acronyms that are roles, procedures or plans, not organisations.
NOT_ORGANISATIONS = frozenset(
    """dga dgs dgst dgas drh daf dsi dg pvd crte ami aap appel copil cotech pat pcaet scot plu
    plui epci petr zae rse ess tpe pme eti etp cdi cdd faq pdf url ok tv rdv cr odd ges co2 eit
    enr btp qpv sig tepos tepcv zfe dsp rgpd cop pib hlm sru nb ps ue usa cifre mooc""".split()
)
#: Nouns before an acronym that make it a project, plan or law, not an organisation.
_NOT_ORGANISATION_BEFORE = frozenset(
    "projet programme dispositif plan demarche appel label loi contrat charte".split()
)
#: Common nouns that a sentence may capitalise before « en transition ».
_COMMON_NOUNS = frozenset(
    """territoires territoire villes ville communes commune collectivites citoyens
    entreprises ecoles quartiers""".split()
)
CONNECTORS = frozenset("de du des la le les en pour sur aux".split())
PLACE_CONNECTORS = CONNECTORS | {"et", "sous"}
_SINGLE_PLACE = CONNECTORS | {"sous"}


def key_of(text: str) -> str:
    return name_key(fold(text))


def folded_words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def before(text: str, position: int, size: int = 200) -> str:
    """The ``size`` characters before ``position``: what the cues look back at,
    so that a long line costs no more per name. A word stands in front when the
    line goes on before them, so that « ^ » still means the start of the line."""
    start = max(0, position - size)
    return ("x " if start else "") + text[start:position]


def sentence_start(text: str, position: int) -> bool:
    """Whether ``position`` starts a sentence: nothing but bullets and emoji
    before it on the line, or the end of a sentence or an opening quotation."""
    preceding = before(text, position).rstrip()
    if not re.search(r"\w", preceding):
        return True
    return preceding[-1] in '.!?…:«“"(' or preceding.endswith(("➡️", "👉"))


_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end``; of a long sentence, the
    200 characters or so around the name, cuts marked « … »."""
    begin, stop = max(0, start - 300), min(len(text), end + 300)
    cut_before = begin > 0
    for match in _SENTENCE_END.finditer(text, begin, stop):
        if match.end() <= start:
            begin, cut_before = match.end(), False
        elif match.start() >= end:
            stop = match.end()
            break
    cut_after = stop < len(text) and not _SENTENCE_END.match(text, stop - 1)
    if stop - begin > 200:
        first = max(begin, start - 80)
        cut_before, cut_after = cut_before or first > begin, cut_after or first + 200 < stop
        begin, stop = first, min(stop, first + 200)
    sentence = text[begin:stop].strip()
    return ("…" if cut_before else "") + sentence + ("…" if cut_after else "")


PROPER_RE = re.compile(PROPER)


@lru_cache(maxsize=8)
def _join(connectors: frozenset[str]) -> re.Pattern[str]:
    """What may join two words of a proper name: spaces, ``connectors`` and an
    elided article (« de l’ », « et des »)."""
    words = "|".join(sorted(connectors))
    return re.compile(
        rf"(?:\s+(?:{words})(?=\s))*(?:\s+[dl]{APOSTROPHE}|\s+)(?=[{UP}])"
        if words
        else rf"(?:\s+[dl]{APOSTROPHE}|\s+)(?=[{UP}])"
    )


def proper_run(
    text: str,
    start: int,
    connectors: frozenset[str] = CONNECTORS,
    tails: frozenset[str] = frozenset(),
) -> int:
    """The end of the proper name that starts at ``start``: capitalised words
    joined by ``connectors`` (« Pôle Territorial de l’Albigeois et des
    Bastides »), and one lower-case word of ``tails`` at its end (« Quadrant
    conseil »); ``start`` when no capitalised word starts there."""
    match = PROPER_RE.match(text, start)
    if not match:
        return start
    end = match.end()
    join = _join(connectors)
    while (gap := join.match(text, end)) and (word := PROPER_RE.match(text, gap.end())):
        end = word.end()
    tail = re.compile(rf"\s+([{LOW}]+)(?![\w’'-])").match(text, end)
    if tails and tail and fold(tail.group(1)) in tails:
        end = tail.end()
    return end


#: Words a capitalised run may start with at the start of a sentence, that are
#: not part of the name (« Avec Rodez Agglomération »).
_LEADING_WORDS = frozenset(
    "avec pour dans et chez selon a au aux en sur par de du des le la les l d ou mais".split()
)


def _trim_leading(text: str, start: int, end: int) -> int:
    """``start`` moved past the function words a run starts with."""
    while start < end:
        word = re.compile(r"(\w+)(?:[’']|\s+)").match(text, start)
        if not word or fold(word.group(1)) not in _LEADING_WORDS:
            return start
        start = word.end()
    return start


def slug(name: str, elided: bool = True) -> str:
    """An id from a name: ASCII, lower case, words joined by hyphens;
    ``elided``: keep « l’ » and « d’ » (for people's names)."""
    if not elided:
        name = re.sub(rf"(?<!\w)[dlDL]{APOSTROPHE}", " ", name)
    words = re.findall(r"[a-z0-9]+", fold(name).encode("ascii", "ignore").decode())
    text = "-".join(words)
    while len(text) > 60 and "-" in text:
        text = text.rsplit("-", 1)[0]
    return text


# -- territories -------------------------------------------------------------------------

_KIND_CUES = (
    # (pattern of the cue before the name, kind, whether the cue is part of the name)
    (r"(?i:ville|commune)\s+(?:de\s+|d[’'])", "commune", False),
    (
        r"(?i:communauté)\s+de\s+communes\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])?",
        "communauté de communes",
        True,
    ),
    (
        r"(?i:communauté)\s+d[’']agglomération\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])?",
        "agglomération",
        True,
    ),
    (r"Métropole\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])", "métropole", True),
    (r"Pays\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])", "PETR/pays", True),
    (r"Pôle\s+[Tt]erritorial\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])", "PETR/pays", True),
    (r"PETR\s+(?:(?:de|du|des)\s+|d[’']|de\s+l[’'])?", "PETR/pays", True),
    (r"(?i:département)\s+(?:(?:de|du|des)\s+|d[’']|de\s+la\s+|de\s+l[’'])", "département", False),
)
_KIND_CUE_RE = [
    (re.compile(rf"(?<!\w){cue}(?=[{UP}])"), kind, named) for cue, kind, named in _KIND_CUES
]
_SUFFIX_CUE = re.compile(r"(?<!\w)(Agglomération|Agglo|Métropole)(?!\w)")
_SUFFIX_KINDS = {
    "Agglomération": "agglomération",
    "Agglo": "agglomération",
    "Métropole": "métropole",
}
_DEPARTMENT_NUMBER = re.compile(rf"\s*\(({NUMBER})\)")
_IN_TRANSITION = re.compile(rf"^({PROPER})\s+en\s+[Tt]ransitions?$")
_PLACE_ROLE = re.compile(
    r"(?<!\w)(?i:maire|adjointe?(?:\s+au\s+maire)?|élue?|conseill(?:er|ère)\s+municipale?)"
    rf"\s+(?:à\s+|de\s+|d[’'])(?=[{UP}])"
)
_COMPOUND_DEPARTMENT = re.compile(
    r"(?<![\w’'-])(?:"
    + "|".join(re.escape(n).replace("’", "[’']").replace(r"\-", "[-\\s]") for n in COMPOUND_NAMES)
    + rf")(?![\w-])(?!\s+[{UP}])"
)


def find_territories(text: str) -> Iterator[tuple[int, int, str, dict[str, str]]]:
    """The territories a line names with a cue: (start, end, name, fields)."""
    place = PLACE_CONNECTORS
    for pattern, kind, named in _KIND_CUE_RE:
        # « et » joins a name's words after a cue that is part of the name only
        # (« Pôle Territorial de l’Albigeois et des Bastides »), not after « la
        # ville de » (« la ville de Lille et Camille Exemple »).
        for match in pattern.finditer(text):
            end = proper_run(text, match.end(), place if named else _SINGLE_PLACE)
            start = match.start() if named else match.end()
            name = text[start:end]
            fields = {"kind": kind}
            if kind == "département":
                number = department_number(name, key_of)
                if number is None:
                    continue
                fields["departement"] = department_label(number)
            yield start, end, name[:1].upper() + name[1:], fields
    for match in _SUFFIX_CUE.finditer(text):
        start = _run_before(text, match.start())
        if start is not None:
            yield (
                start,
                match.end(),
                text[start : match.end()],
                {"kind": _SUFFIX_KINDS[match.group(1)]},
            )
    for start, end in _runs(text, place):
        number = _DEPARTMENT_NUMBER.match(text, end)
        if number:
            name = text[start:end]
            if key_of(name) == key_of(DEPARTMENTS[number.group(1)]):
                kind = "département"
            else:
                kind = "commune"
            yield start, end, name, {"kind": kind, "departement": department_label(number.group(1))}
        elif transition := _IN_TRANSITION.match(text[start:end]):
            # « Lomme en Transitions »: a town's transition programme
            end = start + len(transition.group(1))
            name = text[start:end]
            if not sentence_start(text, start) and fold(name) not in _COMMON_NOUNS:
                yield start, end, name, {"kind": "commune"}
    for match in _PLACE_ROLE.finditer(text):
        end = proper_run(text, match.end(), _SINGLE_PLACE)
        yield match.end(), end, text[match.end() : end], {"kind": "commune"}
    for match in _COMPOUND_DEPARTMENT.finditer(text):
        number = department_number(match.group(), key_of)
        if number:
            yield (
                match.start(),
                match.end(),
                DEPARTMENTS[number],
                {
                    "kind": "département",
                    "departement": department_label(number),
                },
            )


def _runs(text: str, connectors: frozenset[str]) -> Iterator[tuple[int, int]]:
    """The capitalised runs of a line, the function words they start with left out."""
    position = 0
    for match in re.finditer(rf"(?<![\w’'.-])[{UP}]", text):
        if match.start() < position:
            continue
        end = proper_run(text, match.start(), connectors)
        position = end
        start = _trim_leading(text, match.start(), end)
        if start < end:
            yield start, end


def _run_before(text: str, end: int) -> int | None:
    """The start of the capitalised words (up to three) that end just before ``end``."""
    start = None
    for _ in range(3):
        match = re.search(
            rf"(?<![\w’'.-])({PROPER})\s+$", before(text, start if start is not None else end)
        )
        if not match:
            break
        if fold(match.group(1)) in _LEADING_WORDS:
            break
        start = match.start(1)
    return start


# -- organisations ---------------------------------------------------------------------

_ORGANISATION_CUE = re.compile(
    r"(?<!\w)(?P<cue>(?i:association|laboratoire|labo|institut|cabinet|agence|média|collectif"
    r"|fondation|coopérative|fédération|réseau|entreprise|société))(?!\w)"
)
#: What comes before a cue word: an article (« l’association », « le cabinet »).
_CUE_ARTICLE = re.compile(
    rf"(?:(?<!\w)(?:la|le|au|du|un|une|son|sa|leur|notre|votre)\s+|(?<!\w)[lLdD]{APOSTROPHE})$"
)
_ACRONYM = re.compile(rf"(?<![\w-])([{UP}][{UP}0-9]{{2,}})(?![\w-])")
_PUBLISHED = re.compile(
    r"(?<!\w)(?i:articles?|interviews?|tribunes?|rapports?|études?|dossiers?|podcasts?"
    rf"|émissions?|vidéos?|chroniques?)\s+(?:de\s+|du\s+|d[’'])(?=[{UP}])"
)
_ROMAN = re.compile(r"^[IVXLCDM]+$")


def find_organisations(text: str) -> Iterator[tuple[int, int, str, dict[str, str]]]:
    """The organisations a line names after a cue word: (start, end, name, fields)."""
    for match in _ORGANISATION_CUE.finditer(text):
        cue = match.group("cue")
        if not _CUE_ARTICLE.search(before(text, match.start(), 40)):
            continue
        if cue[0].isupper():  # « l’Association de Promotion de… »: the cue is part of the name
            end = proper_run(text, match.start("cue"), CONNECTORS, ORGANISATION_TAILS)
            if end > match.end("cue") + 1:
                yield match.start("cue"), end, text[match.start("cue") : end], {}
            continue
        after = re.compile(r"\s+").match(text, match.end())
        if after is None:
            continue
        end = proper_run(text, after.end(), CONNECTORS, ORGANISATION_TAILS)
        if end > after.end():
            description = _ORGANISATION_CUES[fold(cue)]
            yield after.end(), end, text[after.end() : end], {"description": description}


def find_publishers(text: str) -> Iterator[tuple[int, int, str, dict[str, str]]]:
    """The publisher of an article, an interview… (« cet article de The
    Conversation »): one word, or a name that starts with an article; two
    capitalised words after « article de » are more likely its author."""
    for match in _PUBLISHED.finditer(text):
        end = proper_run(text, match.end(), CONNECTORS, ORGANISATION_TAILS)
        name = text[match.end() : end]
        if name in ("The", "Le", "La", "Les"):
            following = re.compile(r"\s+[\w’'-]+").match(text, end)
            if following is None:
                continue
            end = (
                proper_run(text, following.end(), CONNECTORS)
                if text[following.start() + 1 :][:1].isupper()
                else following.end()
            )
        elif " " in name and name.split()[0] not in ("The", "Le", "La", "Les"):
            continue
        yield match.end(), end, text[match.end() : end], {}


def find_acronyms(text: str) -> Iterator[tuple[int, int, str]]:
    """Acronyms in capitals that may be organisations (« L’ADEME »), but not
    roles, plans or projects (« DGS », « le projet PACT2 »), abbreviations of
    the name before them (« Petites Villes de Demain (PVD) ») or words of a
    line written in capitals."""
    for match in _ACRONYM.finditer(text):
        word = match.group(1)
        letters = sum(char.isalpha() for char in word)
        if letters < 3 or fold(word) in NOT_ORGANISATIONS or _ROMAN.match(word):
            continue
        words = folded_words(before(text, match.start(), 40))
        if words and words[-1] in _NOT_ORGANISATION_BEFORE:
            continue
        if re.search(rf"[{UP}][\w-]*\s*\($", before(text, match.start(), 60)):
            continue
        neighbours = re.findall(
            r"[^\W\d_]{2,}", text[max(0, match.start() - 30) : match.end() + 30]
        )
        if sum(w.isupper() for w in neighbours) > 2:
            continue
        yield match.start(1), match.end(1), word
