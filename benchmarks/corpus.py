"""A synthetic corpus for the benchmarks, in two variants with the same words.

* The **almanach** variant is a copy of the real project (``docs/`` and
  ``references.bib``) whose ``issues/`` holds N generated letters and whose
  ``docs/registres/`` is replaced by generated registries: 10 pilot territories
  (« Territoire 01 » …), three people each (« Personne 01-1 » …), speakers from
  organisations (« Intervenant 01 »), organisations, a few other territories,
  events, and the real rubriques. The guide (``docs/guide/``) is left out: its
  examples name the real registries' entries.
* The **plain** variant is the same text as plain MyST, the floor: no custom
  directive or role (rubriques are headings, quotations block quotes, resources
  list items with their links, mentions plain text), the same index page shape
  and the same Sphinx settings, through a ``conf.py`` that executes the real one
  and drops the almanach extension and its settings.

The letters and registries come from the shared generator: the model and its
rendering in ``benchmarks/letters.py``, the recipe in ``benchmarks/dense.py``
(letters with the density of the December 2021 letter, ``issues/2021-12.md``;
letter *i* the same whatever N, so the 12-letter corpus is the start of the
120-letter one).

``python -m benchmarks.corpus N DEST`` writes both projects into ``DEST``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.dense import make_letters, make_registries
from benchmarks.letters import (
    Block,
    Bullets,
    Letter,
    Paragraph,
    Quote,
    Registries,
    Resource,
    Rubrique,
    Update,
    render_almanach,
    write_registries,
)

ROOT = Path(__file__).resolve().parent.parent
#: The real letter whose density the generated ones imitate.
DECEMBER = ROOT / "issues" / "2021-12.md"


ROLE = re.compile(r"\{(person|territory|organisation|event|resource)\}`([^`]*)`")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)


class PlainRenderer:
    """The same words as plain MyST: headings, block quotes, links and lists."""

    def __init__(self, registries: Registries, resources: dict[str, Resource]) -> None:
        self.registries = registries
        self.resources = resources  # every resource of the corpus, by id

    def inline(self, text: str) -> str:
        return ROLE.sub(self._mention, text)

    def _mention(self, match: re.Match) -> str:
        kind, content = match.groups()
        explicit = EXPLICIT.match(content)
        shown, key = (explicit.group(1), explicit.group(2)) if explicit else ("", content)
        if kind == "resource":
            resource = self.resources[key]
            shown = shown or self.inline(resource.title)
            return f"[{shown}]({resource.url})" if resource.url else shown
        return shown or self.registries.label(kind, key)

    def letter(self, letter: Letter) -> str:
        parts = [f"# {letter.heading}\n"]
        parts += [self.block(block) for block in (*letter.intro, *letter.rubriques)]
        return "\n".join(parts)

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return self.inline(block.text) + "\n"
        if isinstance(block, Bullets):
            return "".join(f"- {self.inline(item)}\n" for item in block.items)
        if isinstance(block, Quote):
            who = (
                self.registries.label("person", block.speaker)
                if block.speaker
                else self.inline(self.resources[block.source].title)
            )
            return f"> {self.inline(block.text)}\n>\n> — {who}\n"
        if isinstance(block, Resource):
            title = self.inline(block.title)
            line = f"[{title}]({block.url})" if block.url else f"{title} (lien à venir)"
            line += f" — {block.kind}"
            if block.publisher:
                line += f" — {self.registries.label('organisation', block.publisher)}"
            body = "".join("\n" + self.block(child) for child in block.description)
            return f"- {line}\n{body}"
        if isinstance(block, Update):
            territory = self.registries.label("territory", block.territory)
            head = f"*{block.question}*\n\n" if block.question else ""
            head += f"Territoire : {territory}\n"
            return head + "".join("\n" + self.block(child) for child in block.blocks)
        assert isinstance(block, Rubrique)
        rubrique = self.registries.rubriques[block.id]
        heading = f"{rubrique['emoji']} {rubrique['title']}"
        if block.subtitle:
            heading += f" : {block.subtitle}"
        text = f"## {heading}\n"
        if rubrique.get("description"):
            text += f"\n*{rubrique['description']}*\n"
        return text + "".join("\n" + self.block(child) for child in block.blocks)


# -- density ----------------------------------------------------------------------------------


DIRECTIVES = ("rubrique", "territory-update", "quote", "resource")
ROLES = ("person", "territory", "organisation", "resource", "event")


def density(text: str) -> dict[str, int]:
    """What a letter's MyST source holds: directives, mentions, words (front matter aside)."""
    body = text.split("---", 2)[2] if text.startswith("---") else text
    counts = {
        directive: len(re.findall(r"^:{3,}\{" + re.escape(directive) + r"\}", body, re.MULTILINE))
        for directive in DIRECTIVES
    }
    counts["mentions"] = sum(len(re.findall(r"\{" + role + r"\}`", body)) for role in ROLES)
    counts["words"] = len(re.findall(r"\w+", body))
    return counts


