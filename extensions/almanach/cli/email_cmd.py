"""``almanach email send``: send a letter's email edition, as ``make email``
built it, to a few addresses (a test) or to the list.

The checks, the addressing and the SMTP submission are
:mod:`almanach.email.sending`; this command chooses the recipients, asks for
confirmation before a list sending, and prints what happened.
"""

from __future__ import annotations

import argparse
import os
import sys
from email.headerregistry import Address
from pathlib import Path

from ..email.sending import (
    BuiltLetter,
    SendingError,
    SmtpSettings,
    addressed,
    check_fresh,
    check_list_sending,
    deliver,
    list_address,
    load_built_letter,
    parse_address,
    require_sender,
)
from ..model.letters import DATE_PATTERN, month_label
from ..rules.front_matter import read_letter_front_matter
from ..tools.project import CommandError, Project
from .common import command_parser

DESCRIPTION = """\
Actions sur l’édition e-mail des lettres (construite par make email).

  almanach email send AAAA-MM --to ADRESSE    essai à une ou quelques adresses
  almanach email send AAAA-MM --list          envoi à la liste (lettre publiée)"""

SEND_DESCRIPTION = """\
Envoie l’édition e-mail d’une lettre telle que make email l’a construite
(build/email/AAAA-MM/lettre.eml), sans la modifier : seuls les destinataires
(To) et l’identifiant du message (Message-ID) s’y ajoutent à l’envoi.

--to envoie un essai aux adresses données, quel que soit le statut de la
lettre (pour un brouillon : make preview, puis --build-dir build/preview).
--list l’envoie à la liste (ALMANACH_EMAIL_LIST) : seulement une lettre
publiée, dont le message a un expéditeur (ALMANACH_EMAIL_FROM) et un lien de
désinscription (ALMANACH_EMAIL_UNSUBSCRIBE), après confirmation (« oui »), ou
avec --yes dans un script. Une lettre modifiée depuis la construction est
refusée : relancez make email.

Serveur d’envoi, par les variables d’environnement seulement :
ALMANACH_SMTP_HOST (obligatoire), ALMANACH_SMTP_PORT (587 par défaut),
ALMANACH_SMTP_USER et ALMANACH_SMTP_PASSWORD (les deux ou aucun),
ALMANACH_SMTP_TIMEOUT (30 secondes par défaut). La connexion passe toujours
par STARTTLS : un serveur qui ne le propose pas est refusé.

Code de sortie : 0 si la lettre est partie à tous ses destinataires, 1 si
l’envoi est refusé, annulé ou échoue, 2 pour une commande mal écrite."""

CONFIRMATION = "oui"


def register(subparsers, formatter) -> None:
    parser = command_parser(
        subparsers, formatter, "email", "envoyer l’édition e-mail d’une lettre", DESCRIPTION
    )
    actions = parser.add_subparsers(dest="email_command", metavar="ACTION", required=True)
    send = command_parser(
        actions, formatter, "send", "envoyer une lettre (essai ou liste)", SEND_DESCRIPTION
    )
    send.add_argument("month", metavar="AAAA-MM", type=_month, help="mois de la lettre")
    send.add_argument(
        "--to",
        metavar="ADRESSE",
        action="append",
        type=_recipient,
        default=[],
        help="envoie un essai à cette adresse (l’option se répète pour plusieurs adresses)",
    )
    send.add_argument("--list", action="store_true", help="envoie à la liste (ALMANACH_EMAIL_LIST)")
    send.add_argument(
        "--dry-run",
        action="store_true",
        help="affiche le message tel qu’il partirait, sans rien envoyer (sans serveur)",
    )
    send.add_argument(
        "--yes", action="store_true", help="envoie à la liste sans demander de confirmation"
    )
    send.add_argument(
        "--build-dir",
        metavar="DOSSIER",
        type=Path,
        help="dossier de construction (par défaut : build, à la racine du projet ; "
        "build/preview pour la prévisualisation)",
    )
    send.set_defaults(handler=run_send)


