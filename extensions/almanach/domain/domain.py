"""The ``almanach`` domain: everything collected from the letters, keyed by
document, the cross-reference roles, and the domain indices.

Records are added by :meth:`AlmanachDomain.process_doc` from the nodes the
directives leave in the doctree; nothing is kept outside ``self.data``.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.locale import _
from sphinx.roles import XRefRole

from ..html.accessibility import accessible
from ..model import records
from ..model.registry import Registry
from ..reading.collect import collect_document, is_letter
from ..rules.directives import MENTION_KINDS, Known, duplicate_resource, unknown_mention
from ..warnings_ import AlmanachWarning, shown_path, warn
from .selection import Selection

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


#: Relative addresses between pages, per builder (see ``AlmanachDomain.refnode``).
_RELATIVE_URIS: WeakKeyDictionary[Builder, dict[tuple[str, str], str | None]] = WeakKeyDictionary()

#: Data keyed by document name; each is cleared and merged per document.
RECORDS = ("letters", "updates", "quotes", "resources", "mentions", "rubriques", "targets")
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
    data_version = 7
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

    def selection(self) -> Selection:
        """The letters' records indexed for the gathered views, shared by every page."""
        return self.derived("selection", lambda: Selection(self))

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """An index derived from the collected records: ``build()`` again once they
        changed (see :meth:`changed`)."""
        cache = self.__dict__.setdefault("_derived", {})
        if cache.get(name, (None,))[0] != self._records_state():
            cache[name] = self._records_state(), build()
        return cache[name][1]

    def keep_derived(self, name: str, value: Any) -> None:
        """``value`` is the index ``name`` of the records as they are now."""
        self.__dict__.setdefault("_derived", {})[name] = self._records_state(), value

    def _records_state(self) -> tuple[int, int]:
        return id(self.data), getattr(self, "_generation", 0)

    def changed(self) -> None:
        """Note that the collected records changed (drops the derived indexes)."""
        self._generation = getattr(self, "_generation", 0) + 1

    def add_target(self, docname: str, kind: str, target_id: str, anchor: str) -> None:
        self.data["targets"].setdefault(docname, {})[f"{kind}:{target_id}"] = anchor

    def note_gathering(self, docname: str, view: str, target: str) -> None:
        """Note a gathered view in a page (see :func:`almanach.domain.selection.page_key`)."""
        self.data[GATHERING].setdefault(docname, []).append((view, target))

    def collected_fingerprint(self) -> str:
        """A digest of every record the gathered views show: the documents'
        digests, so a build that read nothing does not hash every record."""
        digest = hashlib.sha256()
        for docname in sorted(self.data["digests"]):
            digest.update(f"{docname}\0{self.data['digests'][docname]}\0".encode())
        return digest.hexdigest()

    def note_digest(self, docname: str) -> None:
        """Digest one document's records (after collecting it): each record's
        pair (see :mod:`almanach.domain.selection`), then the document's."""
        digest = hashlib.sha256()
        for key in RECORDS:
            if docname not in self.data[key]:
                continue
            digest.update(key.encode())
            value = self.data[key][docname]
            if isinstance(value, list):
                for record in value:
                    record.digest = _record_digests(record)
                    digest.update("".join(record.digest).encode())
            else:
                digest.update(pickle.dumps(_comparable(value), protocol=4))
        self.data["digests"][docname] = digest.hexdigest()

    # -- environment protocol -------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        for key in (*PER_DOC, GATHERING):
            self.data[key].pop(docname, None)
        self.changed()

    def check_consistency(self) -> None:
        """A resource declared by two letters: said at the later one, in the order
        of the letters' names — the order ``almanach check`` reads them in,
        whichever letters this build read, and in whatever order parallel readers
        finished. (Twice in one letter is said when it is read.)"""
        first: dict[str, records.ResourceLink] = {}
        for docname in sorted(self.data["resources"]):
            if not is_letter(self.env, docname):
                continue
            for resource in self.data["resources"][docname]:
                if resource.id in first:
                    warn_duplicate_resource(self.env, resource, first[resource.id])
                else:
                    first[resource.id] = resource

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        # Only the given documents: the forked reader also holds every other one.
        for key in (*PER_DOC, GATHERING):
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self.changed()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        index = self.resource_index()  # current: the document was cleared before
        collect_document(self, env, docname, document)
        self.note_digest(docname)
        self.changed()
        # Reading adds documents one by one: the resource index follows rather than
        # being rebuilt for each (the targets' index is rebuilt, it is small).
        for resource in self.data["resources"].get(docname, []):
            index.setdefault(resource.id, []).append(resource)
        self.keep_derived("resources", index)

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
            return self._resource_link(builder, fromdocname, resource, contnode)
        entry = self.registry.lookup(MENTION_KINDS[kind] or "", target)
        if entry is None:
            return nodes.inline(label, label)
        contnode = nodes.inline(entry.label, entry.label, classes=classes)
        return self._entry_link(builder, fromdocname, kind, entry, contnode)

    def _entry_link(self, builder, fromdocname, kind, entry, contnode):
        place = self.target(kind, entry.id)
        if place is None:
            return contnode
        return self.refnode(builder, fromdocname, place[0], place[1], contnode, entry.label)

    def _resolve_resource(self, builder, fromdocname, target, node, contnode, report):
        resource = self.resource(target, near=node.get("refdoc", fromdocname))
        if resource is None:
            if report:
                warn_unknown(self, "resource", target, node)
            return _text(node, target)
        if not node.get("almanach_explicit"):
            contnode = nodes.inline(resource.title, resource.title, classes=contnode["classes"])
        return self._resource_link(builder, fromdocname, resource, contnode)

    def _resource_link(self, builder, fromdocname, resource, contnode):
        """A resource's title: a link to its address, or to where it is declared
        with « (lien à venir) »."""
        if resource.url:
            reference = nodes.reference(
                "",
                "",
                contnode,
                refuri=resource.url,
                internal=False,
                reftitle=resource.title,
                classes=["almanach-resource-link"],
            )
            return accessible(reference, resource.title)
        pending = nodes.inline("", "", classes=["almanach-pending"])
        linked = self.refnode(
            builder,
            fromdocname,
            resource.place.docname,
            resource.place.anchor,
            contnode,
            resource.title,
        )
        if isinstance(linked, nodes.reference):
            linked = accessible(linked, f"{resource.title} ({_('lien à venir')})")
        pending += linked
        mark = _(" (lien à venir)")
        pending += nodes.inline(mark, mark, classes=["almanach-pending-mark"])
        return pending

    def refnode(self, builder, fromdocname, todocname, anchor, contnode, title=None):
        """What ``make_refnode`` makes, the relative addresses computed once per
        pair of pages (gathered pages link to the same letters thousands of times)."""
        if fromdocname == todocname and anchor:
            reference = nodes.reference("", "", internal=True, refid=anchor)
        else:
            # The LaTeX builder's addresses depend on the document being assembled:
            # cached for the HTML builders only.
            uris = _RELATIVE_URIS.setdefault(builder, {}) if builder.format == "html" else {}
            pair = (fromdocname, todocname)
            if pair not in uris:
                try:
                    uris[pair] = builder.get_relative_uri(fromdocname, todocname)
                except NoUri:
                    uris[pair] = None
            if uris[pair] is None:
                return contnode
            uri = uris[pair] + "#" + anchor if anchor else uris[pair]
            reference = nodes.reference("", "", internal=True, refuri=uri)
        if title:
            reference["reftitle"] = title
        reference += contnode
        return reference

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for docname, targets in self.data["targets"].items():
            for key, anchor in targets.items():
                kind, _sep, target_id = key.partition(":")
                entry = self.registry.lookup(MENTION_KINDS.get(kind) or "", target_id)
                label = entry.label if entry else target_id
                yield (target_id, label, kind, docname, anchor, 1)


