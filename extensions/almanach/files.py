"""Writing the caches kept between builds (in the doctrees folder)."""

from __future__ import annotations

import os
from pathlib import Path


def store_atomically(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file, so that two builds
    sharing the folder never read half a file; a cache that cannot be written is
    only a cache: ``False``, and the next build computes it again."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True
