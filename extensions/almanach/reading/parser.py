"""The trust boundary: letters are parsed with a configuration the project fixes.

MyST's own parser lets a document reconfigure it (the ``myst:`` key of its front
matter: extensions, Jinja substitutions, ``html_meta``) and run any registered
directive or role. For letters — content that anyone may propose — almanach
registers a parser that:

- never reads parser settings from the letter: the MyST configuration is the
  project's, with :data:`~almanach.rules.allowlist.LETTER_MYST_EXTENSIONS` and no
  substitutions;
- accepts only the letter schema's front-matter fields
  (:mod:`almanach.rules.front_matter`);
- checks the whole token stream against the allowlist
  (:mod:`almanach.rules.allowlist`) before rendering, and screens every nested
  parse MyST makes while rendering (directive bodies, option text), so that a
  refused directive or role never runs;
- turns off docutils' own file insertion and raw output for the letter (the
  second wall; docutils' « Deploying Docutils Securely »).

Before reading, letters that are symbolic links, not plain files, or too large
are left out of the build with a located error: a link could point to any file
or to a device that never ends.

The site's own pages (``docs/``, reviewed as code) are parsed by MyST as usual,
with file insertion and raw output off unless ``almanach_policy`` trusts them.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Collection
from copy import copy
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markdown_it import MarkdownIt
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes

from ..config import almanach_config
from ..rules.allowlist import (
    LETTER_MYST_EXTENSIONS,
    LINK_SCHEMES,
    POLICY_SUFFIX,
    ROLE_LINE,
    SCREENED,
    ImageCheck,
    Missing,
    image_path_problem,
)
from ..rules.characters import shorten
from ..rules.consistency import check_letters, facts_from_file
from ..rules.front_matter import MISSING_FRONT_MATTER, read_front_matter_yaml
from ..rules.guesses import blocks_publication, guess_message, letter_guesses
from ..rules.limits import MAX_LETTER_BYTES, unsafe_file
from ..rules.screen import Screen, screen
from ..warnings_ import AlmanachWarning, shown_path, warn
from .collect import is_letter
from .directives.base import bib_keys
from .safety import policy_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


#: The warning kind of the screen's findings that are not policy refusals.
REFUSAL_KINDS = {
    "raw-html": AlmanachWarning.RAW_HTML,
    "structure": AlmanachWarning.STRUCTURE,
    "broken-link": AlmanachWarning.BROKEN_LINK,
    "unknown-bibkey": AlmanachWarning.UNKNOWN_BIBKEY,
}


def refusal_kind(code: str) -> AlmanachWarning:
    """The kind of warning of a refusal of the screen (see :class:`Refusal`)."""
    return REFUSAL_KINDS.get(code, AlmanachWarning.POLICY)


#: The heading levels that get an anchor in a letter.
LETTER_HEADING_ANCHORS = 3


def letter_myst_config(base: MdParserConfig | None = None) -> MdParserConfig:
    """The MyST configuration letters are parsed with: the project's (or MyST's
    defaults), with the letter syntax and nothing a document could add."""
    return dataclasses.replace(
        base or MdParserConfig(),
        enable_extensions=set(LETTER_MYST_EXTENSIONS),
        substitutions={},
        html_meta={},
        fence_as_directive=set(),
        url_schemes=LINK_SCHEMES,
        commonmark_only=False,
        gfm_only=False,
        title_to_header=False,
        # Links to a letter's headings (« #mise-en-recit »): the same anchors
        # for the build and for almanach check, whatever conf.py says.
        heading_anchors=LETTER_HEADING_ANCHORS,
    )


def letter_markdown(renderer: type, base: MdParserConfig | None = None) -> MarkdownIt:
    """The markdown-it parser of letters (``renderer``: MyST's Sphinx renderer, or
    markdown-it's HTML renderer for ``almanach check``)."""
    return create_md_parser(letter_myst_config(base), renderer)


def image_check(srcdir: Path, docname: str) -> ImageCheck:
    """An image check that also refuses a file outside the project (through ``..``
    or a symbolic link)."""
    folder = (srcdir / docname).parent
    roots = (srcdir.resolve(), folder.resolve())

    def check(path: str) -> str:
        problem = image_path_problem(path)
        if problem:
            return problem
        real = (folder / path).resolve()
        if not any(real.is_relative_to(root) for root in roots):
            return "image refusée : le fichier est hors du projet (lien symbolique ?)"
        if not real.is_file():
            return Missing(
                f"image « {shorten(path, 40)} » introuvable : placez le fichier à côté de la "
                "lettre (dans issues/) ou corrigez son nom"
            )
        return ""

    return check


def page_check(letter_folder: Path, srcdir: Path, territories: Path, pilots: Collection[str]):
    """The page a letter links to (a ``.md`` path from its folder, the
    ``docs/lettres`` link; or from the site's folder when it starts with « / »),
    as a path from the site's folder (« /lettres/2022-01.md »), or None when
    there is no such page (a file of the site, or the page generated for a
    pilot territory)."""

    def target(page: str) -> str | None:
        base = srcdir if page.startswith("/") else letter_folder
        path = Path(os.path.normpath(base / page.lstrip("/")))
        if path.suffix != ".md" or not path.is_relative_to(srcdir):
            return None
        if not (path.parent == territories and path.stem in pilots) and not path.is_file():
            return None
        return "/" + path.relative_to(srcdir).as_posix()

    return target


def restrict_settings(document: nodes.document) -> None:
    """docutils' own walls: no file insertion, no raw output (a per-document copy
    of the settings, so that other documents keep theirs)."""
    settings = copy(document.settings)
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    document.settings = settings


class LetterRenderer(SphinxRenderer):
    """MyST's renderer, giving each mention the line the screen found for it
    (MyST gives every inline element its paragraph's first line)."""

    def render_myst_role(self, token: Any) -> None:
        line = token.meta.get(ROLE_LINE)
        if line and getattr(token, "token", None) is not None:
            token.token.map = [line, line + 1]
        super().render_myst_role(token)

    def render_directive(self, token: Any, name: str, arguments: str, **kwargs: Any) -> None:
        """A directive at the line the screen found for it (MyST is a line off for
        a block that opens the content of another)."""
        line = token.meta.get(ROLE_LINE)
        if line and getattr(token, "token", None) is not None and token.token.map:
            length = token.token.map[1] - token.token.map[0]
            token.token.map = [line, line + length]
        super().render_directive(token, name, arguments, **kwargs)

    def render_link_unknown(self, token: Any) -> None:
        """A link to a page of the site, which the screen wrote as a path from
        the site's folder (« /lettres/2022-01.md#anchor »): to that document.
        (MyST would follow the ``docs/lettres`` link to ``issues/``, out of the
        site, and find no document there.)"""
        href = str(token.attrGet("href") or "")
        page, _hash, anchor = href.partition("#")
        if not (page.startswith("/") and page.endswith(".md")):
            super().render_link_unknown(token)
            return
        explicit = (token.info != "auto") and bool(token.children)
        wrap = addnodes.pending_xref(
            refdomain="doc",
            reftarget=page[1:].removesuffix(".md"),
            reftargetid=anchor or None,
            refdoc=self.sphinx_env.docname,
            reftype="myst",
            refexplicit=explicit,
        )
        self._process_wrap_node(wrap, token, explicit, ["xref", "myst"], page)


class LetterParser(MystParser):
    """MyST, with letters held to the allowlist (see the module's docstring)."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.docname
        if not is_letter(env, docname):
            if docname not in policy_of(env).trusted_pages:
                restrict_settings(document)
            return super().parse(inputstring, document)
        restrict_settings(document)
        md = letter_markdown(LetterRenderer, env.myst_config)
        md.options["document"] = document
        check = image_check(Path(env.srcdir), docname)
        domain = env.domains["almanach"]
        settings = almanach_config(env.config)
        pages = page_check(
            (Path(env.srcdir) / docname).parent,
            Path(env.srcdir),
            Path(env.srcdir) / settings.territories_dir,
            {territory.id for territory in domain.registry.pilots},
        )
        tokens, md_env, refusals = screen(md, inputstring, check, pages, bib_keys(env))
        status: object = ""
        if tokens and tokens[0].type == "front_matter":
            front = read_front_matter_yaml(tokens[0].content)
            status = front.values.get("status", "")
            for line, message in front.problems:
                warn(AlmanachWarning.LETTER, message, (docname, line))
            # MyST takes a mapping as it is: nothing else reaches its renderer.
            tokens[0].content = front.values  # type: ignore[assignment]
            # where each field is written, for the messages on their values (collect)
            document["almanach_front_lines"] = dict(front.lines)
        else:
            warn(AlmanachWarning.LETTER, MISSING_FRONT_MATTER, (docname, 1))
            document["almanach_no_front_matter"] = True
        for refusal in refusals:
            warn(refusal_kind(refusal.code), refusal.text(), (docname, refusal.line))
        if blocks_publication(status):  # a draft's are listed by almanach check only
            for guess in letter_guesses(md_env):
                warn(AlmanachWarning.GUESS, guess_message(guess, status), (docname, guess.line))
        screen_nested_parses(md, check, docname, reported=bool(refusals))
        md.renderer.render(tokens, md.options, md_env)
        if not any(
            isinstance(child, nodes.section) and "almanach_rubrique" not in child
            for child in document.children
        ):
            give_a_title(document, tokens, docname)


def give_a_title(document: nodes.document, tokens: list, docname: str) -> None:
    """A letter without its heading (an error, see almanach.rules.consistency)
    still gets a page title — its front matter's title, else its file name — so
    that the site's tables of contents do not add messages of their own."""
    front = tokens[0].content if tokens and tokens[0].type == "front_matter" else {}
    written = front.get("title") if isinstance(front, dict) else None
    text = (
        written.strip()
        if isinstance(written, str) and written.strip()
        else docname.rpartition("/")[2]
    )
    section = nodes.section(
        ids=[nodes.make_id(f"lettre-{text}") or "lettre"], almanach_untitled=True
    )
    section["names"] = [nodes.fully_normalize_name(text)]
    section += nodes.title(text, text)
    section.extend(document.children)
    document.children = []
    document += section


def screen_nested_parses(md: MarkdownIt, check: ImageCheck, docname: str, reported: bool) -> None:
    """Screen every parse MyST makes while rendering (directive bodies, option
    text, containers): the same rules, applied to what is actually rendered."""
    parse, parse_inline = md.parse, md.parseInline
    # The screens below parse option text with the parser's own functions, not
    # with the screened ones installed at the end.
    unscreened = SimpleNamespace(parse=parse, parseInline=parse_inline)

    def report(screen: Screen) -> None:
        if screen.refusals and not reported:  # cannot happen unless the two parses differ
            warn(
                AlmanachWarning.POLICY,
                "construction refusée dans un bloc de la lettre" + POLICY_SUFFIX,
                docname,
            )

    def screened_parse(src: str, env: Any = None) -> list:
        screened = (env or {}).get(SCREENED, {}).get(src)
        if screened is not None:  # parsed and screened already: a copy MyST may change
            return [token.copy() for token in screened]
        tokens = parse(src, env)
        nested = Screen(unscreened, env if env is not None else {}, check)  # type: ignore[arg-type]
        nested.blocks(tokens, deep=False)
        report(nested)
        return tokens

    def screened_inline(src: str, env: Any = None) -> list:
        tokens = parse_inline(src, env)
        nested = Screen(unscreened, env if env is not None else {}, check)  # type: ignore[arg-type]
        for token in tokens:
            nested.inline(token, 0)
        report(nested)
        return tokens

    md.parse = screened_parse  # type: ignore[method-assign]
    md.parseInline = screened_inline  # type: ignore[method-assign]


#: The name of a letter (without ``.md``) or of a folder of letters: it becomes
#: part of addresses, LaTeX labels and feed identifiers.
LETTER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BAD_NAME = (
    "nom de fichier refusé : minuscules sans accent, chiffres et tirets seulement "
    "(par exemple « 2022-01.md »)"
)


#: What a letter that is not UTF-8 is told (Sphinx would stop on a traceback).
NOT_UTF8 = "le fichier n’est pas en UTF-8 : réenregistrez-le en UTF-8"


IN_SUBFOLDER = (
    "les lettres sont rangées directement dans le dossier des lettres, pas dans un "
    "sous-dossier : déplacez-la"
)


def letter_file_problem(
    path: Path, folder: Path | None = None, *, decode: bool = True
) -> tuple[str, str] | None:
    """Why a letter's file cannot be read, or None: (kind, French message as the
    build and ``almanach check`` print it). Kinds: ``policy``, ``letter``.
    ``folder``: the letters' folder, which holds them directly. ``decode``: also
    read the file to see that it is UTF-8."""
    if folder is not None and path.parent.resolve() != folder.resolve():
        reason = IN_SUBFOLDER
    elif not LETTER_NAME.match(path.name.removesuffix(".md")):
        reason = BAD_NAME
    else:
        reason = unsafe_file(path, MAX_LETTER_BYTES)
    if reason:
        return "policy", f"lettre non lue : {reason}{POLICY_SUFFIX}"
    if not decode:
        return None
    try:
        path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return "letter", NOT_UTF8
    return None


def unsafe_letters(folder: Path, letters_dir: str) -> list[tuple[str, str, str, str]]:
    """Letters (and folders of letters) that cannot be read: (exclude pattern,
    shown path, kind, French message). No link is followed to find them."""
    found: list[tuple[str, str, str, str]] = []
    if not folder.is_dir():
        return found
    for directory, subdirectories, files in os.walk(folder):
        base = Path(directory)
        for name in list(subdirectories):
            path = base / name
            if not LETTER_NAME.match(name):
                reason = BAD_NAME
            elif path.is_symlink():
                reason = "lien symbolique refusé : placez les lettres elles-mêmes dans le dossier"
            else:
                continue
            subdirectories.remove(name)
            relative = path.relative_to(folder).as_posix()
            message = f"lettre non lue : {reason}{POLICY_SUFFIX}"
            found.append((f"{letters_dir}/{relative}/**", shown_path(path), "policy", message))
        for name in files:
            if not name.endswith(".md"):
                continue
            path = base / name
            problem = letter_file_problem(path, folder)
            if problem:
                relative = path.relative_to(folder).as_posix()
                found.append((f"{letters_dir}/{relative}", shown_path(path), *problem))
    return sorted(found)


def exclude_unsafe_letters(app: Sphinx, config: Config) -> None:
    """``config-inited``: leave out, with a located error, the letters that cannot
    be read."""
    letters_dir = almanach_config(config).letters_dir.strip("/")
    folder = Path(app.srcdir) / letters_dir
    for pattern, shown, kind, message in unsafe_letters(folder, letters_dir):
        warning = AlmanachWarning.POLICY if kind == "policy" else AlmanachWarning.LETTER
        warn(warning, message, f"{shown}:1")
        config.exclude_patterns = [*config.exclude_patterns, pattern]


def check_numbering(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: the letters' numbers are unique and follow their
    dates — all the letters of the folder, drafts included, as ``almanach check``
    sees them."""
    letters_dir = almanach_config(env.config).letters_dir.strip("/")
    folder = Path(env.srcdir) / letters_dir
    facts, docnames = [], {}
    for path in sorted(folder.glob("*.md")):
        # (a letter that is not UTF-8 has no facts: facts_from_file reads it)
        if letter_file_problem(path, folder, decode=False) is None:
            shown = shown_path(path)  # in messages, as almanach check shows it
            docnames[shown] = f"{letters_dir}/{path.stem}"
            found = facts_from_file(path, shown)
            if found is not None:
                facts.append(found)
    for problem in check_letters(facts):
        location = (docnames[problem.path], problem.line)
        warn(AlmanachWarning.NUMBERING, problem.message, location)


def setup_parser(app: Sphinx) -> None:
    """Register the letter parser in place of MyST's, and the letter file checks."""
    app.setup_extension("myst_parser")
    app.add_source_parser(LetterParser, override=True)
    app.connect("config-inited", exclude_unsafe_letters, priority=400)
    app.connect("env-check-consistency", check_numbering)
