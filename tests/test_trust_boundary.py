"""Letters and registries are untrusted content: the allowlist at the parser.

A canary file lies outside the project; hostile letters try every way we know
to read it (front matter reconfiguring MyST, ``eval-rst``, options naming files,
nested fences of both styles, math, links, images, symbolic links). None may
put its content anywhere under ``build/`` or in the build's messages; each gets
its exact French message at its line, and ``almanach check`` says the same
thing at the same line.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from almanach.rules.allowlist import LETTER_DIRECTIVES, LETTER_ROLES
from helpers import (
    ALLOWED_DIRECTIVES,
    ALLOWED_ROLES,
    POLICY,
    ROOT,
    build,
    compile_pdf,
    letter,
    require_tool,
    slim_project,
    warning_lines,
)

CANARY = "canari-7c1e9a-ne-doit-jamais-sortir"
PROFILE = os.environ.get("ALMANACH_FUZZ_PROFILE", "ci")
FIELDS = "number, date, title, status, summary"
RAW = (
    " ; il est affiché comme du texte. Écrivez en MyST (gras : **mot**, lien : "
    "[texte](adresse)) [almanach.raw-html]"
)
LETTER = " [almanach.letter]"


def refused(name: str, close: str = "") -> str:
    return f"directive « {name} » refusée dans une lettre{close}{ALLOWED_DIRECTIVES}{POLICY}"


def header(extra: str) -> str:
    """A letter whose front matter has ``extra`` lines after the valid fields (at line 6)."""
    return (
        "---\nnumber: 90\ndate: 2030-01\ntitle: Essai\nstatus: published\n"
        f"{extra}---\n\n# Essai\n\nTexte.\n"
    )


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    """A file outside the project that no build may read."""
    outside = tmp_path_factory.mktemp("dehors")
    path = outside / "secret.txt"
    path.write_text(f"{CANARY}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + CANARY.encode())
    return path


def cases(canary: Path, lettres: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (the letter's full text, its expected warnings « line: message »)."""
    relative = os.path.relpath(canary, lettres)
    jinja = "{{ self.__init__.__globals__.__builtins__.open('" + str(canary) + "').read() }}"
    return {
        "front-matter-myst": (
            header(
                f'myst:\n  enable_extensions: [substitution]\n  substitutions:\n    x: "{jinja}"\n'
            )
            + "Voir {{ x }}.\n",
            [
                "6: avertissement: champ d’en-tête « myst » refusé : une lettre n’a "
                "que les champs "
                f"{FIELDS} ; retirez la ligne{LETTER}"
            ],
        ),
        "front-matter-substitutions": (
            header(f'substitutions:\n  x: "{jinja}"\n') + "Voir {{ x }}.\n",
            [
                "6: avertissement: champ d’en-tête « substitutions » refusé : une "
                "lettre n’a que les "
                f"champs {FIELDS} ; retirez la ligne{LETTER}"
            ],
        ),
        "front-matter-html-meta": (
            header('html_meta:\n  "http-equiv=refresh": "0; url=https://exemple.org/"\n'),
            [
                "6: avertissement: champ d’en-tête « html_meta » refusé : une lettre n’a que les "
                f"champs {FIELDS} ; retirez la ligne{LETTER}"
            ],
        ),
        "front-matter-alias": (
            "---\nnumber: 90\ndate: 2030-01\ntitle: &t Essai\nstatus: published\nsummary: *t\n"
            "---\n\n# Essai\n",
            [
                f"6: avertissement: alias YAML « *t » refusé : recopiez la valeur au lieu d’y "
                f"renvoyer{LETTER}"
            ],
        ),
        "front-matter-nested": (
            header("summary:\n  texte: Essai\n"),
            [
                "6: avertissement: « summary » : une valeur simple est attendue (un "
                "résumé de quelques "
                f"lignes), pas une liste ni des sous-champs{LETTER}"
            ],
        ),
        "eval-rst": (
            letter(f"```{{eval-rst}}\n.. include:: {canary}\n```\n"),
            [f"10: avertissement: {refused('eval-rst')}"],
        ),
        "csv-table-file": (
            letter(f"```{{csv-table}}\n:file: {canary}\n```\n"),
            [
                "10: avertissement: "
                f"{refused('csv-table', ' ; directives proches : « list-table »')}"
            ],
        ),
        "raw-file": (
            letter(f":::{{raw}} html\n:file: {canary}\n:::\n"),
            [f"10: avertissement: {refused('raw')}"],
        ),
        "literalinclude-in-backtick-rubrique": (
            letter(
                "````{rubrique} a-suivre\nAvant.\n\n"
                f"```{{literalinclude}} {relative}\n```\n````\n"
            ),
            [f"13: avertissement: {refused('literalinclude')}"],
        ),
        "include-three-levels-deep": (
            letter(
                "::::::{rubrique} a-suivre\n:::::{territory-update} lomme\n\nTexte.\n\n"
                f"::::{{note}}\n```{{include}} {canary}\n```\n::::\n:::::\n::::::\n"
            ),
            [f"16: avertissement: {refused('include')}"],
        ),
        "include-in-a-container": (
            letter(f"::::encadre\n:::{{include}} {canary}\n:::\n::::\n"),
            [f"11: avertissement: {refused('include')}"],
        ),
        "include-in-yaml-options": (
            letter(
                f"```{{figure}} photo.png\n---\nalt: Photo\ntarget: file://{canary}\n---\n```\n"
            ),
            [
                "13: avertissement: directive « figure » avec « :target: » refusée "
                "dans une lettre ; "
                f"options possibles : « align », « alt », « width »{POLICY}"
            ],
        ),
        "option-class": (
            letter(":::{note}\n:class: almanach-banner\nFaux bandeau.\n:::\n"),
            [
                "11: avertissement: directive « note » avec « :class: » refusée dans une lettre ; "
                f"options possibles : aucune{POLICY}"
            ],
        ),
        "role-in-an-option": (
            letter(
                ":::{quote}\n:speaker: lea-tramontin\n"
                f":context: {{download}}`la source <{relative}>`\n\nUne citation.\n:::\n"
            ),
            [
                f"12: avertissement: rôle « {{download}} » refusé dans une "
                f"lettre{ALLOWED_ROLES}{POLICY}"
            ],
        ),
        "math-directive": (
            letter(f"```{{math}}\n\\input{{{canary}}}\n```\n"),
            [f"10: avertissement: {refused('math')}"],
        ),
        "math-role": (
            letter(f"Calcul : {{math}}`\\input{{{canary}}}` et {{math}}`\\catcode`.\n"),
            [
                f"10: avertissement: rôle « {{math}} » refusé dans une "
                f"lettre{ALLOWED_ROLES}{POLICY}",
                f"10: avertissement: rôle « {{math}} » refusé dans une "
                f"lettre{ALLOWED_ROLES}{POLICY}",
            ],
        ),
        "button-link-javascript": (
            letter("```{button-link} javascript:alert(1)\nCliquez\n```\n"),
            [f"10: avertissement: {refused('button-link')}"],
        ),
        "link-to-a-file": (
            letter(f"Le [secret]({relative}) et le [mot de passe](file://{canary}).\n"),
            [
                "10: avertissement: lien vers un fichier refusé : une lettre peut "
                "renvoyer à une page "
                f"du site (fichier .md) ou à une adresse https://{POLICY}",
                "10: avertissement: lien « file: » refusé : seuls les liens https:, http:, mailto: "
                f"sont acceptés{POLICY}",
            ],
        ),
        "remote-image": (
            letter("Une ![photo](https://exemple.org/photo.png) distante.\n"),
            [
                "10: avertissement: image distante refusée : enregistrez l’image "
                "(PNG ou JPEG) dans le "
                f"dépôt, à côté de la lettre, et donnez son nom{POLICY}"
            ],
        ),
        "svg-image": (
            letter("Une ![image](dessin.svg) vectorielle.\n"),
            [
                "10: avertissement: image refusée : seules les images PNG et JPEG "
                "(.png, .jpg, .jpeg) "
                f"sont acceptées{POLICY}"
            ],
        ),
        "image-through-a-link": (
            letter("Une ![photo](photo-liee.png) liée.\n"),
            [
                "10: avertissement: image refusée : le fichier est hors du projet "
                "(lien symbolique ?)"
                f"{POLICY}"
            ],
        ),
        "bidi-and-zero-width": (
            letter("Un texte \u202eesrevni\u202c ici,\nun mot\u200bcoupé, un émoji 👩‍🌾 intact.\n"),
            [
                "10: avertissement: caractère invisible supprimé (U+202C POP "
                "DIRECTIONAL FORMATTING, "
                "U+202E RIGHT-TO-LEFT OVERRIDE) : il vient souvent d’un copier-coller et peut "
                "masquer ou inverser le texte ; retapez le passage si le texte semble abîmé "
                "[almanach.control-character]",
                "11: avertissement: caractère invisible supprimé (U+200B ZERO WIDTH "
                "SPACE) : il vient "
                "souvent d’un copier-coller et peut masquer ou inverser le texte ; retapez le "
                "passage si le texte semble abîmé [almanach.control-character]",
            ],
        ),
        "latex-in-addresses": (
            letter(
                f":::{{resource}} adresse-piegee\n:title: Une ressource\n:kind: site\n"
                f":url: https://exemple.org/\\input{{{canary}}}\n:::\n\n"
                "Voir {territory}`lomme` et {resource}`adresse-piegee`.\n"
            ),
            [],
        ),
        "heading-with-markup": (
            "---\nnumber: 90\ndate: 2030-01\ntitle: Essai\nstatus: published\n---\n\n"
            "# Le `<script>alert(1)</script>` de la lettre\n\nTexte.\n",
            [],
        ),
        "directive-name-trick": (
            letter(":::{note}x:glossary}\nTerme secret\n   Définition cachée.\n:::\n"),
            [f"10: avertissement: {refused('note}x:glossary')}"],
        ),
        "image-name-rewritten": (
            letter(":::{image} photo liee.png\n:alt: x\n:::\n"),
            [
                "10: avertissement: image : image refusée : son nom ne peut contenir "
                "que des lettres "
                "sans accent, des chiffres, des tirets, des points et des « / » (par exemple "
                f"« images/atelier-2022.jpg »){POLICY}"
            ],
        ),
        "citation-malformed": (
            letter("Comme le dit {cite:p}`hopkins2010 et autres`.\n"),
            [
                "10: avertissement: citation {cite:p} illisible : écrivez la clé de "
                "references.bib, ou "
                "plusieurs clés séparées par des virgules, par exemple {cite:p}`hopkins2010`"
                f"{POLICY}"
            ],
        ),
        "nesting-too-deep": (
            letter(
                "".join(":" * (14 - depth) + "{note}\n" for depth in range(11))
                + "".join(":" * (4 + depth) + "\n" for depth in range(11))
            ),
            [
                "18: avertissement: blocs imbriqués trop profondément (plus de 8 "
                "niveaux) : fermez les "
                f"blocs (« ::: ») avant d’en ouvrir d’autres{POLICY}"
            ],
        ),
        "raw-html": (
            letter("Un <b onclick=x>gras</b> ici.\n\n<div>bloc</div>\n"),
            [
                f"10: avertissement: HTML brut refusé dans une lettre : « <b onclick=x> »{RAW}",
                f"10: avertissement: HTML brut refusé dans une lettre : « </b> »{RAW}",
                f"12: avertissement: HTML brut refusé dans une lettre : « <div>bloc</div> »{RAW}",
            ],
        ),
        "no-front-matter": (
            "# Sans en-tête\n\nTexte.\n",
            [
                "1: avertissement: en-tête absent : la lettre doit commencer par « "
                "--- », les champs "
                f"number, date, title, status, puis « --- »{LETTER}"
            ],
        ),
        "year-zero": (
            letter("Texte.\n", date="0000-01"),
            [
                "3: avertissement: date absente ou invalide (« date: 0000-01 ») ; "
                "écrivez l’année et le "
                f"mois, par exemple « date: 2021-12 »{LETTER}"
            ],
        ),
        "directive-in-a-container": (
            letter(
                "::::encadre\n:::{quote}\n:speaker: personne-inconnue\n\nCitation.\n:::\n::::\n"
            ),
            [
                "11: avertissement: quote : identifiant de personne inconnu : « "
                "personne-inconnue » "
                "(:speaker:) ; corrigez-le ou ajoutez-le à docs/registres/personnes.yaml : "
                '« personne-inconnue: {name: ""} » [almanach.unknown-id]'
            ],
        ),
        "too-many-headings": (
            letter("## Encore\n" * 150),
            [
                "109: avertissement: trop de titres dans une lettre (plus de 100) : "
                "les suivants sont "
                f"affichés comme des paragraphes{POLICY}"
            ],
        ),
        "front-matter-escaped-bidi": (
            header('summary: "Un r\\u00e9sum\\u00e9 \\u202ecach\\u00e9\\x0c"\n'),
            [
                "6: avertissement: « summary » : caractère invisible supprimé (U+000C, U+202E "
                "RIGHT-TO-LEFT OVERRIDE) : il vient souvent d’un copier-coller et peut masquer ou "
                f"inverser le texte ; retapez le passage si le texte semble abîmé{LETTER}"
            ],
        ),
        "allowed": (
            letter(
                "::::{rubrique} a-suivre\n:::{note}\nUne [page](https://exemple.org/), "
                "H{sub}`2`O, {abbr}`PCAET (plan climat-air-énergie territorial)`.\n:::\n::::\n"
            ),
            [],
        ),
    }


