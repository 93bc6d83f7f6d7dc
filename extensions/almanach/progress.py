"""What a build says while it works: one French line per step, then the
reminders an editor needs (the links still to find), and nothing else.

``make`` runs Sphinx quietly (``-q``): Sphinx's own progress, in English, is
not shown; these lines are, on the standard output. Without ``-q`` (``make
html SPHINXOPTS=-v``) they go through Sphinx's log, among its own lines.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .reading.collect import is_letter
from .reading.review import PUBLISHED
from .rules.ids import pending_summary
from .warnings_ import plural, shown_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: What each builder produces, as the last line says it.
PRODUCTS = {
    "html": "site HTML",
    "dirhtml": "site HTML",
    "latex": "source LaTeX du PDF",
    "text": "version texte",
    "email": "édition e-mail",
    "linkcheck": "vérification des liens",
}


def say(app: Sphinx, line: str) -> None:
    """One line for the editor: shown even in a quiet build."""
    if app.quiet:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    else:
        logger.info(line)


def reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: what is read again."""
    if not docnames:
        say(app, "Lecture : rien n’a changé depuis la dernière construction.")
        return
    letters = sum(1 for docname in docnames if is_letter(env, docname))
    say(
        app,
        f"Lecture : {plural(len(docnames), 'page', 'pages')}, dont "
        f"{plural(letters, 'lettre', 'lettres')}…",
    )


def finished(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the links still to find, letter by letter, then
    where the result is."""
    if exception is not None:
        return
    env = app.env
    domain = env.domains["almanach"]
    for docname in sorted(domain.data["resources"]):
        letter = domain.data["letters"].get(docname)
        if letter is None or letter.status != PUBLISHED or docname not in env.all_docs:
            continue  # as almanach check: the published letters
        pending = sum(1 for resource in domain.data["resources"][docname] if resource.pending)
        if pending:
            say(app, f"{shown_path(env.doc2path(docname))} : {pending_summary(pending)}")
    product = PRODUCTS.get(app.builder.name, f"sortie « {app.builder.name} »")
    outdir = shown_path(Path(app.outdir))
    problems = getattr(app, "_warncount", 0)
    if problems and getattr(app, "_fail_on_warnings", False):
        say(app, f"Échec : {plural(problems, 'problème', 'problèmes')} à corriger (ci-dessus)")
        return
    opening = f" (ouvrez {outdir}/index.html)" if app.builder.name in ("html", "dirhtml") else ""
    say(app, f"Terminé : {product} dans {outdir}{opening}")


def setup_progress(app: Sphinx) -> None:
    app.connect("env-before-read-docs", reading)
    app.connect("build-finished", finished, priority=900)
