"""The schema check's reference is kept in the user's cache folder (issue 18: building it runs
every migration step in memory, some with sqlite-utils, on each start of the command line).

A cached reference must be the very one the steps build, and a catalog with code planted in it
must be refused whether the reference was built or read back."""

from __future__ import annotations

import json
import sqlite3

import pytest

from mediadesk.catalog import open_catalog, schema
from mediadesk.catalog.connection import SchemaRefused
from mediadesk.catalog.migrations import SCHEMA_VERSION, run_steps
from mediadesk.paths import cache_dir


@pytest.fixture
def fresh_reference():
    """No reference in this process's memory (functools.cache) before and after the test."""
    schema.expected_schema.cache_clear()
    yield
    schema.expected_schema.cache_clear()


def built_here() -> dict:
    conn = sqlite3.connect(":memory:")
    try:
        run_steps(conn, SCHEMA_VERSION)
        return schema._objects(conn)
    finally:
        conn.close()


def cached_files() -> list:
    return sorted(cache_dir().glob(f"schema-{SCHEMA_VERSION}-*.json"))


def test_the_reference_is_cached_as_built_and_read_back(fresh_reference):
    assert cached_files() == []
    first = schema.expected_schema(SCHEMA_VERSION)
    assert first == built_here()
    [path] = cached_files()
    schema.expected_schema.cache_clear()
    assert schema._read_cached(path.name) == first
    assert schema.expected_schema(SCHEMA_VERSION) == first


def test_a_damaged_cache_file_is_built_again(fresh_reference):
    schema.expected_schema(SCHEMA_VERSION)
    [path] = cached_files()
    for damage in (b"{not json", b"[]", json.dumps({"assets": ["table", "assets"]}).encode()):
        path.write_bytes(damage)
        schema.expected_schema.cache_clear()
        assert schema.expected_schema(SCHEMA_VERSION) == built_here()
        assert schema._read_cached(path.name) == built_here()   # and written again, whole


def test_planted_code_is_refused_with_a_cached_reference(fresh_reference, tmp_path):
    path = tmp_path / "c.mediadesk"
    open_catalog(path).close()                 # builds and caches the reference
    schema.expected_schema.cache_clear()       # the next open reads it from the cache folder
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER regrant AFTER UPDATE ON assets BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaRefused, match="regrant"):
        open_catalog(path)


def test_the_key_changes_with_the_steps_and_the_engine(monkeypatch):
    key = schema._cache_key(SCHEMA_VERSION)
    assert key and key.startswith(f"schema-{SCHEMA_VERSION}-")
    assert schema._cache_key(SCHEMA_VERSION - 1) != key
    monkeypatch.setattr(schema.sqlite3, "sqlite_version", "0.0.1")
    assert schema._cache_key(SCHEMA_VERSION) != key
