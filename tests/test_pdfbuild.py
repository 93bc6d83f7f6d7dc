"""The PDF step refuses a log that reports a missing glyph."""

from __future__ import annotations

import pytest

from almanach.pdfbuild import PdfBuildError, check_log


def test_missing_character_fails_the_build(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(
        "Overfull \\hbox (1.0pt too wide) in paragraph at lines 1--2\n"
        "Missing character: There is no ☃ (U+2603) in font TeXGyrePagella!\n",
        encoding="utf-8",
    )
    with pytest.raises(PdfBuildError, match="U\\+2603"):
        check_log(log)


def test_overfull_boxes_are_counted(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(
        "Overfull \\hbox (1.0pt too wide) in paragraph\nOverfull \\vbox (2pt too high)\n",
        encoding="utf-8",
    )
    assert check_log(log) == 2
