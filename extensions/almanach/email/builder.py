"""The ``email`` builder: each letter as a message ready to send.

``sphinx-build -b email`` (``make email``) writes, for each letter the build
reads (the published ones; a preview build, every one), ``AAAA-MM/``:

- ``lettre.html``: the email-safe HTML (one column, tables, every style inlined,
  no script, no web font, light and dark), linking to the published site;
- ``lettre.txt``: the plain-text alternative, links numbered;
- ``lettre.eml``: both, as one multipart/alternative message;
- ``lettre.json``: what ``almanach email send`` checks before sending (the
  letter's digest and status, the subject, the sizes, the missing headers).

Why a builder over the environment, not a step over the site's HTML: the email
is written from the letter's doctree, as the site and the PDF are — its own
translator (:mod:`.translator`) makes the blocks email-safe while the site's
visitors and typography render everything else — instead of taking apart pages
made for a browser (theme, navigation, scripts). It shares the environment
(``make email`` after ``make html`` reads nothing again) and Sphinx's warnings:
the support lint and the size check are located warnings like any other.

Every link is absolute, from the published address (``ALMANACH_BASEURL``):
the builder refuses to start without it. A preview build (``make preview``)
links to the preview site on disk instead: its drafts are published nowhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from docutils import nodes
from markupsafe import Markup
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ConfigError

from .. import _compat
from ..config import almanach_config
from ..html.typography import french_spacing
from ..model.letters import DATE_PATTERN, letter_label
from ..progress import say
from ..warnings_ import AlmanachWarning, shown_path, warn
from .message import CLIP_BYTES, Headers, compose, unsubscribe_link
from .text import render_text
from .translator import (
    LINE_ATTRIBUTES,
    OWN_NODES,
    EmailTranslator,
    absolute_address,
    email_fragment,
)

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx

HERE = Path(__file__).parent
STYLESHEET = HERE / "static" / "lettre.css"
MEDIA_STYLESHEET = HERE / "static" / "lettre-media.css"
TEMPLATE = HERE / "templates" / "lettre.html"

#: What an editor reads when the email edition has no address to link to.
NO_ADDRESS = (
    "édition e-mail sans adresse : ALMANACH_BASEURL n’est pas défini. Chaque lien du "
    "message (« Voir dans le navigateur », les personnes, les territoires, le PDF) "
    "mène au site publié : définissez son adresse, par exemple "
    "ALMANACH_BASEURL=https://exemple.github.io/almanach/ make email."
)

#: An address that is not one a reader can follow.
BAD_ADDRESS = (
    "édition e-mail : l’adresse du site publié « {base} » n’est pas une adresse web "
    "complète ; écrivez-la avec https:// et le nom du site, par exemple "
    "ALMANACH_BASEURL=https://exemple.github.io/almanach/."
)

#: Invisible characters after the preheader, so that a client's preview line
#: does not go on with the first words of the message.
PREHEADER_PADDING = "\u034f\u00a0" * 60

#: The caniemail features of selectors: resolved by the build for the
#: stylesheets it inlines, so never seen by a mail client.
SELECTOR_SLUGS = ("css-selector-", "css-pseudo-class-", "css-pseudo-element-")

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

#: Attributes that only the lint reads, removed before the message is written.
LINT_ATTRIBUTES = re.compile(r' data-almanach-source="[^"]*"')


@dataclass(frozen=True)
class Stylesheet:
    """A stylesheet of the message: inlined into the elements, or kept as a
    ``<style>`` element (what depends on the screen: phones, dark mode)."""

    path: str  # as shown in messages
    text: str
    inlined: bool


class EmailBuilder(StandaloneHTMLBuilder):
    """Writes each letter's email edition (see the module)."""

    name = "email"
    format = "html"
    epilog = "Édition e-mail dans %(outdir)s"
    default_translator_class = EmailTranslator
    allow_parallel = False  # a few letters, each written whole: serial is simpler
    search = False
    copysource = False
    supported_image_types = ["image/png", "image/gif", "image/jpeg", "image/svg+xml", "image/webp"]

    def init(self) -> None:
        super().init()
        self.use_index = False
        settings = almanach_config(self.config)
        base = self.config.html_baseurl
        if settings.preview:
            # The preview site, beside this folder: its drafts exist nowhere else.
            base = (Path(self.outdir).parent / "html").resolve().as_uri() + "/"
        if not base:
            raise ConfigError(NO_ADDRESS)
        address = urlsplit(base)
        if not settings.preview and (address.scheme not in ("https", "http") or not address.netloc):
            raise ConfigError(BAD_ADDRESS.format(base=base))
        self.base = base if base.endswith("/") else base + "/"
        self.settings_ = settings
        self.headers = Headers(
            settings.email_from, settings.email_reply_to, settings.email_list_unsubscribe
        )
        self.stylesheets = self.read_stylesheets()
        templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            keep_trailing_newline=True,
        )
        self.template = templates.get_template(TEMPLATE.name)
        # Imported here: every build registers this builder, only this one uses them.
        import css_inline

        self.inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)

    def read_stylesheets(self) -> list[Stylesheet]:
        """The built-in stylesheets, and the project's (``almanach_email_css``)."""
        sheets = [Stylesheet(str(STYLESHEET), read_css(STYLESHEET), True)]
        if self.settings_.email_css:
            path = Path(self.confdir, self.settings_.email_css)
            try:
                text = read_css(path)
            except OSError as error:
                raise ConfigError(
                    f"almanach_email_css : feuille de style illisible ({path}) : "
                    f"{error.strerror or error}"
                ) from None
            if "</style" in text.lower():
                raise ConfigError(
                    f"almanach_email_css : {path} contient « </style> », qui fermerait la "
                    "feuille de style dans le message : retirez-le."
                )
            sheets.append(Stylesheet(str(path), text, True))
        sheets.append(Stylesheet(str(MEDIA_STYLESHEET), read_css(MEDIA_STYLESHEET), False))
        return sheets

    # -- addresses: the published site's ----------------------------------------

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.base + self.get_target_uri(to, typ)

    def page_address(self, docname: str) -> str:
        return self.base + self.get_target_uri(docname)

    def absolute_address(self, docname: str, refuri: str, refid: str) -> str:
        return absolute_address(self.page_address(docname), refuri, refid)

    @property
    def pdf_url(self) -> str:
        return self.base + self.settings_.pdf_filename

    # -- which documents: the letters ------------------------------------------------

    def letters(self) -> dict[str, Any]:
        domain = self.env.domains["almanach"]
        return {letter.docname: letter for letter in domain.letters()}

    def get_outdated_docs(self) -> list[str]:
        # Every letter, every time: a message depends on its letter, the
        # registries and the configuration; writing a few is cheaper than
        # deciding which.
        return sorted(self.letters())

    def prepare_writing(self, docnames: Set[str]) -> None:
        self.docsettings = _compat.html_writer_settings(self.env)
        self.docsettings.compact_lists = bool(self.config.html_compact_lists)
        self.written: list[dict[str, Any]] = []
        #: What the stylesheets and the template bring is said once a build,
        #: not once a letter.
        self.reported: set[tuple[str, str]] = set()
        #: The letter written for each month (as shown): one message a month.
        self.months: dict[str, str] = {}

    def copy_assets(self) -> None:
        pass  # the message carries no file: its images and PDF are the site's

    def write_documents(self, docnames: Set[str]) -> None:
        self.letter_records = self.letters()
        super().write_documents(set(self.letter_records))

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        # Images stay on the site: the message links to them.
        self.imgpath = self.base + self.imagedir
        self.post_process_images(doctree)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        letter = self.letter_records[docname]
        doctree.settings = self.docsettings
        self.secnumbers = {}
        self.fignumbers = {}
        self.current_docname = docname
        self.imgpath = self.base + self.imagedir
        translator = self.create_translator(doctree, self)
        for name in OWN_NODES:  # this builder's blocks, not the site's
            translator.__dict__.pop(f"visit_{name}", None)
            translator.__dict__.pop(f"depart_{name}", None)
        doctree.walkabout(translator)
        body = email_fragment("".join(translator.fragment), self.page_address(docname))
        text, links = render_text(doctree, self)
        self.write_edition(docname, letter, body, text, links.listing())

    # -- one letter's edition ----------------------------------------------------------

    def write_edition(
        self, docname: str, letter: Any, body: str, text: str, links: list[str]
    ) -> None:
        settings = self.settings_
        folder = Path(self.outdir, letter.date)
        if letter.date in self.months:
            warn(
                AlmanachWarning.EMAIL_MONTH,
                f"deux lettres sont datées {letter.date} ({self.months[letter.date]} et "
                f"celle-ci) : l’édition e-mail n’a qu’un message par mois "
                f"(build/email/{letter.date}/). Corrigez la date de l’une d’elles.",
                (docname, letter.line),
            )
            return
        source = Path(self.env.doc2path(docname))
        self.months[letter.date] = self.shown(source)
        self.problems: list[str] = []
        label = letter_label(letter)
        # One line: a header cannot hold a line break (a title written on two).
        title = " ".join(letter.title.split())
        subject = f"{settings.programme} — {label} : {title}"
        page = self.page_address(docname)
        unsubscribe = unsubscribe_link(self.headers.unsubscribe)
        publisher = self.config.html_context.get("almanach_author") or settings.publisher
        document = self.template.render(
            subject=french_spacing(subject),
            stylesheets=self.stylesheets,
            preheader=french_spacing(" ".join((letter.summary or title).split())),
            preheader_padding=PREHEADER_PADDING,
            page_url=page,
            pdf_url=self.pdf_url,
            site_url=self.base,
            programme=settings.programme,
            body=Markup(body),
            first_line=letter.line,
            letter_label=french_spacing(label),
            publisher_line=f"Par {publisher}",
            unsubscribe_url=unsubscribe,
        )
        self.check_support(docname, document)
        html = self.inline(document) + "\n"
        plain = self.plain_text(subject, page, text, links, unsubscribe)
        message = compose(
            subject=subject, month=letter.date, text=plain, html=html, headers=self.headers
        )
        html_bytes = html.encode("utf-8")
        eml_bytes = message.as_bytes()
        if len(html_bytes) > CLIP_BYTES:
            self.warn_problem(
                AlmanachWarning.EMAIL_SIZE,
                f"la version e-mail de la lettre pèse {kilobytes(len(html_bytes))} "
                f"(lettre.html) : au-delà de {CLIP_BYTES // 1024} Ko, Gmail la coupe et "
                "cache la suite derrière « [Message tronqué] ». Raccourcissez la lettre, ou "
                "renvoyez une partie vers le site.",
                (docname, letter.line),
            )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lettre.html").write_bytes(html_bytes)
        (folder / "lettre.txt").write_text(plain, encoding="utf-8")
        (folder / "lettre.eml").write_bytes(eml_bytes)
        summary = {
            "letter": letter.date,
            "number": letter.number,
            "source": self.shown(source),
            "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "status": letter.status,
            "subject": subject,
            "page": page,
            "html_bytes": len(html_bytes),
            "text_bytes": len(plain.encode("utf-8")),
            "eml_bytes": len(eml_bytes),
            "missing_headers": [header for header, _setting in self.headers.missing()],
            # Where its links lead, and whether it is a preview's (links to the
            # disk): almanach email send sends neither to the list.
            "base": self.base,
            "preview": settings.preview,
            # The build's warnings about this message: the list gets none of them.
            "problems": self.problems,
        }
        (folder / "lettre.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.written.append(summary)

    def shown(self, path: Path) -> str:
        """A path as shown to editors: from the project's folder."""
        return shown_path(path, Path(self.srcdir).parent)

    def drop_stale_editions(self) -> None:
        """Remove the editions of letters this build no longer has (deleted,
        unpublished): ``almanach email send`` must not find them."""
        written = {summary["letter"] for summary in self.written}
        for folder in Path(self.outdir).iterdir():
            if (
                folder.is_dir()
                and DATE_PATTERN.match(folder.name)
                and folder.name not in written
                and (folder / "lettre.json").is_file()
            ):
                shutil.rmtree(folder)

    def check_support(self, docname: str, document: str) -> None:
        """Warn, located, about what the main mail clients lack."""
        from . import support  # tinycss2 and the support tables: for this builder only

        inlined = {sheet.path for sheet in self.stylesheets if sheet.inlined}
        for finding in support.lint(document):
            if finding.origin in inlined and finding.slug.startswith(SELECTOR_SLUGS):
                continue  # the build resolves the selectors of inlined stylesheets
            if finding.enhancement:
                continue
            if finding.origin:
                location: Any = f"{finding.origin}:{finding.origin_line or ''}"
            elif finding.source_line:
                location = (docname, finding.source_line)
            else:  # outside the letter's body: the message's frame
                location = str(TEMPLATE)
            message = support.describe(finding)
            if not isinstance(location, tuple):
                if (location, finding.slug) in self.reported:
                    self.problems.append(message)  # said once, for the first letter
                    continue
                self.reported.add((location, finding.slug))
            self.warn_problem(AlmanachWarning.EMAIL_SUPPORT, message, location)

    def warn_problem(self, kind: AlmanachWarning, message: str, location: Any) -> None:
        """A warning about the message being written, also kept in its summary."""
        warn(kind, message, location)
        self.problems.append(message)

    def inline(self, document: str) -> str:
        """The message's HTML: styles inlined, the lint's attributes gone."""
        document = LINE_ATTRIBUTES.sub("", LINT_ATTRIBUTES.sub("", document))
        return self.inliner.inline(document)

    def plain_text(
        self, subject: str, page: str, text: str, links: list[str], unsubscribe: str
    ) -> str:
        """The text part: the letter, then its links, then where to read it."""
        lines = [
            french_spacing(subject),
            "",
            f"{french_spacing('Voir dans le navigateur :')} {page}",
            f"{french_spacing('Le recueil de l’année en PDF :')} {self.pdf_url}",
            "",
            text.rstrip("\n"),
        ]
        if links:
            lines += ["", "Liens", "-----", "", *links]
        lines += ["", "--", f"{self.settings_.programme} — {self.base}"]
        if unsubscribe:
            lines.append(f"{french_spacing('Se désinscrire :')} {unsubscribe}")
        return "\n".join(lines) + "\n"

    def finish(self) -> None:
        self.drop_stale_editions()
        missing = self.headers.missing()
        if missing and self.written:
            say(
                _compat.builder_application(self),
                "Édition e-mail sans "
                + ", ".join(f"{header} ({setting})" for header, setting in missing)
                + " : les messages sont écrits sans ces en-têtes. Définissez ces variables "
                "pour les envoyer à une liste.",
            )
        for summary in self.written:
            say(
                _compat.builder_application(self),
                f"{summary['source']} : e-mail écrit (HTML {kilobytes(summary['html_bytes'])}, "
                f"texte {kilobytes(summary['text_bytes'])}) dans "
                f"{self.shown(Path(self.outdir, summary['letter']))}/",
            )


def read_css(path: Path) -> str:
    """A stylesheet's text, its comments blanked (they are for its authors, and
    some clients drop the rule after one) with their lines kept: the lint's
    locations count them."""
    text = path.read_text(encoding="utf-8")
    return CSS_COMMENT.sub(lambda match: "\n" * match.group().count("\n"), text)


def kilobytes(size: int) -> str:
    """« 45,2 Ko »."""
    return f"{size / 1024:.1f} Ko".replace(".", ",")


def drop_theme_files(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` (after the theme's): the message carries no file, but
    the site's theme writes its ``_static/pygments.css`` into every HTML-like
    output."""
    if app.builder.name == EmailBuilder.name:
        shutil.rmtree(Path(app.outdir, "_static"), ignore_errors=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Loaded by Sphinx when a build asks for the ``email`` builder (the package's
    ``sphinx.builders`` entry point), after the almanach extension: the other
    builds never import the email edition (4 MB of modules)."""
    app.add_builder(EmailBuilder)
    app.connect("build-finished", drop_theme_files, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