#: Files placed beside the letters: (name, what it is), for the file-level refusals.
FILE_CASES = {
    "lien-secret.md": "lettre non lue : lien symbolique refusé : remplacez-le par le fichier "
    "lui-même",
    "Lettre Spéciale.md": "lettre non lue : nom de fichier refusé : minuscules sans accent, "
    "chiffres et tirets seulement (par exemple « 2022-01.md »)",
    "sous-dossier/cachee.md": "lettre non lue : les lettres sont rangées directement dans le "
    "dossier des lettres, pas dans un sous-dossier : déplacez-la",
    "trop-longue.md": "lettre non lue : fichier trop gros (600 Kio, au plus 256 Kio) : découpez-le",
}


#: A PNG image of one pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def write_letters(lettres: Path, canary: Path) -> dict[str, tuple[str, list[str]]]:
    table = cases(canary, lettres)
    for name, (text, _expected) in table.items():
        (lettres / f"{name}.md").write_text(text, encoding="utf-8")
    (lettres / "photo.png").write_bytes(PNG)  # a real image: only its options are wrong
    (lettres / "photo-liee.png").symlink_to(canary.with_suffix(".png"))
    (lettres / "photoliee.png").symlink_to(canary.with_suffix(".png"))  # « photo liee.png »
    (lettres / "lien-secret.md").symlink_to(canary)
    (lettres / "Lettre Spéciale.md").write_text(letter("Texte.\n"), encoding="utf-8")
    (lettres / "sous-dossier").mkdir()
    (lettres / "sous-dossier" / "cachee.md").write_text(
        letter("```{csv-table}\n:file: x\n```\n").replace("published", "draft"), encoding="utf-8"
    )
    (lettres / "trop-longue.md").write_text(letter("x" * 600 * 1024), encoding="utf-8")
    return table


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, canary):
    base = tmp_path_factory.mktemp("hostile")
    docs = slim_project(base)
    table = write_letters(docs / "lettres", canary)
    # a registry address that would be a LaTeX command if it were not escaped
    territories = docs / "registres" / "territoires.yaml"
    text = territories.read_text("utf-8")
    territories.write_text(
        text.replace(
            "lomme:\n", f"lomme:\n  website: https://exemple.org/\\input{{{canary}}}\n", 1
        ),
        encoding="utf-8",
    )
    outputs = {}
    for builder in ("html", "latex"):
        # one environment each: both read the letters, both must refuse them
        app, warnings = build(docs, builder, base / f"build-{builder}", confoverrides=QUIET)
        outputs[builder] = (Path(app.outdir), warnings)
    return base, docs, table, outputs


