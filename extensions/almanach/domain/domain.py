"""The ``almanach`` domain: the records of every document, keyed by document,
and the cross-reference roles.

The domain stores and resolves; it computes nothing from a document itself.
:meth:`AlmanachDomain.process_doc` stores what :func:`almanach.reading.collect.collect`
returns; every change to ``self.data``'s records goes through a method that
drops the indexes derived from them (:meth:`AlmanachDomain.derived`). The
digests live in :mod:`almanach.domain.digests`, the links in
:mod:`almanach.domain.links`, the queries of the gathered views in
:mod:`almanach.domain.selection`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import _
from sphinx.roles import XRefRole

from ..model import records
from ..model.registry import Registry
from ..reading.collect import (
    DocumentRecords,
    collect,
    duplicates,
    is_letter,
    warn_duplicate_resource,
)
from ..rules.ids import MENTION_KINDS, Known, unknown_mention
from ..warnings_ import AlmanachWarning, warn
from . import digests, links

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


#: Data keyed by document name; each is cleared and merged per document.
RECORDS = ("letters", *DocumentRecords.LISTS, "targets")
#: ``digests``: a digest of each document's records, computed once when it is read.
PER_DOC = (*RECORDS, "digests")

#: Documents whose gathered views depend on the records above: their (view, target).
GATHERING = "gathering"


class MentionRole(XRefRole):
    """``{territory}`id```, ``{person}`Texte <id>```…: a mention that links."""

    def process_link(self, env, refnode, has_explicit_title, title, target):  # type: ignore[override]
        refnode["almanach_explicit"] = has_explicit_title
        return title, target.strip()


class AlmanachDomain(Domain):
    """Letters, territory updates, quotations, resources, mentions, rubriques."""

    name = "almanach"
    label = "Territoires Pilotes"
    data_version = 8
    object_types = {
        "territory": ObjType(_("territoire"), "territory"),
        "person": ObjType(_("personne"), "person"),
        "organisation": ObjType(_("organisation"), "organisation"),
        "event": ObjType(_("événement"), "event"),
        "resource": ObjType(_("ressource"), "resource"),
    }
    roles = {kind: MentionRole(innernodeclass=nodes.inline) for kind in MENTION_KINDS}
    initial_data: dict[str, Any] = {
        **{key: {} for key in PER_DOC},
        GATHERING: {},
        "registry": Registry(),
        # What each output (builder and folder) last showed: the fingerprint of
        # every record, and the key of each gathering page.
        "fingerprint": {},
        "page_keys": {},
        # The registries each output was last written with.
        "registry_state": {},
        # The resources each output last showed, to rewrite only the pages that cite
        # a changed one.
        "resource_state": {},
    }

    # -- accessors ------------------------------------------------------------

    @property
    def registry(self) -> Registry:
        return self.data["registry"]

    def letters(self, statuses: Iterable[str] | None = None) -> list[records.Letter]:
        """Letters in date order (all, or those with one of ``statuses``)."""
        wanted = set(statuses) if statuses is not None else None
        found = [
            letter
            for letter in self.data["letters"].values()
            if wanted is None or letter.status in wanted
        ]
        return sorted(found, key=lambda letter: letter.sort_key)

    def records(self, key: str) -> list[Any]:
        """Every record of one kind, in letter date order then position."""
        order = {letter.docname: letter.sort_key for letter in self.data["letters"].values()}
        items = [item for per_doc in self.data[key].values() for item in per_doc]
        return sorted(
            items,
            key=lambda item: (order.get(item.place.docname, ("9999",)), item.place.order),
        )

    def resource(self, resource_id: str, near: str = "") -> records.ResourceLink | None:
        """The resource with this id: the one declared in ``near`` if any, else a
        letter's, else one declared in another page (the guide's examples)."""
        found = list(self.resource_index().get(resource_id, ()))
        found.sort(
            key=lambda r: (r.place.docname != near, not is_letter(self.env, r.place.docname))
        )
        return found[0] if found else None

    def resource_index(self) -> dict[str, list[records.ResourceLink]]:
        """Resources by id."""

        def build() -> dict[str, list[records.ResourceLink]]:
            index: dict[str, list[records.ResourceLink]] = {}
            for per_doc in self.data["resources"].values():
                for resource in per_doc:
                    index.setdefault(resource.id, []).append(resource)
            return index

        return self.derived("resources", build)

    def target(self, kind: str, target_id: str) -> tuple[str, str] | None:
        """The (docname, anchor) where a registry entry has its own page or section."""

        def build() -> dict[str, tuple[str, str]]:
            index: dict[str, tuple[str, str]] = {}
            for docname, targets in self.data["targets"].items():
                for name, anchor in targets.items():
                    index.setdefault(name, (docname, anchor))
            return index

        return self.derived("targets", build).get(f"{kind}:{target_id}")

    def collected_fingerprint(self) -> str:
        """A digest of every record the gathered views show (see
        :func:`almanach.domain.digests.collected_fingerprint`)."""
        return digests.collected_fingerprint(self.data["digests"])

    # -- derived indexes --------------------------------------------------------

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """An index derived from the records: ``build()`` once, again after any
        change of the records (every method below that changes them drops the
        derived indexes). Kept on this object, never pickled."""
        cache = self.__dict__.setdefault("_derived", {})
        if name not in cache or cache[name][0] is not self.data:
            cache[name] = self.data, build()
        return cache[name][1]

    def _changed(self) -> None:
        """The records changed: every derived index is built again when asked."""
        self.__dict__.pop("_derived", None)

    # -- changing the records ---------------------------------------------------

    def add_records(self, docname: str, found: DocumentRecords) -> None:
        """Store a document's records (read after :meth:`clear_doc`), and digest
        them with the targets its directives declared."""
        if found.letter is not None:
            self.data["letters"][docname] = found.letter
        for key in DocumentRecords.LISTS:
            value = getattr(found, key)
            if value:
                self.data[key][docname] = value
            else:
                self.data[key].pop(docname, None)
        self.data["digests"][docname] = digests.document_digest(
            {key: self.data[key][docname] for key in RECORDS if docname in self.data[key]}
        )
        self._changed()

    def use_registry(self, registry: Registry) -> None:
        """The registries of this build (read on ``builder-inited``)."""
        self.data["registry"] = registry
        self._changed()

    def registry_is_new(self) -> bool:
        """Whether the registries differ from those the stored documents were
        read with; the new ones are remembered."""
        fingerprint = self.registry.fingerprint
        if self.data.get("registry_fingerprint") == fingerprint:
            return False
        self.data["registry_fingerprint"] = fingerprint
        return True

    def swap_output_state(self, output: str, name: str, value: Any) -> Any:
        """Store what ``output`` (a builder and its folder) is now written from
        — ``name``: ``registry_state``, ``fingerprint``, ``page_keys`` or
        ``resource_state`` — and return what was stored before (None). No
        derived index depends on it."""
        previous = self.data[name].get(output)
        self.data[name][output] = value
        return previous

    def add_target(self, docname: str, kind: str, target_id: str, anchor: str) -> None:
        """A registry entry's page or section (``anchor`` in ``docname``)."""
        self.data["targets"].setdefault(docname, {})[f"{kind}:{target_id}"] = anchor
        self._changed()

    def note_gathering(self, docname: str, view: str, target: str) -> None:
        """Note a gathered view in a page (see :func:`almanach.domain.selection.page_key`)."""
        self.data[GATHERING].setdefault(docname, []).append((view, target))
        self._changed()

    # -- environment protocol -------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        for key in (*PER_DOC, GATHERING):
            self.data[key].pop(docname, None)
        self._changed()

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        # Only the given documents: the forked reader also holds every other one.
        for key in (*PER_DOC, GATHERING):
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self._changed()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        self.add_records(docname, collect(env, docname, document, self.registry))

    def check_consistency(self) -> None:
        """A resource declared by two letters: said at the later one, in the order
        of the letters' names — the order ``almanach check`` reads them in,
        whichever letters this build read, and in whatever order parallel readers
        finished. (Twice in one letter is said when it is read.)"""
        declared = (
            resource
            for docname in sorted(self.data["resources"])
            if is_letter(self.env, docname)
            for resource in self.data["resources"][docname]
        )
        for resource, first in duplicates(declared):
            warn_duplicate_resource(self.env, resource, first)

    # -- cross-references -----------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Node | None:
        if typ not in MENTION_KINDS:
            return None
        report = not node.get("almanach_copy", False)
        if typ == "resource":
            return self._resolve_resource(builder, fromdocname, target, node, contnode, report)
        entry = self.registry.lookup(MENTION_KINDS[typ], target)
        if entry is None:
            if report:
                warn_unknown(self, typ, target, node)
            return _text(node, target)
        if not node.get("almanach_explicit"):
            contnode = nodes.inline(entry.label, entry.label, classes=contnode["classes"])
        return self._entry_link(builder, fromdocname, typ, entry, contnode)

    def resolve_mention(
        self, builder: Builder, fromdocname: str, kind: str, target: str, label: str
    ) -> nodes.Node:
        """What a mention made by code (see :func:`almanach.reading.roles.mention`) resolves
        to, without the round trip through a ``pending_xref``: the gathered views
        make thousands."""
        classes = ["xref", "almanach", f"almanach-{kind}"]
        if kind == "resource":
            resource = self.resource(target, near=fromdocname)
            if resource is None:
                return nodes.inline(label, label)
            contnode = nodes.inline(resource.title, resource.title, classes=classes)
            return links.resource_link(builder, fromdocname, resource, contnode)
        entry = self.registry.lookup(MENTION_KINDS[kind] or "", target)
        if entry is None:
            return nodes.inline(label, label)
        contnode = nodes.inline(entry.label, entry.label, classes=classes)
        return self._entry_link(builder, fromdocname, kind, entry, contnode)

    def _entry_link(self, builder, fromdocname, kind, entry, contnode):
        place = self.target(kind, entry.id)
        if place is None:
            return contnode
        return links.refnode(builder, fromdocname, place[0], place[1], contnode, entry.label)

    def _resolve_resource(self, builder, fromdocname, target, node, contnode, report):
        resource = self.resource(target, near=node.get("refdoc", fromdocname))
        if resource is None:
            if report:
                warn_unknown(self, "resource", target, node)
            return _text(node, target)
        if not node.get("almanach_explicit"):
            contnode = nodes.inline(resource.title, resource.title, classes=contnode["classes"])
        return links.resource_link(builder, fromdocname, resource, contnode)

    def refnode(self, builder, fromdocname, todocname, anchor, contnode, title=None):
        """A link to a place (see :func:`almanach.domain.links.refnode`)."""
        return links.refnode(builder, fromdocname, todocname, anchor, contnode, title)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for docname, targets in self.data["targets"].items():
            for key, anchor in targets.items():
                kind, _sep, target_id = key.partition(":")
                entry = self.registry.lookup(MENTION_KINDS.get(kind) or "", target_id)
                label = entry.label if entry else target_id
                yield (target_id, label, kind, docname, anchor, 1)


def warn_unknown(domain: AlmanachDomain, kind: str, target: str, node: nodes.Node) -> None:
    known = Known(
        domain.registry,
        registry_dir=domain.registry.folder,
        resources={r.id for per_doc in domain.data["resources"].values() for r in per_doc},
    )
    message = unknown_mention(
        kind, target, known, node.get("almanach_origin", ""), node.get("almanach_hint", "")
    )
    warn(AlmanachWarning.UNKNOWN_ID, message, node)


def _text(node: nodes.Element, target: str) -> nodes.Node:
    text = node.astext() or target
    return nodes.inline(text, text)