def run_send(args: argparse.Namespace) -> int:
    if bool(args.to) == args.list:
        raise CommandError(
            "indiquez soit --to ADRESSE (un essai), soit --list (la liste), pas les deux"
            if args.list
            else "à qui envoyer ? ajoutez --to ADRESSE (un essai) ou --list (la liste)"
        )
    project = Project.find()
    build_dir = args.build_dir if args.build_dir is not None else project.root / "build"
    try:
        letter = load_built_letter(build_dir, args.month)
        source = check_fresh(letter, project.root)
        if args.list:
            recipients = [list_address(project.settings)]
            sender = check_list_sending(letter)
        else:
            recipients = args.to
            sender = require_sender(letter)
            for note in test_send_notes(letter):
                sys.stderr.write(f"Attention : {note}\n")
        message = addressed(letter, recipients, sender)
        if args.dry_run:
            sys.stdout.write(message.decode("utf-8", "replace").replace("\r\n", "\n"))
            sys.stderr.write("Essai à blanc (--dry-run) : rien n’a été envoyé.\n")
            return 0
        settings = SmtpSettings.from_environment(os.environ)
        label = _label(letter, source)
        if args.list and not args.yes:
            _confirm(letter, label, recipients[0], len(message))
        delivery = deliver(message, sender, recipients, settings)
    except SendingError as error:
        raise CommandError(error.message, code=1) from None
    shown = ", ".join(delivery.accepted)
    if args.list:
        sys.stdout.write(f"{label} envoyée à la liste {shown} (1 destinataire).\n")
    else:
        count = len(delivery.accepted)
        sys.stdout.write(f"{label} envoyée à {count} destinataire{'s' * (count > 1)} : {shown}.\n")
    if delivery.refused:
        refused = " ; ".join(f"{address} ({reply})" for address, reply in delivery.refused.items())
        raise CommandError(
            f"le serveur a refusé {len(delivery.refused)} destinataire(s) : {refused}", 1
        )
    return 0


def test_send_notes(letter: BuiltLetter) -> list[str]:
    """What a test send goes out with that a list sending would not."""
    notes = []
    if letter.preview:
        notes.append(
            "message de l’aperçu : ses liens mènent aux pages de l’aperçu sur cet "
            "ordinateur, pas au site publié"
        )
    if letter.problems:
        notes.append(
            f"la construction a signalé {len(letter.problems)} problème(s) dans ce message "
            "(voir make email)"
        )
    return notes


def _confirm(letter: BuiltLetter, label: str, recipient: Address, size: int) -> None:
    """Show what leaves and ask for « oui »; a script says --yes instead (no
    terminal, no question: a pipe must not answer for someone)."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise CommandError(
            "pas de terminal pour confirmer l’envoi à la liste : ajoutez --yes pour envoyer "
            "sans question (rien n’a été envoyé)",
            1,
        )
    sys.stdout.write(
        f"{label}\n"
        f"Objet : {letter.subject or '(sans objet)'}\n"
        f"Liste : {recipient}\n"
        f"Taille : {_size(size)}\n"
        f"Envoyer à {recipient.addr_spec} ? Tapez « {CONFIRMATION} » pour confirmer : "
    )
    sys.stdout.flush()
    answer = sys.stdin.readline()
    if answer.strip().lower() != CONFIRMATION:
        if not answer.endswith("\n"):
            sys.stdout.write("\n")
        raise CommandError("envoi annulé : rien n’a été envoyé", 1)


def _label(letter: BuiltLetter, source: Path) -> str:
    """« Lettre n° 7 (décembre 2021) », the number read from the letter."""
    text = source.read_text(encoding="utf-8-sig", errors="replace")
    number = read_letter_front_matter(text).values.get("number")
    name = f"Lettre n° {number}" if number else "Lettre"
    return f"{name} ({month_label(letter.letter)})"


def _size(size: int) -> str:
    """« 48,2 ko »: the message's size, as a French reader writes it."""
    if size < 1000:
        return f"{size} octets"
    return f"{size / 1000:.1f} ko".replace(".", ",")


def _month(text: str) -> str:
    if not DATE_PATTERN.match(text):
        raise argparse.ArgumentTypeError(
            f"mois « {text} » invalide : écrivez l’année et le mois, par exemple 2021-12"
        )
    return text


def _recipient(text: str) -> Address:
    try:
        return parse_address(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"adresse invalide : {error}") from None
