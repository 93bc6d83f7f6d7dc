"""The email edition (``make email``): each letter as ``lettre.html``,
``lettre.txt`` and ``lettre.eml``, from the same source as the site and the PDF."""

from __future__ import annotations

import email
import email.policy
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError

from almanach.email.message import CLIP_BYTES, Headers, compose, letter_date
from almanach.html.typography import text_block
from conftest import EMAIL_SETTINGS
from helpers import build, chunks, first_missing, letter, slim_project, warning_lines

BASE = EMAIL_SETTINGS["html_baseurl"]
SUBJECT = "Territoires Pilotes — Lettre n° 2 — décembre 2021 : Coopérer pour changer"
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def december(project_email):
    outdir, warnings = project_email
    assert warnings == ""
    return outdir / "2021-12"


@pytest.fixture(scope="module")
def message(december):
    return email.message_from_bytes(
        (december / "lettre.eml").read_bytes(), policy=email.policy.default
    )


def parts(message) -> tuple[str, str]:
    """The message's text and HTML parts, decoded (its lines end as on disk)."""
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return text, html


def letter_tokens(outdir: Path) -> list[str]:
    """Every word and typographic mark a reader of the December letter sees, in
    order, from its doctree (as read, before any builder writes it)."""
    doctree = pickle.loads(
        (outdir.parent / "doctrees" / "lettres" / "2021-12.doctree").read_bytes()
    )
    hidden = (nodes.comment, nodes.target, nodes.system_message, nodes.raw)
    # A mention without its own text shows its target's name (an id, here).
    implicit = [x for x in doctree.findall(addnodes.pending_xref) if not x.get("refexplicit")]
    for xref in implicit:
        xref.parent.remove(xref)
    blocks: dict[int, list[str]] = {}
    for text in doctree.findall(nodes.Text):
        if not any(isinstance(parent, hidden) for parent in _ancestors(text)):
            blocks.setdefault(id(text_block(text)), []).append(str(text))
    return chunks(" ".join("".join(block) for block in blocks.values()), apostrophes_alike=True)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["style", "title", "head"]):
        hidden.decompose()
    return soup.get_text()


# -- the three files ------------------------------------------------------------------


def test_the_december_letter_has_its_three_files(december):
    for name in ("lettre.html", "lettre.txt", "lettre.eml", "lettre.json"):
        assert (december / name).stat().st_size > 0, name
    summary = json.loads((december / "lettre.json").read_text("utf-8"))
    assert summary["letter"] == "2021-12"
    assert summary["status"] == "published"
    assert summary["subject"] == SUBJECT
    assert summary["page"] == BASE + "lettres/2021-12.html"
    assert summary["source"] == "issues/2021-12.md"
    assert summary["missing_headers"] == []
    assert summary["html_bytes"] == (december / "lettre.html").stat().st_size
    assert summary["html_bytes"] < CLIP_BYTES


def test_message_headers_come_from_the_letter_and_the_configuration(message):
    assert message["Subject"] == SUBJECT
    assert message["Date"] == "Wed, 01 Dec 2021 00:00:00 +0100"
    assert message["From"] == EMAIL_SETTINGS["almanach_email_from"]
    assert message["Reply-To"] == EMAIL_SETTINGS["almanach_email_reply_to"]
    assert message["List-Unsubscribe"] == "<https://exemple.fr/desinscription>"
    assert message["Content-Language"] == "fr"
    assert message["MIME-Version"] == "1.0"
    # Added when sending, never invented by the build.
    assert message["To"] is None and message["Message-ID"] is None
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    for part in message.iter_parts():
        assert part.get_content_charset() == "utf-8"


def test_both_parts_are_the_files_beside_the_message(december, message):
    text, html = parts(message)
    assert text == (december / "lettre.txt").read_text("utf-8")
    assert html == (december / "lettre.html").read_text("utf-8")


@pytest.mark.parametrize("part", ["text", "html"])
def test_each_part_keeps_every_word_of_the_letter_in_order(project_email, message, part):
    text, html = parts(message)
    shown = text if part == "text" else visible_text(html)
    expected = letter_tokens(project_email[0])
    assert len(expected) > 2500
    actual = chunks(shown, apostrophes_alike=True)
    missing = first_missing(expected, actual)
    assert missing is None, f"{part}: « {' '.join(expected[missing : missing + 8])} » manque"


