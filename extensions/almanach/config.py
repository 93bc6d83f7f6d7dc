"""The ``almanach_*`` settings, declared once with their defaults and types."""

from __future__ import annotations

import runpy
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class AlmanachConfig:
    """Settings of the almanach extension (``almanach_<name>`` in ``conf.py``)."""

    #: The programme's name, as printed on the cover and in the metadata.
    programme: str = "Territoires Pilotes"
    #: Who publishes the letters and the compendium.
    publisher: str = "Association de Promotion de la Fabrique des Transitions"
    #: Folder of the letters, relative to the source folder (a link to ``issues/``).
    letters_dir: str = "lettres"
    #: Folder of the registries (YAML), relative to the configuration folder.
    registry_dir: str = "registres"
    #: Folder where the pages of the pilot territories are generated.
    territories_dir: str = "territoires"
    #: The contribution policy (see almanach.reading.safety): strict by default.
    policy: dict = field(
        default_factory=lambda: {
            "raw_html": False,
            "file_inclusion": False,
            "link_schemes": ["https", "http", "mailto"],
            "trusted_pages": [],
        }
    )
    #: Build every letter, drafts and letters under review included, with a banner.
    preview: bool = False
    #: A build for publication: it needs the site's published address
    #: (``html_baseurl``) and stops without it (almanach.html.addresses).
    publication: bool = False
    #: File name of the PDF compendium, as shipped with the site.
    pdf_filename: str = "territoires-pilotes.pdf"
    #: Subject and keywords written into the PDF metadata.
    pdf_subject: str = "Lettres mensuelles du programme Territoires Pilotes"
    pdf_keywords: str = "transition écologique, collectivités, territoires pilotes"
    #: A tagged PDF (LaTeX's tagging: ``\DocumentMetadata`` phase-II). Off: with
    #: TeX Live 2022's tagpdf its cost grows faster than the links (a programme
    #: year of 12 letters took 38 minutes and five passes instead of 19 seconds,
    #: ``make bench``), and it tags headings as paragraphs and lists not at all.
    #: The PDF says its language (``/Lang fr-FR``) and its title either way.
    pdf_tagged: bool = False
    #: The email edition (almanach.email): the message's sender (``From``), where
    #: replies go (``Reply-To``), how to unsubscribe (``List-Unsubscribe``: a URL or
    #: a ``mailto:``), and the list's address (``almanach email send --list``).
    #: Never invented: an empty one is left out of the message, and the build says so.
    email_from: str = ""
    email_reply_to: str = ""
    email_list_unsubscribe: str = ""
    email_list: str = ""
    #: A stylesheet of the project added after the email edition's own (relative
    #: to the configuration folder; empty: none). Checked like the rest against
    #: what mail clients support.
    email_css: str = ""


def setup_config(app: Sphinx) -> None:
    """Declare every ``almanach_*`` setting."""
    for setting in fields(AlmanachConfig):
        default = (
            setting.default_factory() if callable(setting.default_factory) else setting.default
        )
        app.add_config_value(
            f"almanach_{setting.name}", default, "env", types=frozenset({type(default)})
        )


def almanach_config(config: Config) -> AlmanachConfig:
    """The almanach settings of a Sphinx configuration, as one typed object."""
    return AlmanachConfig(
        **{
            field.name: getattr(config, f"almanach_{field.name}")
            for field in fields(AlmanachConfig)
        }
    )


def read_settings(confdir: Path) -> AlmanachConfig:
    """The almanach settings that ``conf.py`` gives, read without a Sphinx build
    (for the command line: the same folders as the build). ``conf.py`` is the
    maintainers' file (see SECURITY.md), run as the build runs it."""
    namespace = runpy.run_path(str(confdir / "conf.py"))
    return AlmanachConfig(
        **{
            setting.name: namespace[f"almanach_{setting.name}"]
            for setting in fields(AlmanachConfig)
            if f"almanach_{setting.name}" in namespace
        }
    )
