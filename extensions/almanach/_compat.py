"""Sphinx's private API, in one place.

almanach reaches into Sphinx where no public API gives what it needs. Each
use is one function here, documented with why, and checked by
``tests/test_compat.py`` against the installed Sphinx: an upgrade that removes
or reshapes one of these attributes fails that test loudly instead of
silently turning a feature off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment


def drop_read_doctrees(env: BuildEnvironment) -> None:
    """Forget the doctrees a serial build keeps in memory until it writes them.

    ``BuildEnvironment._write_doc_doctree_cache`` holds every doctree read, the
    whole archive at once: the largest part of the build's memory. Written
    pages read their doctree back from the pickle Sphinx saved instead."""
    cache = env._write_doc_doctree_cache
    if isinstance(cache, dict):
        cache.clear()


def builder_format(env: BuildEnvironment) -> str:
    """The format of the running builder, as ``SphinxPostTransform.is_supported``
    reads it (``env._builder_cls``): post-transforms get no builder argument."""
    return env._builder_cls.format


def running_builder(env: BuildEnvironment) -> Builder:
    """The running builder, as Sphinx's ``ReferencesResolver`` reaches it
    (``env._app.builder``): post-transforms get no builder argument."""
    return env._app.builder


def translator_domains(translator: Any) -> list[Domain]:
    """Every domain of the build, in Sphinx's order, as the LaTeX translator's
    own ``generate_indices`` walks them (``self._domains.sorted()``)."""
    return list(translator._domains.sorted())


def html_writer_settings(env: BuildEnvironment) -> Any:
    """The docutils settings of Sphinx's HTML writer, as the HTML builder makes
    them in ``prepare_writing`` (``sphinx.util.docutils._get_settings``): the
    email builder writes with the site's translator, without its pages."""
    from sphinx.util.docutils import _get_settings
    from sphinx.writers.html import HTMLWriter

    return _get_settings(HTMLWriter, defaults=env.settings, read_config_files=True)


def builder_application(builder: Builder) -> Any:
    """The application of a builder (``builder._app``), for a builder that says
    a line in a quiet build (:func:`almanach.progress.say`)."""
    return builder._app


def translation_handlers(builder: Builder, name: str) -> dict[str, tuple[Any, Any]]:
    """The visitors extensions registered for the nodes of the ``name`` builders
    (``app.registry.translation_handlers``): the email's text part writes with
    the text builders' ones."""
    return builder._registry.translation_handlers.get(name, {})


def domain_index_pages(builder: Builder) -> list[tuple[str, Any, Any, bool]]:
    """The domain indices an HTML builder generated for this build in
    ``prepare_writing`` (``builder.domain_indices``: name, index class, content,
    collapse), as its ``write_domain_indices`` writes them."""
    return list(builder.domain_indices)  # type: ignore[attr-defined]


def leave_domain_index_pages(builder: Builder, names: frozenset[str]) -> None:
    """Let an HTML builder write its domain index pages except ``names``, which
    the extension writes itself. ``write_domain_indices`` walks
    ``builder.domain_indices``, which the pages' relation links read too: the list
    is narrowed only while that method runs (no event comes between them)."""
    write = builder.write_domain_indices  # type: ignore[attr-defined]

    def write_domain_indices() -> None:
        every = builder.domain_indices  # type: ignore[attr-defined]
        builder.domain_indices = [entry for entry in every if entry[0] not in names]  # type: ignore[attr-defined]
        try:
            write()
        finally:
            builder.domain_indices = every  # type: ignore[attr-defined]

    builder.write_domain_indices = write_domain_indices  # type: ignore[attr-defined]


def sphinx_build_arguments(arguments: list[str]) -> tuple[Any, dict[str, Any]]:
    """sphinx-build's arguments as it reads them (its parser, and
    ``sphinx.cmd.build._parse_confoverrides`` for ``-D``, ``-A`` and ``-n``): make
    live's server makes the build's application once, as the build will.
    ``SystemExit`` for arguments it refuses."""
    from sphinx.cmd.build import _parse_confoverrides, get_parser

    parser = get_parser()
    parsed = parser.parse_args(arguments)
    overrides = _parse_confoverrides(parser, parsed.define, parsed.htmldefine, parsed.nitpicky)
    return parsed, overrides
