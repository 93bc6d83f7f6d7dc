"""The ``pdf-download`` directive: a link from the site to the PDF compendium.

Web-only by nature: the PDF is the compendium itself, so the node prints
nothing in LaTeX; the text builder names the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.locale import _
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ...config import almanach_config
from ..nodes import add_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.text import TextTranslator


class pdf_download(nodes.General, nodes.Element):
    """A link to the PDF compendium shipped with the site."""


class PdfDownload(SphinxDirective):
    """``pdf-download``: no argument, no content."""

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        node = pdf_download(docname=self.env.docname)
        self.set_source_info(node)
        return [node]


def label() -> str:
    return _("Télécharger le compendium (PDF)")


def visit_pdf_download_html(self: HTML5Translator, node: pdf_download) -> None:
    filename = almanach_config(self.builder.config).pdf_filename
    href = relative_uri(self.builder.get_target_uri(node["docname"]), filename)
    self.body.append(
        f'<p class="almanach-pdf-download"><a class="reference external" '
        f'href="{self.attval(href)}" type="application/pdf" download>'
        f"{self.encode(label())}</a></p>"
    )
    raise nodes.SkipNode


def visit_pdf_download_text(self: TextTranslator, node: pdf_download) -> None:
    filename = almanach_config(self.builder.config).pdf_filename
    self.new_state(0)
    self.add_text(f"{label()} : {filename}")
    self.end_state()
    raise nodes.SkipNode


def skip(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_download(app: Sphinx) -> None:
    """Register the ``pdf-download`` directive and its node."""
    add_node(
        app,
        pdf_download,
        html=(visit_pdf_download_html, None),
        latex=(skip, None),
        text=(visit_pdf_download_text, None),
        other=(skip, None),
    )
    app.add_directive("pdf-download", PdfDownload)
