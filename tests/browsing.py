"""What the browser tests share: Debian's Chromium driven by Playwright (no
browser download), axe-core, and the screenshots kept for a reviewer under
``build/test-artifacts/screenshots/``. The fixtures (the served site, the
browser, a page) are in ``conftest.py``."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from helpers import ROOT

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "build" / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
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
#: The widths a reader uses: a laptop and a phone.
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` served on localhost while the block runs: its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def open_page(browser, *, viewport: dict | None = None, dark: bool = False):
    """A new page (in its own context) at ``viewport``, in French; the errors of
    its console are collected in ``page.errors``. ``dark``: the reader's system
    prefers the dark theme."""
    context = browser.new_context(
        viewport=viewport or DESKTOP,
        locale="fr-FR",
        color_scheme="dark" if dark else "light",
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def screenshot(page, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def axe_violations(
    page,
    report_name: str,
    *,
    impacts: tuple[str, ...] = ("serious", "critical"),
    rules: tuple[str, ...] = (),
) -> list[dict]:
    """axe-core run on ``page``: its violations of these ``impacts``, and of
    these ``rules`` whatever their impact (all of them are written to
    ``build/test-artifacts/axe/<report_name>.json``)."""
    assert AXE.is_file(), "axe-core is not installed (run `make`)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    report = ARTIFACTS / "axe"
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{report_name}.json").write_text(
        json.dumps(result["violations"], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts or v["id"] in rules
    ]
