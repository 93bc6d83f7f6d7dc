"""``almanach email send`` against a real SMTP server on the loopback: aiosmtpd
with STARTTLS required (a certificate of a test CA that the client trusts
through ``SSL_CERT_FILE``) and AUTH. A test send and a list sending arrive
intact; every refusal (confirmation, no terminal, no STARTTLS, wrong password,
stale build, draft, missing headers, missing build) sends nothing and says why
in French."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from almanach.cli.__main__ import main

MONTH = "2021-12"
SENDER = "Territoires Pilotes <lettre@exemple.fr>"
LIST = "abonnes@listes.exemple.fr"
UNSUBSCRIBE = "<mailto:desinscription@exemple.fr>, <https://exemple.fr/desinscription>"
USER, PASSWORD = "lettre", "mot-de-passe-d-essai"
SUBJECT = "Lettre n° 7 — décembre 2021 : Coopérer pour changer"
DATE = format_datetime(dt.datetime(2021, 12, 1, 9, 30, tzinfo=dt.UTC))
TEXT = (
    "Lettre n° 7 — décembre 2021\n\n"
    "Édito : « Coopérer pour changer »\n"
    "Les territoires pilotes se sont retrouvés à Lomme.\n"
    ".Une ligne qui commence par un point.\n"
)
HTML = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Lettre n° 7</title>'
    '</head><body><h1 style="font-family: Georgia, serif; color: #1d4f3a;">Lettre n° 7 — '
    "décembre 2021</h1><p>Les territoires pilotes se sont retrouvés à Lomme, "
    + "autour de la coopération entre communes et intercommunalités. " * 4
    + "</p></body></html>\n"
)
LETTER = """\
---
number: 7
date: 2021-12
title: Coopérer pour changer
status: {status}
---

# Lettre n° 7 — décembre 2021
"""
CONF = """\
import os

project = "Essai"
almanach_email_from = os.environ.get("ALMANACH_EMAIL_FROM", "")
almanach_email_list_unsubscribe = os.environ.get("ALMANACH_EMAIL_UNSUBSCRIBE", "")
almanach_email_list = os.environ.get("ALMANACH_EMAIL_LIST", "")
"""


# -- the built letter, as make email writes it --------------------------------------


def write_built_letter(
    root: Path,
    *,
    status: str = "published",
    sender: str | None = SENDER,
    unsubscribe: str | None = UNSUBSCRIBE,
    build: str = "build",
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> Path:
    """Write ``issues/2021-12.md`` and its email edition under ``<build>/email/``:
    lettre.eml (multipart/alternative, no To, no Message-ID), lettre.html,
    lettre.txt and lettre.json. Return the edition's folder."""
    source = root / "issues" / f"{MONTH}.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(LETTER.format(status=status), encoding="utf-8")
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["Date"] = DATE
    missing = []
    for name, value, variable in (
        ("From", sender, "From"),
        ("Reply-To", "equipe@exemple.fr", "Reply-To"),
        ("List-Unsubscribe", unsubscribe, "List-Unsubscribe"),
    ):
        if value:
            message[name] = value
        else:
            missing.append(variable)
    for name, value in extra_headers:
        message[name] = value
    message.set_content(TEXT)
    message.add_alternative(HTML, subtype="html")
    folder = root / build / "email" / MONTH
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lettre.eml").write_bytes(bytes(message))
    (folder / "lettre.html").write_text(HTML, encoding="utf-8")
    (folder / "lettre.txt").write_text(TEXT, encoding="utf-8")
    manifest = {
        "letter": MONTH,
        "source": f"issues/{MONTH}.md",
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "status": status,
        "subject": SUBJECT,
        "html_bytes": len(HTML.encode()),
        "missing_headers": missing,
    }
    (folder / "lettre.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny almanach project (docs/conf.py reading the deployment's variables,
    issues/), the working folder, with the list configured and no SMTP set."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "issues").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALMANACH_EMAIL_LIST", LIST)
    for name in ("HOST", "PORT", "USER", "PASSWORD", "TIMEOUT"):
        monkeypatch.delenv(f"ALMANACH_SMTP_{name}", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    return tmp_path


# -- the SMTP server -----------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    authenticated: bool


@dataclass
class Mailbox:
    """aiosmtpd handler: keeps what arrives; refuses « inconnu@… » recipients."""

    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("inconnu@"):
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.content,
                session.ssl is not None,
                bool(session.authenticated),
            )
        )
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    accepted = isinstance(auth_data, LoginPassword) and auth_data == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=accepted, handled=False)


