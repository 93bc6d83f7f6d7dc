"""The caches kept between builds share one store (almanach.caches): keyed by
their declared inputs, versioned, shape-checked, written atomically. For each
cache: changing any of its inputs (a package's version, a module's source)
invalidates it, and a damaged or old file is ignored, never fatal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jinja2
import pytest

from almanach import caches
from almanach.caches import BASE_PACKAGES, Inputs, JsonStore
from almanach.html import feeds, index_pages, navigation, theme
from almanach.warnings_ import warned_store

# -- the store --------------------------------------------------------------------------------


def test_a_store_gives_back_what_it_saved_in_order(tmp_path):
    store = JsonStore(tmp_path / "cache.json", 3, "entries", Inputs())
    assert store.load() == {}
    assert store.save({"b": 1, "a": [2, 3]})
    assert list(store.load().items()) == [("b", 1), ("a", [2, 3])]  # the latest used last


def test_a_sorted_store_writes_the_same_file_whatever_the_order(tmp_path):
    first = JsonStore(tmp_path / "one.json", 1, "letters", Inputs(), sort_keys=True)
    second = JsonStore(tmp_path / "two.json", 1, "letters", Inputs(), sort_keys=True)
    first.save({"b": 1, "a": 2})
    second.save({"a": 2, "b": 1})
    assert first.path.read_bytes() == second.path.read_bytes()


def test_another_version_key_or_shape_reads_as_empty(tmp_path):
    path = tmp_path / "cache.json"
    JsonStore(path, 1, "entries", Inputs()).save({"a": 1})
    assert JsonStore(path, 2, "entries", Inputs()).load() == {}  # its shape changed
    assert JsonStore(path, 1, "entries", Inputs(extra=("other",))).load() == {}
    assert JsonStore(path, 1, "files", Inputs()).load() == {}
    key = Inputs().key()
    path.write_text(json.dumps({"version": 1, "key": key, "entries": ["not", "a", "mapping"]}))
    assert JsonStore(path, 1, "entries", Inputs()).load() == {}
    path.write_text("{truncated")
    assert JsonStore(path, 1, "entries", Inputs()).load() == {}


def test_entries_that_do_not_fit_are_dropped(tmp_path):
    store = JsonStore(tmp_path / "c.json", 1, "entries", Inputs(), entry=lambda v: v == 1)
    store.save({"a": 1, "b": "x"})
    assert store.load() == {"a": 1}


def test_a_store_that_cannot_be_written_is_only_a_cache(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert JsonStore(blocked / "cache.json", 1, "entries", Inputs()).save({"a": 1}) is False
    assert not list(tmp_path.glob("**/*.tmp"))


def test_the_key_digests_versions_and_sources(monkeypatch):
    inputs = Inputs(packages=("jinja2",), modules=("almanach.caches",))
    key = inputs.key()
    assert Inputs(packages=("jinja2",), modules=("almanach.caches",)).key() == key
    monkeypatch.setattr(caches, "package_version", lambda name: "0" if name == "jinja2" else "1")
    assert inputs.key() != key


# -- each cache -------------------------------------------------------------------------------


@dataclass
class Cache:
    name: str
    store: Any  # (folder) -> JsonStore
    inputs: Inputs
    sample: dict[str, Any]

    def __str__(self) -> str:
        return self.name


CACHES = [
    Cache(
        "navigation",
        navigation.navigation_store,
        navigation.NAVIGATION_INPUTS,
        {"k1": "<ul>…</ul>", "k2": "<nav/>"},
    ),
    Cache(
        "feeds",
        feeds.feeds_store,
        feeds.FEEDS_INPUTS,
        {feeds.ATOM: ["d" * 64, [1, 2]], feeds.CALENDAR: ["e" * 64, None]},
    ),
    Cache(
        "index pages",
        index_pages.index_pages_store,
        index_pages.INPUTS,
        {"almanach-personnes": ["f" * 64, [3, 4]], "almanach-ressources": ["a" * 64, None]},
    ),
]
PACKAGES = [(c, p) for c in CACHES for p in (*BASE_PACKAGES, *c.inputs.packages)]
MODULES = [(c, m) for c in CACHES for m in c.inputs.modules]


@pytest.mark.parametrize("cache", CACHES, ids=str)
def test_a_cache_gives_back_what_it_saved(tmp_path, cache):
    store = cache.store(tmp_path)
    assert store.inputs == cache.inputs
    assert store.load() == {}
    assert store.save(cache.sample)
    assert cache.store(tmp_path).load() == cache.sample


@pytest.mark.parametrize("cache", CACHES, ids=str)
def test_the_declared_inputs_exist(cache):
    for package in cache.inputs.packages:
        assert caches.package_version(package), package
    for module in cache.inputs.modules:
        assert caches.module_source(module), module


@pytest.mark.parametrize(("cache", "package"), PACKAGES, ids=lambda v: str(v))
def test_another_version_of_a_package_invalidates(tmp_path, monkeypatch, cache, package):
    cache.store(tmp_path).save(cache.sample)
    installed = caches.package_version
    monkeypatch.setattr(
        caches, "package_version", lambda name: "9.9" if name == package else installed(name)
    )
    assert cache.store(tmp_path).load() == {}


@pytest.mark.parametrize(("cache", "module"), MODULES, ids=lambda v: str(v))
def test_a_changed_source_invalidates(tmp_path, monkeypatch, cache, module):
    cache.store(tmp_path).save(cache.sample)
    source = caches.module_source
    monkeypatch.setattr(
        caches,
        "module_source",
        lambda name: source(name) + b"\n# edited" if name == module else source(name),
    )
    assert cache.store(tmp_path).load() == {}


@pytest.mark.parametrize("cache", CACHES, ids=str)
@pytest.mark.parametrize("content", ["", "{", "[]", "null", '{"version": "x"}'])
def test_a_damaged_file_is_ignored(tmp_path, cache, content):
    store = cache.store(tmp_path)
    store.path.write_text(content, encoding="utf-8")
    assert store.load() == {}
    assert store.save(cache.sample)  # and replaced
    assert store.load() == cache.sample


@pytest.mark.parametrize("cache", CACHES, ids=str)
def test_an_old_version_is_ignored(tmp_path, cache):
    store = cache.store(tmp_path)
    store.save(cache.sample)
    data = json.loads(store.path.read_text("utf-8"))
    data["version"] -= 1
    store.path.write_text(json.dumps(data), encoding="utf-8")
    assert store.load() == {}
    del data["key"]  # as written before the stores were keyed
    data["version"] += 1
    store.path.write_text(json.dumps(data), encoding="utf-8")
    assert store.load() == {}


@pytest.mark.parametrize("cache", CACHES, ids=str)
def test_entries_of_another_shape_are_dropped(tmp_path, cache):
    store = cache.store(tmp_path)
    store.save({**cache.sample, "bad": 7})
    assert store.load() == cache.sample


# -- the documents with problems: a record, not a cache of code ----------------------------


def test_the_warned_documents_survive_an_upgrade(tmp_path, monkeypatch):
    warned_store(tmp_path).save({"lettres/2021-12": True})
    monkeypatch.setattr(caches, "package_version", lambda name: "9.9")
    monkeypatch.setattr(caches, "module_source", lambda name: b"edited")
    assert warned_store(tmp_path).load() == {"lettres/2021-12": True}


@pytest.mark.parametrize("content", ["", "{", "[]", '{"version": 0, "documents": {"a": true}}'])
def test_a_damaged_warned_file_is_ignored(tmp_path, content):
    store = warned_store(tmp_path)
    store.path.write_text(content, encoding="utf-8")
    assert store.load() == {}


# -- the compiled templates -------------------------------------------------------------------


def template_folder(environment: jinja2.Environment) -> str:
    return theme.template_inputs(environment).key()[:16]


TEMPLATE_PACKAGES = theme.template_inputs(jinja2.Environment()).packages


@pytest.mark.parametrize("package", [*BASE_PACKAGES, *TEMPLATE_PACKAGES])
def test_the_templates_folder_changes_with_a_version(monkeypatch, package):
    environment = jinja2.Environment()
    folder = template_folder(environment)
    installed = caches.package_version
    monkeypatch.setattr(
        caches, "package_version", lambda name: "9.9" if name == package else installed(name)
    )
    assert template_folder(environment) != folder


def test_the_templates_folder_changes_with_the_options():
    assert template_folder(jinja2.Environment()) != template_folder(
        jinja2.Environment(trim_blocks=True)
    )
    assert template_folder(jinja2.Environment()) == template_folder(jinja2.Environment())


def test_a_damaged_compiled_template_is_compiled_again(tmp_path):
    (tmp_path / "page.html").write_text("Bonjour {{ name }}", encoding="utf-8")

    def render() -> str:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(tmp_path)),
            bytecode_cache=theme.TemplateCache(str(tmp_path / "cache")),
        )
        return environment.get_template("page.html").render(name="Ana")

    (tmp_path / "cache").mkdir()
    assert render() == "Bonjour Ana"
    (compiled,) = (tmp_path / "cache").iterdir()
    compiled.write_bytes(compiled.read_bytes()[:20])
    assert render() == "Bonjour Ana"
    compiled.write_bytes(b"garbage")
    assert render() == "Bonjour Ana"
