"""What a read document holds for the domain: :func:`collect` returns its
records (a value, :class:`DocumentRecords`), which the domain stores
(:meth:`almanach.domain.domain.AlmanachDomain.process_doc`). Collecting changes
neither the domain nor the doctree; it reports the letter's problems (front
matter, heading, a resource declared twice in it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from ..config import almanach_config
from ..model import records
from ..model.letters import read_front_matter
from ..rules.consistency import LetterFacts, check_letter, repeats
from ..rules.ids import MENTION_KINDS, duplicate_resource
from ..warnings_ import AlmanachWarning, shown_path, warn
from .nodes import almanach_container, quotation, resource_link, territory_update

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..model.registry import Registry

#: What the letter parser leaves on a letter's document for :func:`collect` only
#: (where each front matter field is written; that the front matter is missing,
#: already reported): dropped before the doctree is stored.
READING_NOTES = ("almanach_front_lines", "almanach_no_front_matter")

META_CLASSES = {"almanach-question", "almanach-update-territory"}
#: The class of the line that presents a resource in its card (not its description).
CARD_LINE = "almanach-resource-card"
#: Lines a letter's directives write (labels, rubriques' descriptions from the
#: registry, resource cards): not the letter's own words, left out of its summary.
NOT_SUMMARY = META_CLASSES | {"almanach-rubrique-description", CARD_LINE}


def is_letter(env: BuildEnvironment, docname: str) -> bool:
    folder = almanach_config(env.config).letters_dir.strip("/")
    return docname.startswith(folder + "/")


def letter_heading(document: nodes.document) -> nodes.title | None:
    """The title of the letter's heading (« # … »): not that of a rubrique, nor
    the one the parser gives a letter that has none."""
    for section in document.findall(nodes.section):
        if "almanach_rubrique" not in section and not section.get("almanach_untitled"):
            return next((c for c in section.children if isinstance(c, nodes.title)), None)
    return None


@dataclass
class DocumentRecords:
    """The records of one document, each list in document order."""

    letter: records.Letter | None = None
    updates: list[records.TerritoryUpdate] = field(default_factory=list)
    quotes: list[records.Quotation] = field(default_factory=list)
    resources: list[records.ResourceLink] = field(default_factory=list)
    mentions: list[records.Mention] = field(default_factory=list)
    rubriques: list[records.RubriqueSection] = field(default_factory=list)

    #: The domain's keys of the lists above.
    LISTS = ("updates", "quotes", "resources", "mentions", "rubriques")


def collect(
    env: BuildEnvironment, docname: str, document: nodes.document, registry: Registry
) -> DocumentRecords:
    """The letter, its updates, quotations, resources, mentions and rubriques
    (``registry``: where a quotation's speaker lives)."""
    found = DocumentRecords()
    if is_letter(env, docname):
        found.letter = _letter(env, docname, document, registry)

    declared: list[tuple[records.ResourceLink, resource_link]] = []
    wanted = (territory_update, quotation, resource_link, addnodes.pending_xref, nodes.section)
    for order, node in enumerate(document.findall(lambda n: isinstance(n, wanted))):
        if isinstance(node, nodes.section):
            if node.get("almanach_rubrique"):
                place = _place(docname, node, order)
                found.rubriques.append(
                    records.RubriqueSection(place, node["almanach_rubrique"], node[0].astext())
                )
            continue
        if _in_copy(node):
            continue
        place = _place(docname, node, order)
        if isinstance(node, territory_update):
            if node["territory"]:
                found.updates.append(
                    records.TerritoryUpdate(
                        place,
                        node["territory"],
                        tuple(node["speakers"]),
                        node["question"],
                        _body(node),
                    )
                )
        elif isinstance(node, quotation):
            found.quotes.append(
                records.Quotation(
                    place,
                    node["speaker"],
                    node["source"],
                    node["context"],
                    _quote_territory(registry, node),
                    _body(node[0]),
                )
            )
        elif isinstance(node, resource_link):
            if node["id"]:
                declared.append((_resource(node, place), node))
        elif node.get("refdomain") == "almanach" and not node.get("almanach_auto"):
            found.mentions.append(records.Mention(place, node["reftype"], node["reftarget"]))

    repeated = list(duplicates(resource for resource, _node in declared))
    dropped = {id(later) for later, _first in repeated}
    found.resources = [resource for resource, _node in declared if id(resource) not in dropped]
    where = {id(resource): node for resource, node in declared}
    for later, first in repeated:
        warn_duplicate_resource(env, later, first, location=where[id(later)])
    return found


def _letter(
    env: BuildEnvironment, docname: str, document: nodes.document, registry: Registry
) -> records.Letter | None:
    """The letter's record, its front matter's problems reported."""
    letter, problems = read_front_matter(docname, env.metadata.get(docname, {}))
    lines = document.get("almanach_front_lines", {})
    if not document.get("almanach_no_front_matter", False):  # already reported
        for field_name, problem in problems:
            warn(AlmanachWarning.LETTER, problem, (docname, lines.get(field_name, 1)))
    if letter is None:
        return None
    letter.line = lines.get("number", 1)
    letter.summary = _summary(env.metadata.get(docname, {}), document, registry)
    title = letter_heading(document)
    facts = LetterFacts(
        docname,
        docname.rpartition("/")[2],
        letter.number,
        letter.date,
        lines.get("number", 1),
        lines.get("date", 1),
        title.astext() if title is not None else "",
        (title.line or title.parent.line or 1) if title is not None else 1,
    )
    for found in check_letter(facts):
        warn(AlmanachWarning.LETTER, found.message, (docname, found.line))
    return letter


def duplicates(
    resources: Iterable[records.ResourceLink],
) -> Iterator[tuple[records.ResourceLink, records.ResourceLink]]:
    """Each resource declared again, with its first declaration (the rule:
    :func:`almanach.rules.consistency.repeats`, by id)."""
    return repeats(resources, key=lambda resource: resource.id)


def warn_duplicate_resource(
    env: BuildEnvironment,
    resource: records.ResourceLink,
    first: records.ResourceLink,
    location: Any = None,
) -> None:
    """Report ``resource`` as a duplicate of ``first``: where it is declared
    (``location``, by default its place)."""
    same_file = resource.place.docname == first.place.docname
    first_path = "" if same_file else shown_path(env.doc2path(first.place.docname))
    warn(
        AlmanachWarning.DUPLICATE_ID,
        duplicate_resource(resource.id, first_path, first.place.line, same_file=same_file),
        location or (resource.place.docname, resource.place.line),
    )


def drop_reading_notes(app: Sphinx, document: nodes.document) -> None:
    """``doctree-read``: the parser's notes for :func:`collect` are not part of
    the doctree that is stored."""
    for note in READING_NOTES:
        document.attributes.pop(note, None)


def setup_collect(app: Sphinx) -> None:
    app.connect("doctree-read", drop_reading_notes)


def _summary(metadata: dict, document: nodes.document, registry: Registry, limit: int = 300) -> str:
    """The letter's summary: its front matter's, else its first paragraphs (its
    own words, not the lines its directives add), cut at a word boundary."""
    given = str(metadata.get("summary", "")).strip()
    if given:
        return given
    text = ""
    for paragraph in document.findall(nodes.paragraph):
        if _enclosing(paragraph, (nodes.docinfo, nodes.field_list)) is not None:
            continue  # the front matter, as MyST shows it
        if NOT_SUMMARY & set(paragraph.get("classes", ())):
            continue
        text = f"{text} {_shown_text(paragraph, document, registry)}".strip()
        if len(text) >= limit:
            break
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _shown_text(paragraph: nodes.Element, document: nodes.document, registry: Registry) -> str:
    """A paragraph's text as readers see it: a mention written without its text
    (« {territory}`lomme` ») shows the entry's label (the resource's title), not
    its id — mentions are resolved only when the page is written."""
    parts: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "almanach":
            parts.append(_mention_label(node, document, registry))
        elif isinstance(node, nodes.Text):
            parts.append(node.astext())
        else:
            for child in node.children:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _mention_label(
    xref: addnodes.pending_xref, document: nodes.document, registry: Registry
) -> str:
    written = xref.astext()
    if xref.get("almanach_explicit", xref.get("refexplicit")):
        return written
    kind, target = xref["reftype"], xref["reftarget"]
    if kind == "resource":
        declared = (
            node
            for node in document.findall(resource_link)
            if node.get("id") == target and node.get("title")
        )
        return next((node["title"] for node in declared), written)
    entry = registry.lookup(MENTION_KINDS.get(kind) or "", target)
    return entry.label if entry is not None else written


def _place(docname: str, node: nodes.Element, order: int) -> records.Place:
    """The anchor of the node itself, else of the block (update, quotation,
    resource) that holds it, else of its nearest section."""
    section = node if isinstance(node, nodes.section) else _enclosing(node, nodes.section)
    block = _enclosing(node, almanach_container)
    if node.get("ids"):
        anchor = node["ids"][0]
    elif block is not None and block.get("ids"):
        anchor = block["ids"][0]
    else:
        anchor = section["ids"][0] if section else ""
    title = section[0].astext() if section is not None and len(section) else ""
    # One string per section, however many records it holds: the environment
    # (pickled with them) keeps one copy.
    return records.Place(docname, anchor, node.line or 0, order, sys.intern(title))


def _enclosing(node: nodes.Node, kind: type | tuple[type, ...]) -> nodes.Element | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, kind):
        parent = parent.parent
    return parent