# -- the HTML part ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def soup(december):
    return BeautifulSoup((december / "lettre.html").read_text("utf-8"), "html.parser")


def test_html_is_email_safe(soup, december):
    html = (december / "lettre.html").read_text("utf-8")
    assert soup.html["lang"] == "fr"
    assert not soup.find_all(["script", "form", "input", "button", "iframe", "svg", "link"])
    assert not re.search(r"@import|@font-face|url\(", html)
    assert not any(
        tag.has_attr(a) for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")
    )
    # The lint's attributes are gone.
    assert "data-almanach" not in html
    # Every style is inlined: one <style> is left, with the dark colours only.
    styles = soup.find_all("style")
    assert len(styles) == 1
    kept = styles[0].get_text()
    assert kept.strip().startswith("@media") and "@media (prefers-color-scheme: dark)" in kept
    assert re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", kept).strip() == ""
    for tag in soup.select(".almanach-content p, .almanach-content h2, .almanach-content a"):
        assert tag.get("style"), tag
    assert soup.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    # A system font stack: no web font.
    wrapper = soup.find("table", class_="almanach-wrapper")["style"]
    assert "-apple-system" in wrapper and "Arial" in wrapper
    assert not soup.body.attrs  # some clients drop <body>'s styles


def test_every_link_is_absolute_and_leads_to_the_published_site(soup):
    links = [a["href"] for a in soup.find_all("a")]
    assert links
    for href in links:
        assert href.startswith(("https://", "http://", "mailto:")), href
    assert BASE + "lettres/2021-12.html" == soup.find("a", string="Voir dans le navigateur")["href"]
    assert BASE + "territoires-pilotes.pdf" in links
    assert BASE + "personnes.html#personne-jacques-fradin" in links
    assert BASE + "territoires/lomme.html#territoire-lomme" in links
    assert "https://exemple.fr/desinscription" in links


def test_a_pending_resource_is_text_never_a_link(soup):
    marks = soup.find_all(string=re.compile("lien à venir"))
    assert len(marks) >= 10
    for mark in marks:
        assert mark.find_parent("a") is None
    # The mention of the pending synthesis, in the quotation's attribution.
    attribution = soup.find(
        lambda tag: "attribution" in tag.get("class", []) and "Synthèse" in tag.get_text()
    )
    assert attribution is not None and attribution.find("a") is None


def test_preheader_is_the_letter_summary_hidden(soup):
    preheader = soup.find(class_="almanach-preheader")
    assert "display: none" in preheader["style"]
    assert preheader.get_text().startswith("Retour sur les journées des 17 et 18 novembre")


def test_blocks_are_tables_styled_as_on_the_site(soup):
    updates = soup.select("table.almanach-update td.almanach-update-cell")
    assert len(updates) == 4
    assert "border-left: 4px solid" in updates[0]["style"]
    assert soup.select("table.almanach-quote td.almanach-quote-cell blockquote")
    assert soup.select("table.almanach-resource td.almanach-resource-cell .almanach-resource-card")
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert "🗣️ Édito\u00a0: Coopérer pour changer" in headings
    assert any(h.startswith("🔎") for h in headings)


def test_french_typography_as_on_the_site(soup, message):
    text = soup.get_text()
    assert f"un objectif{NBSP}: faire mieux" in text
    assert f"«{NNBSP}L’engagement est un voyage." in text
    assert "'" not in soup.find(class_="almanach-content").get_text()
    plain, _html = parts(message)
    assert f"un objectif{NBSP}: faire mieux" in plain


# -- the text part ------------------------------------------------------------------------


def test_text_part_numbers_its_links(message):
    text, _html = parts(message)
    body, _sep, listing = text.partition("\nLiens\n-----\n")
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
    listed = re.findall(r"^\[(\d+)\] (\S+)$", listing, re.MULTILINE)
    assert [int(n) for n, _ in listed] == list(range(1, len(listed) + 1))
    assert set(numbers) == {int(n) for n, _ in listed}
    addresses = dict(listed)
    fradin = re.search(r"Jacques Fradin\u00a0\[(\d+)\]", body)
    assert addresses[fradin.group(1)] == BASE + "personnes.html#personne-jacques-fradin"
    assert all(address.startswith(("https://", "mailto:")) for address in addresses.values())
    # One address, one number.
    assert len(set(addresses.values())) == len(addresses)


