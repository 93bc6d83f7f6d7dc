"""The message itself: ``lettre.eml``, multipart/alternative, and its headers.

Everything in it is derived from the letter and the configuration, so that two
builds of the same letter write the same bytes: the date is the letter's (its
month's first day, midnight in Paris), the MIME boundary a digest of the parts.
``To`` and ``Message-ID`` are not written: they belong to a sending
(:mod:`almanach.email.sending`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

#: Gmail shows « [Message tronqué] » and hides the rest of an HTML part larger
#: than this (102 Ko, counted in bytes of the HTML as sent).
CLIP_BYTES = 102 * 1024


@dataclass(frozen=True)
class Headers:
    """The configured headers (empty: not configured, left out)."""

    sender: str = ""
    reply_to: str = ""
    unsubscribe: str = ""

    def missing(self) -> list[tuple[str, str]]:
        """(header, setting) pairs of the headers the configuration does not give."""
        settings = (
            ("From", "ALMANACH_EMAIL_FROM", self.sender),
            ("Reply-To", "ALMANACH_EMAIL_REPLY_TO", self.reply_to),
            ("List-Unsubscribe", "ALMANACH_EMAIL_UNSUBSCRIBE", self.unsubscribe),
        )
        return [(header, setting) for header, setting, value in settings if not value]


def letter_date(month: str) -> dt.datetime:
    """The first day of the letter's month (``2021-12``), midnight, Paris time.

    Paris is at UTC+2 from the last Sunday of March to the last Sunday of
    October: on the first day of a month, from April to October."""
    year, number = (int(part) for part in month.split("-"))
    offset = dt.timedelta(hours=2 if 4 <= number <= 10 else 1)
    return dt.datetime(year, number, 1, tzinfo=dt.timezone(offset))


def unsubscribe_header(value: str) -> str:
    """``List-Unsubscribe`` (RFC 2369): each address in angle brackets; a bare
    e-mail address becomes a ``mailto:``."""
    addresses = [part.strip().strip("<>") for part in value.split(",") if part.strip()]
    return ", ".join(
        f"<{address}>" if ":" in address else f"<mailto:{address}>" for address in addresses
    )


def unsubscribe_link(value: str) -> str:
    """The address a reader follows to unsubscribe: the web one when there is one."""
    addresses = [part.strip().strip("<>") for part in value.split(",") if part.strip()]
    addresses = [a if ":" in a else f"mailto:{a}" for a in addresses]
    web = [a for a in addresses if a.startswith(("https:", "http:"))]
    return (web or addresses or [""])[0]


def compose(*, subject: str, month: str, text: str, html: str, headers: Headers) -> EmailMessage:
    """The letter as one multipart/alternative message: the text, then the HTML."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["Date"] = format_datetime(letter_date(month))
    if headers.sender:
        message["From"] = headers.sender
    if headers.reply_to:
        message["Reply-To"] = headers.reply_to
    if headers.unsubscribe:
        message["List-Unsubscribe"] = unsubscribe_header(headers.unsubscribe)
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # After the parts: making the message multipart moves Content-* headers into them.
    message["Content-Language"] = "fr"
    digest = hashlib.sha256((text + html).encode()).hexdigest()[:32]
    message.set_boundary(f"=_almanach_{digest}")
    return message
