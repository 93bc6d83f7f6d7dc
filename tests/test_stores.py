"""The caches kept between builds share one store: versioned, shape-checked,
written atomically."""

from __future__ import annotations

import json

from almanach.caches import JsonStore


def test_a_store_gives_back_what_it_saved_in_order(tmp_path):
    store = JsonStore(tmp_path / "cache.json", 3, "entries")
    assert store.load() == {}
    assert store.save({"b": 1, "a": [2, 3]})
    assert list(store.load().items()) == [("b", 1), ("a", [2, 3])]  # the latest used last


def test_a_sorted_store_writes_the_same_file_whatever_the_order(tmp_path):
    first = JsonStore(tmp_path / "one.json", 1, "letters", sort_keys=True)
    second = JsonStore(tmp_path / "two.json", 1, "letters", sort_keys=True)
    first.save({"b": 1, "a": 2})
    second.save({"a": 2, "b": 1})
    assert first.path.read_bytes() == second.path.read_bytes()


def test_another_version_or_shape_reads_as_empty(tmp_path):
    path = tmp_path / "cache.json"
    JsonStore(path, 1, "entries").save({"a": 1})
    assert JsonStore(path, 2, "entries").load() == {}  # the code that wrote it changed
    assert JsonStore(path, 1, "files").load() == {}
    path.write_text(json.dumps({"version": 1, "entries": ["not", "a", "mapping"]}))
    assert JsonStore(path, 1, "entries").load() == {}
    path.write_text("{truncated")
    assert JsonStore(path, 1, "entries").load() == {}


def test_a_store_that_cannot_be_written_is_only_a_cache(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert JsonStore(blocked / "cache.json", 1, "entries").save({"a": 1}) is False
    assert not list(tmp_path.glob("**/*.tmp"))
