"""Sending a built letter: load what ``make email`` wrote, check that it may
leave, address it, and hand it to an SMTP server over STARTTLS.

The builder writes, per letter, ``<build>/email/AAAA-MM/lettre.eml`` (a complete
message without ``To`` nor ``Message-ID``) and ``lettre.json`` (the letter, its
source file and that file's SHA-256, its status, its subject). This module
never rewrites them: the recipients and the message's identifier are added to a
copy, at send time. Every refusal is a :class:`SendingError` whose message is
French and says what to do; nothing here prints or asks.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import cast

from ..config import AlmanachConfig
from ..model.letters import STATUSES
from ..warnings_ import shown_path as _shown

#: The files ``make email`` writes for each letter.
MESSAGE_FILE = "lettre.eml"
MANIFEST_FILE = "lettre.json"
#: Submission port (RFC 6409), where STARTTLS is the rule.
DEFAULT_PORT = 587
#: Seconds to wait for the server, at each step.
DEFAULT_TIMEOUT = 30.0
#: What the built file may not carry into a sending: the recipients and the
#: identifier are this sending's own (a stale ``Bcc`` would leak addresses).
DROPPED_HEADERS = frozenset({"to", "cc", "bcc", "message-id"})
STATUS_LABELS = {"draft": "brouillon", "review": "en relecture", "published": "publiée"}
BUILD_HINT = "construisez d’abord l’édition e-mail : make email"

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_EXAMPLE = "par exemple prenom.nom@exemple.fr"


class SendingError(Exception):
    """A refusal or a failure the user can act on: a French message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BuiltLetter:
    """One letter's email edition as ``make email`` wrote it: the message's
    bytes untouched, the same parsed (to read its headers), and the manifest."""

    folder: Path
    letter: str
    source: str
    source_sha256: str
    status: str
    raw: bytes
    message: EmailMessage
    #: Where the message's links lead; a preview's lead to the disk.
    base: str = ""
    preview: bool = False
    #: The build's warnings about the message.
    problems: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", "")).strip()

    @property
    def sender(self) -> Address | None:
        """The ``From`` address, or None when the build had none to write."""
        value = str(self.message.get("From", "")).strip()
        if not value:
            return None
        try:
            return parse_address(value)
        except ValueError as error:
            raise SendingError(
                f"{_shown(self.folder / MESSAGE_FILE)} : expéditeur (From) invalide : {error} ; "
                "corrigez ALMANACH_EMAIL_FROM, puis relancez make email"
            ) from None

    @property
    def unsubscribe(self) -> str:
        return str(self.message.get("List-Unsubscribe", "")).strip()


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to submit: read from the environment only, so that no
    server nor password ever sits in the repository."""

    host: str
    port: int = DEFAULT_PORT
    user: str = ""
    password: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """``ALMANACH_SMTP_HOST`` (required), ``_PORT`` (587), ``_USER`` and
        ``_PASSWORD`` (both or neither), ``_TIMEOUT`` (seconds, 30)."""
        env = os.environ if environ is None else environ
        host = env.get("ALMANACH_SMTP_HOST", "").strip()
        if not host:
            raise SendingError(
                "ALMANACH_SMTP_HOST n’est pas défini : indiquez le serveur d’envoi (et au "
                "besoin ALMANACH_SMTP_PORT, ALMANACH_SMTP_USER, ALMANACH_SMTP_PASSWORD) ; "
                "--dry-run montre le message sans serveur"
            )
        port_text = env.get("ALMANACH_SMTP_PORT", "").strip() or str(DEFAULT_PORT)
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SendingError(
                f"ALMANACH_SMTP_PORT « {port_text} » invalide : un numéro de port, "
                f"par exemple {DEFAULT_PORT}"
            )
        user = env.get("ALMANACH_SMTP_USER", "")
        password = env.get("ALMANACH_SMTP_PASSWORD", "")
        if bool(user) != bool(password):
            missing = "ALMANACH_SMTP_PASSWORD" if user else "ALMANACH_SMTP_USER"
            raise SendingError(
                f"{missing} n’est pas défini : ALMANACH_SMTP_USER et ALMANACH_SMTP_PASSWORD "
                "vont ensemble (les deux, ou aucun si le serveur n’en demande pas)"
            )
        timeout_text = env.get("ALMANACH_SMTP_TIMEOUT", "").strip() or str(DEFAULT_TIMEOUT)
        try:
            timeout = float(timeout_text.replace(",", "."))
        except ValueError:
            timeout = 0.0
        if not 0 < timeout <= 3600:
            raise SendingError(
                f"ALMANACH_SMTP_TIMEOUT « {timeout_text} » invalide : un nombre de secondes, "
                f"par exemple {DEFAULT_TIMEOUT:g}"
            )
        return cls(host, int(port_text), user, password, timeout)


@dataclass(frozen=True)
class Delivery:
    """What the server accepted: the recipients it took, and those it refused
    with its reply."""

    accepted: tuple[str, ...]
    refused: dict[str, str]


def parse_address(text: str) -> Address:
    """One email address, « a@b.fr » or « Nom <a@b.fr> »; ValueError with a
    French reason otherwise (several addresses, no domain, line breaks…)."""
    if "\r" in text or "\n" in text:
        raise ValueError("une adresse tient sur une ligne")
    if len(getaddresses([text])) != 1:
        raise ValueError(f"« {text} » contient plusieurs adresses : une par option")
    name, addr = parseaddr(text)
    if not _ADDRESS.match(addr):
        raise ValueError(f"« {text} » n’est pas une adresse e-mail ({_EXAMPLE})")
    local, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=local, domain=domain)


def load_built_letter(build_dir: Path, month: str) -> BuiltLetter:
    """The email edition of the letter ``month`` (AAAA-MM) under ``build_dir``
    (``build``, or ``build/preview`` for a preview build)."""
    folder = build_dir / "email" / month
    message_path, manifest_path = folder / MESSAGE_FILE, folder / MANIFEST_FILE
    for path in (message_path, manifest_path):
        if not path.is_file():
            raise SendingError(f"{_shown(path)} introuvable : {BUILD_HINT}{_preview_hint(path)}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        raw = message_path.read_bytes()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f" (ligne {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        path = Path(error.filename) if isinstance(error, OSError) else manifest_path
        raise SendingError(f"{_shown(path)} illisible{where} : relancez make email") from None
    fields = {}
    for name in ("letter", "source", "source_sha256", "status"):
        value = manifest.get(name) if isinstance(manifest, dict) else None
        if not isinstance(value, str) or not value:
            raise SendingError(
                f"{_shown(manifest_path)} : champ « {name} » absent ou vide : relancez make email"
            )
        fields[name] = value
    if fields["letter"] != month:
        raise SendingError(
            f"{_shown(manifest_path)} décrit la lettre {fields['letter']}, pas {month} : "
            "relancez make email"
        )
    if fields["status"] not in STATUSES:
        raise SendingError(
            f"{_shown(manifest_path)} : statut « {fields['status']} » inconnu : relancez make email"
        )
    if not re.search(rb"\r?\n\r?\n", raw):
        raise SendingError(f"{_shown(message_path)} n’est pas un message complet : {BUILD_HINT}")
    # policy.default's message factory is EmailMessage.
    message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(raw))
    problems = manifest.get("problems") or []
    return BuiltLetter(
        folder=folder,
        raw=raw,
        message=message,
        base=str(manifest.get("base") or ""),
        preview=bool(manifest.get("preview")),
        problems=tuple(str(problem) for problem in problems if isinstance(problems, list)),
        **fields,
    )


def check_fresh(letter: BuiltLetter, root: Path) -> Path:
    """Refuse a build older than its letter: the file named in the manifest
    (relative to the project ``root``) must still have the built bytes.
    Return that file."""
    source = root / letter.source
    try:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        raise SendingError(
            f"{letter.source} introuvable, alors que l’édition e-mail en vient : "
            "relancez make email"
        ) from None
    if digest != letter.source_sha256.lower():
        raise SendingError(
            f"la lettre a changé depuis la construction de l’édition e-mail ({letter.source}) : "
            "relancez make email, relisez, puis envoyez"
        )
    return source


def require_sender(letter: BuiltLetter) -> Address:
    """The message's sender; refused without one (almanach never invents it)."""
    sender = letter.sender
    if sender is None:
        raise SendingError(
            "ALMANACH_EMAIL_FROM n’est pas défini : le message construit n’a pas d’expéditeur "
            "(From), et almanach n’en invente pas ; définissez-le, puis relancez make email"
        )
    return sender


