"""Digests of the collected records: what tells a build that a gathered page
would show something else.

When a document is read, :func:`document_digest` gives each of its records a
pair of digests (:func:`record_digests`: what a view shows without the record's
body, and with it) and the document one digest of all its records. The
gathering pages' keys (:meth:`almanach.domain.selection.Selection.page_key`)
are made of the records' digests, and :func:`collected_fingerprint` of the
documents' — so a build that read nothing hashes no record.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from typing import Any

from docutils import nodes

from ..model import records

#: Fields that views never show: where in the file (the order of records is
#: compared through their sequence), the digests themselves, and what is taken
#: from the body (the resources it cites).
UNSHOWN = frozenset({"line", "order", "digest", "cited"})


def document_digest(per_key: Mapping[str, Any]) -> str:
    """A digest of one document's records, ``per_key`` giving them by kind (in
    the order of the domain's kinds, absent kinds left out). Each record of a
    list is given its pair of digests (``record.digest``) on the way."""
    digest = hashlib.sha256()
    for key, value in per_key.items():
        digest.update(key.encode())
        if isinstance(value, list):
            for record in value:
                record.digest = record_digests(record)
                digest.update("".join(record.digest).encode())
        else:
            digest.update(pickle.dumps(comparable(value), protocol=4))
    return digest.hexdigest()


def collected_fingerprint(digests: Mapping[str, str]) -> str:
    """A digest of every document's records, from the documents' digests."""
    digest = hashlib.sha256()
    for docname in sorted(digests):
        digest.update(f"{docname}\0{digests[docname]}\0".encode())
    return digest.hexdigest()


def record_digests(record: Any) -> tuple[str, str]:
    """What a view can show of a record: without its body, and with it."""
    head = comparable(record, skip=UNSHOWN | {"body"})
    head_digest = short_digest(pickle.dumps(head, protocol=4))
    if not hasattr(record, "body"):
        return head_digest, head_digest  # one string, twice
    return head_digest, short_digest(
        head_digest.encode() + pickle.dumps(comparable(record.body), protocol=4)
    )


def short_digest(data: bytes) -> str:
    """A short digest (16 bytes): records are many, and only compared."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def comparable(value: Any, skip: frozenset[str] = UNSHOWN) -> Any:
    """Records with their node bodies rendered as text, for fingerprinting."""
    if isinstance(value, records.PackedNodes):
        value = value.nodes()
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, dict):
        return sorted((key, comparable(item)) for key, item in value.items())
    if hasattr(value, "__dataclass_fields__"):
        return [
            (name, comparable(getattr(value, name)))
            for name in value.__dataclass_fields__
            if name not in skip
        ]
    if isinstance(value, nodes.Node):
        return value.pformat()
    return value
