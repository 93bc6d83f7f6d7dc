"""Gathered views: pages that collect content from every letter.

The gathering directives (their base here, each declared with its views in
:mod:`almanach.gathered.views`) leave :class:`~almanach.reading.nodes.gathered`
placeholders (and, where the registry gives the structure, real sections). The
placeholders are filled by :class:`almanach.gathered.views.FillGatheredViews`.
Pages that gather are rewritten whenever the collected records change
(``env-get-updated``), so an incremental build is never stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from ..domain.domain import GATHERING, AlmanachDomain
from ..domain.selection import selection_of
from ..model.registry import Entry
from ..reading.directives.base import AlmanachDirective
from ..reading.nodes import gathered
from ..reading.roles import mention

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .view import View


# -- directives -------------------------------------------------------------------


class GatheringDirective(AlmanachDirective):
    """A directive of a gathering page: it leaves placeholders for views."""

    has_content = False
    optional_arguments = 1

    def placeholder(self, view: View, target: str = "") -> gathered:
        """Where ``view`` shows for ``target``, noted so the page is kept fresh."""
        self.domain.note_gathering(self.env.docname, view.name, target)
        node = gathered(view=view.name, target=target, docname=self.env.docname)
        self.set_source_info(node)
        return node

    def section(self, anchor: str, title: str) -> nodes.section:
        section = nodes.section(ids=[anchor], names=[nodes.fully_normalize_name(title)])
        self.set_source_info(section)
        section += nodes.title(title, title)
        return section

    def facts(self, rows: Iterable[tuple[str, Any]]) -> list[nodes.field_list]:
        """A field list of the facts a registry entry gives (absent facts are left
        out; none at all, no list: an empty one leaves a gap, and an empty
        description list in LaTeX)."""
        field_list = nodes.field_list(classes=["almanach-facts"])
        for name, value in rows:
            if value in (None, "", []):
                continue
            body = nodes.paragraph()
            if isinstance(value, nodes.Node):
                body += value
            else:
                body += nodes.Text(str(value))
            field_list += nodes.field("", nodes.field_name(name, name), nodes.field_body("", body))
        return [field_list] if field_list.children else []

    def website(self, entry: Entry) -> nodes.Node | None:
        url = entry.get("website")
        if not url:
            return None
        return nodes.reference(url, url, refuri=url, internal=False)

    def link(self, kind: str, entry: Entry) -> nodes.Node:
        return mention(kind, entry.id, entry.label, self.env.docname, False)


class SimpleView(GatheringDirective):
    """A directive that leaves one placeholder, for its ``view`` of everything."""

    view: ClassVar[View]

    def run(self) -> list[nodes.Node]:
        self.checked()
        return [self.placeholder(self.view)]


# -- keeping gathered pages fresh ---------------------------------------------------


#: In an output folder while its gathering pages' keys are not known to be written:
#: a build stopped while writing leaves it, and the next build rewrites them all.
WRITING_MARK = ".almanach-writing"


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: what must be written again because the collected
    records changed since this output (builder and folder) was last written —
    builders may share one environment (``make pdf`` then ``make html``), so
    each keeps its own marks:

    - every page, when the registries changed since this output was written (a
      label may be on any page; the documents were read again for the first
      output only);
    - the gathering pages whose views would show something else (their key,
      :meth:`almanach.domain.selection.Selection.page_key`, changed), all of them when
      the last build of this output stopped while writing;
    - the pages that mention a resource whose address, title or place changed
      (a mention links to the address, or shows « lien à venir »).
    """
    from .views import queries_of  # the views import this module's base directive

    domain: AlmanachDomain = env.domains["almanach"]  # type: ignore[assignment]
    output = f"{app.builder.name}:{app.outdir}"
    registry = domain.registry.fingerprint
    everything = domain.swap_output_state(output, "registry_state", registry) != registry
    mark = Path(app.outdir) / WRITING_MARK
    fingerprint = domain.collected_fingerprint()
    same = domain.swap_output_state(output, "fingerprint", fingerprint) == fingerprint
    if same and not (everything or mark.exists()):
        return []
    selection = selection_of(domain)
    keys = {
        docname: selection.page_key(placeholders, queries_of)
        for docname, placeholders in domain.data[GATHERING].items()
    }
    previous_keys = domain.swap_output_state(output, "page_keys", keys) or {}
    before_keys = {} if mark.exists() else previous_keys
    _mark_writing(app)
    gathering = {docname for docname, key in keys.items() if before_keys.get(docname) != key}
    resources = {
        resource.id: (resource.title, resource.url, resource.place.docname, resource.place.anchor)
        for resource in domain.records("resources")
    }
    before = domain.swap_output_state(output, "resource_state", resources) or {}
    changed = {
        rid for rid in resources.keys() | before.keys() if resources.get(rid) != before.get(rid)
    }
    citing = {
        m.place.docname
        for m in domain.records("mentions")
        if m.kind == "resource" and m.target in changed
    }
    if everything:
        return sorted(env.found_docs)
    return sorted((gathering | citing) & env.found_docs)


def _mark_writing(app: Sphinx) -> None:
    """The keys just stored hold once the pages are written: until then, the mark."""
    mark = Path(app.outdir) / WRITING_MARK
    mark.parent.mkdir(parents=True, exist_ok=True)
    mark.touch()


def pages_written(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the pages are written, the keys hold."""
    if exception is None:
        (Path(app.outdir) / WRITING_MARK).unlink(missing_ok=True)


def setup_gathered(app: Sphinx) -> None:
    """Register the gathering directives, the filling transform and the freshness hook."""
    from .views import DIRECTIVES, FillGatheredViews

    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_post_transform(FillGatheredViews)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("build-finished", pages_written)
