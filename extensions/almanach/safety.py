"""The contribution policy: what a letter may not do.

Letters arrive as pull requests from many hands and the site is published
under the programme's name. Markdown in Sphinx can pass raw HTML through,
read files outside the project and link to ``javascript:`` addresses; by
default none of that gets through:

- raw HTML (MyST HTML blocks, inline HTML) is shown as the text it was
  written as, never as markup;
- ``include`` and ``literalinclude`` are refused (the file is not read), and
  so are images and downloads whose path leaves the project;
- links may only use the ``https``, ``http`` and ``mailto`` schemes.

Each refusal is one located warning (``almanach.policy``; an error with
``-W``). The policy is ``almanach_policy`` in ``docs/conf.py``; the site's own
pages may opt out one by one (``trusted_pages``), letters never.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markdown_it.token import Token
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from .collect import is_letter
from .config import almanach_config
from .warnings_ import AlmanachWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

INCLUDES = {"include", "literalinclude"}
FILE_DIRECTIVES = {"image", "figure"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Links that markdown-it refuses to make (it leaves them as text): caught in
#: the source, where their line is known. Other schemes reach the doctree.
UNLINKED_SCHEMES = ("javascript", "vbscript", "file", "data")
MARKDOWN_LINK = re.compile(r"(?:\]\(\s*<?|<)(" + "|".join(UNLINKED_SCHEMES) + r"):", re.IGNORECASE)
DIRECTIVE_INFO = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
#: What a source must contain for :func:`check_source` to find anything: the
#: name of a directive it checks, or a link with a refused scheme.
SUSPECT = re.compile(
    r"\{(?:" + "|".join(sorted(INCLUDES | FILE_DIRECTIVES)) + r")\}|" + MARKDOWN_LINK.pattern,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Policy:
    raw_html: bool
    file_inclusion: bool
    link_schemes: tuple[str, ...]
    trusted_pages: tuple[str, ...]


def policy_of(env: BuildEnvironment) -> Policy:
    settings = almanach_config(env.config).policy
    return Policy(
        raw_html=bool(settings.get("raw_html", False)),
        file_inclusion=bool(settings.get("file_inclusion", False)),
        link_schemes=tuple(settings.get("link_schemes", ("https", "http", "mailto"))),
        trusted_pages=tuple(settings.get("trusted_pages", ())),
    )


def applies(env: BuildEnvironment, docname: str) -> bool:
    """Letters always follow the policy; other pages unless trusted."""
    return is_letter(env, docname) or docname not in policy_of(env).trusted_pages


def refuse(message: str, location: Any) -> None:
    warn(AlmanachWarning.POLICY, f"{message} (règle de contribution)", location)


def leaves_project(path: str, docname: str) -> bool:
    """Whether a file path, as Sphinx resolves it, is outside the source folder."""
    if SCHEME.match(path):
        return False  # an address, checked as a link
    base = "" if path.startswith("/") else posixpath.dirname(docname)
    resolved = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    return resolved == ".." or resolved.startswith("../")


# -- before parsing: directives that would read files ---------------------------------


def directive_tokens(tokens: list[Token], offset: int, parser) -> Iterator[tuple[Token, int]]:
    """Every fence token, with the line offset of its text, nested ones included."""
    for token in tokens:
        if token.type in ("fence", "colon_fence") and token.map:
            yield token, offset
            if token.type == "colon_fence" and DIRECTIVE_INFO.match(token.info.strip()):
                inner = parser.parse(token.content)
                yield from directive_tokens(inner, offset + token.map[0] + 1, parser)


def inline_tokens(tokens: list[Token], offset: int, parser) -> Iterator[tuple[Token, int]]:
    for token in tokens:
        if token.type == "inline" and token.map:
            yield token, offset
        elif token.type == "colon_fence" and token.map and DIRECTIVE_INFO.match(token.info):
            yield from inline_tokens(parser.parse(token.content), offset + token.map[0] + 1, parser)


#: Control characters (but tab and line ends): invisible, invalid in XML, and a
#: fatal error for TeX. They come with text pasted from other tools.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(docname: str, source: list[str]) -> None:
    """Remove control characters from a source, reporting each line that had some."""
    text = source[0]
    if not CONTROL.search(text):
        return
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        found = sorted({f"U+{ord(char):04X}" for char in CONTROL.findall(line)})
        if found:
            warn(
                AlmanachWarning.CONTROL_CHARACTER,
                f"caractère de contrôle invisible supprimé ({', '.join(found)}) : il vient "
                "souvent d’un copier-coller ; retapez le passage si le texte semble abîmé",
                (docname, number),
            )
            lines[number - 1] = CONTROL.sub("", line)
    source[0] = "\n".join(lines)


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: remove control characters; refuse file inclusion and bad
    link schemes before MyST parses."""
    env = app.env
    if docname:
        strip_control_characters(docname, source)
    if not docname or not applies(env, docname) or not env.doc2path(docname).suffix == ".md":
        return
    if not SUSPECT.search(source[0]):
        return  # neither a directive that reads a file nor a link the parser leaves as text
    from .checker import markdown_parser

    policy = policy_of(env)
    parser = markdown_parser()
    lines = source[0].split("\n")
    tokens = parser.parse(source[0])
    silenced: list[tuple[int, int]] = []
    for token, offset in directive_tokens(tokens, 0, parser):
        match = DIRECTIVE_INFO.match(token.info.strip())
        if not match:
            continue
        name, argument = match.group(1), match.group(2).strip()
        first, last = offset + token.map[0], offset + token.map[1]
        if name in INCLUDES and not policy.file_inclusion:
            refuse(
                f"« {name} » refusé : une lettre ne peut pas inclure de fichier ; "
                "copiez le texte voulu dans la lettre",
                (docname, first + 1),
            )
            silenced.append((first, last))
        elif name in FILE_DIRECTIVES and leaves_project(argument, docname):
            refuse(
                f"« {name} » refusé : le fichier « {argument} » est hors du projet ; "
                "placez l’image dans docs/ et donnez son chemin depuis la lettre",
                (docname, first + 1),
            )
            silenced.append((first, last))
    for token, offset in inline_tokens(tokens, 0, parser):
        for match in MARKDOWN_LINK.finditer(token.content):
            scheme = match.group(1).lower()
            if scheme not in policy.link_schemes:
                line = offset + token.map[0] + 1 + token.content[: match.start()].count("\n")
                refuse(scheme_message(scheme, policy), (docname, line))
    # A refused directive becomes comment lines: the same number of lines, so
    # every later line keeps its number, and nothing is read or rendered.
    for first, last in silenced:
        for index in range(first, min(last, len(lines))):
            if not lines[index].startswith("% "):
                lines[index] = "% " + lines[index]
    source[0] = "\n".join(lines)


