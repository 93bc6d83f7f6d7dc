"""``almanach import``: a letter exported by the mailing tool, or the host's
whole archive, becomes MyST drafts.

The conversion is :func:`almanach.tools.importer.plain_text.import_letter`; this
command reads the file (plain text) or the archive (a ZIP or its folder:
:mod:`almanach.tools.importer.host_export`), finds the project (registries,
bibliography, other letters), writes each draft atomically and prints the
report.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

from ..model.letters import DATE_PATTERN
from ..model.registry import Registry, load_registry
from ..tools.importer.citations import read_bibliography
from ..tools.importer.dating import disagreement, infer_date
from ..tools.importer.decoding import LetterFormatError, decode_letter
from ..tools.importer.events import registry_events
from ..tools.importer.host_export import ExportFormatError, Post, read_export
from ..tools.importer.plain_text import (
    declared_resources,
    import_letter,
    letter_number,
    next_number,
)
from ..tools.importer.proposals import (
    ProposalError,
    apply_proposals,
    propose,
    registry_files,
    registry_patch,
)
from ..tools.importer.report import format_report
from ..tools.importer.source import SourceLine, plain_lines
from ..tools.project import CommandError, Project
from .common import command_parser, refuse_existing, write_atomically

DESCRIPTION = """\
Convertit une lettre telle que l’outil d’envoi l’exporte (texte brut : rubriques
à émoji, éléments « ➡️ », citations, entretiens « Prénom Nom, rôle : », liens
réduits à « ici »), ou toute l’archive de l’hébergeur (le fichier ZIP de
l’export, ou son dossier décompressé : posts.csv et une page HTML par lettre),
en brouillons MyST qui utilisent le modèle de contenu : rubriques, nouvelles
des territoires, citations, ressources (avec leur adresse quand l’export l’a
gardée, en attente sinon), événements, références de la bibliographie, listes,
mentions des personnes, territoires et organisations des registres. Aucun mot
de la lettre n’est perdu.

Chaque supposition de l’import (titre de ressource, auteur d’une citation,
date, résumé…) est signalée par une ligne « % à revoir : … » ; une lettre qui
en garde ne peut pas passer au statut review ou published.

Encodages acceptés : UTF-8 (avec ou sans BOM) et Windows-1252, fins de ligne
LF ou CRLF. Le brouillon (status: draft) n’est visible qu’en prévisualisation.

