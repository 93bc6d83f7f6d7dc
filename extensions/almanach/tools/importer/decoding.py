"""Decoding a letter exported by the mailing tool: its bytes into text (BOMs,
UTF-16, legacy encodings), or a :class:`LetterFormatError` with a French message."""

from __future__ import annotations

import codecs
import re
import unicodedata


class LetterFormatError(ValueError):
    """A file that is not a letter in a supported encoding (French message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_letter(data: bytes) -> tuple[str, str]:
    """The text of an exported letter and the name of its encoding.

    UTF-8 (with or without BOM) or Windows-1252, LF, CRLF or CR line ends; the
    text comes back NFC-normalised with LF line ends. Anything else raises
    :class:`LetterFormatError`.
    """
    for bom, name in _WIDE_BOMS.items():
        if data.startswith(bom):
            raise LetterFormatError(
                f"le fichier est en {name}, encodage non pris en charge : exportez ou "
                "enregistrez la lettre en UTF-8 (ou Windows-1252)"
            )
    if b"\x00" in data:
        raise LetterFormatError(
            "le fichier contient des octets nuls : ce n’est pas un texte UTF-8 ou "
            "Windows-1252 (fichier binaire, ou UTF-16 sans BOM ?) ; exportez la lettre "
            "en texte brut"
        )
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "UTF-8 avec BOM"
    else:
        encoding = "UTF-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if encoding != "UTF-8":
            raise LetterFormatError(
                "le fichier commence comme de l’UTF-8 mais contient des octets invalides ; "
                "enregistrez-le à nouveau en UTF-8"
            ) from None
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            raise LetterFormatError(
                f"encodage non reconnu (octet 0x{data[error.start]:02X} en position "
                f"{error.start}) : ni UTF-8 ni Windows-1252 ; enregistrez la lettre en UTF-8"
            ) from None
    text = re.sub(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise LetterFormatError(
            f"caractère de contrôle U+{ord(control.group()):04X} ligne {line} : ce n’est pas "
            "un texte exporté par l’outil d’envoi (fichier binaire ?)"
        )
    if not text.strip():
        raise LetterFormatError("le fichier est vide : rien à importer")
    return unicodedata.normalize("NFC", text), encoding
