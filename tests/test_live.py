"""``make live``: sphinx-autobuild serves the site on localhost and rebuilds on save,
each build forked from a process that imported Sphinx and the extensions once
(almanach.live)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers import copy_project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_live_preview_rebuilds_on_save(tmp_path: Path):
    srcdir = copy_project(tmp_path)
    port = free_port()
    # The same command as the Makefile's `live` target.
    command = [
        sys.executable, "-m", "almanach.live", "-c", "docs", "-n", "-D", "almanach_preview=1",
        "--host", "127.0.0.1", "--port", str(port),
        "--watch", "issues", "--watch", "references.bib",
        "--ignore", "*/territoires/*.md",
        "docs", str(tmp_path / "build" / "live"),
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/lettres/2021-12.html"
    try:
        assert wait_for(lambda: fetch(url) is not None, 60), "the live server never answered"
        assert "Coopérer pour changer" in fetch(url)
        letter = srcdir.parent / "issues" / "2021-12.md"
        letter.write_text(
            letter.read_text("utf-8").replace("Bonjour à toutes", "Salut à toutes"),
            encoding="utf-8",
        )
        assert wait_for(lambda: "Salut à toutes" in (fetch(url) or ""), 60), "no rebuild"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_each_build_is_forked_and_says_its_exit_code(tmp_path: Path):
    """almanach.live builds in a child of the server's process: a build that
    fails gives its code and leaves the server's process as it was."""
    from almanach.live import build_in_fork, configuration_folder

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('project = "essai"\n', encoding="utf-8")
    (source / "index.rst").write_text("Essai\n=====\n", encoding="utf-8")
    pid = os.getpid()
    assert build_in_fork(["-q", "-b", "html", str(source), str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()
    assert os.getpid() == pid
    missing = tmp_path / "absent"
    assert build_in_fork(["-q", "-b", "html", str(missing), str(tmp_path / "out2")]) != 0
    assert configuration_folder(["-c", "docs", "-n", "src", "out"], Path("src")) == Path("docs")
    assert configuration_folder(["-n", "src", "out"], Path("src")) == Path("src")


def test_the_server_imports_what_a_build_imports(tmp_path: Path):
    """make live's server makes the build's application once, without building:
    a build from it finds the extensions' modules imported (here 152 left to
    import, the feeds' libraries most of them, against 509 without it and 1,198
    for a new Python), and the collector as the server found it."""
    copy_project(tmp_path)
    script = (
        "import gc, sys\n"
        "from pathlib import Path\n"
        "from almanach.live import warm_up\n"
        "arguments = ['-c', 'docs', '-n', '-q', '-D', 'almanach_preview=1', 'docs', 'build/live']\n"
        "warm_up(arguments, Path('docs'))\n"
        "print(gc.isenabled(), gc.get_freeze_count())\n"
        "before = set(sys.modules)\n"
        "from sphinx.cmd.build import build_main\n"
        "assert build_main(arguments) == 0\n"
        "print(len(set(sys.modules) - before))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    lines = result.stdout.strip().splitlines()
    state, imported = lines[0], lines[-1]
    assert state == "True 0"
    assert int(imported) < 250, imported
    assert not list(tmp_path.glob("almanach-live-*"))
