"""``quote``: a quotation with its attribution.

::

    :::{quote}
    :speaker: jacques-fradin
    “Ce n’est pas l’individu qui résiste, c’est un écosystème.”
    :::

The attribution is a person (``:speaker:``) or a source (``:source:``, a
resource id or a bibliography key), with an optional ``:context:``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ...rules.ids import SOURCE_HINT
from ..nodes import quotation
from ..roles import mention
from .base import AlmanachDirective, known

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class Quote(AlmanachDirective):
    def run(self) -> list[nodes.Node]:
        checked = self.checked()
        speaker_id = checked.values.get("speaker", "")
        source = checked.values.get("source", "")
        context = checked.values.get("context", "")
        speaker = self.domain.registry.people.get(speaker_id)
        node = quotation(speaker=speaker_id, source=source, context=context)
        self.set_source_info(node)
        node["ids"] = [f"citation-{self.env.new_serialno('citation')}"]
        quote = nodes.block_quote(classes=["almanach-quote"])
        self.body(quote)
        attribution = nodes.attribution()
        parts: list[nodes.Node] = []
        if speaker is not None:
            parts.append(mention("person", speaker_id, speaker.label, self.env.docname, False))
        if source:
            parts.extend(self.source_nodes(source))
        if context:  # one part, whatever markup it holds
            written = self.inline(context, "context")
            parts.append(written[0] if len(written) == 1 else nodes.inline("", "", *written))
        for index, part in enumerate(parts):
            if index:
                attribution += nodes.Text(", ")
            attribution += part
        if parts:
            quote += attribution
        if not quote.children:  # empty (said): docutils cannot keep an empty quotation
            quote += nodes.paragraph()
        node += quote
        return [node]

    def source_nodes(self, source: str) -> list[nodes.Node]:
        """A bibliography key becomes a real citation; anything else a resource mention."""
        if source in known(self.env).bib_keys:
            return self.inline(f"{{cite:p}}`{source}`")
        reference = mention("resource", source, source, self.env.docname, False)
        reference["almanach_origin"] = "quote (:source:)"
        reference["almanach_hint"] = SOURCE_HINT
        return [reference]


#: What follows the dash of an attribution: a no-break space, as French sets
#: « — Jacques Fradin » (docutils and Sphinx write « —Jacques Fradin »).
DASH_SPACE = "\u00a0"


def visit_attribution_html(self, node: nodes.attribution) -> None:
    """docutils' attribution, its dash followed by a no-break space."""
    prefix, suffix = self.attribution_formats[self.settings.attribution]
    if prefix == "\u2014":
        prefix += DASH_SPACE
    self.context.append(suffix)
    self.body.append(self.starttag(node, "p", prefix, CLASS="attribution"))


def depart_attribution_html(self, node: nodes.attribution) -> None:
    self.body.append(self.context.pop() + "</p>\n")


def visit_attribution_latex(self, node: nodes.attribution) -> None:
    """Sphinx's attribution, its dash followed by a no-break space (``~``)."""
    self.body.append("\n\\begin{flushright}\n---~")


def depart_attribution_latex(self, node: nodes.attribution) -> None:
    self.body.append("\n\\end{flushright}\n")


def setup_quote(app: Sphinx) -> None:
    app.add_directive("quote", Quote)
    # Every attribution, a letter's or a gathered page's (the text builder
    # writes « -- » and a space already).
    app.add_node(
        nodes.attribution,
        override=True,
        html=(visit_attribution_html, depart_attribution_html),
        latex=(visit_attribution_latex, depart_attribution_latex),
    )
