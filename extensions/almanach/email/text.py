"""The plain-text part of a letter's email: Sphinx's text translator, for a reader.

- Links become numbered references, « Jacques Fradin [3] », listed at the end
  (« [3] https://… »); an address written out as the link's text gets no number;
  one address, one number.
- A quotation is marked: each of its lines starts with « │ », its attribution
  with « — » (and a no-break space), as on the site.
- A mention of a resource whose address is unknown keeps « (lien à venir) » and
  gets no number.
- French spacing as on the site (the HTML's typography, the same function).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MethodType
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.writers.text import MAXWIDTH, TextTranslator, my_wrap

from .. import _compat
from ..html.typography import TypographyMixin
from ..reading.nodes import quotation

if TYPE_CHECKING:
    from .builder import EmailBuilder

#: The mark at the start of each line of a quotation.
QUOTE_MARK = "│ "


@dataclass
class Links:
    """The numbered addresses of a text, in order of first appearance."""

    addresses: list[str] = field(default_factory=list)

    def number(self, address: str) -> int:
        if address not in self.addresses:
            self.addresses.append(address)
        return self.addresses.index(address) + 1

    def listing(self) -> list[str]:
        return [f"[{number}] {address}" for number, address in enumerate(self.addresses, 1)]


class EmailTextTranslator(TypographyMixin, TextTranslator):
    """The text of one letter, links numbered (see the module)."""

    builder: EmailBuilder

    def __init__(self, document: nodes.document, builder: EmailBuilder, links: Links) -> None:
        super().__init__(document, builder)
        self.links = links
        self._pending_depth = 0
        self._addresses: list[str | None] = []

    # The typography mixin's field names are HTML; text keeps Sphinx's.
    depart_field_name = TextTranslator.depart_field_name

    def visit_inline(self, node: nodes.Element) -> None:
        if "almanach-pending" in node.get("classes", ()):
            self._pending_depth += 1
        # A mention is its name and its number, without Sphinx's « *…* ».
        if "xref" not in node.get("classes", ()):
            super().visit_inline(node)

    def depart_inline(self, node: nodes.Element) -> None:
        if "xref" not in node.get("classes", ()):
            super().depart_inline(node)
        if "almanach-pending" in node.get("classes", ()):
            self._pending_depth -= 1

    def visit_Text(self, node: nodes.Text) -> None:
        parent = node.parent
        if (
            isinstance(parent, nodes.inline)
            and "almanach-pending-mark" in parent["classes"]
            and not str(node).startswith("(")
        ):
            # The card's badge, « lien à venir », reads as a remark in text.
            node = nodes.Text(f"({node})")
        super().visit_Text(node)

    def visit_reference(self, node: nodes.Element) -> None:
        super().visit_reference(node)
        address = None
        if not self._pending_depth:
            address = self.builder.absolute_address(
                self.builder.current_docname, node.get("refuri", ""), node.get("refid", "")
            )
            if (
                node.astext().strip() == address.removeprefix("mailto:")
                and ":" not in node.astext()
            ):
                address = None  # an e-mail address written out is its own link
        self._addresses.append(address)

    def depart_reference(self, node: nodes.Element) -> None:
        super().depart_reference(node)
        address = self._addresses.pop()
        if address:
            self.add_text(f"\u00a0[{self.links.number(address)}]")

    # Footnotes are « (note 1) » and « Note 1 : … »: « [1] » is a link's number.

    def visit_footnote_reference(self, node: nodes.Element) -> None:
        self.add_text(f"\u00a0(note\u00a0{node.astext()})")
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.Element) -> None:
        self._footnote = node[0].astext().strip()
        self.new_state(len(self.footnote_label()))

    def depart_footnote(self, node: nodes.Element) -> None:
        self.end_state(first=self.footnote_label())

    def footnote_label(self) -> str:
        return f"Note\u00a0{self._footnote}\u00a0: "

    def depart_table(self, node: nodes.Element) -> None:
        # docutils gives a list-table's columns in percent, which Sphinx reads
        # as characters: the table, scaled to the text's width.
        widths = self.table.colwidth
        room = MAXWIDTH - sum(self.stateindent) - 3 * len(widths) - 1
        if widths and sum(widths) > room:
            self.table.colwidth = [max(4, width * room // sum(widths)) for width in widths]
        super().depart_table(node)

    def visit_image(self, node: nodes.Element) -> None:
        alt = node.get("alt", "").strip()
        self.add_text(f"[Image\u00a0: {alt}]" if alt else "[Image]")
        raise nodes.SkipNode

    def visit_title(self, node: nodes.Element) -> None:
        if isinstance(node.parent, nodes.Admonition):
            # Its title is its label (« Note : »), said once.
            self.add_text(f"{node.astext()}\u00a0: ")
            raise nodes.SkipNode
        super().visit_title(node)

    def _depart_titled_admonition(self, node: nodes.Element) -> None:
        self.end_state()

    depart_note = depart_tip = depart_warning = depart_important = _depart_titled_admonition
    depart_hint = depart_caution = depart_attention = _depart_titled_admonition
    depart_danger = depart_error = depart_admonition = _depart_titled_admonition

    def visit_attribution(self, node: nodes.Element) -> None:
        self.add_text("—\u00a0")

    def visit_quotation(self, node: nodes.Element) -> None:
        self.new_state(0)

    def depart_quotation(self, node: nodes.Element) -> None:
        self.mark_quoted()

    def visit_block_quote(self, node: nodes.Element) -> None:
        self.new_state(0)

    def depart_block_quote(self, node: nodes.Element) -> None:
        if isinstance(node.parent, quotation):
            self.end_state()  # the quotation marks its lines
        else:
            self.mark_quoted()

    def mark_quoted(self) -> None:
        """End the current state with each of its lines marked « │ »."""
        content = self.states.pop()
        self.stateindent.pop()
        width = MAXWIDTH - sum(self.stateindent) - len(QUOTE_MARK)
        lines: list[str] = []
        for indent, item in content:
            written = my_wrap(item, width=width) if indent == -1 else item  # type: ignore[arg-type]
            shift = " " * max(indent, 0)
            lines.extend(
                QUOTE_MARK + shift + line if line else QUOTE_MARK.rstrip() for line in written
            )
        while lines and lines[-1] == QUOTE_MARK.rstrip():
            lines.pop()
        self.states[-1].append((0, [*lines, ""]))


def text_translator(document: nodes.document, builder: EmailBuilder, links: Links) -> Any:
    """The text translator of ``document``, with the text visitors that
    extensions registered for their nodes (this module's own kept)."""
    translator = EmailTextTranslator(document, builder, links)
    handlers = _compat.translation_handlers(builder, "text")
    for name, (visit, depart) in handlers.items():
        if hasattr(EmailTextTranslator, f"visit_{name}"):
            continue
        setattr(translator, f"visit_{name}", MethodType(visit, translator))
        if depart:
            setattr(translator, f"depart_{name}", MethodType(depart, translator))
    return translator


def render_text(document: nodes.document, builder: EmailBuilder) -> tuple[str, Links]:
    """The letter's text, and the addresses its references number."""
    links = Links()
    translator = text_translator(document, builder, links)
    document.walkabout(translator)
    return translator.body.strip("\n") + "\n", links
