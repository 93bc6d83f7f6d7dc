"""The nodes almanach leaves in doctrees, and their HTML, LaTeX and text visitors.

Each node is a neutral container carrying data for the domain; its content is
made of standard docutils nodes, so each builder renders it with its own
translator (and escapes text itself). The wrappers add a class and an anchor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

    #: A node's (visit, depart) functions for one builder family.
    Visitors = tuple[Callable[..., None], Callable[..., None] | None]


class almanach_container(nodes.General, nodes.Element):
    """Base: a block that wraps standard content (never rendered as-is)."""

    css_class = "almanach"


class territory_update(almanach_container):
    """One territory's news in a letter. Attributes: territory, speakers, question."""

    css_class = "almanach-update"


class quotation(almanach_container):
    """A quotation with its attribution. Attributes: speaker, source, context."""

    css_class = "almanach-quote"


class resource_link(almanach_container):
    """A resource declared in a letter. Attributes: the ResourceLink fields."""

    css_class = "almanach-resource"


class gathered(nodes.General, nodes.Element):
    """A placeholder for a view gathered from every letter, replaced before
    writing by :class:`almanach.gathered.views.FillGatheredViews`.
    Attributes: view, target, docname."""


class page_reference(nodes.Inline, nodes.Element):
    """« (p. 42) »: the page where a place of a letter is printed, in the PDF
    only — on screen the link beside it leads there. Attributes: docname, anchor."""


def latex_label(translator: Any, docname: str, anchor: str) -> str:
    r"""The LaTeX label Sphinx gives an anchor of a document, for ``\pageref``."""
    return f"{docname}:{translator.idescape(anchor)}"


def visit_page_reference_latex(self, node: page_reference) -> None:
    label = latex_label(self, node["docname"], node["anchor"])
    self.body.append(rf"\almanachpageref{{{label}}}")
    raise nodes.SkipNode


def skip_node(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def visit_container_html(self, node: almanach_container) -> None:
    self.body.append(self.starttag(node, "div", CLASS=node.css_class))


def depart_container_html(self, node: almanach_container) -> None:
    self.body.append("</div>\n")


def visit_container_latex(self, node: almanach_container) -> None:
    self.body.append("\n" + self.hypertarget_to(node) + "\n")


def depart_container_latex(self, node: almanach_container) -> None:
    self.body.append("\n")


def visit_container_text(self, node: almanach_container) -> None:
    pass


def depart_container_text(self, node: almanach_container) -> None:
    pass


#: A placeholder left unreplaced renders as nothing rather than aborting the
#: build; the gathering transform always replaces it.
visit_unresolved = skip_node


def add_node(
    app: Sphinx,
    node_class: type[nodes.Element],
    *,
    html: Visitors,
    latex: Visitors,
    text: Visitors,
    other: Visitors | None = None,
) -> None:
    """Register ``node_class`` with a visitor for every builder family: HTML,
    LaTeX and text, and ``other`` for man and texinfo (the text visitors when
    not given)."""
    other = other or text
    app.add_node(node_class, html=html, latex=latex, text=text, man=other, texinfo=other)


CONTAINER_VISITORS = {
    "html": (visit_container_html, depart_container_html),
    "latex": (visit_container_latex, depart_container_latex),
    "text": (visit_container_text, depart_container_text),
    "man": (visit_container_text, depart_container_text),
    "texinfo": (visit_container_text, depart_container_text),
}


def setup_nodes(app: Sphinx) -> None:
    """Register the nodes with a visitor for every builder family."""
    for node_class in (territory_update, quotation, resource_link):
        app.add_node(node_class, **CONTAINER_VISITORS)
    app.add_node(
        gathered,
        **{fmt: (visit_unresolved, None) for fmt in ("html", "latex", "text", "man", "texinfo")},
    )
    app.add_node(
        page_reference,
        latex=(visit_page_reference_latex, None),
        **{fmt: (skip_node, None) for fmt in ("html", "text", "man", "texinfo")},
    )