QUIET = {"suppress_warnings": ["toc.not_included"]}


def canary_anywhere(folder: Path) -> list[str]:
    """Files under ``folder`` whose bytes contain the canary."""
    return [
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and CANARY.encode() in path.read_bytes()
    ]


def test_no_hostile_letter_reads_the_canary(hostile_build):
    base, _docs, _table, outputs = hostile_build
    assert canary_anywhere(base / "build-html") == []
    assert canary_anywhere(base / "build-latex") == []
    for _outdir, warnings in outputs.values():
        assert CANARY not in warnings
        assert "Traceback" not in warnings and "Exception" not in warnings


@pytest.mark.parametrize("case", list(cases(Path("/x/secret.txt"), Path("/x/lettres"))))
def test_each_hostile_letter_gets_its_message_at_its_line(hostile_build, case):
    _base, docs, table, outputs = hostile_build
    _text, expected = table[case]
    for _outdir, warnings in outputs.values():
        mine = [
            line for line in warning_lines(warnings, docs) if line.startswith(f"issues/{case}.md:")
        ]
        assert mine == [f"issues/{case}.md:{line}" for line in expected]


def test_refused_constructs_are_shown_as_text_and_never_run(hostile_build):
    _base, _docs, _table, outputs = hostile_build
    html = outputs["html"][0] / "lettres"
    page = lambda name: (html / f"{name}.html").read_text("utf-8")  # noqa: E731
    assert "http-equiv" not in page("front-matter-html-meta")
    assert "Voir {{ x }}." in page("front-matter-myst")  # substitutions off: text
    assert "{eval-rst}" in page("eval-rst")  # the refused block, as literal text
    assert 'href="javascript' not in page("button-link-javascript")
    assert "<math" not in page("math-role") and "\\(" not in page("math-role")
    assert "esrevni" in page("bidi-and-zero-width") and "\u202e" not in page("bidi-and-zero-width")
    assert "👩\u200d🌾" in page("bidi-and-zero-width")
    assert "<img" not in page("image-through-a-link")
    assert "<img" not in page("image-name-rewritten")
    heading = BeautifulSoup(page("heading-with-markup"), "html.parser")
    assert not [tag for tag in heading.find_all("script") if "alert" in tag.get_text()]
    assert "<h1>Le &lt;script&gt;alert(1)&lt;/script&gt; de la lettre</h1>" in page(
        "heading-with-markup"
    )  # the title sphinx-book-theme prints for paper
    assert 'class="simple glossary"' not in page("directive-name-trick")
    article = BeautifulSoup(page("raw-html"), "html.parser").find("article")
    assert not article.find_all(attrs={"onclick": True})
    assert "<div>bloc</div>" in article.get_text()  # shown, as text
    allowed = page("allowed")
    assert 'href="https://exemple.org/"' in allowed and "<sub>2</sub>" in allowed
    assert "<abbr" in allowed
    tex = (outputs["latex"][0] / "territoires-pilotes.tex").read_text("utf-8")
    assert not re.search(r"\\input\{[^}]*secret", tex)  # never a command…
    assert "\\textbackslash{}catcode" in tex  # …only text


