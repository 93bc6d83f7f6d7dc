"""Ids: what a mention refers to, what the project knows, and the messages
about an id — unknown (with the close ids and the registry entry to paste),
rejected, declared twice — written once for the build's domain and
directives and for ``almanach check``."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..model.schemas import SCHEMAS, Schema
from ..warnings_ import close_matches, of, plural
from .characters import shorten

#: What a mention role refers to: a registry, or (``None``) the resources
#: the letters declare.
MENTION_KINDS: dict[str, str | None] = {
    "territory": "territories",
    "person": "people",
    "organisation": "organisations",
    "event": "events",
    "resource": None,
}
#: Said of a quote's unknown ``:source:``: it may also be a bibliography key.
SOURCE_HINT = " (ou citez une clé de references.bib)"
#: What one of each kind is, in French (« identifiant de personne »).
KIND_LABELS = {
    "territory": "territoire",
    "person": "personne",
    "organisation": "organisation",
    "event": "événement",
    "resource": "ressource",
}


@dataclass(frozen=True)
class Known:
    """What the project knows, for the rules: the registries (``registry[name]``
    maps ids to entries), the keys of references.bib, the resources the letters
    declare, and the registries' folder as messages name it."""

    registry: Any
    bib_keys: Collection[str] = ()
    registry_dir: str = "docs/registres"
    resources: Collection[str] = ()

    def ids(self, registry: str) -> Collection[str]:
        return self.resources if registry == "resources" else self.registry[registry]


def unknown_id(registry: str, entry_id: str, known: Known, where: str = "") -> str:
    """The message for an id that ``registry`` does not hold: the close ids, and
    the entry to add to the registry file, ready to paste."""
    schema = SCHEMAS[registry]
    place = f" ({where})" if where else ""
    rejected = getattr(known.registry, "rejected", {}).get(registry, {})
    if entry_id in rejected:
        return (
            f"identifiant {of(schema.label)} « {entry_id} »{place} : son entrée de "
            f"{known.registry_dir}/{schema.filename} (ligne {rejected[entry_id]}) n’est pas "
            "valide ; corrigez-la (voir le message sur ce fichier)"
        )
    return (
        f"identifiant {of(schema.label)} inconnu : « {entry_id} »{place}"
        f"{close_matches(entry_id, known.ids(registry))} ; corrigez-le ou ajoutez-le à "
        f"{known.registry_dir}/{schema.filename} : {yaml_snippet(schema, entry_id)}"
    )


def unknown_mention(kind: str, target: str, known: Known, origin: str = "", hint: str = "") -> str:
    """The message for a mention (``{person}`…```, a quote's ``:source:``) of an
    unknown id."""
    origin = origin or f"{{{kind}}}"
    if not target.strip():
        return (
            f"{origin} : identifiant absent : écrivez-le entre « < » et « > », par exemple "
            f"{origin}`Nom affiché <identifiant>`, ou seul : {origin}`identifiant`"
        )
    registry = MENTION_KINDS[kind]
    if registry is not None:
        return f"{origin} : {unknown_id(registry, target, known)}"
    return (
        f"{origin} : identifiant {of(KIND_LABELS[kind])} inconnu : « {target} »"
        f"{close_matches(target, known.ids('resources'))} ; corrigez-le ou déclarez la "
        f"ressource avec la directive « resource »{hint}"
    )


def duplicate_resource(resource_id: str, first_path: str, first_line: int, same_file: bool) -> str:
    """The message for a resource declared a second time."""
    where = "plus haut" if same_file else f"dans {first_path}"
    return (
        f"ressource « {resource_id} » déjà déclarée {where} (ligne {first_line}) ; citez-la "
        f"avec {{resource}}`{resource_id}` au lieu de la redéclarer, ou changez d’identifiant"
    )


def unknown_bibkey(key: str, keys: Collection[str], role: str = "") -> str:
    """The message for a key that references.bib does not hold (in ``:bib:``, or
    in the citation role ``role``)."""
    where = f" de {{{role}}}" if role else ""
    return (
        f"clé bibliographique « {shorten(key, 40)} » absente de references.bib"
        f"{close_matches(key, keys, 'clés')} ; corrigez la clé{where} ou ajoutez l’ouvrage"
    )


def pending_summary(count: int) -> str:
    """The reminder, for one letter, of its resources without an address."""
    links = plural(count, "lien à retrouver", "liens à retrouver")
    return f"{links} — almanach check --pending les liste"


def yaml_snippet(schema: Schema, entry_id: str) -> str:
    """The entry to add, in YAML flow style (one line, ready to paste), with
    the fields the registry requires left for the editor to fill in."""
    fields = [
        f"{item.name}: false" if item.kind == "bool" else f'{item.name}: ""'
        for item in schema.fields
        if item.required
    ]
    return f"« {entry_id}: {{{', '.join(fields)}}} »"
