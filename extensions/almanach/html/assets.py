"""The stylesheet of the structured content, for HTML builders only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"


def add_assets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("almanach.css")


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
