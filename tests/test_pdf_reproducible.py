"""Two builds of the project in two folders, as ``make pdf`` then ``make html`` run
them, give the same PDF and the same site, byte for byte."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import (
    FIXTURES,
    copy_project,
    require_tool,
)

PDF_NAME = "territoires-pilotes.pdf"
STRESS = FIXTURES / "stress-letter.md"


def digest_tree(folder: Path) -> dict[str, str]:
    """sha256 of every published file (Sphinx's pickled doctrees aside)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }


def build_like_make(base: Path) -> Path:
    """A copy of the project built as ``make pdf`` then ``make html`` do."""
    copy_project(base)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    sphinx = [sys.executable, "-m", "sphinx", "-c", "docs", "-W", "--keep-going", "-n", "-q"]
    for command in (
        [*sphinx, "-b", "latex", "docs", "build/latex"],
        [sys.executable, "-m", "almanach.pdf.build", "build"],
        [*sphinx, "-b", "html", "docs", "build/html"],
    ):
        result = subprocess.run(command, cwd=base, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    return base / "build"


@pytest.mark.pdf
def test_two_builds_in_two_folders_are_identical(tmp_path):
    require_tool("latexmk")
    first = build_like_make(tmp_path / "un")
    second = build_like_make(tmp_path / "deux" / "ailleurs")
    pdf = f"pdf/{PDF_NAME}"
    assert (first / pdf).read_bytes() == (second / pdf).read_bytes()
    html_first, html_second = digest_tree(first / "html"), digest_tree(second / "html")
    assert "index.html" in html_first
    assert html_first == html_second