def test_letters_that_must_not_be_read_are_left_out_with_a_located_error(hostile_build):
    _base, docs, _table, outputs = hostile_build
    for outdir, warnings in outputs.values():
        lines = warning_lines(warnings, docs)
        for name, message in FILE_CASES.items():
            shown = f"issues/{name}"
            assert f"{shown}:1: avertissement: {message}{POLICY}" in lines
        assert not list(outdir.rglob("lien-secret*"))


def check_output(root: Path, *paths: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "almanach.cli", "check", *paths],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout.splitlines() + result.stderr.splitlines()


def test_check_says_what_the_build_says_at_the_same_line(hostile_build):
    base, docs, table, outputs = hostile_build
    _outdir, warnings = outputs["html"]
    build_lines = warning_lines(warnings, docs)
    report = check_output(base)
    assert CANARY not in "\n".join(report)
    for case, (_text, expected) in table.items():
        for line in expected:
            number, _, message = line.partition(": avertissement: ")
            assert f"issues/{case}.md:{number}: erreur: {message}" in report, case
        assert f"issues/{case}.md" in " ".join(build_lines) or not expected
    for name, message in FILE_CASES.items():
        assert f"issues/{name}:1: erreur: {message}{POLICY}" in report


# -- every directive and role the application knows --------------------------------------


