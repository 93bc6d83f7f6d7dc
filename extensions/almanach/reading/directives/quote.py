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


def setup_quote(app: Sphinx) -> None:
    app.add_directive("quote", Quote)
