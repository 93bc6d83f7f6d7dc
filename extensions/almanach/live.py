"""``make live``: sphinx-autobuild, each rebuild forked from a warm process.

sphinx-autobuild starts a new ``python -m sphinx`` for every save: each rebuild
pays for starting Python and importing Sphinx, the theme and every extension
again — half a second of the 0.93 s a saved letter took to show at 12 letters
(``make bench``, phase ``live_edit``). This command is sphinx-autobuild (its
server, its watcher, its options, its page reloading) whose builder forks the
build from its own process, which imported all of that once, at start. Each
build still runs in its own process, as before: a build's state never leaks
into the next one, and a crash stays in the child.

``python -m almanach.live [sphinx-autobuild's arguments]`` (the Makefile's
``live`` target).
"""

from __future__ import annotations

import importlib
import os
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path

from sphinx_autobuild import __main__ as autobuild
from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_message


class ForkingBuilder(Builder):
    """sphinx-autobuild's builder, the build forked instead of started anew."""

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        if changed_paths:
            shown = [path.as_posix() for path in changed_paths[:5] if path.exists()]
            if shown:
                show_message(f"Detected changes ({', '.join(shown)})")
            show_message("Rebuilding...")
        if self._run_commands(self.pre_build_commands, "pre-build") != 0:
            return
        code = build_in_fork(self.sphinx_args)
        if code != 0:
            sys.stdout.write(f"Sphinx exited with exit code: {code}\n")
        else:
            self._run_commands(self.post_build_commands, "post-build")
        show_message(f"Serving on {self.uri}")


def build_in_fork(arguments: Sequence[str]) -> int:
    """``sphinx-build arguments`` in a child of this process; its exit code."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: build, then leave without running the parent's exit code
        code = 1
        try:
            from sphinx.cmd.build import build_main

            code = build_main(list(arguments))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # reported, then the child ends
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def warm_up(arguments: Sequence[str], source: Path) -> None:
    """Import what every build imports: Sphinx's builders and the project's
    extensions and theme, as its ``conf.py`` names them (the project's own file,
    run as the build runs it), then what their ``setup`` functions import, by
    making the build's application once without building (into a temporary
    folder). What fails is left to the build, which says why."""
    importlib.import_module("sphinx.cmd.build")
    importlib.import_module("sphinx.builders.html")
    confdir = configuration_folder(arguments, source)
    if not (confdir / "conf.py").is_file():
        return
    try:
        namespace = runpy.run_path(str(confdir / "conf.py"))
    except Exception:  # the build reports a broken conf.py
        return
    modules = [*namespace.get("extensions", []), namespace.get("html_theme", "")]
    for module in filter(None, modules):
        try:
            importlib.import_module(module)
        except Exception:  # idem: the build says it
            continue
    prepare_application(arguments)


def prepare_application(arguments: Sequence[str]) -> None:
    """Make the build's application (its extensions set up, its builder started)
    without building, then let it go: a forked build finds the modules the
    extensions import in their ``setup`` (some 400) already imported. Measured
    (``live_edit``, 3 runs): a saved letter showed in 0.51 s instead of 0.86 s at
    12 letters, 1.25 s instead of 1.46 s at 120."""
    import io
    import tempfile

    from sphinx.application import Sphinx

    from . import _compat, collector

    try:
        parsed, overrides = _compat.sphinx_build_arguments(list(arguments))
    except SystemExit:  # arguments sphinx-build refuses: the build says why
        return
    with tempfile.TemporaryDirectory(prefix="almanach-live-") as folder:
        try:
            Sphinx(
                parsed.sourcedir,
                parsed.confdir or parsed.sourcedir,
                str(Path(folder, "out")),
                str(Path(folder, "doctrees")),
                parsed.builder,
                confoverrides=overrides,
                status=io.StringIO(),
                warning=io.StringIO(),
                freshenv=True,
            )
        except Exception:  # the build says why
            pass
    collector.settle()


def configuration_folder(arguments: Sequence[str], source: Path) -> Path:
    """The folder of ``conf.py``: sphinx-build's ``-c``, else the source folder."""
    arguments = list(arguments)
    if "-c" in arguments[:-1]:
        return Path(arguments[arguments.index("-c") + 1])
    return source


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parsed, build_arguments = autobuild._parse_args(argv)
    warm_up(build_arguments, Path(parsed.sourcedir))
    autobuild.Builder = ForkingBuilder  # the one builder sphinx-autobuild's main makes
    autobuild.main(argv)


if __name__ == "__main__":
    main()