Code de sortie : 0 si le brouillon est écrit, 2 en cas d’erreur (fichier
illisible, encodage non pris en charge, brouillon existant sans --force)."""


def register(subparsers, formatter) -> None:
    parser = command_parser(
        subparsers,
        formatter,
        "import",
        "convertir une lettre exportée (texte brut) en brouillon MyST",
        DESCRIPTION,
    )
    parser.add_argument(
        "letter",
        metavar="LETTRE.txt|EXPORT.zip",
        help="la lettre exportée en texte brut, ou l’export de l’hébergeur (ZIP ou dossier)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="CHEMIN",
        help="le brouillon à écrire (par défaut : issues/AAAA-MM.md, d’après sa date)",
    )
    parser.add_argument(
        "--force", action="store_true", help="remplace le brouillon s’il existe déjà"
    )
    parser.add_argument(
        "--number",
        metavar="N",
        help="numéro de la lettre (par défaut : le plus grand numéro des lettres + 1)",
    )
    parser.add_argument(
        "--date",
        metavar="AAAA-MM",
        help="mois de la lettre (par défaut : celui que la lettre dit — « la lettre de "
        "janvier », « bonne année 2022 » — accordé avec l’archive, le mois qui suit la "
        "dernière lettre ; sans indice sûr, la commande s’arrête et demande --date)",
    )
    parser.add_argument(
        "--title",
        metavar="TITRE",
        help="titre de la lettre (par défaut : le sous-titre de l’édito, sinon le titre "
        "de la première rubrique)",
    )
    parser.add_argument(
        "--registries",
        action="store_true",
        help="ajoute aux registres (docs/registres) les personnes, territoires et organisations "
        "que la lettre nomme et qu’ils ne connaissent pas ; sans cette option, ils sont "
        "proposés dans un correctif à côté du brouillon (issues/AAAA-MM.registres.patch)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    source = Path(args.letter)
    if source.is_dir() or source.suffix.lower() == ".zip" or zipfile.is_zipfile(source):
        return _run_archive(args, source)
    text, encoding = _read_letter(source)
    if args.date is not None and not DATE_PATTERN.match(args.date):
        raise CommandError(f"date « {args.date} » invalide : écrivez l’année et le mois, AAAA-MM")
    project = Project.find()
    date, dating_line = _date(args, text, source, project)
    registry = load_registry(project.registries, project.root)
    if registry.problems:
        sys.stderr.write(
            f"attention : {len(registry.problems)} problème(s) dans les registres ; "
            "lancez « almanach check » (les noms concernés ne seront pas reconnus)\n"
        )
    output = Path(args.output) if args.output else project.letters / f"{date}.md"
    others = _other_letters(project.letters, output)
    number = _number(args.number, output, others)
    refuse_existing(output, args.force)
    registry, proposed = _proposals(args, project, plain_lines(text), registry, output)
    draft = import_letter(
        text,
        registry,
        number=number,
        date=date,
        title=args.title,
        taken_ids=declared_resources(others),
        works=_works(project),
        date_guess="" if args.date else dating_line.split(", ", 1)[-1],
    )
    try:
        write_atomically(output, draft.myst, force=args.force)
    except OSError as error:
        raise CommandError(f"impossible d’écrire {output} : {error.strerror or error}") from None
    shown = _shown(output, project.root)
    sys.stdout.write(
        format_report(
            draft.report,
            output=shown,
            source=str(source),
            encoding=encoding,
            heading=draft.heading,
            title=draft.title,
            dating=dating_line,
        )
        + proposed
    )
    return 0


def _proposals(
    args: argparse.Namespace,
    project: Project,
    lines: list[SourceLine],
    registry: Registry,
    output: Path,
) -> tuple[Registry, str]:
    """The registry entries the letter calls for: applied with --registries (the
    registry read again, so that the draft mentions them), else written as a
    patch beside the draft. The registry to import with, and the report's lines."""
    proposals = propose(
        [(line.line, line.text) for line in lines],
        registry,
        programme=project.settings.programme,
    )
    if not proposals:
        return registry, ""
    files = registry_files(project.registries)
    shown = _shown(output, project.root)
    listed = [
        f"    ligne {p.line} : {_REGISTRY_NAMES.get(p.registry, p.registry)} {p.id} — {p.name}"
        + "".join(
            f", {key} : {value}" for key, value in p.fields if key in ("role", "organisation")
        )
        for p in proposals
    ]
    try:
        if args.registries:
            changed = apply_proposals(proposals, files, shown)
            registry = load_registry(project.registries, project.root)
            names = ", ".join(_shown(path, project.root) for path in changed)
            head = f"Registres complétés ({len(proposals)} entrée(s), dans {names}) : à vérifier"
            return registry, "\n".join([head, *listed, ""]) + "\n"
        patch = output.with_name(output.stem + ".registres.patch")
        text = registry_patch(proposals, project.root, files, source=shown)
        write_atomically(patch, text, force=True)
    except ProposalError as error:
        raise CommandError(error.message) from None
    except OSError as error:
        raise CommandError(f"impossible d’écrire le correctif des registres : {error}") from None
    head = (
        f"Entrées de registre proposées ({len(proposals)}), dans {_shown(patch, project.root)} : "
        "relisez-les, puis « git apply " + _shown(patch, project.root) + " », ou relancez "
        "l’import avec --registries --force ; d’ici là, ces noms restent du texte simple"
    )
    return registry, "\n".join([head, *listed, ""]) + "\n"


_REGISTRY_NAMES = {
    "people": "personne",
    "territories": "territoire",
    "organisations": "organisation",
}


def _events(project: Project) -> list:
    return registry_events(load_registry(project.registries, project.root))


def _works(project: Project) -> list:
    works, problem = read_bibliography(project.bibliography)
    if problem:
        sys.stderr.write(f"attention : {problem}\n")
    return works


def _run_archive(args: argparse.Namespace, source: Path) -> int:
    """Every letter of the host's export, in date order: one draft each (never
    one that exists, unless --force), one report for the whole archive."""
    if args.output or args.number or args.title:
        raise CommandError(
            "--output, --number et --title valent pour une lettre ; pour une archive, les "
            "lettres sont écrites dans issues/AAAA-MM.md et numérotées dans l’ordre des dates"
        )
    try:
        export = read_export(source)
    except ExportFormatError as error:
        raise CommandError(error.message) from None
    project = Project.find()
    registry = load_registry(project.registries, project.root)
    works = _works(project)
    numbers = _letter_numbers(project.letters)
    sections, problems, written = [], list(export.problems), 0
    taken = declared_resources(_other_letters(project.letters, project.letters / "-"))
    for post in export.posts:
        text = "\n".join(line.text for line in post.lines)
        date, how = _post_date(args, post, text, project)
        if date is None:
            problems.append(f"{post.source} : lettre « {post.title} » non importée : {how}")
            continue
        output = project.letters / f"{date}.md"
        if output.exists() and not args.force:
            problems.append(
                f"{post.source} : lettre « {post.title} » non importée : "
                f"{_shown(output, project.root)} existe déjà (--force pour la remplacer)"
            )
            continue
        number = _archive_number(numbers, date)
        registry, proposed = _proposals(args, project, post.lines, registry, output)
        draft = import_letter(
            post.lines,
            registry,
            number=number,
            date=date,
            title=post.title or None,
            taken_ids=taken,
            works=works,
            date_guess=how if not post.date else "",
            subtitle=post.subtitle,
            status="published" if post.published else "draft",
        )
        try:
            write_atomically(output, draft.myst, force=args.force)
        except OSError as error:
            problems.append(f"impossible d’écrire {output} : {error.strerror or error}")
            continue
        written += 1
        taken |= declared_resources([draft.myst])
        sections.append(
            format_report(
                draft.report,
                output=_shown(output, project.root),
                source=post.source,
                encoding="UTF-8",
                heading=draft.heading,
                title=draft.title,
                dating=f"{date}, {how}",
                status=draft.status,
                dropped=post.dropped,
            )
            + proposed
        )
    head = [f"Archive {source} : {len(export.posts)} lettre(s), {written} brouillon(s) écrit(s)"]
    if problems:
        head += [f"  Non importé ({len(problems)}) :", *(f"    {p}" for p in problems)]
    sys.stdout.write("\n".join(head) + "\n\n" + "\n".join(sections))
    return 0 if not problems else 1


