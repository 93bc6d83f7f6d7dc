"""``territory-update``: one territory's news in a letter.

::

    :::{territory-update} lomme
    :speakers: guillaume-demeyer
    :question: Quels projets impulsent les transitions sur votre territoire ?

    Le gros projet de l'année 2021…
    :::

The question is shown once for a run of updates that answer the same one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform

from ..nodes import territory_update
from ..roles import mention
from .base import AlmanachDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class TerritoryUpdate(AlmanachDirective):
    def run(self) -> list[nodes.Node]:
        checked = self.checked()
        territory_id = checked.argument
        territory = self.domain.registry.territories.get(territory_id)
        written = self.written_argument
        speakers = checked.values.get("speakers", [])
        question = checked.values.get("question", "")
        node = territory_update(
            territory=territory_id,
            speakers=speakers,
            question=question,
        )
        self.set_source_info(node)
        node["ids"] = [f"nouvelle-{written or 'territoire'}-{self.env.new_serialno('nouvelle')}"]
        if question:
            paragraph = nodes.paragraph(classes=["almanach-question"])
            paragraph += self.inline(question, "question")
            node += paragraph
        if territory is not None:
            label = nodes.paragraph(classes=["almanach-update-territory"])
            label += nodes.inline(_("Territoire : "), _("Territoire : "))
            label += mention("territory", territory_id, territory.label, self.env.docname, False)
            node += label
        self.body(node)
        return [node]


class SharedQuestion(SphinxTransform):
    """Show a question once for a run of updates that answer it: drop it from
    an update whose previous sibling is an update with the same question."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(territory_update):
            previous = node.previous_sibling()
            if (
                isinstance(previous, territory_update)
                and node["question"]
                and previous["question"] == node["question"]
            ):
                for child in list(node.children):
                    if "almanach-question" in child.get("classes", []):
                        node.remove(child)


def setup_territory_update(app: Sphinx) -> None:
    app.add_directive("territory-update", TerritoryUpdate)
    app.add_transform(SharedQuestion)