# -- projects ------------------------------------------------------------------------------


PLAIN_CONF = '''"""Sphinx settings of the plain floor: the real conf.py without almanach.

Generated by benchmarks/corpus.py. The real configuration is executed as is;
then the almanach extension and its settings are dropped. Sphinx's default
fonts for lualatex (FreeFont) are not installed here: the floor gets the
compendium's fonts and page size, so that both PDFs set the same text alike.
"""

from pathlib import Path

_REAL = Path({real_conf!r})
_settings = {{"__file__": str(_REAL), "__name__": "conf"}}
exec(compile(_REAL.read_text("utf-8"), str(_REAL), "exec"), _settings)
globals().update({{k: v for k, v in _settings.items() if not k.startswith("_")}})

extensions = [name for name in extensions if name != "almanach"]
for _name in [n for n in globals() if n.startswith("almanach_")]:
    del globals()[_name]
# The bibliography styles below are registered by almanach: Sphinx's defaults.
for _name in ("bibtex_default_style", "bibtex_reference_style"):
    globals().pop(_name, None)
exclude_patterns = ["_build"]
# The sidebar's masthead is a template of almanach's: the theme's default sidebar.
globals().pop("html_sidebars", None)
latex_elements = {{
    **globals().get("latex_elements", {{}}),
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fontpkg": {fontpkg!r},
}}
'''

#: Fonts of the floor's PDF: those of the compendium (almanach/latex.py).
PLAIN_FONTPKG = r"""
\directlua{luaotfload.add_fallback("benchemoji", {"NotoColorEmoji:mode=harf;"})}
\setmainfont{TeX Gyre Pagella}[RawFeature={fallback=benchemoji}]
\setsansfont{TeX Gyre Heros}[RawFeature={fallback=benchemoji}]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase,RawFeature={fallback=benchemoji}]
"""

#: Stands for the editors' guide, whose examples name the real registries' entries.
GUIDE_STUB = """# Guide de rédaction

Le guide des éditeurs n’entre pas dans le corpus des benchmarks.
"""

#: Directives of almanach that the real home page uses, dropped from the floor's.
ALMANACH_BLOCK = re.compile(
    r"^(`{3,}|:{3,})\{(?:pdf-download|front-page)\}[^\n]*\n(?:.*\n)*?\1\n", re.MULTILINE
)
TOCTREE = re.compile(r"^(`{3,}|:{3,})\{toctree\}[^\n]*\n((?:.*\n)*?)\1\n", re.MULTILINE)


def plain_index(real_index: str) -> str:
    """The real home page without almanach's directives: the same toctrees."""
    return ALMANACH_BLOCK.sub("", real_index)


def toctree_entries(index: str) -> list[str]:
    """The documents the home page's toctrees list (globs aside)."""
    entries = []
    for match in TOCTREE.finditer(index):
        for line in match.group(2).splitlines():
            line = line.strip()
            if line and not line.startswith(":") and "*" not in line:
                entries.append(line)
    return entries


