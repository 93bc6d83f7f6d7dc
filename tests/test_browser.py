"""The built site in a real browser: Debian's Chromium driven by Playwright
(no browser download), against the site served on localhost.

Screenshots are kept under ``build/test-artifacts/screenshots/`` for a reviewer.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import ROOT, build, require_tool

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(project_pdf) -> str:
    """The real site with its PDF, served on localhost: its base URL."""
    builddir = project_pdf[0]
    srcdir = builddir.parent / "docs"
    app, warnings = build(srcdir, "html", builddir)
    assert warnings == ""
    html = Path(app.outdir)
    shutil.copy2(builddir / "pdf" / "territoires-pilotes.pdf", html)
    handler = functools.partial(QuietHandler, directory=str(html))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_navigation_through_the_cross_links(site, page):
    page.goto(site + "index.html")
    assert page.evaluate("document.documentElement.lang") == "fr"
    screenshot(page, "home")
    page.locator("article a", has_text="Lettre n° 2 — décembre 2021").first.click()
    page.wait_for_url("**/lettres/2021-12.html")
    assert page.locator("h1").first.inner_text().startswith("Lettre n° 2")
    screenshot(page, "letter")
    page.locator(".almanach-update-territory a", has_text="Lomme").first.click()
    page.wait_for_url("**/territoires/lomme.html#territoire-lomme")
    assert page.locator("h1").first.inner_text().startswith("Lomme")
    screenshot(page, "territory")
    page.locator(".almanach-gathered-where a").first.click()
    page.wait_for_url("**/lettres/2021-12.html#nouvelle-lomme-*")
    assert page.errors == []


@pytest.mark.parametrize("query", ["sobriété", "sobriete"])
def test_search_finds_the_letter_with_or_without_accents(site, page, query):
    page.goto(f"{site}search.html?q={query}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("lettres/2021-12" in href for href in hrefs), hrefs
    if query == "sobriete":
        screenshot(page, "search")
    assert page.errors == []


def search_results(site, page, query: str) -> list[str]:
    page.goto(f"{site}search.html?q={query}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    return [results.nth(i).get_attribute("href") for i in range(results.count())]


def test_search_leads_to_the_letters_and_finds_gathered_pages_by_title(site, page):
    """A word of a territory's news leads to the letter, not to the pages that
    repeat it; the territory's page is found by its name."""
    hrefs = search_results(site, page, "délibération")
    assert any("lettres/2021-12" in href for href in hrefs), hrefs
    assert not [href for href in hrefs if "territoires/" in href or "personnes" in href], hrefs
    assert any("territoires/lomme" in href for href in search_results(site, page, "Lomme"))
    assert page.errors == []


def test_pdf_link_serves_a_pdf(site, page):
    page.goto(site + "index.html")
    href = page.locator("p.almanach-pdf-download a").get_attribute("href")
    response = page.request.get(site + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    "path",
    ["index.html", "lettres/2021-12.html", "territoires/lomme.html", "search.html?q=sobriété"],
)
def test_no_serious_accessibility_violation(site, page, path):
    assert AXE.is_file(), "axe-core is not installed (run `make`)"
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    report = ROOT / "build" / "test-artifacts" / "axe"
    report.mkdir(parents=True, exist_ok=True)
    name = path.split("?")[0].replace("/", "-")
    (report / f"{name}.json").write_text(
        json.dumps(result["violations"], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert serious == []
    assert page.evaluate("document.documentElement.lang") == "fr"