def test_text_part_marks_rubriques_quotations_and_pending_links(message):
    text, _html = parts(message)
    assert text.startswith(SUBJECT.replace(" : ", f"{NBSP}: ") + "\n")
    assert f"Voir dans le navigateur{NBSP}: {BASE}lettres/2021-12.html" in text
    assert re.search(r"^🗣️ Édito\u00a0: Coopérer pour changer\n=+$", text, re.MULTILINE)
    assert "│ “Ce n’est pas l’individu qui résiste, c’est un écosystème.”" in text
    assert f"│ —{NBSP}Jacques Fradin" in text
    assert "(lien à venir)" in text
    assert "<" not in text.replace("<https", "")  # no markup
    assert f"Se désinscrire{NBSP}: https://exemple.fr/desinscription" in text


# -- building -------------------------------------------------------------------------------


def email_project(tmp_path: Path, letters: dict[str, str]) -> Path:
    docs = slim_project(tmp_path)
    for name, source in letters.items():
        (tmp_path / "issues" / name).write_text(source, encoding="utf-8")
    return docs


def test_no_email_edition_without_the_published_address(tmp_path):
    docs = email_project(tmp_path, {"2030-01.md": letter("Bonjour.")})
    with pytest.raises(ConfigError, match="ALMANACH_BASEURL n’est pas défini"):
        build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": ""})


def test_without_headers_the_message_leaves_them_out_and_says_so(tmp_path, capsys):
    docs = email_project(tmp_path, {"2030-01.md": letter("Bonjour à toutes et à tous.")})
    app, warnings = build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    assert warnings == ""
    folder = Path(app.outdir, "2030-01")
    message = email.message_from_bytes(
        (folder / "lettre.eml").read_bytes(), policy=email.policy.default
    )
    for header in ("From", "Reply-To", "List-Unsubscribe"):
        assert message[header] is None
    assert json.loads((folder / "lettre.json").read_text("utf-8"))["missing_headers"] == [
        "From",
        "Reply-To",
        "List-Unsubscribe",
    ]
    said = capsys.readouterr().out + app._status.getvalue()
    assert "Édition e-mail sans From (ALMANACH_EMAIL_FROM)" in said
    # Nothing that needs them: no unsubscribe link.
    assert "Se désinscrire" not in (folder / "lettre.html").read_text("utf-8")


def test_preview_builds_drafts_emails_linking_to_the_preview_site(tmp_path):
    draft = letter("Un brouillon.", date="2030-02", number=91).replace(
        "status: published", "status: draft"
    )
    docs = email_project(tmp_path, {"2030-01.md": letter("Publiée."), "2030-02.md": draft})
    app, _ = build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    assert not Path(app.outdir, "2030-02").exists()
    # Published, then back to a draft: its message leaves the published edition.
    published = tmp_path / "issues" / "2030-02.md"
    published.write_text(draft.replace("status: draft", "status: published"), encoding="utf-8")
    build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    assert Path(app.outdir, "2030-02", "lettre.eml").exists()
    published.write_text(draft, encoding="utf-8")
    build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    assert not Path(app.outdir, "2030-02").exists()
    assert Path(app.outdir, "2030-01", "lettre.eml").exists()
    preview, warnings = build(
        docs,
        "email",
        tmp_path / "preview",
        confoverrides={"html_baseurl": "", "almanach_preview": True},
    )
    assert warnings == ""
    html = Path(preview.outdir, "2030-02", "lettre.html").read_text("utf-8")
    page = (tmp_path / "preview" / "html").resolve().as_uri() + "/lettres/2030-02.html"
    assert f'href="{page}"' in html
    assert "Brouillon" in html or "brouillon" in html
    summary = json.loads(Path(preview.outdir, "2030-02", "lettre.json").read_text("utf-8"))
    assert summary["status"] == "draft"
    assert summary["preview"] is True and summary["base"].startswith("file://")


