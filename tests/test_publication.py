"""Publication: feeds, link check, and the hosted CI / Read the Docs settings."""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from icalendar import Calendar
from sphinx.errors import ConfigError

from helpers import ROOT, build, letter, project_with_letters, warning_lines

# -- feeds --------------------------------------------------------------------------


def test_atom_feed_lists_the_published_letters(project_html):
    html_dir = project_html[0]
    feed = feedparser.parse((html_dir / "atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Territoires Pilotes — les lettres"
    assert feed.feed.language == "fr"
    assert [entry.title for entry in feed.entries] == [
        "Lettre n° 2 — décembre 2021 : Coopérer pour changer"
    ]
    entry = feed.entries[0]
    assert entry.published.startswith("2021-12-01")
    assert entry.summary.startswith("Retour sur les journées des 17 et 18 novembre")
    assert entry.link.endswith("lettres/2021-12.html")


def test_calendar_lists_the_events(project_html):
    calendar = Calendar.from_ical((project_html[0] / "agenda.ics").read_bytes())
    events = [component for component in calendar.walk("VEVENT")]
    assert [str(event["summary"]) for event in events] == [
        "Journées communes des 17 et 18 novembre",
        "Journées communes des 20 et 21 janvier",
    ]
    first, second = events
    assert first.decoded("dtstart").isoformat() == "2021-11-17"
    assert first.decoded("dtend").isoformat() == "2021-11-19"  # exclusive end
    assert str(second["location"]) == "Visioconférence"
    assert "location" not in first  # the letter does not say where
    assert all("dtstamp" in event and "uid" in event for event in events)


def test_pages_announce_the_feeds(project_html):
    page = (project_html[0] / "lettres" / "2021-12.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="Les lettres" ' in page
    assert 'href="../atom.xml"' in page
    assert 'href="../agenda.ics"' in page


# -- accessible link names --------------------------------------------------------------


def test_places_do_not_repeat_the_letter_name(project_html):
    """A mention before the first rubrique is « Lettre n° 2 — décembre 2021 »: its
    section is the letter's title, not said twice."""
    html, _warnings = project_html
    organisations = (html / "organisations.html").read_text("utf-8")
    assert "<span>Lettre n° 2 — décembre 2021</span></a>" in organisations
    for page in ("organisations.html", "personnes.html", "ressources.html"):
        assert "décembre 2021, Lettre n° 2" not in (html / page).read_text("utf-8"), page


def test_vague_links_get_an_accessible_name(project_html):
    page = (project_html[0] / "lettres" / "2021-12.html").read_text("utf-8")
    assert (
        'aria-label="ici : Le Master Plan du Puy-de-Dôme, sa genèse et ses objectifs '
        '(lien à venir)"'
    ) in page
    # Every link whose whole text is « ici » or « là » has one.
    vague = re.findall(r"<a ([^>]*)><span[^>]*>(?:ici|là)</span></a>", page)
    assert vague
    assert all("aria-label=" in attributes for attributes in vague)


# -- link check against a local server ------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def local_server(tmp_path: Path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "present.html").write_text("<html><body>ok</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_linkcheck_reports_a_broken_resource(tmp_path, local_server):
    body = "".join(
        f":::{{resource}} {name}\n:title: {name}\n:kind: site\n"
        f":url: {local_server}/{name}.html\n:::\n\n"
        for name in ("present", "absente")
    )
    srcdir = project_with_letters(tmp_path / "project", {"liens.md": letter(body)})
    # No network here: only the local server's links are checked.
    overrides = {"linkcheck_ignore": [f"^(?!{re.escape(local_server)}/)"]}
    app, warnings = build(srcdir, "linkcheck", tmp_path / "build", confoverrides=overrides)
    results = {
        row["uri"]: row["status"]
        for row in map(json.loads, (Path(app.outdir) / "output.json").read_text().splitlines())
    }
    assert results[f"{local_server}/present.html"] == "working"
    assert results[f"{local_server}/absente.html"] == "broken"
    assert warning_lines(warnings, srcdir) == []
    # sphinx-build (make linkcheck) exits with an error when a link is broken.
    assert app.statuscode == 1
    broken = (Path(app.outdir) / "output.txt").read_text("utf-8")
    assert f"lettres/liens.md:16: [broken] {local_server}/absente.html" in broken


# -- hosted CI and Read the Docs ---------------------------------------------------------


def makefile_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))


def make_commands(text: str) -> list[str]:
    """The targets of the ``make`` commands run by a CI file (bare ``make`` is ``all``)."""
    commands = re.findall(r"(?m)(?:^\s*(?:-\s+|run:\s+)?|&&\s*)make\b([^\n&;]*)", text)
    targets = []
    for arguments in commands:
        words = [w for w in arguments.split() if "=" not in w and not w.startswith("-")]
        targets.append(words[0] if words else "all")
    return targets


def test_github_workflow_is_valid_and_safe_for_forks():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    build_job, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build_job  # read-only, inherited
    runs = "\n".join(step.get("run", "") for step in build_job["steps"])
    assert {"test", "linkcheck"} <= set(make_commands(runs)) | {"all"}
    assert re.search(r"^make$", runs, re.MULTILINE), "the README's first command"
    uploads = [
        s for s in build_job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert "build/html" in uploads[0]["with"]["path"] and "build/pdf" in uploads[0]["with"]["path"]
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["if"] == main_only
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "${{ secrets." not in (ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8")
    # The site deployed from main is a publication build, with its address.
    (make,) = [s for s in build_job["steps"] if s.get("run") == "make"]
    assert make["env"]["ALMANACH_PUBLISH"] == f"${{{{ {main_only} && '1' || '' }}}}"
    assert make["env"]["ALMANACH_BASEURL"] == "${{ vars.ALMANACH_BASEURL }}"


def test_readthedocs_builds_html_and_pdf_with_the_makefile():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text("utf-8"))
    assert config["version"] == 2
    assert config["formats"] == ["pdf"]
    jobs = config["build"]["jobs"]["build"]
    assert make_commands(" ".join(jobs["html"])) == ["html"]
    assert make_commands(" ".join(jobs["pdf"])) == ["pdf"]
    assert "ALMANACH_PUBLISH=1" in jobs["html"][0]  # (with its canonical URL)
    assert "texlive-luatex" in config["build"]["apt_packages"]


def test_every_make_command_of_the_ci_exists():
    targets = makefile_targets()
    texts = [
        (ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"),
        (ROOT / ".readthedocs.yaml").read_text("utf-8"),
        (ROOT / ".ci" / "run").read_text("utf-8"),
    ]
    commands = {command for text in texts for command in make_commands(text)}
    assert commands
    assert commands <= targets, commands - targets


# -- site metadata ------------------------------------------------------------------------


def head(html_dir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / page).read_text("utf-8"), "html.parser")


def test_letter_has_its_summary_as_description(project_html):
    soup = head(project_html[0], "lettres/2021-12.html")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Retour sur les journées des 17 et 18 novembre")
    assert soup.find("meta", property="og:description")["content"] == description
    assert soup.find("meta", property="og:title")["content"].startswith("Lettre n° 2")
    assert soup.find("html")["lang"] == "fr"


def test_every_page_has_a_description_and_the_pdf_button(project_html):
    html_dir = project_html[0]
    for page in ("index.html", "territoires/lomme.html", "personnes.html", "guide/index.html"):
        soup = head(html_dir, page)
        assert soup.find("meta", attrs={"name": "description"}), page
        button = soup.select_one("a.btn-almanach-pdf")
        assert button is not None, page
        depth = page.count("/")
        assert button["href"] == "../" * depth + "territoires-pilotes.pdf"
        assert button["title"] == "Télécharger le compendium (PDF)"
    assert soup.find("link", rel="icon")["href"].endswith("favicon.svg")


#: A local address, wherever it would be written.
LOCAL_ADDRESS = re.compile(r"127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0", re.IGNORECASE)


def published_addresses(html_dir: Path) -> list[tuple[str, str]]:
    """Every address the built site gives to a browser, a feed reader or a
    search engine: the attributes of its pages (links, sources, metadata), and
    the addresses of its sitemap, feed and calendar. (file, address)"""
    found = []
    for page in html_dir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for name in ("href", "src", "content", "action", "srcset"):
                if tag.get(name):
                    found.append((str(page.relative_to(html_dir)), tag[name]))
    for name in ("sitemap.xml", "atom.xml"):
        if (html_dir / name).exists():
            text = (html_dir / name).read_text("utf-8")
            found += [(name, url) for url in re.findall(r'(?:href="|<loc>|<id>)([^"<]+)', text)]
    calendar = (html_dir / "agenda.ics").read_text("utf-8").replace("\r\n ", "")
    found += [("agenda.ics", url) for url in re.findall(r"^URL:(.*)$", calendar, re.M)]
    return found


def test_a_local_build_writes_no_local_address(project_html):
    """Built without ALMANACH_BASEURL (as `make` on an editor's machine or CI's
    previews), the site holds no absolute address of its own, and never a local
    one: no sitemap, no canonical link, relative links in the feed, no URL in the
    calendar (which would have to be absolute)."""
    html_dir = project_html[0]
    assert not (html_dir / "sitemap.xml").exists()
    addresses = published_addresses(html_dir)
    assert len(addresses) > 500
    assert [(f, a) for f, a in addresses if LOCAL_ADDRESS.search(a)] == []
    letter = head(html_dir, "lettres/2021-12.html")
    assert letter.find("link", rel="canonical") is None
    assert letter.find("meta", property="og:url") is None
    feed = feedparser.parse((html_dir / "atom.xml").read_bytes())
    assert feed.entries[0].link.endswith("lettres/2021-12.html")
    assert feed.entries[0].id == "urn:almanach:lettres/2021-12"
    assert "URL:" not in (html_dir / "agenda.ics").read_text("utf-8")
    page = head(html_dir, "404.html")
    assert "Page introuvable" in [h1.get_text() for h1 in page.find_all("h1")]


def test_a_local_build_says_it_has_no_address(tmp_path):
    srcdir = project_with_letters(tmp_path, {}, keep_real=True)
    app, warnings = build(srcdir, "html", tmp_path / "build")
    assert warnings == ""
    assert "Adresse publique : non définie (ALMANACH_BASEURL)" in app.status.getvalue()


def test_a_publication_build_without_address_stops_with_a_french_message(tmp_path, monkeypatch):
    monkeypatch.setenv("ALMANACH_PUBLISH", "1")
    monkeypatch.delenv("ALMANACH_BASEURL", raising=False)
    monkeypatch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
    srcdir = project_with_letters(tmp_path, {}, keep_real=True)
    with pytest.raises(ConfigError, match="publication sans adresse : ALMANACH_BASEURL"):
        build(srcdir, "html", tmp_path / "build")
    assert not (tmp_path / "build" / "html" / "index.html").exists()


def test_base_url_and_edit_buttons_come_from_one_place(tmp_path, monkeypatch):
    """CI sets the published address and the repository; the edit button opens the
    file really edited (the letter in issues/)."""
    monkeypatch.setenv("ALMANACH_BASEURL", "https://exemple.org/territoires")
    monkeypatch.setenv("ALMANACH_REPOSITORY_URL", "https://github.com/exemple/almanach")
    srcdir = project_with_letters(tmp_path, {}, keep_real=True)
    app, warnings = build(srcdir, "html", tmp_path / "build")
    assert warnings == ""
    html_dir = Path(app.outdir)
    letter = head(html_dir, "lettres/2021-12.html")
    edit = letter.select_one("a.btn-edit-this-page, a[href*='/edit/']")
    assert edit["href"] == "https://github.com/exemple/almanach/edit/main/issues/2021-12.md"
    lomme = head(html_dir, "territoires/lomme.html").select_one("a[href*='/edit/']")
    assert lomme["href"].endswith("/edit/main/docs/registres/territoires.yaml")
    assert letter.find("meta", property="og:url")["content"] == (
        "https://exemple.org/territoires/lettres/2021-12.html"
    )
    sitemap = (html_dir / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://exemple.org/territoires/lettres/2021-12.html</loc>" in sitemap
    feed = feedparser.parse((html_dir / "atom.xml").read_bytes())
    assert feed.entries[0].link == "https://exemple.org/territoires/lettres/2021-12.html"
    assert feed.entries[0].id == feed.entries[0].link
    assert "/territoires/_static/" in (html_dir / "404.html").read_text("utf-8")
    assert letter.find("link", rel="canonical")["href"] == (
        "https://exemple.org/territoires/lettres/2021-12.html"
    )
    absolute = [(f, a) for f, a in published_addresses(html_dir) if "://" in a]
    assert [(f, a) for f, a in absolute if LOCAL_ADDRESS.search(a)] == []
    calendar = (html_dir / "agenda.ics").read_text("utf-8").replace("\r\n ", "")
    assert "URL:https://exemple.org/territoires/agenda.html#evenement-" in calendar
