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

from .config import almanach_config
from .registry import load_registry
from .warnings_ import AlmanachWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import AlmanachDomain

GENERATED_MARK = "% Page générée par almanach depuis docs/registres/territoires.yaml"


def load_model(app: Sphinx) -> None:
    """``builder-inited``: read the registries and generate the territory pages."""
    settings = almanach_config(app.config)
    folder = Path(app.confdir) / settings.registry_dir
    registry = load_registry(folder, display_root=Path.cwd())
    for problem in registry.problems:
        warn(AlmanachWarning.REGISTRY, problem.message, problem.location)
    domain: AlmanachDomain = app.env.domains["almanach"]  # type: ignore[assignment]
    domain.data["registry"] = registry
    write_territory_pages(Path(app.srcdir) / settings.territories_dir, registry)


def territory_page_text(territory_id: str) -> str:
    return f"{GENERATED_MARK} : ne pas modifier.\n\n```{{territory-page}} {territory_id}\n```\n"


def write_territory_pages(folder: Path, registry) -> None:
    """One page per pilot territory; stale generated pages are removed."""
    wanted = {
        f"{territory.id}.md": territory_page_text(territory.id)
        for territory in registry.territories.values()
        if territory.get("pilot")
    }
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.md"):
        if path.name not in wanted and path.read_text("utf-8").startswith(GENERATED_MARK):
            path.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != text:
            temporary = path.with_suffix(".md.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)


def outdated_by_registry(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: every document, when a registry changed."""
    domain: AlmanachDomain = env.domains["almanach"]  # type: ignore[assignment]
    fingerprint = domain.registry.fingerprint
    if domain.data.get("registry_fingerprint") == fingerprint:
        return []
    domain.data["registry_fingerprint"] = fingerprint
    return sorted(env.found_docs - added - changed)


def setup_model(app: Sphinx) -> None:
    app.connect("builder-inited", load_model)
    app.connect("env-get-outdated", outdated_by_registry)
