"""Review states, after Plone's simple publication workflow.

A letter's front matter says ``status: draft | review | published``. The
default build (the published site and PDF) holds only published letters: the
others are excluded before reading, so neither the site nor the gathered pages
see them. A preview build (``almanach_preview = True``, ``make preview``)
holds every letter, and a draft or a letter under review carries a visible
banner in HTML, LaTeX and text.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _

from ..caches import Inputs, JsonStore
from ..config import almanach_config
from ..rules.front_matter import read_letter_front_matter
from ..rules.limits import MAX_LETTER_BYTES, unsafe_file

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


#: The statuses read by the previous build, by letter (in the doctree folder): a
#: build reads again only the letters whose file changed since.
STATUS_CACHE = "almanach-statuses.json"
STATUS_CACHE_VERSION = 3  # 2: a front matter with a problem has no status; 3: keyed
#: What reads a letter's status: the front matter's rules and their libraries.
STATUS_INPUTS = Inputs(
    packages=("pyyaml", "markdown-it-py", "mdit-py-plugins"),
    modules=(
        "almanach.reading.review",
        "almanach.rules.front_matter",
        "almanach.rules.limits",
        "almanach.rules.characters",
    ),
)
#: A file changed this recently (nanoseconds) may change again within the same
#: tick of the file system's clock, keeping its times and size: its status is not
#: kept. File systems that keep whole seconds (or two) get the longer delay.
RACY_NS = 50_000_000
RACY_COARSE_NS = 2_000_000_000


def _racy(stat: os.stat_result, now: int) -> bool:
    coarse = stat.st_mtime_ns % 1_000_000_000 == 0
    return now - max(stat.st_mtime_ns, stat.st_ctime_ns) < (RACY_COARSE_NS if coarse else RACY_NS)


def _status_entry(value: object) -> bool:
    return isinstance(value, list) and len(value) == 5


def _status_store(path: Path) -> JsonStore:
    """Per letter file: ``[mtime_ns, ctime_ns, size, inode, status]``."""
    return JsonStore(path, STATUS_CACHE_VERSION, "letters", STATUS_INPUTS, _status_entry, True)


def unpublished_letters(srcdir: Path, letters_dir: str, cache: Path | None = None) -> list[str]:
    """Source paths (relative to ``srcdir``) of the letters whose status is a
    valid state other than published. A letter whose status cannot be read is
    kept, so that the build reports the problem.

    With ``cache`` (a file), the status of a letter whose file has the same
    times, size and inode as at the previous build is not read again."""
    folder = srcdir / letters_dir
    store = _status_store(cache) if cache is not None else None
    known = store.load() if store is not None else {}
    now = time.time_ns()
    seen: dict[str, list] = {}
    found = []
    for path in sorted(folder.glob("*.md")):
        key = str(path)
        try:
            stat = path.stat()
        except OSError:
            stamp = None
        else:
            # The change time too: a tool may set the modification time back.
            stamp = [stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino]
            if _racy(stat, now):
                stamp = None
        previous = known.get(key)
        if stamp is not None and previous is not None and previous[:4] == stamp:
            status = previous[4]
        else:
            status = read_status(path)
        if stamp is not None:
            seen[key] = [*stamp, status]
        if status in ("draft", "review"):
            found.append(f"{letters_dir}/{path.name}")
    if store is not None and seen != known:
        store.save(seen)
    return found


def exclude_unpublished(app: Sphinx, config: Config) -> None:
    """``config-inited``: leave the unpublished letters out of a default build."""
    settings = almanach_config(config)
    if settings.preview:
        return
    hidden = unpublished_letters(
        Path(app.srcdir), settings.letters_dir.strip("/"), Path(app.doctreedir) / STATUS_CACHE
    )
    config.exclude_patterns = [*config.exclude_patterns, *hidden]


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
    """Register the banner and the exclusion of unpublished letters."""
    app.add_node(
        review_banner,
        html=(visit_banner_html, None),
        latex=(visit_banner_latex, None),
        text=(visit_banner_text, None),
        man=(visit_banner_text, None),
        texinfo=(visit_banner_text, None),
    )
    app.connect("config-inited", exclude_unpublished)
