"""What a letter may not do: pass raw HTML through to the site.

MyST lets inline and block HTML through as ``raw`` nodes. In a letter, they
are turned back into the text they were written as (so a ``<script>`` is shown,
escaped, never run) and each is reported once, located.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .collect import is_letter
from .warnings_ import AlmanachWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class RawHtmlToText(SphinxTransform):
    """Replace raw HTML in letters with its text, and warn."""

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        if not is_letter(self.env, self.env.docname):
            return
        for raw in list(self.document.findall(nodes.raw)):
            text = raw.astext()
            warn(
                AlmanachWarning.RAW_HTML,
                f"HTML brut refusé dans une lettre : « {_excerpt(text)} » ; il est affiché "
                "comme du texte. Écrivez en MyST (gras : **mot**, lien : [texte](adresse))",
                raw,
            )
            if isinstance(raw.parent, nodes.TextElement):
                raw.replace_self(nodes.Text(text))
            else:
                raw.replace_self(nodes.paragraph(text, text))


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def setup_safety(app: Sphinx) -> None:
    app.add_transform(RawHtmlToText)