def warn_duplicate_resource(
    env: BuildEnvironment, resource: records.ResourceLink, first: records.ResourceLink
) -> None:
    first_path = shown_path(env.doc2path(first.place.docname))
    warn(
        AlmanachWarning.DUPLICATE_ID,
        duplicate_resource(resource.id, first_path, first.place.line, same_file=False),
        (resource.place.docname, resource.place.line),
    )


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


#: Fields that views never show: where in the file (the order of records is
#: compared through their sequence), and the digests themselves.
_UNSHOWN = frozenset({"line", "order", "digest"})


def _record_digests(record: Any) -> tuple[str, str]:
    """What a view can show of a record: without its body, and with it."""
    head = _comparable(record, skip=_UNSHOWN | {"body"})
    head_digest = _digest(pickle.dumps(head, protocol=4))
    if not hasattr(record, "body"):
        return head_digest, head_digest  # one string, twice
    return head_digest, _digest(
        head_digest.encode() + pickle.dumps(_comparable(record.body), protocol=4)
    )


def _digest(data: bytes) -> str:
    """A short digest (16 bytes): records are many, and only compared."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _comparable(value: Any, skip: frozenset[str] = _UNSHOWN) -> Any:
    """Records with their node bodies rendered as text, for fingerprinting."""
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        return sorted((key, _comparable(item)) for key, item in value.items())
    if hasattr(value, "__dataclass_fields__"):
        return [
            (name, _comparable(getattr(value, name)))
            for name in value.__dataclass_fields__
            if name not in skip
        ]
    if isinstance(value, nodes.Node):
        return value.pformat()
    return value