class LoopbackController(Controller):
    """A Controller on 127.0.0.1 that listens on a port the system chose (port
    0), known once the server is bound and before aiosmtpd connects to it."""

    def __init__(self, handler, **smtp_parameters) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0, **smtp_parameters)

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusted(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client (ssl.create_default_context) trusts the test CA only."""
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))


def start(
    monkeypatch: pytest.MonkeyPatch, controller: Controller, *, password: str = PASSWORD
) -> None:
    controller.start()
    monkeypatch.setenv("ALMANACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ALMANACH_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("ALMANACH_SMTP_USER", USER)
    monkeypatch.setenv("ALMANACH_SMTP_PASSWORD", password)


@contextmanager
def mailbox_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A submission server on the loopback: STARTTLS required, AUTH required
    (offered only over TLS), trusted through a test CA, with the project's SMTP
    variables pointing at it, while the block runs."""
    ca = trustme.CA()
    path = tmp_path / "ca-loopback.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    handler = Mailbox()
    controller = LoopbackController(
        handler,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    start(monkeypatch, controller)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mailbox(project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The loopback submission server (:func:`mailbox_on`) for the project."""
    with mailbox_on(tmp_path, monkeypatch) as handler:
        yield handler


@pytest.fixture
def plain_mailbox(trusted, project, monkeypatch: pytest.MonkeyPatch):
    """A server that offers no STARTTLS."""
    handler = Mailbox()
    controller = LoopbackController(handler, authenticator=authenticator)
    start(monkeypatch, controller)
    yield handler
    controller.stop()


class Terminal(io.StringIO):
    """Standard input that is a terminal, with a typed answer."""

    def isatty(self) -> bool:
        return True


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["email", "send", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def on_the_wire(path: Path) -> bytes:
    return re.sub(rb"\r\n|\n", b"\r\n", path.read_bytes())


def body_of(message: bytes) -> bytes:
    return message.split(b"\r\n\r\n", 1)[1]


# -- sendings ------------------------------------------------------------------------


def test_test_send_arrives_intact(mailbox: Mailbox, project: Path, capsys) -> None:
    folder = write_built_letter(project)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    mtimes = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}

    code, out, err = run(
        capsys, MONTH, "--to", "essai@exemple.fr", "--to", "Élodie Dupont <elodie@exemple.org>"
    )

    assert (code, err) == (0, "")
    assert out == (
        "Lettre n° 7 (décembre 2021) envoyée à 2 destinataires : "
        "essai@exemple.fr, elodie@exemple.org.\n"
    )
    [received] = mailbox.received
    assert received.tls and received.authenticated
    assert received.mail_from == "lettre@exemple.fr"
    assert received.rcpt_tos == ["essai@exemple.fr", "elodie@exemple.org"]
    message = message_from_bytes(received.content, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content().replace("\r\n", "\n") == TEXT
    assert html.get_content().replace("\r\n", "\n") == HTML
    assert str(message["Subject"]) == SUBJECT
    assert str(message["Date"]) == DATE
    assert str(message["From"]) == SENDER
    assert message["To"].addresses[1].display_name == "Élodie Dupont"
    assert [a.addr_spec for a in message["To"].addresses] == received.rcpt_tos
    assert re.fullmatch(r"<[^<>@\s]+@exemple\.fr>", str(message["Message-ID"]))
    assert str(message["List-Unsubscribe"]).strip() == UNSUBSCRIBE
    # The body is the built one, byte for byte; the files are untouched.
    assert body_of(received.content.rstrip(b"\r\n")) == body_of(
        on_the_wire(folder / "lettre.eml").rstrip(b"\r\n")
    )
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == mtimes


def test_each_sending_has_its_own_message_id(mailbox: Mailbox, project: Path, capsys) -> None:
    write_built_letter(project)
    assert run(capsys, MONTH, "--to", "essai@exemple.fr")[0] == 0
    assert run(capsys, MONTH, "--to", "essai@exemple.fr")[0] == 0
    ids = [message_from_bytes(r.content)["Message-ID"] for r in mailbox.received]
    assert len(set(ids)) == 2


def test_built_recipients_never_leave(mailbox: Mailbox, project: Path, capsys) -> None:
    """A To, Bcc or Message-ID in the built file is dropped: the recipients and
    the identifier are the sending's own."""
    write_built_letter(
        project,
        extra_headers=(
            ("To", "ancien@exemple.fr"),
            ("Bcc", "cache@exemple.fr"),
            ("Message-ID", "<vieux@exemple.fr>"),
        ),
    )
    assert run(capsys, MONTH, "--to", "essai@exemple.fr")[0] == 0
    [received] = mailbox.received
    message = message_from_bytes(received.content, policy=policy.default)
    assert message.get_all("To") == ["essai@exemple.fr"]
    assert message.get_all("Bcc") is None
    assert message["Message-ID"] != "<vieux@exemple.fr>"
    assert received.rcpt_tos == ["essai@exemple.fr"]


def test_list_with_yes_goes_to_the_list(mailbox: Mailbox, project: Path, capsys) -> None:
    write_built_letter(project)
    code, out, err = run(capsys, MONTH, "--list", "--yes")
    assert (code, err) == (0, "")
    assert out == f"Lettre n° 7 (décembre 2021) envoyée à la liste {LIST} (1 destinataire).\n"
    [received] = mailbox.received
    assert received.rcpt_tos == [LIST]
    assert str(message_from_bytes(received.content, policy=policy.default)["To"]) == LIST


def test_list_after_confirmation(
    mailbox: Mailbox, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_built_letter(project)
    monkeypatch.setattr("sys.stdin", Terminal("oui\n"))
    code, out, _ = run(capsys, MONTH, "--list")
    assert code == 0
    size = len(mailbox.received[0].content)
    assert out.splitlines()[:4] == [
        "Lettre n° 7 (décembre 2021)",
        f"Objet : {SUBJECT}",
        f"Liste : {LIST}",
        f"Taille : {size / 1000:.1f} ko".replace(".", ","),
    ]
    assert f"Envoyer à {LIST} ? Tapez « oui » pour confirmer : " in out
    assert [r.rcpt_tos for r in mailbox.received] == [[LIST]]


@pytest.mark.parametrize("answer", ["non\n", "o\n", "\n", "", "oui, sans doute\n"])
def test_confirmation_refused_sends_nothing(
    mailbox: Mailbox, project: Path, capsys, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    write_built_letter(project)
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    code, out, err = run(capsys, MONTH, "--list")
    assert code == 1
    assert "Tapez « oui » pour confirmer" in out
    assert err == "almanach email : erreur : envoi annulé : rien n’a été envoyé\n"
    assert mailbox.received == []


def test_list_without_terminal_nor_yes_is_refused(mailbox: Mailbox, project: Path, capsys) -> None:
    write_built_letter(project)
    code, out, err = run(capsys, MONTH, "--list")
    assert (code, out) == (1, "")
    assert "pas de terminal pour confirmer" in err
    assert "ajoutez --yes" in err
    assert mailbox.received == []


@pytest.mark.parametrize("server", [True, False], ids=["server-running", "no-smtp-settings"])
def test_dry_run_prints_and_sends_nothing(
    request, project: Path, capsys, monkeypatch: pytest.MonkeyPatch, server: bool
) -> None:
    mailbox = request.getfixturevalue("mailbox") if server else None
    folder = write_built_letter(project)
    code, out, err = run(capsys, MONTH, "--list", "--dry-run")
    assert code == 0
    assert err == "Essai à blanc (--dry-run) : rien n’a été envoyé.\n"
    shown = message_from_bytes(out.encode(), policy=policy.default)
    assert str(shown["To"]) == LIST
    assert re.fullmatch(r"<[^<>@\s]+@exemple\.fr>", str(shown["Message-ID"]))
    assert str(shown["Subject"]) == SUBJECT
    assert body_of(out.encode().replace(b"\n", b"\r\n")) == body_of(
        on_the_wire(folder / "lettre.eml")
    )
    if mailbox is not None:
        assert mailbox.received == []


def test_a_test_send_of_a_preview_says_where_its_links_lead(
    mailbox: Mailbox, project: Path, capsys
) -> None:
    folder = write_built_letter(project)
    summary = json.loads((folder / "lettre.json").read_text(encoding="utf-8"))
    summary.update(preview=True, base="file:///tmp/build/preview/html/")
    (folder / "lettre.json").write_text(json.dumps(summary), encoding="utf-8")
    code, _out, err = run(capsys, MONTH, "--to", "essai@exemple.fr")
    assert code == 0 and len(mailbox.received) == 1
    assert "Attention : message de l’aperçu : ses liens mènent aux pages de l’aperçu" in err


def test_draft_test_send_from_the_preview_build(mailbox: Mailbox, project: Path, capsys) -> None:
    write_built_letter(project, status="draft", build="build/preview")
    code, _, err = run(capsys, MONTH, "--to", "essai@exemple.fr")
    assert code == 1
    assert err == (
        "almanach email : erreur : build/email/2021-12/lettre.eml introuvable : construisez "
        "d’abord l’édition e-mail : make email ; la prévisualisation en a une "
        "(build/preview/email/2021-12) : pour un essai, --build-dir build/preview\n"
    )
    code, out, err = run(capsys, MONTH, "--to", "essai@exemple.fr", "--build-dir", "build/preview")
    assert (code, err) == (0, "")
    assert out.endswith("envoyée à 1 destinataire : essai@exemple.fr.\n")
    assert [r.rcpt_tos for r in mailbox.received] == [["essai@exemple.fr"]]


# -- refusals and failures -----------------------------------------------------------


def refused(capsys, *argv: str) -> str:
    """The error line of a refused sending (exit code 1)."""
    code, out, err = run(capsys, *argv)
    assert code == 1, (out, err)
    assert err.startswith("almanach email : erreur : ") and err.count("\n") == 1, err
    return err.removeprefix("almanach email : erreur : ").strip()


def test_server_without_starttls_gets_nothing(
    plain_mailbox: Mailbox, project: Path, capsys
) -> None:
    write_built_letter(project)
    message = refused(capsys, MONTH, "--to", "essai@exemple.fr")
    assert message.startswith("le serveur 127.0.0.1:")
    assert "ne propose pas STARTTLS : envoi refusé" in message
    assert plain_mailbox.received == []


def test_wrong_password(
    mailbox: Mailbox, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_built_letter(project)
    monkeypatch.setenv("ALMANACH_SMTP_PASSWORD", "mauvais")
    message = refused(capsys, MONTH, "--to", "essai@exemple.fr")
    assert "refuse l’identifiant ou le mot de passe (535" in message
    assert message.endswith("vérifiez ALMANACH_SMTP_USER et ALMANACH_SMTP_PASSWORD")
    assert mailbox.received == []


def test_no_credentials_for_a_server_that_requires_them(
    mailbox: Mailbox, project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_built_letter(project)
    monkeypatch.delenv("ALMANACH_SMTP_USER")
    monkeypatch.delenv("ALMANACH_SMTP_PASSWORD")
    message = refused(capsys, MONTH, "--to", "essai@exemple.fr")
    assert "refuse l’expéditeur lettre@exemple.fr (530" in message
    assert "il demande une authentification" in message
    assert mailbox.received == []


def test_untrusted_certificate(
    mailbox: Mailbox, project: Path, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "autre-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    write_built_letter(project)
    message = refused(capsys, MONTH, "--to", "essai@exemple.fr")
    assert "le certificat du serveur 127.0.0.1:" in message
    assert "n’est pas valide (unable to get local issuer certificate) : envoi refusé" in message
    assert mailbox.received == []


def test_recipient_refused(mailbox: Mailbox, project: Path, capsys) -> None:
    write_built_letter(project)
    message = refused(capsys, MONTH, "--to", "inconnu@exemple.fr")
    assert "refuse les destinataires : inconnu@exemple.fr (550 5.1.1 Destinataire inconnu)" in (
        message
    )
    assert mailbox.received == []


def test_some_recipients_refused(mailbox: Mailbox, project: Path, capsys) -> None:
    write_built_letter(project)
    code, out, err = run(capsys, MONTH, "--to", "essai@exemple.fr", "--to", "inconnu@exemple.fr")
    assert code == 1
    assert out == "Lettre n° 7 (décembre 2021) envoyée à 1 destinataire : essai@exemple.fr.\n"
    assert err == (
        "almanach email : erreur : le serveur a refusé 1 destinataire(s) : "
        "inconnu@exemple.fr (550 5.1.1 Destinataire inconnu)\n"
    )
    assert [r.rcpt_tos for r in mailbox.received] == [["essai@exemple.fr"]]


def test_connection_refused(project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port that nothing listens on, once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ALMANACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ALMANACH_SMTP_PORT", str(port))
    write_built_letter(project)
    message = refused(capsys, MONTH, "--to", "essai@exemple.fr")
    assert message.startswith(f"connexion refusée par 127.0.0.1:{port} :")


def test_silent_server_times_out(project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("ALMANACH_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ALMANACH_SMTP_PORT", str(silent.getsockname()[1]))
        monkeypatch.setenv("ALMANACH_SMTP_TIMEOUT", "0,3")
        write_built_letter(project)
        message = refused(capsys, MONTH, "--to", "essai@exemple.fr")
    assert "ne répond pas (plus de 0,3 s) : vérifiez ALMANACH_SMTP_HOST" in message


@pytest.mark.parametrize(
    ("setup", "argv", "expected"),
    [
        pytest.param(
            {"build": None},
            ["--to", "essai@exemple.fr"],
            "build/email/2021-12/lettre.eml introuvable : construisez d’abord l’édition "
            "e-mail : make email",
            id="missing-build",
        ),
        pytest.param(
            {"summary": {"preview": True, "base": "file:///tmp/build/preview/html/"}},
            ["--list", "--yes"],
            "ce message vient de l’aperçu (make preview) : ses liens mènent aux fichiers de "
            "votre ordinateur",
            id="preview-to-list",
        ),
        pytest.param(
            {"summary": {"problems": ["la version e-mail de la lettre pèse 150,0 Ko"]}},
            ["--list", "--yes"],
            "la construction a signalé 1 problème(s) dans ce message (le premier : la "
            "version e-mail de la lettre pèse 150,0 Ko)",
            id="build-problems-to-list",
        ),
        pytest.param(
            {"stale": True},
            ["--list", "--yes"],
            "la lettre a changé depuis la construction de l’édition e-mail "
            "(issues/2021-12.md) : relancez make email, relisez, puis envoyez",
            id="stale-source",
        ),
        pytest.param(
            {"status": "draft"},
            ["--list", "--yes"],
            "la lettre 2021-12 est au statut « brouillon » : seule une lettre publiée part à "
            "la liste ; envoyez-vous un essai avec --to",
            id="draft-to-list",
        ),
        pytest.param(
            {"status": "review"},
            ["--list", "--yes"],
            "la lettre 2021-12 est au statut « en relecture » : seule une lettre publiée part à "
            "la liste ; envoyez-vous un essai avec --to",
            id="review-to-list",
        ),
        pytest.param(
            {"sender": None},
            ["--to", "essai@exemple.fr"],
            "ALMANACH_EMAIL_FROM n’est pas défini : le message construit n’a pas d’expéditeur "
            "(From), et almanach n’en invente pas ; définissez-le, puis relancez make email",
            id="test-send-without-from",
        ),
        pytest.param(
            {"sender": None},
            ["--list", "--yes"],
            "ALMANACH_EMAIL_FROM n’est pas défini",
            id="list-without-from",
        ),
        pytest.param(
            {"unsubscribe": None},
            ["--list", "--yes"],
            "ALMANACH_EMAIL_UNSUBSCRIBE n’est pas défini : le message construit n’a pas de lien "
            "de désinscription (List-Unsubscribe)",
            id="list-without-unsubscribe",
        ),
        pytest.param(
            {"list": None},
            ["--list", "--yes"],
            "aucune adresse de liste : définissez ALMANACH_EMAIL_LIST",
            id="no-list-configured",
        ),
        pytest.param(
            {"env": {"ALMANACH_SMTP_HOST": ""}},
            ["--to", "essai@exemple.fr"],
            "ALMANACH_SMTP_HOST n’est pas défini : indiquez le serveur d’envoi",
            id="no-smtp-host",
        ),
        pytest.param(
            {"env": {"ALMANACH_SMTP_PASSWORD": ""}},
            ["--to", "essai@exemple.fr"],
            "ALMANACH_SMTP_PASSWORD n’est pas défini : ALMANACH_SMTP_USER et "
            "ALMANACH_SMTP_PASSWORD vont ensemble",
            id="user-without-password",
        ),
        pytest.param(
            {"env": {"ALMANACH_SMTP_PORT": "smtp"}},
            ["--to", "essai@exemple.fr"],
            "ALMANACH_SMTP_PORT « smtp » invalide : un numéro de port, par exemple 587",
            id="bad-port",
        ),
        pytest.param(
            {"manifest": "{pas du json"},
            ["--to", "essai@exemple.fr"],
            "build/email/2021-12/lettre.json illisible (ligne 1) : relancez make email",
            id="unreadable-manifest",
        ),
    ],
)
def test_refused_before_anything_is_sent(
    mailbox: Mailbox,
    project: Path,
    capsys,
    monkeypatch: pytest.MonkeyPatch,
    setup: dict,
    argv: list[str],
    expected: str,
) -> None:
    if setup.get("build", "build"):
        folder = write_built_letter(
            project,
            status=setup.get("status", "published"),
            sender=setup.get("sender", SENDER),
            unsubscribe=setup.get("unsubscribe", UNSUBSCRIBE),
        )
        if "manifest" in setup:
            (folder / "lettre.json").write_text(setup["manifest"], encoding="utf-8")
        if "summary" in setup:  # fields of the build's summary
            summary = json.loads((folder / "lettre.json").read_text(encoding="utf-8"))
            (folder / "lettre.json").write_text(
                json.dumps({**summary, **setup["summary"]}), encoding="utf-8"
            )
    if setup.get("stale"):
        source = project / "issues" / f"{MONTH}.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n")
    if "list" in setup:
        monkeypatch.delenv("ALMANACH_EMAIL_LIST")
    for name, value in setup.get("env", {}).items():
        monkeypatch.setenv(name, value)
    # A terminal that would say yes: the refusals come before any question.
    monkeypatch.setattr("sys.stdin", Terminal("oui\n"))
    assert expected in refused(capsys, MONTH, *argv)
    assert mailbox.received == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["2021-13", "--to", "essai@exemple.fr"],
            "argument AAAA-MM : mois « 2021-13 » invalide : écrivez l’année et le mois, "
            "par exemple 2021-12",
        ),
        (
            [MONTH, "--to", "essai@"],
            "argument --to : adresse invalide : « essai@ » n’est pas une adresse e-mail "
            "(par exemple prenom.nom@exemple.fr)",
        ),
        (
            [MONTH, "--to", "a@exemple.fr, b@exemple.fr"],
            "argument --to : adresse invalide : « a@exemple.fr, b@exemple.fr » contient "
            "plusieurs adresses : une par option",
        ),
        ([MONTH], "à qui envoyer ? ajoutez --to ADRESSE (un essai) ou --list (la liste)"),
        (
            [MONTH, "--list", "--to", "essai@exemple.fr"],
            "indiquez soit --to ADRESSE (un essai), soit --list (la liste), pas les deux",
        ),
    ],
    ids=["bad-month", "bad-address", "two-addresses-in-one", "no-recipient", "both"],
)
def test_usage_errors(project: Path, capsys, argv: list[str], expected: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.rstrip("\n").endswith(expected)
    assert "Traceback" not in err


def test_help_is_french(capsys) -> None:
    assert main(["email", "send", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage : almanach email send")
    assert "STARTTLS" in out and "--dry-run" in out
    assert main(["email"]) == 2
    assert "arguments obligatoires manquants : ACTION" in capsys.readouterr().err
