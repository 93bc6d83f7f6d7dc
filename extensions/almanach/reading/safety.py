"""The contribution policy: the wall behind the allowlist, and the site's pages.

Letters are held to the allowlist before they are rendered
(:mod:`almanach.reading.parser`, :mod:`almanach.rules.allowlist`). This module
is what stands behind it for letters, and in front of the site's own pages
(reviewed as code, but published under the programme's name):

- invisible characters are removed from every page and reported;
- raw HTML (MyST HTML blocks, inline HTML) is shown as the text it was
  written as, never as markup;
- in the site's pages, ``include`` and ``literalinclude`` are refused (the
  file is not read), and so are images and downloads whose path leaves the
  project;
- links may only use the ``https``, ``http`` and ``mailto`` schemes; a refused
  link keeps its text (and its classes: a sphinx-design button stays a button
  shape, without its link).

Each refusal is one located warning (``almanach.policy``; an error with
``-W``). The policy is ``almanach_policy`` in ``docs/conf.py``; the site's own
pages may opt out one by one (``trusted_pages``), letters never.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markdown_it.token import Token
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from ..config import almanach_config
from ..rules.characters import strip_invisible
from ..rules.refusals import raw_html_message
from ..warnings_ import AlmanachWarning, warn
from .collect import is_letter

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


def leaves_project(path: str, docname: str, srcdir: Path | None = None) -> bool:
    """Whether a file path, as Sphinx resolves it, is outside the source folder
    (with ``srcdir``: also through a symbolic link, into anywhere but the source
    folder and the document's own folder)."""
    if SCHEME.match(path):
        return False  # an address, checked as a link
    base = "" if path.startswith("/") else posixpath.dirname(docname)
    resolved = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if resolved == ".." or resolved.startswith("../"):
        return True
    if srcdir is None:
        return False
    real = Path(os.path.realpath(srcdir / resolved))
    roots = (srcdir.resolve(), (srcdir / docname).parent.resolve())
    return not any(real.is_relative_to(root) for root in roots)


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


def strip_invisible_characters(docname: str, source: list[str]) -> None:
    """Remove invisible characters from a source, reporting each line that had some."""
    text, lines = strip_invisible(source[0])
    for found in lines:
        warn(AlmanachWarning.CONTROL_CHARACTER, found.message(), (docname, found.line))
    source[0] = text


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: remove invisible characters; in the site's own pages,
    refuse file inclusion and bad link schemes before MyST parses (letters are
    held to the allowlist instead: almanach.reading.parser)."""
    env = app.env
    if docname:
        strip_invisible_characters(docname, source)
    if not docname or is_letter(env, docname) or not applies(env, docname):
        return
    if env.doc2path(docname).suffix != ".md":
        return
    if not SUSPECT.search(source[0]):
        return  # neither a directive that reads a file nor a link the parser leaves as text
    from ..tools.checker import markdown_parser

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
                reference.replace_self(as_text(reference, reference.astext()))
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if leaves_project(uri, docname, Path(self.env.srcdir)) or (
                SCHEME.match(uri) and SCHEME.match(uri).group(1).lower() not in policy.link_schemes
            ):
                refuse(f"image « {uri} » refusée : elle est hors du projet", image)
                alt = image.get("alt", "")
                image.replace_self(as_text(image, alt))
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if leaves_project(target, docname, Path(self.env.srcdir)):
                refuse(
                    f"téléchargement « {target} » refusé : le fichier est hors du projet", download
                )
                download.replace_self(as_text(download, download.astext()))

    def raw_to_text(self, raw: nodes.raw) -> None:
        text = raw.astext()
        warn(AlmanachWarning.RAW_HTML, raw_html_message(text), raw)
        if isinstance(raw.parent, nodes.TextElement):
            raw.replace_self(nodes.Text(text))
        else:
            raw.replace_self(nodes.paragraph(text, text))


def as_text(node: nodes.Element, text: str) -> nodes.Node:
    """What a refused element becomes: its text, keeping its classes (an element
    that others style or transform, such as sphinx-design's buttons, keeps its
    shape without its link)."""
    if not node["classes"]:
        return nodes.Text(text)
    return nodes.inline(text, text, classes=list(node["classes"]))


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
