"""caniemail's data, pruned to what the support lint reads.

The lint (:mod:`almanach.email.support`) reads ``caniemail.json`` beside it, a
pruned copy of the npm package ``caniemail`` (MIT, by Andrew Powell, from
caniemail.com by Rémi Parmentier), so that a build never needs node. This
module makes that copy::

    python -m almanach.email.caniemail_data \\
        tests/browser/node_modules/caniemail/data/caniemail.json \\
        extensions/almanach/email/caniemail.json

What is kept: the package's name, version and licence (read from the
``package.json`` two folders up) and the data's ``last_update_date``; for each
slug of :data:`~almanach.email.support.SLUGS`, its title, url and category,
and for each client of :data:`~almanach.email.support.MAIN_CLIENTS` that
caniemail tested (keyed ``family/platform``), the result of its latest tested
version (:func:`latest_version`): its support letter (``y``, ``n``, ``a``
partial, ``u`` unknown) under ``support``, and under ``notes`` the text of the
notes it refers to (``"a #1 #3"``), when it refers to some. The output is deterministic
(sorted keys, one trailing newline): regenerating it from the same package
gives the same bytes, which a test checks.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .support import MAIN_CLIENTS, SLUGS

_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2})?")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)*")


class CaniemailDataError(Exception):
    """The upstream data cannot be pruned; the message is French, for the
    person who runs the command."""


def latest_version(results: dict[str, str]) -> str:
    """The latest tested version among a client's results: by date when every
    version is a date (``2019``, ``2021-03``), by number when every version is
    a number (``16.80``) and none a year, otherwise the last one listed (caniemail lists them
    in the order they were tested, but not always: ``2024-04`` before
    ``2024-01``)."""
    versions = list(results)
    dates = [bool(_DATE.fullmatch(version)) for version in versions]
    if all(dates):
        return max(versions)  # YYYY and YYYY-MM compare as text
    # Outlook for Mac's "2016" is a year beside "16.80", not version 2016.
    if not any(dates) and all(_NUMBER.fullmatch(version) for version in versions):
        return max(versions, key=lambda version: tuple(map(int, version.split("."))))
    return versions[-1]


def prune(upstream: dict[str, Any], package: dict[str, Any]) -> dict[str, Any]:
    """The vendored data made from caniemail's ``caniemail.json`` and its
    package's ``package.json``. Raises :class:`CaniemailDataError` when a slug
    the lint uses is missing, or the data is not shaped as expected."""
    try:
        by_slug = {feature["slug"]: feature for feature in upstream["data"]}
        missing = sorted(SLUGS - by_slug.keys())
        if missing:
            raise CaniemailDataError(
                "ces fonctionnalités, que vérifie almanach, manquent aux données de "
                f"caniemail : {', '.join(missing)}"
            )
        features = {slug: _feature(by_slug[slug]) for slug in sorted(SLUGS)}
        source = {
            "package": f"{package['name']}@{package['version']}",
            "license": package["license"],
            "last_update_date": upstream["last_update_date"],
        }
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise CaniemailDataError(
            f"les données de caniemail n’ont pas la forme attendue ({error!r})"
        ) from None
    return {"source": source, "features": features}


def _feature(feature: dict[str, Any]) -> dict[str, Any]:
    texts = feature.get("notes_by_num") or {}
    support, notes = {}, {}
    for family, platform, _name in MAIN_CLIENTS:
        results = feature["stats"].get(family, {}).get(platform)
        if not results:
            continue  # not tested in this client
        client = f"{family}/{platform}"
        letter, *references = results[latest_version(results)].split()
        support[client] = letter
        if any(ref[1:] in texts for ref in references):
            notes[client] = [texts[ref[1:]] for ref in references if ref[1:] in texts]
    return {
        "title": feature["title"],
        "url": feature["url"],
        "category": feature["category"],
        "support": support,
        "notes": notes,
    }


def dumps(data: dict[str, Any]) -> str:
    """The vendored file's text: sorted keys, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m almanach.email.caniemail_data <caniemail.json> <out>``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write(
            "usage : python -m almanach.email.caniemail_data "
            "<node_modules/caniemail/data/caniemail.json> <fichier écrit>\n"
        )
        return 2
    source, out = Path(args[0]), Path(args[1])
    package_path = source.parent.parent / "package.json"
    try:
        upstream = json.loads(source.read_text(encoding="utf-8"))
        package = json.loads(package_path.read_text(encoding="utf-8"))
        text = dumps(prune(upstream, package))
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"{error.filename} : lecture ou écriture impossible ({error.strerror}).\n")
        return 1
    except json.JSONDecodeError as error:
        sys.stderr.write(f"{source} ou {package_path} : JSON invalide ({error}).\n")
        return 1
    except CaniemailDataError as error:
        sys.stderr.write(f"{source} : {error}.\n")
        return 1
    sys.stdout.write(f"{out} : {len(SLUGS)} fonctionnalités de {source}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