def _in_copy(node: nodes.Element) -> bool:
    return bool(node.get("almanach_copy"))


def _body(node: nodes.Element) -> list[nodes.Node]:
    """A copy of a block's content, without its meta lines and without ids, so
    that it can be shown again on a gathered page."""
    body = []
    for child in node.children:
        if isinstance(child, nodes.Element) and META_CLASSES & set(child.get("classes", [])):
            continue
        copy = child.deepcopy()
        for element in copy.findall():
            # Sphinx's deepcopy points every copied node at the letter's document:
            # kept, it would keep the whole letter alive in the environment.
            element.document = None
            if not isinstance(element, nodes.Element):
                continue
            element["ids"] = []
            if isinstance(element, addnodes.pending_xref):
                element["almanach_copy"] = True
        body.append(copy)
    return body


def _quote_territory(registry: Registry, node: quotation) -> str:
    update = _enclosing(node, territory_update)
    if update is not None and update["territory"]:
        return update["territory"]
    person = registry.people.get(node["speaker"])
    return person.get("territory", "") if person is not None else ""


def _resource(node: resource_link, place: records.Place) -> records.ResourceLink:
    return records.ResourceLink(
        place,
        node["id"],
        node["title"],
        node["url"],
        node["pending"],
        node["kind"],
        node["publisher"],
        node["bibkey"],
        _description(node),
    )


def _description(node: resource_link) -> str:
    """The text of the description (the content beside the card's line)."""
    return " ".join(
        child.astext()
        for child in node.children
        if isinstance(child, nodes.Element) and CARD_LINE not in child.get("classes", ())
    )
