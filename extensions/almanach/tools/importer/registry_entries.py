"""Proposed registry entries written as the registries write them: a unified
diff that ``git apply`` applies (:func:`registry_patch`), or appended to the
files (:func:`apply_proposals`), never replacing an entry."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...model.schemas import SCHEMAS

#: The registries a letter's names go to, in the order proposals are listed.
PROPOSED = ("people", "territories", "organisations")


class ProposalError(Exception):
    """Proposals that cannot be written: a French message for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Proposal:
    """One registry entry to propose: its registry, id, name and other fields
    (as the registry file writes them), and where the letter names it."""

    registry: str  # people | territories | organisations
    id: str
    name: str
    fields: tuple[tuple[str, str], ...]
    line: int
    sentence: str

    def get(self, name: str, default: str = "") -> str:
        return dict(self.fields).get(name, default)


def registry_files(registries: Path) -> dict[str, Path]:
    """The files of the proposed registries in the registries' folder
    (``Project(root).registries``)."""
    return {name: registries / SCHEMAS[name].filename for name in PROPOSED}


_TOP_LEVEL_KEY = re.compile(r"^([^\s#:'\"][^:\n]*?|'[^'\n]*'|\"[^\"\n]*\")\s*:(?:[ \t]|$)", re.M)


def _existing_ids(text: str) -> dict[str, int]:
    """The ids a registry file defines (its top-level keys), with their lines."""
    return {
        match.group(1).strip("'\""): text.count("\n", 0, match.start()) + 1
        for match in _TOP_LEVEL_KEY.finditer(text)
    }


def _yaml_line(name: str, value: str, kind: str) -> str:
    """``name: value`` as YAML writes it, quoted when it must be."""
    scalar: str | bool = value
    if kind == "bool":
        scalar = value == "true"
    return yaml.safe_dump(
        {name: scalar}, allow_unicode=True, default_flow_style=False, width=1_000_000
    ).rstrip("\n")


def entries_text(proposals: Iterable[Proposal], source: str = "", indent: str = "  ") -> str:
    """The YAML of the proposals of one registry, as its file writes entries: a
    comment that says where they come from, then each entry, a blank line
    between them."""
    origin = f" ({source})" if source else ""
    blocks = []
    for proposal in proposals:
        schema = SCHEMAS[proposal.registry]
        lines = [f"{proposal.id}:"]
        for name, value in (("name", proposal.name), *proposal.fields):
            spec = schema.field(name)
            if spec is None:
                raise ProposalError(
                    f"« {proposal.id} » : champ « {name} » inconnu de {schema.filename}"
                )
            lines.append(indent + _yaml_line(name, value, spec.kind))
        blocks.append("\n".join(lines) + "\n")
    return f"# Proposé par almanach import{origin} : à vérifier\n" + "\n".join(blocks)


def _additions(
    proposals: Iterable[Proposal], files: dict[str, Path], source: str
) -> dict[Path, tuple[str, str]]:
    """Each registry file to change: its text now, and with the proposals
    appended. Refuses an id that a file already defines."""
    by_registry: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        by_registry.setdefault(proposal.registry, []).append(proposal)
    changes = {}
    for registry, entries in by_registry.items():
        path = files.get(registry)
        if path is None:
            raise ProposalError(f"aucun fichier de registre donné pour « {registry} »")
        try:
            old = path.read_text(encoding="utf-8") if path.exists() else ""
        except (OSError, UnicodeDecodeError) as error:
            raise ProposalError(f"{path} ne se lit pas : {error}") from None
        existing = _existing_ids(old)
        seen: set[str] = set()
        for proposal in entries:
            if proposal.id in existing:
                raise ProposalError(
                    f"{path}:{existing[proposal.id]}: l’identifiant « {proposal.id} » existe "
                    "déjà ; la proposition n’est pas écrite (aucune entrée n’est remplacée) : "
                    "renommez-la ou retirez-la"
                )
            if proposal.id in seen:
                raise ProposalError(f"« {proposal.id} » est proposé deux fois pour {path}")
            seen.add(proposal.id)
        newline = "\r\n" if "\r\n" in old else "\n"
        indent = re.search(r"^( +)\S", old, re.M)
        block = entries_text(entries, source, indent.group(1) if indent else "  ")
        new = old
        if new and not new.endswith("\n"):
            new += newline
        if new.strip():
            new += newline
        new += block.replace("\n", newline)
        changes[path] = (old, new)
    return changes


def _lines(text: str) -> list[str]:
    """``text``'s lines with their ends, split at « \\n » only (as ``git apply``)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _append_diff(shown: str, old: str, new: str) -> str:
    """A unified diff that appends to ``old`` what ``new`` adds after it, with
    up to three lines of context, as ``git apply`` reads it."""
    old_lines, new_lines = _lines(old), _lines(new)
    context = old_lines[-3:]
    first = len(old_lines) - len(context)
    body = [f" {line}" for line in context]
    added = new_lines[len(old_lines) :]
    if old and not old.endswith("\n"):  # the last line gets its end of line
        body[-1] = f"-{context[-1]}\n\\ No newline at end of file\n"
        added = new_lines[len(old_lines) - 1 :]
    body += [f"+{line}" for line in added]
    old_range = f"{first + 1},{len(context)}" if context else "0,0"
    header = f"@@ -{old_range} +{first + 1},{len(new_lines) - first} @@\n"
    return "".join(
        [f"diff --git a/{shown} b/{shown}\n", f"--- a/{shown}\n", f"+++ b/{shown}\n", header, *body]
    )


def registry_patch(
    proposals: Iterable[Proposal], root: Path, files: dict[str, Path], *, source: str = ""
) -> str:
    """A unified diff, for ``git apply`` in ``root``, that appends the proposals
    to their registry files (``files``: registry name -> file, see
    :func:`registry_files`); ``source`` (the draft, « issues/2022-01.md ») is
    named in the comment above them. Empty when there is nothing to propose."""
    proposals = list(proposals)
    shown = {}
    for registry in {proposal.registry for proposal in proposals}:
        path = files.get(registry)
        try:
            shown[path] = path.resolve().relative_to(root.resolve()).as_posix()
        except (AttributeError, ValueError):
            raise ProposalError(f"{path} n’est pas dans le projet {root}") from None
    return "".join(
        _append_diff(shown[path], old, new)
        for path, (old, new) in _additions(proposals, files, source).items()
    )


def apply_proposals(
    proposals: Iterable[Proposal], files: dict[str, Path], source: str
) -> list[Path]:
    """Appends the proposals to their registry files, each written atomically
    (a temporary file, then a rename); the files changed. Nothing is written
    when an id is already in its file (:class:`ProposalError`)."""
    changes = _additions(proposals, files, source)
    for path, (_old, new) in changes.items():
        _write_atomically(path, new)
    return list(changes)


def _write_atomically(path: Path, text: str) -> None:
    """``text`` written to ``path`` through a temporary file and a rename, so
    that an interruption never leaves half a registry; the file keeps its mode."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ProposalError(f"impossible d’écrire {path} : {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ProposalError(f"impossible d’écrire {path} : {error.strerror or error}") from None
        raise