def list_address(settings: AlmanachConfig) -> Address:
    """The list's address that ``conf.py`` gives (``almanach_email_list``)."""
    if not settings.email_list.strip():
        raise SendingError(
            "aucune adresse de liste : définissez ALMANACH_EMAIL_LIST (docs/conf.py la lit "
            "dans almanach_email_list)"
        )
    try:
        return parse_address(settings.email_list.strip())
    except ValueError as error:
        raise SendingError(f"ALMANACH_EMAIL_LIST invalide : {error}") from None


def check_list_sending(letter: BuiltLetter) -> Address:
    """Refuse a list sending of a letter that is not published, or whose
    message lacks a sender or an unsubscribe link. Return the sender."""
    if letter.status != "published":
        raise SendingError(
            f"la lettre {letter.letter} est au statut « {STATUS_LABELS[letter.status]} » : "
            "seule une lettre publiée part à la liste ; envoyez-vous un essai avec --to"
        )
    if letter.preview or (letter.base and not letter.base.startswith(("https://", "http://"))):
        raise SendingError(
            "ce message vient de l’aperçu (make preview) : ses liens mènent aux fichiers de "
            "votre ordinateur, pas au site publié ; construisez l’édition publiée avec "
            "ALMANACH_BASEURL=… make email, puis envoyez-la"
        )
    if letter.problems:
        raise SendingError(
            f"la construction a signalé {len(letter.problems)} problème(s) dans ce message "
            f"(le premier : {letter.problems[0]}) ; corrigez-les et relancez make email "
            "avant de l’envoyer à la liste"
        )
    sender = require_sender(letter)
    if not letter.unsubscribe:
        raise SendingError(
            "ALMANACH_EMAIL_UNSUBSCRIBE n’est pas défini : le message construit n’a pas de lien "
            "de désinscription (List-Unsubscribe), et une lettre ne part pas à une liste sans "
            "lui ; définissez-le, puis relancez make email"
        )
    return sender


