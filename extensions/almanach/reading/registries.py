"""Loading the registries into the build, and the pages they imply.

On ``builder-inited`` the registries are read (problems become located
warnings) and a page is generated for each pilot territory, written only when
its text changes so that unchanged pages are not re-read. When a registry
changes, every document is read again (``env-get-outdated``): display names
and links come from it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import almanach_config
from ..model.registry import Problem, load_registry
from ..warnings_ import AlmanachWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..domain.domain import AlmanachDomain

GENERATED_MARK = "% Page générée par almanach depuis docs/registres/territoires.yaml"


def load_model(app: Sphinx) -> None:
    """``builder-inited``: read the registries and generate the territory pages."""
    settings = almanach_config(app.config)
    folder = Path(app.confdir) / settings.registry_dir
    registry = load_registry(folder, display_root=Path.cwd())
    for problem in registry.problems:
        warn(AlmanachWarning.REGISTRY, problem.message, problem.location)
    domain: AlmanachDomain = app.env.domains["almanach"]  # type: ignore[assignment]
    domain.use_registry(registry)
    folder = Path(app.srcdir) / settings.territories_dir
    for problem in page_clashes(folder, registry):
        warn(AlmanachWarning.REGISTRY, problem.message, problem.location)
    write_territory_pages(folder, registry)


def territory_page_text(territory_id: str) -> str:
    return f"{GENERATED_MARK} : ne pas modifier.\n\n```{{territory-page}} {territory_id}\n```\n"


def is_generated(path: Path) -> bool:
    """Whether ``path`` is a page almanach generated (never a page someone wrote)."""
    try:
        with path.open(encoding="utf-8") as stream:
            return stream.read(len(GENERATED_MARK)) == GENERATED_MARK
    except (OSError, UnicodeDecodeError):
        return False


def _written_by_hand(path: Path) -> bool:
    return os.path.lexists(path) and not is_generated(path)


def page_clashes(folder: Path, registry) -> list[Problem]:
    """A pilot territory whose page would replace a page someone wrote (the
    build and ``almanach check`` both report it; the page is not written)."""
    return [
        Problem(
            territory.path,
            territory.line,
            f"« {territory.id} » : ce nom est déjà celui d’une page du site "
            f"({folder.name}/{territory.id}.md), sa page n’est pas créée ; choisissez un autre "
            "identifiant",
        )
        for territory in registry.pilots
        if _written_by_hand(folder / f"{territory.id}.md")
    ]


def write_territory_pages(folder: Path, registry) -> None:
    """One page per pilot territory; stale generated pages are removed. A page
    someone wrote is never replaced (see :func:`page_clashes`)."""
    wanted = {f"{t.id}.md": territory_page_text(t.id) for t in registry.pilots}
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.md"):
        if path.name not in wanted and is_generated(path):
            path.unlink()
    for name, text in wanted.items():
        path = folder / name
        if _written_by_hand(path):
            continue
        if not path.exists() or path.read_text("utf-8") != text:
            temporary = path.with_suffix(".md.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)


def outdated_by_registry(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: every document, when a registry changed."""
    domain: AlmanachDomain = env.domains["almanach"]  # type: ignore[assignment]
    if not domain.registry_is_new():
        return []
    return sorted(env.found_docs - added - changed)


def setup_model(app: Sphinx) -> None:
    app.connect("builder-inited", load_model)
    app.connect("env-get-outdated", outdated_by_registry)