def test_a_letter_too_large_for_gmail_is_said_with_its_size(tmp_path):
    paragraph = "La transition écologique avance dans chaque territoire pilote, pas à pas. " * 12
    body = "\n\n".join(f"{paragraph} ({number})" for number in range(160))
    docs = email_project(tmp_path, {"2030-01.md": letter(body)})
    app, warnings = build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    size = Path(app.outdir, "2030-01", "lettre.html").stat().st_size
    assert size > CLIP_BYTES
    lines = warning_lines(warnings, docs)
    assert len(lines) == 1
    assert lines[0].startswith("issues/2030-01.md:2: ")
    assert ": la version e-mail de la lettre pèse " in lines[0]
    assert f"{size / 1024:.1f} Ko".replace(".", ",") in lines[0]
    assert "Gmail" in lines[0] and lines[0].endswith("[almanach.email-size]")
    # Kept with the message: almanach email send does not send it to the list.
    summary = json.loads(Path(app.outdir, "2030-01", "lettre.json").read_text("utf-8"))
    assert len(summary["problems"]) == 1 and "Gmail" in summary["problems"][0]


def test_an_email_build_after_the_site_gives_the_same_message(tmp_path, project_email):
    """The environment the site left (nothing read again) gives the bytes of a
    clean build."""
    from helpers import copy_project

    docs = copy_project(tmp_path)
    build(docs, "html", tmp_path / "build", numbering=True, confoverrides=EMAIL_SETTINGS)
    app, warnings = build(
        docs, "email", tmp_path / "build", numbering=True, confoverrides=EMAIL_SETTINGS
    )
    assert warnings == ""
    for name in ("lettre.eml", "lettre.html", "lettre.txt"):
        fresh = (project_email[0] / "2021-12" / name).read_bytes()
        assert Path(app.outdir, "2021-12", name).read_bytes() == fresh, name


# -- the message, composed --------------------------------------------------------------------


def test_compose_is_deterministic_and_dates_in_paris_time():
    headers = Headers("Territoires Pilotes <lettre@exemple.fr>")
    first = compose(subject="S", month="2022-06", text="texte\n", html="<p>x</p>", headers=headers)
    second = compose(subject="S", month="2022-06", text="texte\n", html="<p>x</p>", headers=headers)
    assert first.as_bytes() == second.as_bytes()
    assert first["Date"] == "Wed, 01 Jun 2022 00:00:00 +0200"
    assert letter_date("2022-03").utcoffset().total_seconds() == 3600
    assert letter_date("2022-04").utcoffset().total_seconds() == 7200
    assert letter_date("2022-11").utcoffset().total_seconds() == 3600


# -- sent through a real SMTP server ------------------------------------------------------------


def test_the_december_letter_sent_arrives_whole(project_email, tmp_path, monkeypatch, capsys):
    """``make email`` then ``almanach email send 2021-12 --to …`` through the
    loopback server of tests/test_email_send.py (STARTTLS and AUTH required)."""
    import shutil

    from helpers import ROOT
    from test_email_send import CONF, mailbox_on, run

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "issues").mkdir()
    shutil.copy2(ROOT / "issues" / "2021-12.md", tmp_path / "issues" / "2021-12.md")
    shutil.copytree(project_email[0] / "2021-12", tmp_path / "build" / "email" / "2021-12")
    monkeypatch.chdir(tmp_path)
    with mailbox_on(tmp_path, monkeypatch) as mailbox:
        code, out, err = run(capsys, "2021-12", "--to", "essai@exemple.fr")
    assert (code, err) == (0, ""), err
    assert "envoyée" in out
    [received] = mailbox.received
    assert received.tls and received.authenticated
    assert received.rcpt_tos == ["essai@exemple.fr"]
    message = email.message_from_bytes(received.content, policy=email.policy.default)
    assert message["Subject"] == SUBJECT
    assert message["To"] == "essai@exemple.fr"
    assert message["From"] == EMAIL_SETTINGS["almanach_email_from"]
    assert message["Date"] == "Wed, 01 Dec 2021 00:00:00 +0100"
    assert message["Message-ID"].endswith("@exemple.fr>")
    text, html = parts(message)
    expected = letter_tokens(project_email[0])
    for shown in (text, visible_text(html)):
        missing = first_missing(expected, chunks(shown, apostrophes_alike=True))
        assert missing is None, " ".join(expected[missing : missing + 8])


# -- what mail clients support, checked by the build --------------------------------------------


