"""almanach's index pages (territories, people, resources) are written again only
when what they show changed (almanach.html.index_pages) — their entries or their
frame — and are then exactly what a clean build writes."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from fixture_project import FixtureProject, UpdateSpec, make_project, with_updates
from helpers import build

INDEX_PAGES = ("almanach-territoires.html", "almanach-personnes.html", "almanach-ressources.html")
#: The letter the tests change.
EDITED = "2022-04"


def build_html(project: FixtureProject, builddir: Path | None = None, **overrides) -> None:
    _app, warnings = build(
        project.srcdir,
        "html",
        builddir or project.builddir,
        confoverrides={"templates_path": [], **overrides},
    )
    assert warnings == ""


def html(project: FixtureProject, builddir: Path | None = None) -> Path:
    return (builddir or project.builddir) / "html"


def stamps(project: FixtureProject) -> dict[str, int]:
    return {name: (html(project) / name).stat().st_mtime_ns for name in INDEX_PAGES}


def clean_copy(project: FixtureProject, tmp_path: Path) -> Path:
    """The same sources built from nothing in another folder: its build folder."""
    builddir = tmp_path / "clean-build"
    shutil.rmtree(builddir, ignore_errors=True)
    build_html(project, builddir)
    return builddir


def assert_as_clean(project: FixtureProject, tmp_path: Path) -> None:
    clean = clean_copy(project, tmp_path)
    for name in INDEX_PAGES:
        expected = (html(project, clean) / name).read_text("utf-8")
        assert (html(project) / name).read_text("utf-8") == expected, name


def test_a_build_with_nothing_to_do_leaves_the_index_pages(tmp_path):
    project = make_project(tmp_path)
    build_html(project)
    written = stamps(project)
    build_html(project)
    assert stamps(project) == written


def test_an_edit_the_indices_do_not_show_leaves_them(tmp_path):
    """Another sentence in an update: the indices show where, not what."""
    project = make_project(tmp_path)
    build_html(project)
    written = stamps(project)
    spec = project.spec(EDITED)
    first, *rest = spec.updates
    project.write(with_updates(spec, [dataclasses.replace(first, marker="edt04k0z"), *rest]))
    build_html(project)
    assert stamps(project) == written


def test_a_new_update_rewrites_the_indices_that_show_it(tmp_path):
    project = make_project(tmp_path)
    build_html(project)
    before = {name: (html(project) / name).read_text("utf-8") for name in INDEX_PAGES}
    spec = project.spec(EDITED)
    added = UpdateSpec("faverges", ("jeannie-tremblay", "gaelle-verjus"), "add04k2z")
    project.write(with_updates(spec, [*spec.updates, added]))
    build_html(project)
    after = {name: (html(project) / name).read_text("utf-8") for name in INDEX_PAGES}
    assert after["almanach-territoires.html"] != before["almanach-territoires.html"]
    assert after["almanach-personnes.html"] != before["almanach-personnes.html"]
    assert_as_clean(project, tmp_path)


def test_what_surrounds_the_entries_is_never_stale(tmp_path):
    """The site's title changes on every page, the index pages included, though
    their entries do not."""
    project = make_project(tmp_path)
    build_html(project)
    build_html(project, html_title="Territoires Pilotes, autrement")
    for name in INDEX_PAGES:
        assert "Territoires Pilotes, autrement" in (html(project) / name).read_text("utf-8")


def test_a_removed_or_altered_page_is_written_again(tmp_path):
    project = make_project(tmp_path)
    build_html(project)
    people = html(project) / "almanach-personnes.html"
    territories = html(project) / "almanach-territoires.html"
    expected = people.read_text("utf-8")
    people.unlink()
    territories.write_text("<p>autre chose</p>", encoding="utf-8")
    build_html(project)
    assert people.read_text("utf-8") == expected
    assert "autre chose" not in territories.read_text("utf-8")
    assert_as_clean(project, tmp_path)


def test_only_the_indices_asked_for_are_written(tmp_path):
    project = make_project(tmp_path)
    build_html(project, html_domain_indices=["almanach-personnes"])
    written = {path.name for path in html(project).glob("almanach-*.html")}
    assert written == {"almanach-personnes.html"}
    shutil.rmtree(project.builddir)
    build_html(project, html_domain_indices=False)
    assert not list(html(project).glob("almanach-*.html"))


def test_the_sitemap_lists_each_index_page_once(tmp_path, monkeypatch):
    monkeypatch.setenv("ALMANACH_BASEURL", "https://exemple.org/")  # read by conf.py
    project = make_project(tmp_path)
    for _ in range(2):  # written, then kept
        build_html(project)
        sitemap = (html(project) / "sitemap.xml").read_text("utf-8")
        for name in INDEX_PAGES:
            assert len(re.findall(re.escape(f"/{name}<"), sitemap)) == 1, name


def test_a_page_that_could_not_be_written_is_written_next_time(tmp_path, monkeypatch):
    """Sphinx only warns when it cannot write a file: the page is not taken as
    written, and the next build writes it."""
    project = make_project(tmp_path)
    build_html(project)
    write_text = Path.write_text

    def full_disk(self, *args, **kwargs):
        if self.name == "almanach-personnes.html":
            raise OSError("disque plein")
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    _app, warnings = build(
        project.srcdir,
        "html",
        project.builddir,
        confoverrides={"templates_path": [], "html_title": "Autre titre"},
    )
    assert "almanach-personnes.html" in warnings
    monkeypatch.setattr(Path, "write_text", write_text)
    build_html(project, html_title="Autre titre")
    assert "Autre titre" in (html(project) / "almanach-personnes.html").read_text("utf-8")
