"""Bounds on what a contributed file may cost to read.

Parsing crafted input can take unbounded memory and time (docutils' « Deploying
Docutils Securely »): a YAML alias bomb (« billion laughs ») expands a few
hundred bytes into gigabytes, even through ``yaml.safe_load``. Letters and
registries are therefore read with a size bound, and YAML with a loader that
refuses aliases and bounds nesting before anything is built from it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from yaml.events import AliasEvent

#: Largest letter accepted (bytes): twelve times the December 2021 letter. It also
#: bounds the time markdown-it may spend on crafted input (its worst cases grow
#: with the square of the size: 256 KiB of « [ » take seconds, not minutes).
MAX_LETTER_BYTES = 256 * 1024
#: Largest registry file accepted (bytes).
MAX_REGISTRY_BYTES = 1024 * 1024
#: Deepest YAML nesting accepted: a registry is id → fields → value.
MAX_YAML_DEPTH = 8


class YamlLimitError(yaml.MarkedYAMLError):
    """A YAML document that goes beyond what contributed content may do."""


class LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without aliases and with bounded nesting.

    An alias (``*name``) is refused where it is met, before anything is
    expanded: it becomes an empty value and a problem in :attr:`refused`
    (1-based line from the document's start, French message), so that the rest
    of the document is still read. Nesting deeper than :data:`MAX_YAML_DEPTH`
    stops the reading (:class:`YamlLimitError`)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self.refused: list[tuple[int, str]] = []

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(AliasEvent):
            event = self.get_event()
            problem = (
                event.start_mark.line + 1,
                f"alias YAML « *{event.anchor} » refusé : recopiez la valeur au lieu d’y renvoyer",
            )
            if problem not in self.refused:
                self.refused.append(problem)
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                event = self.peek_event()
                raise YamlLimitError(
                    None,
                    None,
                    f"YAML trop imbriqué (plus de {MAX_YAML_DEPTH} niveaux)",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


#: What PyYAML may raise on hostile input besides YAMLError: out-of-range dates
#: (« 2021-99-99 ») raise ValueError, absurd nesting RecursionError.
YAML_ERRORS = (yaml.YAMLError, ValueError, OverflowError, RecursionError)


def yaml_error_line(error: BaseException, first_line: int = 1) -> int:
    """The 1-based line of a YAML error, counted from ``first_line``."""
    mark = getattr(error, "problem_mark", None)
    return first_line + mark.line if mark is not None else first_line


#: PyYAML's problems (English), as an editor can act on them.
YAML_PROBLEMS = (
    ("could not determine a constructor for the tag", "étiquette YAML (« !… ») refusée"),
    ("mapping values are not allowed", "deux-points inattendu (mettez la valeur entre guillemets)"),
    ("could not find expected ':'", "deux-points manquant après un nom de champ"),
    ("cannot start any token", "caractère interdit en début de valeur (une tabulation ?)"),
    ("found unexpected end of stream", "guillemet ou crochet jamais fermé"),
    ("found undefined alias", "alias YAML refusé"),
    ("expected <block end>", "indentation incohérente"),
    ("did not find expected key", "indentation incohérente"),
    ("did not find expected", "guillemet, crochet ou tiret mal placé"),
    ("found duplicate anchor", "ancre YAML en double"),
    ("expected a single document", "un seul document YAML attendu (retirez « --- »)"),
)


def yaml_error_message(error: BaseException) -> str:
    """A French reading of a YAML error, without the text it was reading."""
    if isinstance(error, YamlLimitError):
        return str(error.problem)
    if isinstance(error, yaml.YAMLError):
        problem = str(getattr(error, "problem", None) or error)
        reading = next((fr for en, fr in YAML_PROBLEMS if en in problem), "syntaxe incorrecte")
        return f"YAML invalide : {reading} ; vérifiez l’indentation et les deux-points"
    if isinstance(error, RecursionError):
        return f"YAML trop imbriqué (plus de {MAX_YAML_DEPTH} niveaux)"
    return "YAML invalide : une valeur est hors limites (une date impossible ?)"


def unsafe_file(path: Path, limit: int) -> str:
    """Why a contributed file cannot be read (French), or '' when it can.

    A symbolic link could point anywhere (a file outside the project, a device
    that never ends): it is refused without being followed."""
    try:
        stat = os.lstat(path)
    except OSError:
        return "fichier illisible"
    if os.path.islink(path):
        return "lien symbolique refusé : remplacez-le par le fichier lui-même"
    if not os.path.isfile(path):
        return "ce n’est pas un fichier ordinaire"
    if stat.st_size > limit:
        return (
            f"fichier trop gros ({stat.st_size // 1024} Kio, au plus {limit // 1024} Kio) : "
            "découpez-le"
        )
    return ""


#: A plain (unquoted) YAML value followed by a comment: « title: Coopérer #ensemble ».
_CUT_BY_COMMENT = re.compile(r"""^\s*([^\s:#"'][^:]*):[ \t]+([^\s"'|>#&*!%@`{\[][^\n]*?)[ \t]+#""")


def comment_cuts(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The lines where YAML would cut a value at « # » (a comment, to YAML): the
    rest would silently not be read. (line, French message)."""
    found = []
    for index, line in enumerate(text.split("\n")):
        match = _CUT_BY_COMMENT.match(line)
        if match:
            key, value = match.group(1).strip(), line.split(":", 1)[1].strip()
            found.append(
                (
                    first_line + index,
                    f"« {key} » : en YAML, « # » après une espace commence un commentaire et la "
                    f"suite n’est pas lue ; mettez la valeur entre guillemets : "
                    f'{key}: "{value}"',
                )
            )
    return found
