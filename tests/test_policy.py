"""The contribution policy: a letter cannot inject script, include files or link
to ``javascript:``. Each hostile letter gives its exact located error, and the
site shows what was refused as text, never as markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import (
    ALLOWED_DIRECTIVES,
    ALLOWED_ROLES,
    POLICY,
    build,
    letter,
    project_with_letters,
    warning_lines,
)

RAW = (
    " ; il est affiché comme du texte. Écrivez en MyST (gras : **mot**, lien : "
    "[texte](adresse)) [almanach.raw-html]"
)

# case: (letter body, expected warnings "line: message", text the page must show,
#        strings the page's HTML must not contain)
CASES = {
    "html-block": (
        '<div onclick="alert(1)">Bonjour</div>\n',
        [
            "10: avertissement: HTML brut refusé dans une lettre : "
            f'« <div onclick="alert(1)">Bonjour</div> »{RAW}'
        ],
        '<div onclick="alert(1)">Bonjour</div>',
        ["<div onclick"],
    ),
    "html-inline": (
        "Un <script>alert(1)</script> caché.\n",
        [
            f"10: avertissement: HTML brut refusé dans une lettre : « <script> »{RAW}",
            f"10: avertissement: HTML brut refusé dans une lettre : « </script> »{RAW}",
        ],
        "Un <script>alert(1)</script> caché.",
        ["<script>alert"],
    ),
    "raw-directive": (
        "```{raw} html\n<iframe src=https://exemple.org></iframe>\n```\n",
        [
            "10: avertissement: directive « raw » refusée dans une "
            f"lettre{ALLOWED_DIRECTIVES}{POLICY}"
        ],
        "<iframe src=https://exemple.org></iframe>",
        ["<iframe"],
    ),
    "include": (
        "```{include} ../../references.bib\n```\n",
        [
            "10: avertissement: directive « include » refusée dans une "
            f"lettre{ALLOWED_DIRECTIVES}{POLICY}"
        ],
        None,
        ["Hopkins", "Écosociété"],
    ),
    "literalinclude": (
        "::::{rubrique} a-suivre\n:::{literalinclude} ../conf.py\n:::\n::::\n",
        [
            "11: avertissement: directive « literalinclude » refusée dans une lettre"
            f"{ALLOWED_DIRECTIVES}{POLICY}"
        ],
        None,
        ["sys.path", "sphinx_book_theme"],
    ),
    "image-outside": (
        "```{image} ../../../../etc/secret.png\n```\n",
        [
            "10: avertissement: image : image refusée : elle doit être à côté de la lettre (sans "
            f"« .. » ni « / » au début){POLICY}"
        ],
        None,
        ["<img"],
    ),
    "markdown-image-outside": (
        "Voici ![une image](../../../secret.png).\n",
        [
            "10: avertissement: image refusée : elle doit être à côté de la lettre (sans « .. » ni "
            f"« / » au début){POLICY}"
        ],
        "Voici une image.",
        ["<img"],
    ),
    "download-outside": (
        "Le {download}`fichier <../../../../etc/passwd>` à télécharger.\n",
        [f"10: avertissement: rôle « {{download}} » refusé dans une lettre{ALLOWED_ROLES}{POLICY}"],
        "Le {download}`fichier <../../../../etc/passwd>` à télécharger.",
        ["reference download", "_downloads"],
    ),
    "javascript-link": (
        "Un [lien piégé](javascript:alert(1)) ici.\n",
        [
            "10: avertissement: lien « javascript: » refusé : seuls les liens "
            "https:, http:, mailto: "
            f"sont acceptés{POLICY}"
        ],
        None,
        ['href="javascript'],
    ),
    "data-link": (
        "Une [page](data:text/html,bonjour) encodée.\n",
        [
            "10: avertissement: lien « data: » refusé : seuls les liens https:, http:, mailto: "
            f"sont acceptés{POLICY}"
        ],
        None,
        ['href="data:'],
    ),
    "file-link": (
        "Le [mot de passe](file:///etc/passwd).\n",
        [
            "10: avertissement: lien « file: » refusé : seuls les liens https:, http:, mailto: "
            f"sont acceptés{POLICY}"
        ],
        None,
        ['href="file:'],
    ),
    "ftp-link": (
        "Un [serveur](ftp://exemple.org/a) ancien.\n",
        [
            "10: avertissement: lien « ftp: » refusé : seuls les liens https:, http:, mailto: "
            f"sont acceptés{POLICY}"
        ],
        "Un serveur ancien.",
        ['href="ftp:'],
    ),
    "allowed-links": (
        "Un [site](https://exemple.org/), une [page](http://exemple.org/) et "
        "[un courriel](mailto:contact@exemple.org).\n",
        [],
        "Un site, une page et un courriel.",
        [],
    ),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    base = tmp_path_factory.mktemp("policy")
    letters = {f"{name}.md": letter(body) for name, (body, *_rest) in CASES.items()}
    srcdir = project_with_letters(base, letters)
    app, warnings = build(srcdir, "html", base / "build")
    assert "Traceback" not in warnings
    return srcdir, Path(app.outdir), warning_lines(warnings, srcdir)


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_letter_is_refused_and_shown_as_text(hostile, case):
    _srcdir, html_dir, lines = hostile
    _body, expected, shown, absent = CASES[case]
    mine = [line for line in lines if line.startswith(f"issues/{case}.md:")]
    assert mine == [f"issues/{case}.md:{line}" for line in expected]
    page = (html_dir / "lettres" / f"{case}.html").read_text("utf-8")
    article = str(BeautifulSoup(page, "html.parser").find("article"))
    for forbidden in absent:
        assert forbidden not in article, forbidden
    if shown is not None:
        text = " ".join(BeautifulSoup(article, "html.parser").get_text().split())
        assert shown in text


def test_no_stray_warning(hostile):
    _srcdir, _html, lines = hostile
    files = {f"issues/{case}.md" for case in CASES}
    assert [line for line in lines if line.split(":")[0] not in files] == []


def test_a_site_page_may_opt_out_but_a_letter_may_not(tmp_path):
    srcdir = project_with_letters(tmp_path, {"essai.md": letter("Texte.\n")})
    page = srcdir / "annexe.md"
    page.write_text("# Annexe\n\n```{include} ../references.bib\n```\n", encoding="utf-8")
    (srcdir / "index.md").write_text(
        (srcdir / "index.md").read_text("utf-8") + "\n```{toctree}\n:hidden:\n\nannexe\n```\n",
        encoding="utf-8",
    )
    strict = {"almanach_policy": {"trusted_pages": []}}
    _app, warnings = build(srcdir, "html", tmp_path / "a", confoverrides=strict)
    assert warning_lines(warnings, srcdir)[0].startswith(
        "docs/annexe.md:3: avertissement: « include » refusé"
    )
    trusted = {"almanach_policy": {"trusted_pages": ["annexe", "guide/index"]}}
    _app, warnings = build(srcdir, "html", tmp_path / "b", confoverrides=trusted)
    assert warning_lines(warnings, srcdir) == []
    letter_trusted = {"almanach_policy": {"trusted_pages": ["lettres/essai", "guide/index"]}}
    _app, warnings = build(srcdir, "html", tmp_path / "c", confoverrides=letter_trusted)
    assert "« lettres/essai » est une lettre : une lettre ne peut pas être exemptée" in warnings
