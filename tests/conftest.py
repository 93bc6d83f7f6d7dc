from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from helpers import build, compile_pdf, copy_project, require_tool

pytest_plugins = ("sphinx.testing.fixtures",)

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
