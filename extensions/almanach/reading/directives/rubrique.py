"""``rubrique``: a section of a letter typed by a rubrique of the registry.

::

    ::::{rubrique} en-theorie
    …content…
    ::::

The heading (emoji and title) and the description line come from
``docs/registres/rubriques.yaml``; ``:subtitle:`` adds a title of the day
(« 🗣️ Édito : Coopérer pour changer »).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from .base import AlmanachDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class Rubrique(AlmanachDirective):
    def run(self) -> list[nodes.Node]:
        checked = self.checked()
        rubrique_id = checked.argument
        rubrique = self.domain.registry.rubriques.get(rubrique_id)
        written = self.written_argument
        heading = rubrique.label if rubrique else written or self.name
        subtitle = checked.values.get("subtitle", "")
        if subtitle:
            heading = f"{heading} : {subtitle}"
        section = nodes.section(almanach_rubrique=rubrique_id)
        self.set_source_info(section)
        section["ids"] = [nodes.make_id(f"rubrique-{written or 'sans-nom'}")]
        section["names"] = [nodes.fully_normalize_name(heading)]
        title = nodes.title(heading, heading)
        self.set_source_info(title)
        section += title
        if rubrique is not None and rubrique.get("description"):
            text = rubrique.get("description")
            section += nodes.paragraph(text, text, classes=["almanach-rubrique-description"])
        self.body(section)
        return [section]


def setup_rubrique(app: Sphinx) -> None:
    app.add_directive("rubrique", Rubrique)