def png(path: Path) -> None:
    """A one-pixel PNG image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_the_build_warns_located_about_what_mail_clients_lack(tmp_path):
    """A project stylesheet with a flexbox layout: a located warning, in the
    file and at the line that hold it, saying what to do instead."""
    body = "Le plan du territoire :\n\n![Plan du territoire](plan.png)\n"
    docs = email_project(tmp_path, {"2030-01.md": letter(body)})
    png(tmp_path / "issues" / "plan.png")
    (docs / "_static" / "courriel.css").write_text(
        "/* Nos couleurs. */\n.almanach-content {\n  color: #1f2328;\n  display: flex;\n}\n",
        encoding="utf-8",
    )
    app, warnings = build(
        docs,
        "email",
        tmp_path / "build",
        confoverrides={"html_baseurl": BASE, "almanach_email_css": "_static/courriel.css"},
    )
    lines = warning_lines(warnings, docs)
    assert len(lines) == 1, lines
    assert lines[0].startswith("docs/_static/courriel.css:4: ")
    assert "display: flex (css-display-flex)" in lines[0]
    assert "Outlook (Windows)" in lines[0] and "tableau" in lines[0]
    assert lines[0].endswith("[almanach.email-support]")
    # The message is written all the same, its image on the published site.
    html = Path(app.outdir, "2030-01", "lettre.html").read_text("utf-8")
    assert f'src="{BASE}_images/plan.png"' in html


def test_a_support_problem_of_the_letter_is_located_at_its_line(tmp_path, monkeypatch):
    """What a letter brings is located at its line in the letter. A letter can
    bring nothing the clients lack today (its images are PNG or JPEG, its
    figures and abbreviations are written for email): the lint is made to see
    an SVG where the letter has its PNG image, as a relaxed policy would allow."""
    from almanach.email import support

    real_lint = support.lint
    monkeypatch.setattr(support, "lint", lambda html: real_lint(html.replace(".png", ".svg")))
    body = (
        "Le plan, et l’{abbr}`ADEME (Agence de la transition écologique)` :\n\n"
        "```{figure} plan.png\n:alt: Plan du territoire\n\nLe plan du territoire.\n```\n"
    )
    docs = email_project(tmp_path, {"2030-01.md": letter(body)})
    png(tmp_path / "issues" / "plan.png")
    app, warnings = build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    [line] = warning_lines(warnings, docs)
    source = (tmp_path / "issues" / "2030-01.md").read_text("utf-8").splitlines()
    number = int(line.split(":")[1])
    assert "plan.png" in source[number - 1], line
    assert "(image-svg)" in line and "Gmail" in line and "PNG" in line
    html = Path(app.outdir, "2030-01", "lettre.html").read_text("utf-8")
    # The figure and the abbreviation, in elements every main client shows.
    assert "<figure" not in html and "<abbr" not in html
    assert 'title="Agence de la transition écologique"' in html
    assert "Le plan du territoire." in html


def test_the_december_letter_passes_the_support_lint(project_email):
    """The real letter, its template and stylesheets: nothing any main client lacks."""
    assert project_email[1] == ""
    from almanach.email import support

    html = (project_email[0] / "2021-12" / "lettre.html").read_text("utf-8")
    findings = [f for f in support.lint(html) if not f.enhancement]
    assert findings == []


@pytest.fixture(scope="module")
def all_syntax(tmp_path_factory) -> Path:
    """tests/fixtures/email/toute-la-syntaxe.md (with its image) beside the real
    project's letters, built to the email edition: its output folder."""
    from helpers import ROOT, copy_project

    base = tmp_path_factory.mktemp("toute-la-syntaxe")
    docs = copy_project(base)
    source = ROOT / "tests" / "fixtures" / "email" / "toute-la-syntaxe.md"
    (base / "issues" / "2030-02.md").write_text(source.read_text("utf-8"), encoding="utf-8")
    png(base / "issues" / "plan.png")
    app, warnings = build(docs, "email", base / "build", confoverrides=EMAIL_SETTINGS)
    assert warnings == ""
    return Path(app.outdir)


