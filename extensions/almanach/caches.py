"""The caches kept between builds (in the doctrees folder): one way to read
and write them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
        try:
            temporary.unlink(missing_ok=True)
        except OSError:  # (its folder could not be made)
            pass
        return False
    return True


@dataclass(frozen=True)
class JsonStore:
    """A cache in one JSON file: ``{"version": …, <field>: {…}}``. A file of
    another version, unreadable or of another shape reads as empty (the cache is
    then computed again); it is written atomically (:func:`store_atomically`).
    ``sort_keys``: write the mapping sorted (else in its order, which a cache
    may use: the latest used last)."""

    path: Path
    version: int
    field: str
    sort_keys: bool = False

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        value = data.get(self.field)
        return value if isinstance(value, dict) else {}

    def save(self, value: dict[str, Any]) -> bool:
        text = json.dumps({"version": self.version, self.field: value}, sort_keys=self.sort_keys)
        return store_atomically(self.path, text)
