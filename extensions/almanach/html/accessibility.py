"""Accessible names for links whose text says nothing on its own.

The letters have many links reduced to « ici » or « là ». A screen-reader user
who lists the links of a page hears only « ici ». Such a link to a resource is
a :class:`labelled_reference`: in HTML it carries an ``aria-label`` made of
its text and the resource's title; elsewhere it is an ordinary reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..reading.nodes import add_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Link texts that need the resource's title to make sense out of context.
VAGUE_LINK_TEXTS = {"ici", "là", "par là", "par ici", "ce lien", "lien", "cet article"}


class labelled_reference(nodes.reference):
    """A reference with an accessible name (attribute ``aria_label``)."""


def is_vague(text: str) -> bool:
    return " ".join(text.split()).casefold().strip(" .:;,!?") in VAGUE_LINK_TEXTS


def accessible(reference: nodes.reference, title: str) -> nodes.reference:
    """The same link, with an accessible name when its text is vague."""
    text = reference.astext()
    if not is_vague(text):
        return reference
    labelled = labelled_reference(
        reference.rawsource, "", *reference.children, **reference.attributes
    )
    labelled["aria_label"] = f"{text.strip()} : {title}"
    return labelled


def visit_labelled_html(self, node: labelled_reference) -> None:
    starttag = self.starttag

    def with_label(element, tagname, suffix="\n", empty=False, **attributes):
        if element is node:
            attributes["aria-label"] = node["aria_label"]
        return starttag(element, tagname, suffix, empty, **attributes)

    self.starttag = with_label
    try:
        self.visit_reference(node)
    finally:
        del self.starttag


def visit_plain(self, node: labelled_reference) -> None:
    self.visit_reference(node)


def depart_plain(self, node: labelled_reference) -> None:
    self.depart_reference(node)


def setup_accessibility(app: Sphinx) -> None:
    add_node(
        app,
        labelled_reference,
        html=(visit_labelled_html, depart_plain),
        latex=(visit_plain, depart_plain),
        text=(visit_plain, depart_plain),
    )