def addressed(letter: BuiltLetter, recipients: Sequence[Address], sender: Address) -> bytes:
    """The message as it is sent: the built bytes with CRLF line ends, the
    header fields ``To`` (``recipients``) and ``Message-ID`` (in the sender's
    domain) put first. The body is the built one, byte for byte."""
    crlf = re.sub(rb"\r\n|\r|\n", b"\r\n", letter.raw)
    head, _, body = crlf.partition(b"\r\n\r\n")
    kept = [field for field in _header_fields(head) if _field_name(field) not in DROPPED_HEADERS]
    added = [
        _field("To", ", ".join(str(recipient) for recipient in recipients)),
        _field("Message-ID", make_msgid(domain=sender.domain)),
    ]
    return b"".join([*added, *kept]) + b"\r\n" + body


def deliver(
    message: bytes, sender: Address, recipients: Sequence[Address], settings: SmtpSettings
) -> Delivery:
    """Submit ``message`` to the server of ``settings``: STARTTLS always (with
    the system's trusted certificates, or ``SSL_CERT_FILE``), then the login
    when one is set. A server without STARTTLS gets neither the password nor the
    letter. Every failure is a :class:`SendingError`."""
    addresses = [recipient.addr_spec for recipient in recipients]
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise SendingError(
                    f"le serveur {settings.server} ne propose pas STARTTLS : envoi refusé "
                    "(ni le mot de passe ni la lettre ne passent en clair) ; vérifiez "
                    "ALMANACH_SMTP_HOST et ALMANACH_SMTP_PORT (587 en général)"
                )
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password)
            options = []
            if any(byte > 127 for byte in message):
                if not smtp.has_extn("8bitmime"):
                    raise SendingError(
                        f"le serveur {settings.server} n’accepte pas les messages 8 bits "
                        "(8BITMIME) : envoi impossible par ce serveur"
                    )
                options.append("BODY=8BITMIME")
            refused = smtp.sendmail(sender.addr_spec, addresses, message, mail_options=options)
    except OSError as error:  # smtplib's, ssl's and the socket's errors alike
        raise SendingError(_failure(error, settings)) from None
    return Delivery(
        accepted=tuple(address for address in addresses if address not in refused),
        refused={address: _reply(*reply) for address, reply in refused.items()},
    )