def registered(app) -> tuple[dict[str, type | None], set[str]]:
    """Every directive (name -> class) and role name of a running application:
    docutils', Sphinx's and its domains', MyST's, sphinx-design's, almanach's."""
    from docutils.parsers.rst import directives, roles

    found: dict[str, type | None] = {}
    for name, (module, classname) in directives._directive_registry.items():
        found[name] = getattr(import_module(f"docutils.parsers.rst.directives.{module}"), classname)
    found.update(directives._directives)
    found["eval-rst"] = None  # MyST's own, handled by its renderer
    names = set(roles._role_registry) | set(roles._roles)
    for domain in app.env.domains.sorted():
        for name, cls in domain.directives.items():
            found[f"{domain.name}:{name}"] = cls
            if domain.name in ("std", app.config.primary_domain):
                found.setdefault(name, cls)  # the bare name reaches it too
        names |= {f"{domain.name}:{name}" for name in domain.roles}
        if domain.name in ("std", app.config.primary_domain):
            names |= set(domain.roles)
    return found, names


def directive_letter(name: str, cls: type | None, canary: Path) -> str:
    """The directive with every option it takes (and :file:, :url:) naming the canary."""
    spec = dict(getattr(cls, "option_spec", None) or {})
    options = {**dict.fromkeys(spec, str(canary)), "file": str(canary), "url": f"file://{canary}"}
    lines = [
        f"````{{{name}}} {canary}",
        *(f":{option}: {value}" for option, value in options.items()),
    ]
    lines += ["", f".. include:: {canary}", "", f"```{{include}} {canary}", "```", "````", ""]
    return letter("\n".join(lines))


@pytest.fixture(scope="module")
def application(tmp_path_factory) -> tuple[dict[str, type | None], list[str]]:
    """Every directive (name -> class) and role name of a running application."""
    from sphinx.testing.util import SphinxTestApp

    base = tmp_path_factory.mktemp("names")
    app = SphinxTestApp("html", srcdir=slim_project(base), builddir=base / "probe")
    try:
        directives, roles = registered(app)
    finally:
        app.cleanup()
    return directives, sorted(roles)


