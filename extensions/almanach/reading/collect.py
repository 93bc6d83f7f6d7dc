"""Collecting a read document into the domain's records (``process_doc``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..config import almanach_config
from ..model import records
from ..model.letters import read_front_matter
from ..rules.consistency import LetterFacts, check_letter
from ..rules.directives import duplicate_resource
from ..warnings_ import AlmanachWarning, warn
from .nodes import almanach_container, quotation, resource_link, territory_update
from .review import PUBLISHED, add_banner

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from ..domain.domain import AlmanachDomain

META_CLASSES = {"almanach-question", "almanach-update-territory"}


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


def collect_document(
    domain: AlmanachDomain, env: BuildEnvironment, docname: str, document: nodes.document
) -> None:
    """Record the letter, its updates, quotations, resources, mentions and rubriques."""
    data = domain.data
    if is_letter(env, docname):
        letter, problems = read_front_matter(docname, env.metadata.get(docname, {}))
        # left by the letter parser for this step only: not part of the doctree
        lines = document.attributes.pop("almanach_front_lines", {})
        if not document.attributes.pop("almanach_no_front_matter", False):  # already reported
            for field, problem in problems:
                warn(AlmanachWarning.LETTER, problem, (docname, lines.get(field, 1)))
        if letter is not None:
            letter.line = lines.get("number", 1)
            letter.summary = _summary(env.metadata.get(docname, {}), document)
            data["letters"][docname] = letter
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
            if letter.status != PUBLISHED:
                add_banner(document, letter.status)

    updates, quotes, resources, mentions, rubriques = [], [], [], [], []
    declared: dict[str, records.ResourceLink] = {}
    wanted = (territory_update, quotation, resource_link, addnodes.pending_xref, nodes.section)
    for order, node in enumerate(document.findall(lambda n: isinstance(n, wanted))):
        if isinstance(node, nodes.section):
            if node.get("almanach_rubrique"):
                place = _place(docname, node, order)
                rubriques.append(
                    records.RubriqueSection(place, node["almanach_rubrique"], node[0].astext())
                )
            continue
        if _in_copy(node):
            continue
        place = _place(docname, node, order)
        if isinstance(node, territory_update):
            if node["territory"]:
                updates.append(
                    records.TerritoryUpdate(
                        place,
                        node["territory"],
                        tuple(node["speakers"]),
                        node["question"],
                        _body(node),
                    )
                )
        elif isinstance(node, quotation):
            quotes.append(
                records.Quotation(
                    place,
                    node["speaker"],
                    node["source"],
                    node["context"],
                    _quote_territory(domain, node),
                    _body(node[0]),
                )
            )
        elif isinstance(node, resource_link):
            if node["id"] in declared:
                first = declared[node["id"]]
                warn(
                    AlmanachWarning.DUPLICATE_ID,
                    duplicate_resource(node["id"], "", first.place.line, same_file=True),
                    node,
                )
            elif node["id"]:
                declared[node["id"]] = _resource(domain, docname, node, place)
                resources.append(declared[node["id"]])
        elif node.get("refdomain") == "almanach" and not node.get("almanach_auto"):
            mentions.append(records.Mention(place, node["reftype"], node["reftarget"]))

    for key, found in (
        ("updates", updates),
        ("quotes", quotes),
        ("resources", resources),
        ("mentions", mentions),
        ("rubriques", rubriques),
    ):
        if found:
            data[key][docname] = found
        else:
            data[key].pop(docname, None)


def _summary(metadata: dict, document: nodes.document, limit: int = 300) -> str:
    """The letter's summary: its front matter's, else its first paragraphs, cut
    at a word boundary."""
    given = str(metadata.get("summary", "")).strip()
    if given:
        return given
    text = ""
    for paragraph in document.findall(nodes.paragraph):
        if _enclosing(paragraph, (nodes.docinfo, nodes.field_list)) is not None:
            continue  # the front matter, as MyST shows it
        text = f"{text} {paragraph.astext()}".strip()
        if len(text) >= limit:
            break
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


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
    return records.Place(docname, anchor, node.line or 0, order, title)


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


def _quote_territory(domain: AlmanachDomain, node: quotation) -> str:
    update = _enclosing(node, territory_update)
    if update is not None and update["territory"]:
        return update["territory"]
    person = domain.registry.people.get(node["speaker"])
    return person.get("territory", "") if person is not None else ""


def _resource(
    domain: AlmanachDomain, docname: str, node: resource_link, place: records.Place
) -> records.ResourceLink:
    record = records.ResourceLink(
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
    return record


def _description(node: resource_link) -> str:
    """The text of the description (the content after the card line)."""
    return " ".join(
        child.astext() for child in node.children[1:] if isinstance(child, nodes.Element)
    )
