"""The review states of a letter (draft, review, published): a draft is absent
from the default build; the preview build shows drafts and letters in review
with their banner, in the HTML and in the PDF."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from helpers import build, letter, project_with_letters

DRAFT = letter(
    ":::{territory-update} lomme\n:speakers: guillaume-demeyer\n\nBrouillonmarqueur.\n:::\n",
    number=3,
    date="2022-01",
    title="Janvier",
).replace("status: published", "status: draft")
REVIEW = DRAFT.replace("status: draft", "status: review").replace("number: 3", "number: 4")


def page_text(html_dir: Path, name: str) -> str:
    soup = BeautifulSoup((html_dir / name).read_text("utf-8"), "html.parser")
    return soup.find("article").get_text(" ")


def test_draft_is_absent_from_the_default_build(tmp_path):
    srcdir = project_with_letters(tmp_path, {"2022-01.md": DRAFT}, keep_real=True)
    app, warnings = build(srcdir, "html", tmp_path / "build")
    assert warnings == ""
    html = Path(app.outdir)
    assert not (html / "lettres" / "2022-01.html").exists()
    assert "Brouillonmarqueur" not in page_text(html, "territoires/lomme.html")
    assert "Janvier" not in page_text(html, "index.html")


def test_preview_shows_drafts_with_their_banner(tmp_path):
    letters = {"2022-01.md": DRAFT, "2022-02.md": REVIEW.replace("2022-01", "2022-02")}
    srcdir = project_with_letters(tmp_path, letters, keep_real=True)
    overrides = {"almanach_preview": True}
    app, warnings = build(srcdir, "html", tmp_path / "build", confoverrides=overrides)
    assert warnings == ""
    html = Path(app.outdir)
    draft = BeautifulSoup((html / "lettres" / "2022-01.html").read_text("utf-8"), "html.parser")
    banner = draft.select_one("div.almanach-banner-draft")
    assert banner is not None and banner["role"] == "note"
    assert banner.get_text() == "Brouillon — cette lettre est un brouillon, elle n’est pas publiée."
    review = BeautifulSoup((html / "lettres" / "2022-02.html").read_text("utf-8"), "html.parser")
    assert review.select_one("div.almanach-banner-review").strong.get_text() == "En relecture"
    assert "Brouillonmarqueur" in page_text(html, "territoires/lomme.html")
    published = BeautifulSoup((html / "lettres" / "2021-12.html").read_text("utf-8"), "html.parser")
    assert published.select_one("div.almanach-banner") is None
    # The PDF carries the banner too.
    app, warnings = build(srcdir, "latex", tmp_path / "build", confoverrides=overrides)
    assert warnings == ""
    tex = (Path(app.outdir) / "territoires-pilotes.tex").read_text("utf-8")
    assert r"\textbf{Brouillon} — cette lettre est un brouillon" in tex
    assert r"\textbf{En relecture} — cette lettre est en cours de relecture" in tex
