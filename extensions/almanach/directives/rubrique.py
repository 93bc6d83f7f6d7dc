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
    known_options = ("subtitle",)

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        rubrique_id = self.argument("identifiant de la rubrique", "en-theorie")
        rubrique = self.lookup("rubriques", rubrique_id, "argument")
        heading = rubrique.label if rubrique else rubrique_id or self.name
        subtitle = options.get("subtitle", "")
        if subtitle:
            heading = f"{heading} : {subtitle}"
        section = nodes.section(almanach_rubrique=rubrique_id if rubrique else "")
        self.set_source_info(section)
        section["ids"] = [nodes.make_id(f"rubrique-{rubrique_id or 'sans-nom'}")]
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
