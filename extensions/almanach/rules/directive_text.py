"""A directive's text as MyST reads it: option values read as written, options
continued on a second line, list tables, image options' values."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt

from .refusals import shown

#: MyST syntax extensions a letter is parsed with, whatever ``conf.py`` enables
#: for the site's own pages (no substitutions: they are Jinja templates).

#: The start of an option line: « :name: » and what separates it from the value.
OPTION_HEAD = re.compile(r"^(:[\w-]+:)[ \t\u00a0]+(.*)$")
#: An option without a value: a flag (« :pending: »).
FLAG_LINE = re.compile(r"^(:[\w-]+:)$")
#: What YAML would not read as plain text at the start of a value.
YAML_SPECIAL = tuple("\"'>|{[&*!%@`#")


def quote_option_values(content: str) -> str:
    """The options at the head of a directive, each value read as written:
    MyST reads them as YAML, where « # » starts a comment (« Le guide #2 » would
    be « Le guide ») and a leading « " », « > » or « | » means something else.
    Such values are put in double quotes; a tab or a non-breaking space after the
    option's name becomes a space."""
    lines = content.split("\n")
    for index, line in enumerate(lines):
        match = OPTION_HEAD.match(line)
        if not match:
            if FLAG_LINE.match(line.rstrip()):
                continue  # a flag (« :pending: »)
            break
        name, value = match.group(1), match.group(2).rstrip()
        quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "\"'"
        if not quoted and (value.startswith(YAML_SPECIAL) or " #" in value or ": " in value):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            value = f'"{escaped}"'
        lines[index] = f"{name} {value}"
    return "\n".join(lines)


def no_problem(value: str) -> str:
    return ""


def _align(value: str) -> str:
    allowed = ("left", "center", "right", "top", "middle", "bottom")
    if value in allowed:
        return ""
    return f"« :align: {shown(value)} » : écrivez l’une des valeurs {', '.join(allowed)}"


def _width(value: str) -> str:
    if re.match(r"^\d+(?:\.\d+)?(?:%|px|em|ex|pt|cm|mm|in|pc)?$", value.strip()):
        return ""
    return f"« :width: {shown(value)} » : écrivez une largeur, par exemple « 60% » ou « 300px »"


#: The values an image's options may take (docutils would refuse others in English).
IMAGE_OPTION_CHECKS: dict[str, Callable[[str], str]] = {"align": _align, "width": _width}


def list_table_problem(md: MarkdownIt, body: str) -> str:
    """Why a ``list-table`` body is not a table (docutils would say it in
    English, dumping the block): one list of rows, each a list of as many cells."""
    tokens = md.parse(body + "\n", {})
    rows: list[int] = []
    depth = 0
    for token in tokens:
        if token.type == "bullet_list_open":
            depth += 1
            if depth == 2:
                rows.append(0)
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open" and depth == 2:
            rows[-1] += 1
        elif depth == 0 and token.type not in ("bullet_list_close",):
            return "le tableau s’écrit en une seule liste : une ligne « * - » par rangée"
    if (
        not rows
        or len(set(rows)) != 1
        or len(rows)
        != sum(1 for token in tokens if token.type == "list_item_open" and token.level == 1)
    ):
        return (
            "chaque rangée (« * - … ») doit avoir le même nombre de cases (« - … »), et chaque "
            "case sa ligne ; le tableau est publié tel quel, comme du texte"
        )
    return ""


def option_on_two_lines(content: str) -> tuple[str, int] | None:
    """An option whose value goes on on an indented line, followed by more
    options: (its name, the line of the continuation from the directive's)."""
    lines = content.split("\n")
    for index, line in enumerate(lines[:-1]):
        match = OPTION_HEAD.match(line) or FLAG_LINE.match(line.rstrip())
        if not match:
            return None
        following = lines[index + 1]
        if following[:1] in (" ", "\t") and following.strip():
            rest = lines[index + 2 :]
            if any(OPTION_HEAD.match(other) for other in rest[:3]):
                return match.group(1).strip(":"), index + 2
    return None
