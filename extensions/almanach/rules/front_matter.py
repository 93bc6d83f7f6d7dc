"""A letter's front matter: read once, safely, for the build, ``almanach check``
and the review states.

The front matter is the letter's own data, never the parser's configuration:
only the fields of the letter schema are accepted (:data:`LETTER_FIELDS`), each
with a plain value. Anything else (``myst:`` overrides, substitutions,
``html_meta``, a French ``statut``) is refused at its line, before MyST or
docutils sees it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from .characters import strip_invisible_value
from .limits import YAML_ERRORS, LimitedLoader, comment_cuts, yaml_error_line, yaml_error_message

#: The fields a letter's front matter may have, with what each holds.
LETTER_FIELDS: dict[str, str] = {
    "number": "le numéro de la lettre",
    "date": "l’année et le mois, AAAA-MM",
    "title": "le titre",
    "status": "draft, review ou published",
    "summary": "un résumé de quelques lignes",
}
#: What a letter without front matter is told, by the build and by ``almanach check``.
MISSING_FRONT_MATTER = (
    "en-tête absent : la lettre doit commencer par « --- », les champs number, date, title, "
    "status, puis « --- »"
)
#: Plain values a field may hold.
SCALARS = (str, int, float, bool, dt.date)


@dataclass
class FrontMatter:
    """The accepted fields of a letter's front matter, their lines, and the
    problems found (1-based line, French message)."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    present: bool = True


_SPLITTER = MarkdownIt("zero").use(front_matter_plugin)


def front_matter_text(text: str) -> str | None:
    """The YAML text between the opening and closing ``---``, as MyST finds it
    (only the head of the text is tokenized: the front matter is at its start)."""
    if not text.startswith("---"):
        return None
    closing = text.find("\n---", 3)
    end = text.find("\n", closing + 4) if closing >= 0 else -1
    for head in (text[: end + 1], text) if end >= 0 else (text,):
        tokens = _SPLITTER.parse(head)
        if tokens and tokens[0].type == "front_matter":
            return tokens[0].content
    return None


def read_front_matter_yaml(content: str, first_line: int = 2) -> FrontMatter:
    """Check the YAML of a front matter (``first_line``: the line of its first
    line in the file) against the letter schema."""
    front = FrontMatter()
    front.problems.extend(comment_cuts(content, first_line))
    loader = LimitedLoader(content)
    try:
        root = loader.get_single_node()
        if root is None:
            return front
        if not isinstance(root, yaml.MappingNode):
            front.problems.append(
                (
                    first_line + root.start_mark.line,
                    "l’en-tête doit être une suite de champs « nom: valeur » "
                    "(number, date, title, status, summary)",
                )
            )
            return front
        for key_node, value_node in root.value:
            line = first_line + key_node.start_mark.line
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            problem = _check_field(front, name, value_node)
            if problem:
                front.problems.append((line, problem))
                continue
            if name == "number" and re.match(r"^0\d+$", str(value_node.value)):
                # YAML would read « 016 » as 14 (octal): the number meant, and a word
                front.problems.append(
                    (
                        line,
                        f"numéro « {value_node.value} » : écrivez-le sans zéro devant "
                        f"(« number: {int(value_node.value)} ») ; YAML le lirait autrement",
                    )
                )
                front.values[name], front.lines[name] = int(value_node.value), line
                continue
            try:
                value = loader.construct_object(value_node, deep=True)
            except YAML_ERRORS as error:
                front.problems.append((line, f"« {name} » : {yaml_error_message(error)}"))
                continue
            if value is None:
                front.lines[name] = line  # written, but empty: as if absent
                continue
            if not isinstance(value, SCALARS):
                front.problems.append((line, f"« {name} » : une valeur simple est attendue"))
                continue
            if isinstance(value, str):  # what YAML escapes (« \u202e ») made of the text
                value, invisible = strip_invisible_value(value)
                if invisible is not None:
                    front.problems.append((line, f"« {name} » : {invisible.message()}"))
            front.values[name] = value
            front.lines[name] = line
    except YAML_ERRORS as error:
        front.problems.append(
            (yaml_error_line(error, first_line), f"en-tête illisible : {yaml_error_message(error)}")
        )
    finally:
        loader.dispose()
        front.problems.extend((first_line + line - 1, message) for line, message in loader.refused)
        front.problems.sort(key=lambda problem: problem[0])
    return front


def _check_field(front: FrontMatter, name: str, value_node: yaml.Node) -> str:
    from ..warnings_ import close_matches

    if name not in LETTER_FIELDS:
        allowed = ", ".join(LETTER_FIELDS)
        shown = " ".join(name.split())[:40] or "?"
        close = close_matches(shown, LETTER_FIELDS, "champs")
        fix = "corrigez le nom du champ ou retirez la ligne" if close else "retirez la ligne"
        return (
            f"champ d’en-tête « {shown} » refusé : une lettre n’a que les champs {allowed}"
            f"{close} ; {fix}"
        )
    if name in front.lines:
        return f"champ d’en-tête « {name} » en double (déjà ligne {front.lines[name]})"
    if not isinstance(value_node, yaml.ScalarNode):
        return (
            f"« {name} » : une valeur simple est attendue ({LETTER_FIELDS[name]}), "
            "pas une liste ni des sous-champs"
        )
    return ""


def read_letter_front_matter(text: str) -> FrontMatter:
    """The front matter of a letter's text (``present`` False when it has none)."""
    content = front_matter_text(text)
    if content is None:
        return FrontMatter(present=False)
    return read_front_matter_yaml(content)
