from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from helpers import build, compile_pdf, copy_project, require_tool

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


#: The session fixtures that build the whole real project (once per worker).
SESSION_BUILDS = ("project_pdf", "project_html")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``), a module's tests run on one worker,
    so that its module fixtures are built once; the tests that use a build of the
    real project run on one worker too, so that each is built once in the session."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        build = next((name for name in SESSION_BUILDS if name in item.fixturenames), None)
        item.add_marker(pytest.mark.xdist_group(build or item.nodeid.partition("::")[0]))


@pytest.fixture(scope="session")
def project_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real project, copied and built to HTML once: (output folder, warnings)."""
    base = tmp_path_factory.mktemp("project")
    srcdir = copy_project(base)
    app, warnings = build(srcdir, "html", base / "build", freshenv=True, numbering=True)
    return Path(app.outdir), warnings


@pytest.fixture(scope="session")
def project_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real project built to a PDF, as ``make pdf`` does: (build folder, warnings)."""
    require_tool("latexmk")
    require_tool("lualatex")
    require_tool("pdfinfo")
    base = tmp_path_factory.mktemp("project-pdf")
    srcdir = copy_project(base)
    builddir = base / "build"
    _app, warnings = build(srcdir, "latex", builddir, freshenv=True, numbering=True)
    compile_pdf(builddir)
    return builddir, warnings
