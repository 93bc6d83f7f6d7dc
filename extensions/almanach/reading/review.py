"""Review states, after Plone's simple publication workflow.

A letter's front matter says ``status: draft | review | published``. The
default build (the published site and PDF) holds only published letters: the
others are excluded before reading, so neither the site nor the gathered pages
see them. A preview build (``almanach_preview = True``, ``make preview``)
holds every letter, and a draft or a letter under review carries a visible
banner in HTML, LaTeX and text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform

from ..config import almanach_config
from ..model.letters import read_front_matter
from ..rules.front_matter import read_letter_front_matter
from ..rules.limits import MAX_LETTER_BYTES, unsafe_file
from .collect import is_letter
from .nodes import add_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PUBLISHED = "published"


class review_banner(nodes.General, nodes.Element):
    """The banner of a letter that is not published. Attribute: status."""


def banner_label(status: str) -> tuple[str, str]:
    """(title, explanation) shown on a letter in the given state."""
    if status == "review":
        return _("En relecture"), _(
            "cette lettre est en cours de relecture, elle n’est pas publiée."
        )
    return _("Brouillon"), _("cette lettre est un brouillon, elle n’est pas publiée.")


def read_status(path: Path) -> str:
    """The ``status`` of a letter's front matter, or '' when it cannot be read
    (a letter that must not be read, see almanach.reading.parser, included) or
    its front matter has a problem."""
    if unsafe_file(path, MAX_LETTER_BYTES):
        return ""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    front = read_letter_front_matter(text)
    if front.problems:  # (« status » twice, say): read, so that the build says it
        return ""
    return str(front.values.get("status", "")).strip()


def unpublished_letters(srcdir: Path, letters_dir: str) -> list[str]:
    """Source paths (relative to ``srcdir``) of the letters whose status is a
    valid state other than published. A letter whose status cannot be read is
    kept, so that the build reports the problem.

    Every build reads every letter's front matter again: 45 ms for 60 letters,
    too little for a cache of the statuses (a stale one would publish a draft)."""
    return [
        f"{letters_dir}/{path.name}"
        for path in sorted((srcdir / letters_dir).glob("*.md"))
        if read_status(path) in ("draft", "review")
    ]


def exclude_unpublished(app: Sphinx, config: Config) -> None:
    """``config-inited``: leave the unpublished letters out of a default build."""
    settings = almanach_config(config)
    if settings.preview:
        return
    hidden = unpublished_letters(Path(app.srcdir), settings.letters_dir.strip("/"))
    config.exclude_patterns = [*config.exclude_patterns, *hidden]


class ReviewBanner(SphinxTransform):
    """The banner of a letter that is not published (only a preview build reads
    one), right under its title.

    Priority 850, registered after Sphinx's ``SphinxDomains`` (850 too): where
    it has always been added, right after the domain took the letter's records
    and before ``doctree-read``."""

    default_priority = 850

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if not is_letter(self.env, docname):
            return
        letter, _problems = read_front_matter(docname, self.env.metadata.get(docname, {}))
        if letter is not None and letter.status != PUBLISHED:
            add_banner(self.document, letter.status)


def add_banner(document: nodes.document, status: str) -> None:
    """Put the banner right under the letter's title."""
    banner = review_banner(status=status)
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and len(section) and isinstance(section[0], nodes.title):
        section.insert(1, banner)
    else:
        document.insert(0, banner)


def visit_banner_html(self, node: review_banner) -> None:
    title, explanation = banner_label(node["status"])
    self.body.append(
        f'<div class="almanach-banner almanach-banner-{self.attval(node["status"])}" role="note">'
        f"<strong>{self.encode(title)}</strong> — {self.encode(explanation)}</div>\n"
    )
    raise nodes.SkipNode


def visit_banner_latex(self, node: review_banner) -> None:
    title, explanation = banner_label(node["status"])
    self.body.append(
        "\n\\begin{center}\\fcolorbox{black}{yellow!25}{\\parbox{0.9\\linewidth}{"
        f"\\textbf{{{self.encode(title)}}} — {self.encode(explanation)}}}}}\\end{{center}}\n"
    )
    raise nodes.SkipNode


def visit_banner_text(self, node: review_banner) -> None:
    title, explanation = banner_label(node["status"])
    self.new_state(0)
    self.add_text(f"[{title}] {explanation}")
    self.end_state()
    raise nodes.SkipNode


def setup_workflow(app: Sphinx) -> None:
    """Register the banner (its node and transform) and the exclusion of
    unpublished letters."""
    add_node(
        app,
        review_banner,
        html=(visit_banner_html, None),
        latex=(visit_banner_latex, None),
        text=(visit_banner_text, None),
    )
    app.add_transform(ReviewBanner)
    app.connect("config-inited", exclude_unpublished)