@pytest.fixture(scope="module")
def everything_build(tmp_path_factory, canary, application):
    directives, role_names = application
    base = tmp_path_factory.mktemp("everything")
    docs = slim_project(base)
    names = sorted(directives)
    for index, name in enumerate(names):
        text = directive_letter(name, directives[name], canary)
        (base / "issues" / f"d-{index:03d}.md").write_text(text, encoding="utf-8")
    body = "\n\n".join(f"Texte {{{name}}}`{canary}` fin." for name in role_names)
    (base / "issues" / "roles.md").write_text(letter(body + "\n"), encoding="utf-8")
    outputs = {}
    for builder in ("html", "latex"):
        _app, warnings = build(docs, builder, base / f"build-{builder}", confoverrides=QUIET)
        outputs[builder] = warning_lines(warnings, docs)
    return base, names, role_names, outputs


def test_every_registered_directive_and_role_is_refused_or_safe(everything_build):
    base, names, role_names, outputs = everything_build
    assert {"eval-rst", "include", "raw", "csv-table", "button-link", "rubrique"} <= set(names)
    assert {"download", "math", "raw", "doc", "person", "cite:p"} <= set(role_names)
    assert len(names) > 150 and len(role_names) > 150  # the whole application, not a list
    for folder in ("build-html", "build-latex"):
        assert canary_anywhere(base / folder) == []
    for lines in outputs.values():
        assert CANARY not in "\n".join(lines)
        assert not any("Traceback" in line or "Exception" in line for line in lines)
    lines = outputs["html"]
    for index, name in enumerate(names):
        mine = [line for line in lines if line.startswith(f"issues/d-{index:03d}.md:")]
        if name in LETTER_DIRECTIVES:
            # allowed: its options naming files are refused (or reported by almanach)
            assert any(":file:" in line for line in mine), (name, mine)
        else:
            assert len(mine) == 1, (name, mine)
            assert mine[0].startswith(
                f"issues/d-{index:03d}.md:10: avertissement: directive « {name} » refusée"
            )
    for index, name in enumerate(role_names):
        line = 10 + 2 * index
        mine = [item for item in lines if item.startswith(f"issues/roles.md:{line}:")]
        if name not in LETTER_ROLES:
            assert mine == [
                f"issues/roles.md:{line}: avertissement: rôle « {{{name}}} » refusé dans une lettre"
                + mine[0].split("refusé dans une lettre", 1)[1]
            ], name


# -- the PDF ---------------------------------------------------------------------------


@pytest.mark.pdf
def test_the_pdf_of_hostile_letters_compiles_without_the_canary(hostile_build):
    require_tool("latexmk")
    require_tool("pdftotext")
    base, _docs, _table, _outputs = hostile_build
    builddir = base / "build-latex"
    compile_pdf(builddir)
    pdf = builddir / "pdf" / "territoires-pilotes.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert CANARY not in text
    assert "esrevni" in text  # the bidi letter is there, without its controls
    assert canary_anywhere(builddir) == []


# -- registries --------------------------------------------------------------------------

#: A billion-laughs alias bomb, small enough that, if expanded, it fails the test
#: by its messages rather than by exhausting the machine.
BOMB = "".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10) if level else 'x'}]\n"
    for level in range(6)
)