@dataclass
class Corpus:
    """Both projects of one size, and what the incremental benchmark edits."""

    n: int
    root: Path
    registries: Registries
    letters: list[Letter]
    edits: int = 0
    markers: list[str] = field(default_factory=list)

    @property
    def almanach(self) -> Path:
        return self.root / "almanach"

    @property
    def plain(self) -> Path:
        return self.root / "plain"

    @property
    def edited_letter(self) -> Letter:
        """The letter the incremental benchmark edits: the middle one."""
        return self.letters[(self.n - 1) // 2]

    @property
    def edited_update(self) -> Update:
        """The update it edits: the letter's first."""
        return self.edited_letter.updates[0]

    @property
    def current_marker(self) -> str:
        """The word the edited sentence holds now."""
        return self.markers[-1] if self.markers else self.edited_update.marker

    @property
    def previous_marker(self) -> str:
        """The word it held before the last edit."""
        return self.markers[-2] if len(self.markers) > 1 else self.edited_update.marker

    def edit(self) -> str:
        """Change the edited sentence in both variants; return its new word (a word that
        holds none of the previous ones)."""
        letter = self.edited_letter
        old = self.current_marker
        self.edits += 1
        new = f"retouche{letter.number:03d}n{self.edits}z"
        for variant in ("almanach", "plain"):
            path = self.root / variant / "issues" / letter.filename
            text = path.read_text("utf-8")
            if text.count(old) != 1:
                raise ValueError(f"{path}: « {old} » is not there once")
            path.write_text(text.replace(old, new), encoding="utf-8")
        self.markers.append(new)
        return new


def _copy_real_project(destination: Path) -> None:
    """The parts of the real project a build needs, without its letters and guide."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        ROOT / "docs",
        destination / "docs",
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", "_build"),
    )
    shutil.copy2(ROOT / "references.bib", destination / "references.bib")
    guide = destination / "docs" / "guide"
    if guide.exists():  # its examples name the real registries' entries
        shutil.rmtree(guide)
        guide.mkdir()
        (guide / "index.md").write_text(GUIDE_STUB, encoding="utf-8")
    for page in (destination / "docs" / "territoires").glob("*.md"):
        if page.name != "index.md":  # generated by almanach for the real pilots
            page.unlink()
    (destination / "issues").mkdir(exist_ok=True)


def write_almanach_project(root: Path, registries: Registries, letters: list[Letter]) -> None:
    _copy_real_project(root)
    write_registries(root / "docs" / "registres", registries)
    for letter in letters:
        (root / "issues" / letter.filename).write_text(render_almanach(letter), encoding="utf-8")


def write_plain_project(
    root: Path, registries: Registries, letters: list[Letter], real_conf: Path
) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "issues").mkdir()
    (docs / "lettres").symlink_to(Path("..") / "issues")
    shutil.copy2(ROOT / "references.bib", root / "references.bib")
    (docs / "conf.py").write_text(
        PLAIN_CONF.format(real_conf=str(real_conf), fontpkg=PLAIN_FONTPKG), encoding="utf-8"
    )
    real_docs = real_conf.parent
    if (real_docs / "_static").is_dir():
        shutil.copytree(real_docs / "_static", docs / "_static")
    index = plain_index((real_docs / "index.md").read_text("utf-8"))
    (docs / "index.md").write_text(index, encoding="utf-8")
    pages = plain_pages(registries)
    for entry in toctree_entries(index):
        # Pages of the real project without gathered content (the introduction, the
        # guide's stand-in) are copied as they are.
        name = f"{entry}.md"
        if name not in pages:
            source = real_docs / name
            pages[name] = source.read_text("utf-8") if source.is_file() else f"# {entry}\n"
    resources = {rid: r for letter in letters for rid, r in letter.resources.items()}
    renderer = PlainRenderer(registries, resources)
    for letter in letters:
        (root / "issues" / letter.filename).write_text(renderer.letter(letter), encoding="utf-8")
    for name, text in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def plain_pages(registries: Registries) -> dict[str, str]:
    """The floor's other pages: what the registries say, without anything gathered."""

    def listing(title: str, intro: str, lines: Iterable[str]) -> str:
        return f"# {title}\n\n{intro}\n\n" + "".join(f"- {line}\n" for line in lines)

    pages = {
        "rubriques.md": "# Les rubriques\n\nChaque rubrique, d’une lettre à l’autre.\n\n"
        + "".join(
            f"## {r['emoji']} {r['title']}\n\n{r.get('description', '')}\n\n"
            for r in registries.rubriques.values()
        ),
        "ressources.md": "# Les ressources\n\nLes ressources partagées par les lettres.\n",
        "citations.md": "# Les citations\n\nLes citations des lettres, avec leurs auteurs.\n",
        "agenda.md": listing(
            "L’agenda",
            "Les rendez-vous du programme, dans l’ordre des dates.",
            (f"{e['title']} : {e['start']}" for e in registries.events.values()),
        ),
        "personnes.md": listing(
            "Les personnes",
            "Les personnes citées dans les lettres.",
            (f"{p['name']} ({p['role']})" for p in registries.people.values()),
        ),
        "organisations.md": listing(
            "Les organisations",
            "Les organisations citées dans les lettres.",
            (o["name"] for o in registries.organisations.values()),
        ),
        "bibliographie.md": "# Bibliographie\n\nLes ouvrages cités dans les lettres.\n\n"
        "```{bibliography}\n```\n",
        "territoires/index.md": "# Les territoires\n\nLes territoires pilotes.\n\n"
        "```{toctree}\n:maxdepth: 1\n:glob:\n\n*\n```\n",
    }
    for key in registries.pilots:
        territory = registries.territories[key]
        pages[f"territoires/{key}.md"] = (
            f"# {territory['name']}\n\n- Type : {territory['kind']}\n"
            f"- Département : {territory['departement']}\n"
        )
    return pages


def build_corpus(root: Path, n: int) -> Corpus:
    """Write both projects of ``n`` letters under ``root`` (which must not exist)."""
    registries = make_registries()
    letters = make_letters(n, registries)
    root.mkdir(parents=True)
    corpus = Corpus(n, root, registries, letters)
    write_almanach_project(corpus.almanach, registries, letters)
    write_plain_project(corpus.plain, registries, letters, corpus.almanach / "docs" / "conf.py")
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of letters")
    parser.add_argument("destination", type=Path, help="a folder that does not exist yet")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.destination, args.n)
    sys.stdout.write(f"{corpus.almanach}\n{corpus.plain}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