def _failure(error: OSError, settings: SmtpSettings) -> str:
    """The French message of an SMTP, TLS or network failure."""
    server = settings.server
    reply = (
        _reply(error.smtp_code, error.smtp_error)
        if isinstance(error, smtplib.SMTPResponseException)
        else ""
    )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            f"le serveur {server} refuse l’identifiant ou le mot de passe ({reply}) : "
            "vérifiez ALMANACH_SMTP_USER et ALMANACH_SMTP_PASSWORD"
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return (
            f"le serveur {server} ne propose pas d’authentification : retirez "
            "ALMANACH_SMTP_USER et ALMANACH_SMTP_PASSWORD, ou vérifiez le serveur"
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = " ; ".join(
            f"{address} ({_reply(*answer)})" for address, answer in error.recipients.items()
        )
        return f"le serveur {server} refuse les destinataires : {refused} ; rien n’a été envoyé"
    if isinstance(error, smtplib.SMTPSenderRefused):
        hint = (
            " ; il demande une authentification : définissez ALMANACH_SMTP_USER et "
            "ALMANACH_SMTP_PASSWORD"
            if error.smtp_code == 530
            else ""
        )
        return f"le serveur {server} refuse l’expéditeur {error.sender} ({reply}){hint}"
    if isinstance(error, smtplib.SMTPDataError):
        return f"le serveur {server} refuse le message ({reply})"
    # smtplib reports a reply that never comes as a disconnection, caused by the timeout.
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        seconds = f"{settings.timeout:g}".replace(".", ",")
        return (
            f"le serveur {server} ne répond pas (plus de {seconds} s) : vérifiez "
            "ALMANACH_SMTP_HOST et ALMANACH_SMTP_PORT, ou réessayez plus tard"
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"le serveur {server} a coupé la connexion : réessayez plus tard"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"le serveur {server} répond par une erreur ({reply})"
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"le certificat du serveur {server} n’est pas valide ({error.verify_message}) : "
            "envoi refusé ; vérifiez ALMANACH_SMTP_HOST (le nom doit être celui du certificat)"
        )
    if isinstance(error, ssl.SSLError):
        return f"échec du chiffrement TLS avec {server} ({error.reason or error}) : envoi refusé"
    if isinstance(error, ConnectionRefusedError):
        return (
            f"connexion refusée par {server} : aucun serveur d’envoi à cette adresse ; "
            "vérifiez ALMANACH_SMTP_HOST et ALMANACH_SMTP_PORT"
        )
    if isinstance(error, socket.gaierror):
        return f"serveur « {settings.host} » introuvable : vérifiez ALMANACH_SMTP_HOST"
    return f"échec de l’envoi par {server} : {error}"


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _field(name: str, value: str) -> bytes:
    """A header field, folded and encoded (RFC 2047) as SMTP wants it."""
    return policy.SMTP.header_factory(name, value).fold(policy=policy.SMTP).encode("ascii")


def _header_fields(head: bytes) -> list[bytes]:
    """The header section's fields, each with its continuation lines and CRLF."""
    fields: list[bytes] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line + b"\r\n"
        else:
            fields.append(line + b"\r\n")
    return fields


def _field_name(field: bytes) -> str:
    return field.split(b":", 1)[0].strip().decode("ascii", "replace").lower()


def _preview_hint(path: Path) -> str:
    """A letter missing from ``build/email`` that a preview build has is most
    likely a draft: say where it is."""
    email_dir = path.parent.parent
    preview = email_dir.parent / "preview" / "email" / path.parent.name / path.name
    if email_dir.name == "email" and preview.is_file():
        return (
            f" ; la prévisualisation en a une ({_shown(preview.parent)}) : pour un essai, "
            f"--build-dir {_shown(email_dir.parent / 'preview')}"
        )
    return ""