def _post_date(
    args: argparse.Namespace, post: Post, text: str, project: Project
) -> tuple[str | None, str]:
    """A post's month: the host's date of sending, else what the letter says."""
    if post.date:
        against = disagreement(text, post.date[:7])
        how = f"date d’envoi chez l’hébergeur ({post.date})"
        return post.date[:7], how + (f" ; attention, la lettre dit {against}" if against else "")
    dating = infer_date(text, _latest_date(project.letters), _events(project))
    if dating.date is None:
        return None, f"date introuvable ({dating.problem}) ; importez-la seule avec --date"
    return dating.date, dating.how


def _letter_numbers(folder: Path) -> dict[str, int]:
    """The project's letters: month → number."""
    numbers = {}
    for path in folder.glob("*.md"):
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        match = FRONT_MATTER_DATE.search(text[:2000])
        number = letter_number(text)
        if match and number:
            numbers[match.group(1)] = number
    return numbers


def _archive_number(numbers: dict[str, int], date: str) -> int:
    """The number of the letter of month ``date``: its own if the project has
    it, else one more than the latest letter before it."""
    if date in numbers:
        return numbers[date]
    number = 1 + max((n for month, n in numbers.items() if month < date), default=0)
    numbers[date] = number
    return number


def _date(args: argparse.Namespace, text: str, source: Path, project: Project) -> tuple[str, str]:
    """The letter's month and the report's line that says where it comes from;
    no date (an error that says how to give one) rather than an invented one."""
    if args.date is not None:
        against = disagreement(text, args.date)
        if against:
            warning = f"attention, la lettre dit {against}"
            return args.date, f"{args.date}, donnée par --date ; {warning}"
        return args.date, f"{args.date}, donnée par --date"
    dating = infer_date(text, _latest_date(project.letters), _events(project))
    if dating.date is None:
        raise CommandError(
            f"date de la lettre introuvable : {dating.problem}. Donnez-la, par exemple : "
            f"almanach import {source} --date AAAA-MM"
        )
    return dating.date, f"{dating.date}, {dating.how}"


def _latest_date(folder: Path) -> str | None:
    """The month of the project's latest letter (its front matter's date)."""
    dates = []
    for path in folder.glob("*.md"):
        try:
            head = path.read_text(encoding="utf-8")[:2000]
        except (OSError, UnicodeDecodeError):
            continue
        match = FRONT_MATTER_DATE.search(head)
        if match:
            dates.append(match.group(1))
    return max(dates, default=None)


FRONT_MATTER_DATE = re.compile(r"^date:\s*[\"']?(\d{4}-\d{2})", re.MULTILINE)


def _read_letter(source: Path) -> tuple[str, str]:
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{source} n’existe pas") from None
    except IsADirectoryError:
        raise CommandError(f"{source} est un dossier : donnez le fichier de la lettre") from None
    except OSError as error:
        raise CommandError(f"impossible de lire {source} : {error.strerror or error}") from None
    try:
        return decode_letter(data)
    except LetterFormatError as error:
        raise CommandError(f"{source} : {error.message}") from None


def _other_letters(folder: Path, output: Path) -> list[str]:
    """The MyST text of every letter of the project but the one being written."""
    texts = []
    for path in sorted(folder.glob("*.md")):
        if path.resolve() != output.resolve():
            try:
                texts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
            except OSError:
                continue
    return texts


def _number(option: str | None, output: Path, others: list[str]) -> int:
    """The --number given, else the number of the draft being replaced, else the next one."""
    if option is not None:
        if not option.strip().isdigit() or int(option) < 1:
            raise CommandError(f"numéro « {option} » invalide : donnez un entier positif")
        return int(option)
    if output.is_file():
        try:
            number = letter_number(output.read_text(encoding="utf-8-sig", errors="replace"))
        except OSError:
            number = None
        if number:
            return number
    return next_number(others)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)
