from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from almanach import collector
from browsing import open_page, served
from helpers import build, compile_pdf, copy_project, require_tool
from import_metrics import PROPERTY as IMPORT_METRICS

# Hypothesis profiles of the suites that build generated letters: ``ci``
# (derandomised, repeatable: ``make test``) and ``deep`` (``make fuzz``), chosen
# with ALMANACH_FUZZ_PROFILE.
settings.register_profile(
    "ci",
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "deep",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class ImportMetricsSummary:
    """Prints, after the run, the tables that the import measurements record
    (``import_metrics.record_table``): they come with each test's report, from
    pytest-xdist's workers too, so ``make test`` shows them without ``-s``."""

    def __init__(self) -> None:
        self.tables: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.tables += [
                str(value) for name, value in report.user_properties if name == IMPORT_METRICS
            ]

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.tables:
            terminalreporter.write_sep("=", "import measurements (issue 16)")
            for table in self.tables:
                terminalreporter.write_line(table + "\n")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(ImportMetricsSummary(), "almanach-import-metrics")


#: A build of the real project into a folder: (its output, its warnings).
Builder = Callable[[Path], tuple[Path, str]]


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build_into: Builder
) -> tuple[Path, str]:
    """``build_into(folder)`` (a build of the real project: its output, its
    warnings) run once in the session. Under pytest-xdist, the first worker that
    asks builds into a folder every worker sees; the others wait for it."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return build_into(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent  # this run's, shared by its workers
    record = root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not record.exists():
            folder = root / name
            shutil.rmtree(folder, ignore_errors=True)  # a worker's failed attempt
            folder.mkdir()
            output, warnings = build_into(folder)
            record.write_text(json.dumps([str(output), warnings]), encoding="utf-8")
        output, warnings = json.loads(record.read_text("utf-8"))
    return Path(output), warnings


def html_build(base: Path) -> tuple[Path, str]:
    srcdir = copy_project(base)
    app, warnings = build(srcdir, "html", base / "build", freshenv=True, numbering=True)
    return Path(app.outdir), warnings


@pytest.fixture(autouse=True)
def collector_as_found():
    """Each test ends with Python's garbage collector as the build found it: a test
    whose build stops before its builder starts (a refused configuration) leaves
    it paused until the next build (almanach.collector)."""
    yield
    collector.resume()
    collector.give_back()


def pdf_build(base: Path) -> tuple[Path, str]:
    srcdir = copy_project(base)
    builddir = base / "build"
    _app, warnings = build(srcdir, "latex", builddir, freshenv=True, numbering=True)
    compile_pdf(builddir)
    return builddir, warnings


@pytest.fixture(scope="session")
def project_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real project, copied and built to HTML once: (output folder, warnings)."""
    return built_once(tmp_path_factory, "project", html_build)


@pytest.fixture(scope="session")
def project_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real project built to a PDF, as ``make pdf`` does: (build folder, warnings)."""
    require_tool("latexmk")
    require_tool("lualatex")
    require_tool("pdfinfo")
    return built_once(tmp_path_factory, "project-pdf", pdf_build)


#: The published address and the headers the email edition's tests build with
#: (example addresses: the project's real ones come from its deployment).
EMAIL_SETTINGS = {
    "html_baseurl": "https://exemple.github.io/almanach/",
    "almanach_email_from": "Territoires Pilotes <lettre@exemple.fr>",
    "almanach_email_reply_to": "contact@exemple.fr",
    "almanach_email_list_unsubscribe": "https://exemple.fr/desinscription",
    "almanach_email_list": "lettre-territoires-pilotes@exemple.fr",
}


def email_build(base: Path) -> tuple[Path, str]:
    srcdir = copy_project(base)
    app, warnings = build(
        srcdir,
        "email",
        base / "build",
        freshenv=True,
        numbering=True,
        confoverrides=EMAIL_SETTINGS,
    )
    return Path(app.outdir), warnings


@pytest.fixture(scope="session")
def project_email(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real project's email edition, as ``make email`` builds it with the
    headers configured: (its folder, ``build/email``; the build's warnings)."""
    return built_once(tmp_path_factory, "project-email", email_build)


def site_build(project_pdf: tuple[Path, str]) -> Builder:
    """The HTML site built beside the real project's PDF (sharing its doctrees,
    as ``make`` does), with the PDF copied in."""

    def build_into(_folder: Path) -> tuple[Path, str]:
        builddir = project_pdf[0]
        app, warnings = build(builddir.parent / "docs", "html", builddir)
        html = Path(app.outdir)
        shutil.copy2(builddir / "pdf" / "territoires-pilotes.pdf", html)
        return html, warnings

    return build_into


@pytest.fixture(scope="session")
def site_html(tmp_path_factory: pytest.TempPathFactory, project_pdf) -> Path:
    """The real site with its PDF, built once in the session: its folder."""
    html, warnings = built_once(tmp_path_factory, "site", site_build(project_pdf))
    assert warnings == ""
    return html


@pytest.fixture(scope="session")
def site(site_html: Path):
    """The real site with its PDF, served on localhost: its base URL."""
    with served(site_html) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    from browsing import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page at 1280 px, light, in French (see ``browsing.open_page``)."""
    page = open_page(browser)
    yield page
    page.context.close()