def test_everything_a_letter_may_hold_is_written_for_email(all_syntax):
    """tests/fixtures/email/toute-la-syntaxe.md: every construct the allowlist
    lets a letter use (footnotes, code, abbreviations, admonitions, definitions,
    tables, figures, quotations, rules…) gives a message that no main client
    lacks anything of, without a link to a place the message does not hold."""
    from almanach.email import support

    html = Path(all_syntax, "2030-02", "lettre.html").read_text("utf-8")
    assert [f.slug for f in support.lint(html) if not f.enhancement] == []
    for element in ("<aside", "<code", "<pre", "<figure", "<abbr", "<section"):
        assert element not in html, element
    assert 'href="#' not in html
    page = BASE + "lettres/2030-02.html"
    assert f'href="{page}#' in html  # the footnote, on the published page
    assert "revenir à la ligne sur un téléphone" in html
    assert not list(all_syntax.glob("_static"))  # the message carries no file
    text = Path(all_syntax, "2030-02", "lettre.txt").read_text("utf-8")
    assert "https://exemple.fr/note" in text and "Une chose importante." in text


def test_the_text_part_of_everything_a_letter_may_hold(all_syntax):
    """Footnotes are « (note 1) » (a link's number is « [1] »), an admonition says
    its label once, an image its description, every quotation is marked, a
    table fits the text's width."""
    text = Path(all_syntax, "2030-02", "lettre.txt").read_text("utf-8")
    assert f"Un appel de note{NBSP}(note{NBSP}1)" in text
    assert f"Note{NBSP}1{NBSP}: La note de bas de page, avec un lien" in text
    assert text.count("Note") == 2 and f"Note{NBSP}: Une remarque." in text
    assert f"Avertissement{NBSP}: Un avertissement." in text
    assert f"[Image{NBSP}: Plan du territoire]" in text
    assert "│ Une citation ordinaire, sans directive." in text
    assert max(len(line) for line in text.splitlines() if line.startswith(("+", "|"))) <= 70


def test_a_title_on_two_lines_gives_a_subject_on_one(tmp_path):
    source = letter("Bonjour.").replace("title: Essai", "title: |\n  Coopérer\n  pour changer")
    docs = email_project(tmp_path, {"2030-01.md": source})
    app, warnings = build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    assert warnings == ""
    message = email.message_from_bytes(
        Path(app.outdir, "2030-01", "lettre.eml").read_bytes(), policy=email.policy.default
    )
    assert message["Subject"].endswith("janvier 2030 : Coopérer pour changer")


def test_an_address_that_is_not_a_web_address_is_refused(tmp_path):
    docs = email_project(tmp_path, {"2030-01.md": letter("Bonjour.")})
    with pytest.raises(ConfigError, match="n’est pas une adresse web complète"):
        build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": "exemple.fr/a"})


def test_two_letters_of_one_month_are_said_not_overwritten(tmp_path):
    first = letter("La première.", number=90)
    second = letter("La seconde.", number=91)
    docs = email_project(tmp_path, {"2030-01.md": first, "2030-01-bis.md": second})
    app, warnings = build(docs, "email", tmp_path / "build", confoverrides={"html_baseurl": BASE})
    lines = [line for line in warning_lines(warnings, docs) if "email-month" in line]
    assert len(lines) == 1
    assert lines[0].startswith("issues/2030-01-bis.md:2: ")
    assert "deux lettres sont datées 2030-01 (issues/2030-01.md et celle-ci)" in lines[0]
    summary = json.loads(Path(app.outdir, "2030-01", "lettre.json").read_text("utf-8"))
    assert summary["source"] == "issues/2030-01.md"


def test_only_an_email_build_loads_the_email_edition(tmp_path):
    """The builder is the package's ``sphinx.builders`` entry point: an HTML build
    never imports it (4 MB of modules), ``-b email`` does."""
    root = Path(__file__).resolve().parent.parent
    script = (
        "import io, sys\n"
        "from sphinx.application import Sphinx\n"
        "Sphinx('docs', 'docs', sys.argv[2], sys.argv[2] + '/doctrees', sys.argv[1],"
        " status=io.StringIO(), warning=io.StringIO(),"
        " confoverrides={'html_baseurl': 'https://exemple.org/'})\n"
        "print(sorted(m for m in sys.modules if m.startswith('almanach.email')))\n"
    )
    loaded = {}
    for builder in ("html", "email"):
        result = subprocess.run(
            [sys.executable, "-c", script, builder, str(tmp_path / builder)],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        loaded[builder] = result.stdout.strip().splitlines()[-1]
    assert loaded["html"] == "[]"
    assert "almanach.email.builder" in loaded["email"]
