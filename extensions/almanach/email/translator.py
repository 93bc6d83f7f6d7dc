"""The HTML of a letter's email edition: Sphinx's HTML translator, made email-safe.

The letter's body is written by the site's own translator — French typography,
attributions, mentions — with what a mail client needs instead of what a page
needs:

- every address is absolute (the builder's addresses are; a link to an anchor of
  the letter itself leads to that anchor on the published page);
- a mention of a resource whose address is unknown is text with « (lien à venir) »,
  never a link (in the email it would lead nowhere useful);
- territory updates, quotations and resources are one-cell tables (the blocks
  that hold in every client, Outlook's Word engine included), styled by the
  classes of ``static/lettre.css``, which the builder inlines;
- no permalinks, no ``<section>`` (an HTML5 element some clients drop), no ids;
- each block says the line of the letter it comes from (``data-almanach-line``),
  so that the support lint locates what it finds in the letter; the builder
  removes those attributes before writing the message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from ..config import almanach_config
from ..reading.directives.pdf_download import label as pdf_label
from ..reading.nodes import quotation, resource_link, territory_update

if TYPE_CHECKING:
    from .builder import EmailBuilder

#: The attribute that carries a block's line in the letter, until the lint ran.
LINE_ATTRIBUTE = "data-almanach-line"
LINE_ATTRIBUTES = re.compile(rf' {LINE_ATTRIBUTE}="\d+"')

LEADING_SPACES = re.compile(r"^ +")

#: HTML5 elements that Outlook on Windows and Yahoo drop (footnotes are
#: ``<aside>``), written as what every main client shows.
DROPPED_ELEMENTS = re.compile(r"<(/?)aside\b")


def email_fragment(body: str, page: str) -> str:
    """The body written by :class:`EmailTranslator`, made whole for email: no
    ``<aside>``, and the links to a place of the letter (footnotes and their
    back links) lead to that place on its published page."""
    body = DROPPED_ELEMENTS.sub(r"<\1div", body)
    return body.replace('href="#', f'href="{page}#')


#: Tags that start a block: they carry the line of the letter they come from.
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "img", "blockquote"})

#: The nodes this translator renders itself (the site's visitors, which Sphinx
#: sets on each translator, are taken off for these).
OWN_NODES = ("territory_update", "quotation", "resource_link", "pdf_download")

#: The one-cell table of a block: (class of the table, class of its cell).
BLOCKS = {
    territory_update: ("almanach-update", "almanach-update-cell"),
    quotation: ("almanach-quote", "almanach-quote-cell"),
    resource_link: ("almanach-resource", "almanach-resource-cell"),
}


def block_table(table_class: str, cell_class: str, line: int | None) -> str:
    """The opening of a one-cell presentation table."""
    located = f' {LINE_ATTRIBUTE}="{line}"' if line else ""
    return (
        f'<table role="presentation" class="{table_class}" width="100%" border="0" '
        f'cellpadding="0" cellspacing="0"><tr><td class="{cell_class}"{located}>\n'
    )


BLOCK_END = "</td></tr></table>\n"


class EmailTranslator(HTML5Translator):
    """Sphinx's HTML5 translator for the body of one letter's email."""

    builder: EmailBuilder

    def __init__(self, document: nodes.document, builder: EmailBuilder) -> None:
        super().__init__(document, builder)
        #: How deep we are inside a mention of a resource without an address.
        self._pending_depth = 0
        #: Whether the current reference was written as text only.
        self._references: list[bool] = []

    # -- every block says its line in the letter ------------------------------

    def starttag(
        self,
        node: nodes.Element,
        tagname: str,
        suffix: str = "\n",
        empty: bool = False,
        **attributes: Any,
    ) -> str:
        tag = super().starttag(node, tagname, suffix, empty, **attributes)
        line = getattr(node, "line", None)
        if tagname.lower() in BLOCK_TAGS and line and LINE_ATTRIBUTE not in tag:
            end = tag.rindex("/>") if empty and tag.rstrip().endswith("/>") else tag.rindex(">")
            tag = f'{tag[:end].rstrip()} {LINE_ATTRIBUTE}="{line}"{tag[end:]}'
        return tag

    # -- no page furniture ------------------------------------------------------

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        pass

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1

    def visit_target(self, node: nodes.Element) -> None:
        raise nodes.SkipNode

    # -- blocks as one-cell tables ---------------------------------------------

    def _open_block(self, node: nodes.Element) -> None:
        table_class, cell_class = BLOCKS[type(node)]
        self.body.append(block_table(table_class, cell_class, node.line))

    def _close_block(self, node: nodes.Element) -> None:
        self.body.append(BLOCK_END)

    visit_territory_update = _open_block
    depart_territory_update = _close_block
    visit_quotation = _open_block
    depart_quotation = _close_block
    visit_resource_link = _open_block
    depart_resource_link = _close_block

    def visit_block_quote(self, node: nodes.Element) -> None:
        self.body.append(self.starttag(node, "blockquote", CLASS="almanach-quote-text"))

    def depart_block_quote(self, node: nodes.Element) -> None:
        self.body.append("</blockquote>\n")

    # HTML5 elements that Outlook on Windows and Yahoo drop: a figure is a block
    # table, its caption a paragraph; an abbreviation a span with its title.

    def visit_figure(self, node: nodes.Element) -> None:
        self.body.append(block_table("almanach-figure", "almanach-figure-cell", node.line))

    def depart_figure(self, node: nodes.Element) -> None:
        self.body.append(BLOCK_END)

    def visit_caption(self, node: nodes.Element) -> None:
        if isinstance(node.parent, nodes.figure):
            self.body.append(self.starttag(node, "p", "", CLASS="caption"))
        else:
            super().visit_caption(node)

    def depart_caption(self, node: nodes.Element) -> None:
        if isinstance(node.parent, nodes.figure):
            self.body.append("</p>\n")
        else:
            super().depart_caption(node)

    def visit_literal_block(self, node: nodes.Element) -> None:
        # A block of code as lines: <pre> does not wrap (a phone would scroll)
        # and what makes it wrap is lost by Outlook. Its indentation is kept.
        lines = [
            LEADING_SPACES.sub(lambda match: "\u00a0" * len(match.group()), self.encode(line))
            for line in node.astext().split("\n")
        ]
        self.body.append(self.starttag(node, "p", "", CLASS="almanach-code-block"))
        self.body.append("<br>\n".join(lines) + "</p>\n")
        raise nodes.SkipNode

    def visit_literal(self, node: nodes.Element) -> None:
        # Orange's webmail drops <code>: a span in the code's font.
        self.body.append(self.starttag(node, "span", "", CLASS="almanach-code"))
        self.protect_literal_text += 1

    def depart_literal(self, node: nodes.Element) -> None:
        self.protect_literal_text -= 1
        self.body.append("</span>")

    def visit_abbreviation(self, node: nodes.Element) -> None:
        attributes = {"title": node["explanation"]} if node.get("explanation") else {}
        self.body.append(self.starttag(node, "span", "", **attributes))

    def depart_abbreviation(self, node: nodes.Element) -> None:
        self.body.append("</span>")

    def visit_pdf_download(self, node: nodes.Element) -> None:
        self.body.append(
            f'<p class="almanach-pdf-download"><a class="reference external" '
            f'href="{self.attval(self.builder.pdf_url)}">{self.encode(pdf_label())}</a></p>\n'
        )
        raise nodes.SkipNode

    # -- links -------------------------------------------------------------------

    def visit_inline(self, node: nodes.Element) -> None:
        if "almanach-pending" in node.get("classes", ()):
            self._pending_depth += 1
        super().visit_inline(node)

    def depart_inline(self, node: nodes.Element) -> None:
        super().depart_inline(node)
        if "almanach-pending" in node.get("classes", ()):
            self._pending_depth -= 1

    def visit_reference(self, node: nodes.Element) -> None:
        if self._pending_depth:
            # « lien à venir »: the title as text, never a link.
            self._references.append(False)
            return
        self._references.append(True)
        written = {key: node[key] for key in ("refuri", "refid") if key in node}
        node["refuri"] = self.builder.absolute_address(
            self.builder.current_docname, node.get("refuri", ""), node.get("refid", "")
        )
        node.attributes.pop("refid", None)
        try:
            super().visit_reference(node)
        finally:  # the doctree as it was: the text part reads it next
            node.attributes.pop("refuri", None)
            node.attributes.update(written)

    def depart_reference(self, node: nodes.Element) -> None:
        if self._references.pop():
            super().depart_reference(node)


def absolute_address(base_page: str, refuri: str, refid: str) -> str:
    """The absolute address of a link written on the page ``base_page``: an anchor
    of the page, a relative address, or an address that is already absolute."""
    if refid:
        return f"{base_page}#{refid}"
    if not refuri or refuri.startswith("#"):
        return base_page + refuri
    if urlsplit(refuri).scheme:
        return refuri
    return urljoin(base_page, refuri)


def pdf_address(base: str, config: Any) -> str:
    """The address of the PDF compendium on the published site."""
    return urljoin(base, almanach_config(config).pdf_filename)
