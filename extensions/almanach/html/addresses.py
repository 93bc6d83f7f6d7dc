"""Published addresses: the site's absolute URLs come from its published
address (``html_baseurl``, set from ``ALMANACH_BASEURL`` or Read the Docs) and
from nowhere else.

- A build for publication (``almanach_publication``: the deployment sets
  ``ALMANACH_PUBLISH=1``) without that address stops before reading anything,
  with a French message: its sitemap, feed, calendar and canonical links would
  have no address to point to.
- A local build without it writes no absolute address (no sitemap, no
  canonical link; the feed and the calendar link relatively) and says so in
  one line: a local address (``127.0.0.1``) is never written into a file that
  could be published.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

from ..config import almanach_config
from ..progress import say

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: What the editor reads when a publication build has no address.
NO_ADDRESS_TO_PUBLISH = (
    "publication sans adresse : ALMANACH_BASEURL n’est pas défini. Le plan du site, "
    "le flux Atom, le calendrier et les liens canoniques ont besoin de l’adresse "
    "publique du site. Définissez-la, par exemple "
    "ALMANACH_BASEURL=https://exemple.github.io/almanach/ (sur GitHub : la variable "
    "de dépôt ALMANACH_BASEURL), ou construisez sans ALMANACH_PUBLISH pour un aperçu local."
)
#: What a local build without an address says, once, at its end.
LOCAL_BUILD = (
    "Adresse publique : non définie (ALMANACH_BASEURL), construction locale "
    "sans plan du site ni adresse absolue."
)


def check_address(app: Sphinx, config: Config) -> None:
    """``config-inited``: a publication build needs its published address."""
    if almanach_config(config).publication and not config.html_baseurl:
        raise ConfigError(NO_ADDRESS_TO_PUBLISH)


def say_local(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` (before the last line): a site built without an address."""
    site = app.builder.name in ("html", "dirhtml")
    if exception is None and site and not app.config.html_baseurl:
        say(app, LOCAL_BUILD)


def no_relative_page_url(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """``html-page-context`` (after OpenGraph's): without an address, OpenGraph
    writes the page's own path as ``og:url``, which must be absolute: left out."""
    if not app.config.html_baseurl and isinstance(context.get("metatags"), str):
        context["metatags"] = OG_URL.sub("", context["metatags"])


OG_URL = re.compile(r'\n?<meta property="og:url" content="[^"]*" />')


def setup_addresses(app: Sphinx) -> None:
    app.connect("config-inited", check_address, priority=100)
    app.connect("html-page-context", no_relative_page_url, priority=700)
    app.connect("build-finished", say_local, priority=800)