def test_hostile_registries_get_located_messages_never_a_crash(tmp_path, canary):
    docs = slim_project(tmp_path)
    registres = docs / "registres"
    events = registres / "evenements.yaml"
    events.write_text(
        events.read_text("utf-8")
        + BOMB
        + "atelier-matin:\n  title: Atelier\n  start: 2021-11-17 09:30:00\n"
        + "fin-des-temps:\n  title: Fin\n  start: 9999-12-30\n",
        encoding="utf-8",
    )
    (docs / "territoires").mkdir()
    (docs / "territoires" / "index.md").write_text("# Les territoires\n", encoding="utf-8")
    territories = registres / "territoires.yaml"
    territories.write_text(
        territories.read_text("utf-8")
        + 'ville-cachee:\n  name: "Ville\u202e cachée"\n  kind: commune\n  pilot: false\n'
        + '  website: !!python/object/apply:os.system ["touch piege"]\n'
        + "index:\n  name: Indexville\n  kind: commune\n  pilot: true\n"
        + 'ville-echappee:\n  name: "Ville\\u202e\\x1b"\n  kind: commune\n  pilot: false\n',
        encoding="utf-8",
    )
    organisations = registres / "organisations.yaml"
    organisations.unlink()
    organisations.symlink_to(canary)
    (tmp_path / "issues" / "essai.md").write_text(letter("Texte.\n"), encoding="utf-8")
    _app, warnings = build(docs, "html", tmp_path / "build", confoverrides=QUIET)
    assert "Traceback" not in warnings and "Extension error" not in warnings
    assert CANARY not in warnings
    assert not (tmp_path / "piege").exists() and not (docs / "piege").exists()
    assert (docs / "territoires" / "index.md").read_text("utf-8") == "# Les territoires\n"
    lines = [line.split("registres/", 1)[-1] for line in warning_lines(warnings, docs)]
    event_lines = events.read_text("utf-8").splitlines()
    alias_line = event_lines.index(BOMB.splitlines()[1]) + 1
    time_line = event_lines.index("  start: 2021-11-17 09:30:00") + 1
    index_line = territories.read_text("utf-8").splitlines().index("index:") + 1
    expected = [
        f"evenements.yaml:{alias_line}: avertissement: alias YAML « *l0 » refusé : "
        "recopiez la valeur "
        "au lieu d’y renvoyer [almanach.registry]",
        f"evenements.yaml:{time_line}: avertissement: « atelier-matin » : « start » doit être une "
        "date AAAA-MM-JJ, sans heure [almanach.registry]",
        "organisations.yaml:1: avertissement: registre non lu : lien symbolique "
        "refusé : remplacez-le "
        "par le fichier lui-même [almanach.registry]",
        f"evenements.yaml:{time_line + 3}: avertissement: « fin-des-temps » : « "
        "start » : l’année 9999 "
        "est hors limites (1900–2999) [almanach.registry]",
        f"territoires.yaml:{index_line}: avertissement: « index » : ce nom est déjà "
        "celui d’une page du "
        "site (territoires/index.md), sa page n’est pas créée ; choisissez un autre identifiant "
        "[almanach.registry]",
    ]
    for line in expected:
        assert line in lines
    territory_lines = [line for line in lines if line.startswith("territoires.yaml")]
    assert any("U+202E RIGHT-TO-LEFT OVERRIDE" in line for line in territory_lines)
    assert any("étiquette YAML (« !… ») refusée" in line for line in territory_lines)
    assert any(
        "« ville-echappee » : caractère invisible supprimé (U+001B, U+202E" in line
        for line in territory_lines
    )
    report = "\n".join(check_output(tmp_path))
    assert "Traceback" not in report and CANARY not in report
    for line in expected:
        where, _, message = line.partition(": avertissement: ")
        assert f"docs/registres/{where}: erreur: {message.rsplit(' [', 1)[0]}" in report


# -- property: letters generated from MyST constructs ---------------------------------------

#: A tag no builder writes: if it reaches the page as markup, input leaked.
MARKER = "zq7"


