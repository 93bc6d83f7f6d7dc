"""The content model: registries of territories, people, organisations,
rubriques and events, read from YAML files and checked against a schema.

Each registry is one YAML file under ``docs/registres/``, a mapping from an id
to its fields::

    lomme:
      name: Lomme
      kind: commune
      pilot: true

The schemas are in :mod:`almanach.model.schemas`. Problems are collected as
:class:`Problem` (file, line, French message with the fix); loading never
raises on bad content.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..rules.characters import strip_invisible, strip_invisible_value
from ..rules.limits import (
    MAX_REGISTRY_BYTES,
    YAML_ERRORS,
    LimitedLoader,
    comment_cuts,
    unsafe_file,
    yaml_error_line,
    yaml_error_message,
)
from .schemas import ID_PATTERN, SCHEMAS, Schema, check_value, entry_problems


@dataclass(frozen=True)
class Problem:
    """One problem found in a registry file: where, and what to do."""

    path: str
    line: int
    message: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Entry:
    """One registry entry: its id, its checked values and where it is written."""

    registry: str
    id: str
    values: dict[str, Any]
    path: str
    line: int

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def label(self) -> str:
        """The display name of the entry, as readers see it."""
        if self.registry == "rubriques":
            return f"{self.values['emoji']} {self.values['title']}"
        return self.values.get("name") or self.values.get("title") or self.id


@dataclass
class Registry:
    """Every registry, keyed by registry name then id, with the problems found."""

    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""
    #: The registries' folder, as messages name it.
    folder: str = "docs/registres"
    #: The entries left out for a problem: registry name -> id -> line.
    rejected: dict[str, dict[str, int]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> dict[str, Entry]:
        return self.entries.get(name, {})

    def lookup(self, name: str, entry_id: str) -> Entry | None:
        return self[name].get(entry_id)

    @property
    def territories(self) -> dict[str, Entry]:
        return self["territories"]

    @property
    def pilots(self) -> list[Entry]:
        """The pilot territories (each has its page)."""
        return [territory for territory in self.territories.values() if territory.get("pilot")]

    @property
    def people(self) -> dict[str, Entry]:
        return self["people"]

    @property
    def organisations(self) -> dict[str, Entry]:
        return self["organisations"]

    @property
    def rubriques(self) -> dict[str, Entry]:
        return self["rubriques"]

    @property
    def events(self) -> dict[str, Entry]:
        return self["events"]


def load_registry(folder: Path, display_root: Path | None = None) -> Registry:
    """Read and check every registry file of ``folder``.

    Paths in problems are shown relative to ``display_root`` when given.
    """
    registry = Registry(folder=_shown(folder, display_root))
    digest = hashlib.sha256()
    for schema in SCHEMAS.values():
        path = folder / schema.filename
        shown = _shown(path, display_root)
        if not os.path.lexists(path):
            registry.problems.append(
                Problem(shown, 1, f"fichier de registre absent : créez {shown}")
            )
            registry.entries[schema.name] = {}
            continue
        unsafe = unsafe_file(path, MAX_REGISTRY_BYTES)
        if unsafe:
            registry.problems.append(Problem(shown, 1, f"registre non lu : {unsafe}"))
            registry.entries[schema.name] = {}
            continue
        raw = path.read_bytes()
        digest.update(schema.filename.encode() + b"\0" + raw + b"\0")
        rejected = registry.rejected.setdefault(schema.name, {})
        entries, problems = _read_entries(schema, raw, shown, rejected)
        registry.entries[schema.name] = entries
        registry.problems.extend(problems)
    registry.problems.extend(_check_references(registry))
    registry.fingerprint = digest.hexdigest()
    return registry


def _shown(path: Path, root: Path | None) -> str:
    """A registry file as messages name it (see :func:`almanach.warnings_.shown_path`)."""
    from ..warnings_ import shown_path

    return shown_path(path, root) if root is not None else str(path)


def _read_entries(
    schema: Schema, raw: bytes, shown: str, rejected: dict[str, int]
) -> tuple[dict[str, Entry], list[Problem]]:
    """The valid entries of one registry file, and its problems; the ids of the
    entries left out for a problem go to ``rejected`` (id -> line)."""
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return {}, [
            Problem(
                shown,
                line,
                "le fichier n’est pas en UTF-8 (un caractère de cette ligne est dans un autre "
                "codage) : réenregistrez-le en UTF-8",
            )
        ]
    text, invisible = strip_invisible(text)
    problems.extend(Problem(shown, found.line, found.message()) for found in invisible)
    problems.extend(Problem(shown, line, message) for line, message in comment_cuts(text))
    loader = LimitedLoader(text)
    try:
        root = loader.get_single_node()
    except YAML_ERRORS as error:
        loader.dispose()
        problems.extend(Problem(shown, line, message) for line, message in loader.refused)
        return {}, [*problems, Problem(shown, yaml_error_line(error), yaml_error_message(error))]
    entries: dict[str, Entry] = {}
    try:
        if root is None:
            return {}, problems
        if not isinstance(root, yaml.MappingNode):
            return {}, [
                *problems,
                Problem(
                    shown,
                    root.start_mark.line + 1,
                    f"le registre doit associer chaque identifiant à ses champs "
                    f"(« identifiant: » puis les champs en retrait), pas un {_yaml_kind(root)}",
                ),
            ]
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            entry_id = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if not ID_PATTERN.match(entry_id):
                problems.append(
                    Problem(
                        shown,
                        line,
                        f"identifiant « {entry_id} » invalide : minuscules, chiffres et "
                        "tirets seulement (par exemple « rodez-agglomeration »)",
                    )
                )
                continue
            if entry_id in entries:
                problems.append(
                    Problem(
                        shown,
                        line,
                        f"identifiant « {entry_id} » en double (déjà défini ligne "
                        f"{entries[entry_id].line}) : renommez l’un des deux",
                    )
                )
                continue
            values = _read_fields(schema, entry_id, value_node, loader, shown, problems, line)
            if values is not None:
                entries[entry_id] = Entry(schema.name, entry_id, values, shown, line)
            else:
                rejected[entry_id] = line
    finally:
        loader.dispose()
        problems.extend(Problem(shown, line, message) for line, message in loader.refused)
    return entries, sorted(problems, key=lambda problem: problem.line)


def _yaml_kind(node: yaml.Node) -> str:
    return {yaml.SequenceNode: "liste", yaml.ScalarNode: "texte"}.get(type(node), "bloc")


def _read_fields(
    schema: Schema,
    entry_id: str,
    node: yaml.Node,
    loader: yaml.SafeLoader,
    shown: str,
    problems: list[Problem],
    line: int,
) -> dict[str, Any] | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(
                shown, line, f"« {entry_id} » : les champs doivent être en retrait, un par ligne"
            )
        )
        return None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    ok = True
    allowed = ", ".join(f.name for f in schema.fields)
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        spec = schema.field(name)
        if spec is None:
            problems.append(
                Problem(
                    shown,
                    key_line,
                    f"« {entry_id} » : champ inconnu « {name} » (champs possibles : {allowed})",
                )
            )
            ok = False
            continue
        if name in values:
            problems.append(
                Problem(shown, key_line, f"« {entry_id} » : champ « {name} » en double")
            )
            ok = False
            continue
        try:
            value = loader.construct_object(value_node, deep=True)
        except YAML_ERRORS as error:
            problems.append(
                Problem(shown, key_line, f"« {entry_id} » : {yaml_error_message(error)}")
            )
            ok = False
            continue
        if isinstance(value, str):  # what YAML escapes (« \u202e ») made of the text
            value, invisible = strip_invisible_value(value)
            if invisible is not None:
                problems.append(Problem(shown, key_line, f"« {entry_id} » : {invisible.message()}"))
        message = check_value(spec, value)
        if message:
            problems.append(Problem(shown, key_line, f"« {entry_id} » : {message}"))
            ok = False
            continue
        values[name] = value.strip() if isinstance(value, str) else value
        lines[name] = key_line
    for name, message in entry_problems(schema, values):
        # Reported, and the field dropped: the entry keeps its place in the letters.
        problems.append(Problem(shown, lines[name], f"« {entry_id} » : {message}"))
        del values[name]
    for spec in schema.fields:
        if spec.required and spec.name not in values and ok:
            hint = f" ({spec.help})" if spec.help else ""
            problems.append(
                Problem(
                    shown,
                    line,
                    f"« {entry_id} » : champ obligatoire « {spec.name} » absent{hint}",
                )
            )
            ok = False
    return values if ok else None


def _check_references(registry: Registry) -> Iterator[Problem]:
    from ..warnings_ import close_matches

    for schema in SCHEMAS.values():
        for spec in schema.fields:
            if spec.kind not in SCHEMAS:
                continue
            target = registry[spec.kind]
            for entry in registry[schema.name].values():
                ref = entry.get(spec.name)
                if ref is not None and ref not in target:
                    target_schema = SCHEMAS[spec.kind]
                    yield Problem(
                        entry.path,
                        entry.line,
                        f"« {entry.id} » : {spec.name} « {ref} » n’est pas dans "
                        f"{target_schema.filename}{close_matches(ref, target)}",
                    )