def scheme_message(scheme: str, policy: Policy) -> str:
    allowed = ", ".join(f"{s}:" for s in policy.link_schemes)
    return f"lien « {scheme}: » refusé : seuls les liens {allowed} sont acceptés"


# -- after parsing: what reached the doctree ------------------------------------------------


class ApplyPolicy(SphinxTransform):
    """Raw HTML becomes text; links with a refused scheme and files outside the
    project become text; each refusal is reported."""

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if not applies(self.env, docname):
            return
        policy = policy_of(self.env)
        if not policy.raw_html:
            for raw in list(self.document.findall(nodes.raw)):
                self.raw_to_text(raw)
        for reference in list(self.document.findall(nodes.reference)):
            uri = reference.get("refuri", "")
            scheme = SCHEME.match(uri)
            if scheme and scheme.group(1).lower() not in policy.link_schemes:
                refuse(scheme_message(scheme.group(1).lower(), policy), reference)
                reference.replace_self(nodes.Text(reference.astext()))
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if leaves_project(uri, docname) or (
                SCHEME.match(uri) and SCHEME.match(uri).group(1).lower() not in policy.link_schemes
            ):
                refuse(f"image « {uri} » refusée : elle est hors du projet", image)
                alt = image.get("alt", "")
                image.replace_self(nodes.Text(alt) if alt else [])
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if leaves_project(target, docname):
                refuse(
                    f"téléchargement « {target} » refusé : le fichier est hors du projet", download
                )
                download.replace_self(nodes.Text(download.astext()))

    def raw_to_text(self, raw: nodes.raw) -> None:
        text = raw.astext()
        warn(
            AlmanachWarning.RAW_HTML,
            f"HTML brut refusé dans une lettre : « {_excerpt(text)} » ; il est affiché "
            "comme du texte. Écrivez en MyST (gras : **mot**, lien : [texte](adresse))",
            raw,
        )
        if isinstance(raw.parent, nodes.TextElement):
            raw.replace_self(nodes.Text(text))
        else:
            raw.replace_self(nodes.paragraph(text, text))


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_trusted_pages(app: Sphinx, env: BuildEnvironment, *args: Any) -> None:
    for docname in policy_of(env).trusted_pages:
        if is_letter(env, docname):
            warn(
                AlmanachWarning.POLICY,
                f"« {docname} » est une lettre : une lettre ne peut pas être exemptée de la "
                "règle de contribution ; retirez-la de almanach_policy['trusted_pages']",
                None,
            )


def setup_safety(app: Sphinx) -> None:
    app.connect("source-read", check_source)
    app.add_transform(ApplyPolicy)
    app.connect("env-before-read-docs", check_trusted_pages)