@pytest.fixture(scope="module")
def known_names(application) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Directive names (with their options) and role names of a running application."""
    directives, roles = application
    options = {
        name: sorted(getattr(cls, "option_spec", None) or {}) for name, cls in directives.items()
    }
    return sorted(directives), options, roles


@st.composite
def generated_letter(draw, names, options, roles, canary: str) -> str:
    """A letter from MyST constructs: front-matter keys, fences of both styles at
    every depth, directives and options of the application, roles, links."""
    value = st.sampled_from(
        [
            canary,
            f"file://{canary}",
            "https://exemple.org/",
            "javascript:alert(1)",
            "{{ self.__init__.__globals__.__builtins__.open('" + canary + "').read() }}",
            f"<{MARKER}>x</{MARKER}>",
            f"\\input{{{canary}}}",
            "lomme",
            "",
        ]
    )

    def inline() -> str:
        role = draw(st.sampled_from(roles))
        return draw(
            st.sampled_from(
                [
                    f"Texte {{{role}}}`{draw(value)}` fin.",
                    f"Un [lien]({draw(value)}) et ![image]({draw(value)}).",
                    f"Du <{MARKER} onclick=x>HTML</{MARKER}> ici.",
                    "Un paragraphe ordinaire, avec 👩‍🌾 et\u202e un contrôle.",
                ]
            )
        )

    def block(depth: int) -> list[str]:
        if depth == 0 or draw(st.booleans()):
            return [inline(), ""]
        name = draw(st.sampled_from(names))
        mark = draw(st.sampled_from(["`", ":"])) * (3 + depth + draw(st.integers(0, 1)))
        lines = [f"{mark}{{{name}}} {draw(value)}"]
        chosen = draw(
            st.lists(st.sampled_from([*options.get(name, []), "file", "url"]), max_size=3)
        )
        if draw(st.booleans()):
            lines += [f":{option}: {draw(value)}" for option in chosen]
        else:
            lines += ["---", *(f"{option}: '{draw(value)}'" for option in chosen), "---"]
        lines.append("")
        for _ in range(draw(st.integers(1, 2))):
            lines += block(depth - 1)
        lines += [mark, ""]
        return lines

    keys = draw(
        st.lists(
            st.sampled_from(["myst", "html_meta", "substitutions", "statut", "summary", "title"]),
            max_size=2,
            unique=True,
        )
    )
    front = "".join(
        f"{key}:\n  enable_extensions: [substitution]\n"
        if key == "myst"
        else f"{key}: '{draw(value)}'\n"
        for key in keys
        if key != "title"
    )
    body: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        body += block(draw(st.integers(0, 3)))
    return header(front) + "\n".join(body)


@pytest.mark.fuzz
def test_generated_letters_never_leak_run_or_crash(tmp_path_factory, canary, known_names):
    names, options, roles = known_names
    base = tmp_path_factory.mktemp("property")
    docs = slim_project(base)

    @settings(settings.get_profile(PROFILE))
    @given(source=generated_letter(names, options, roles, str(canary)))
    def check(source: str) -> None:
        (base / "issues" / "genere.md").write_text(source, encoding="utf-8")
        _app, warnings = build(docs, "html", base / "build", confoverrides=QUIET)
        assert "Traceback" not in warnings and "Exception" not in warnings, warnings
        assert CANARY not in warnings
        assert canary_anywhere(base / "build") == []
        page = (base / "build" / "html" / "lettres" / "genere.html").read_text("utf-8")
        article = page[page.index("<article") : page.index("</article>")]
        assert f"<{MARKER}" not in article and "<script" not in article
        assert "\u202e" not in article

    check()


# -- the configuration is the project's, and docutils is the second wall ------------------


def test_letters_are_parsed_with_the_letter_syntax_whatever_conf_py_enables(tmp_path):
    docs = slim_project(tmp_path)
    (tmp_path / "issues" / "essai.md").write_text(
        letter("Une {{ valeur }} et $x^2$ et H~2~O.\n"), encoding="utf-8"
    )
    (docs / "page.md").write_text("# Page\n\nUne {{ valeur }}.\n", encoding="utf-8")
    overrides = {
        **QUIET,
        "myst_enable_extensions": [
            "colon_fence",
            "deflist",
            "substitution",
            "dollarmath",
            "strikethrough",
        ],
        "myst_substitutions": {"valeur": "SUBSTITUEE"},
    }
    app, _warnings = build(docs, "html", tmp_path / "build", confoverrides=overrides)
    out = Path(app.outdir)
    letter_page = (out / "lettres" / "essai.html").read_text("utf-8")
    assert "Une {{ valeur }} et $x^2$ et H~2~O." in letter_page
    assert "SUBSTITUEE" in (out / "page.html").read_text("utf-8")  # the site's pages: conf.py's


def test_docutils_refuses_file_insertion_even_if_the_allowlist_let_it_through(
    tmp_path, canary, monkeypatch
):
    """The second wall: with ``include`` wrongly allowed, docutils' own
    ``file_insertion_enabled = False`` still refuses to read the file."""
    from almanach.rules import allowlist

    rule = allowlist.DirectiveRule("include", "docutils.parsers.rst.directives.misc:Include", None)
    monkeypatch.setitem(allowlist.LETTER_DIRECTIVES, "include", rule)
    docs = slim_project(tmp_path)
    (tmp_path / "issues" / "essai.md").write_text(
        letter(f"```{{include}} {canary}\n```\n"), encoding="utf-8"
    )
    _app, warnings = build(docs, "html", tmp_path / "build", confoverrides=QUIET)
    assert 'Directive "include" disabled' in warnings, warnings
    assert canary_anywhere(tmp_path / "build") == []


def test_security_md_states_the_allowlist():
    from almanach.rules.front_matter import LETTER_FIELDS

    text = (ROOT / "SECURITY.md").read_text("utf-8")
    for name, rule in LETTER_DIRECTIVES.items():
        assert f"`{name}`" in text, name
        for option in rule.options or ():
            assert f"`{option}`" in text, (name, option)
    for role in LETTER_ROLES:
        assert f"`{{{role}}}`" in text, role
    for field in LETTER_FIELDS:
        assert f"`{field}`" in text, field


def test_code_has_owners_and_content_is_reviewed_as_text():
    rules = [
        line.split()
        for line in (ROOT / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0][0] == "*" and len(rules[0]) > 1  # every path has an owner…
    content = {rule[0]: rule[1:] for rule in rules[1:]}
    # …but the content, which the allowlist makes safe to build
    assert content == {"/issues/": [], "/docs/registres/": []}


def test_a_failed_build_publishes_no_artifact():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    uploads = [step for step in steps if "upload" in step.get("uses", "")]
    assert uploads and all(
        step.get("if", "success()") == "success()"
        or step["if"].startswith("github.event_name == 'push'")
        for step in uploads
    )
    assert not any("always()" in str(step.get("if", "")) for step in steps)
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
