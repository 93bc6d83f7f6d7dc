"""The PDF step refuses a log that reports a missing glyph, names the letter's
line that has it, and lets emoji sequences fall back to their parts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from almanach.pdf.build import SOURCE_MARK, PdfBuildError, check_log
from helpers import build, letter, require_tool, slim_project

#: Emoji that need more than a font fallback: skin tones, ZWJ sequences (known,
#: with skin tones, and unknown), presentation selectors, keycaps, flags.
EMOJI = "👋🏽 ✌🏻 👩🏾‍🌾 🧑🏿‍🤝‍🧑🏻 🫨‍🟫 🏳️‍🌈 ❤️‍🔥 ➡️ 1️⃣ 🇫🇷"


def test_missing_character_fails_the_build(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(
        "Overfull \\hbox (1.0pt too wide) in paragraph at lines 1--2\n"
        "Missing character: There is no ☃ (U+2603) in font TeXGyrePagella!\n",
        encoding="utf-8",
    )
    with pytest.raises(PdfBuildError, match="U\\+2603"):
        check_log(log)


def test_a_missing_character_is_traced_to_the_letter_line(tmp_path):
    tex = tmp_path / "livre.tex"
    tex.write_text(
        f"\\begin{{document}}\n{SOURCE_MARK}issues/2022-01.md:12\nTexte\n"
        f"{SOURCE_MARK}issues/2022-01.md:15\nUn mot 中 ici\n\\end{{document}}\n",
        encoding="utf-8",
    )
    log = tmp_path / "livre.log"
    log.write_text(
        "Missing character: There is no 中 (U+4E2D) in font TeXGyrePagella/B:mode=node;!\n"
        "Missing character: There is no 中 (U+4E2D) in font TeXGyrePagella:mode=node;!\n"
        "Missing character: There is no \u200d (U+200D) in font nullfont!\n",
        encoding="utf-8",
    )
    with pytest.raises(PdfBuildError) as raised:
        check_log(log, tex)
    assert str(raised.value) == (
        "issues/2022-01.md:15: erreur: le caractère « 中 » (U+4E2D) n’existe dans aucune "
        "police du PDF ; remplacez-le (par une image, ou un mot) ou demandez aux mainteneurs "
        "d’ajouter une police qui l’a (extensions/almanach/pdf/settings.py)"
    )


def test_the_joiner_of_an_unknown_sequence_has_nothing_to_draw(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("Missing character: There is no \u200d (U+200D) in font nullfont!\n")
    assert check_log(log) == 0


def test_overfull_boxes_are_counted(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(
        "Overfull \\hbox (1.0pt too wide) in paragraph\nOverfull \\vbox (2pt too high)\n",
        encoding="utf-8",
    )
    assert check_log(log) == 2


def compile_letter(base, body: str) -> subprocess.CompletedProcess:
    require_tool("lualatex")
    docs = slim_project(base)
    (base / "issues" / "2030-01.md").write_text(
        letter(body, number=1, date="2030-01"), encoding="utf-8"
    )
    _app, warnings = build(docs, "latex", base / "build")
    assert warnings == ""
    return subprocess.run(
        [sys.executable, "-m", "almanach.pdf.build", str(base / "build")],
        capture_output=True,
        text=True,
        check=False,
    )


def test_emoji_sequences_compile_and_keep_their_parts(tmp_path):
    result = compile_letter(tmp_path, f"Émojis : {EMOJI}.\n")
    assert result.returncode == 0, result.stderr
    # Colour emoji are images (no text layer to read back): one per emoji as
    # phones show it. A skin tone split from its emoji, or a known sequence cut
    # at a joiner, would make more; the unknown « 🫨‍🟫 » is its two parts.
    listed = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "build" / "pdf" / "territoires-pilotes.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    emoji = [row for row in listed if row.split()[2] == "image"]
    assert len(emoji) == 11


def test_a_character_no_font_has_names_the_letter_line(tmp_path):
    result = compile_letter(tmp_path, "Texte.\n\n# Autre titre\n\nBonjour ㄅ.\n")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "issues/2030-01.md:14: erreur: le caractère « ㄅ » (U+3105) n’existe dans aucune police"
    )
    assert "Traceback" not in result.stderr
