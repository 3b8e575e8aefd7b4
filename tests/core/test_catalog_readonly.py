"""``Catalog(readonly=True)`` is read-only in the engine, not only in mediadesk's manners (issue 11).

SQLite opens the file with ``mode=ro`` and the connection is ``query_only``: a write through the
connection itself fails, a transaction is refused with a clear message, nothing is migrated, and
the file's bytes stay as they were.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import CatalogError
from mediadesk.domain.query import parse_query

from tests.support.factories import insert
from tests.support.paths import CATALOG_FIXTURES

FIXTURES = CATALOG_FIXTURES


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_catalog_refuses_every_write(catalog_path):
    with open_catalog(catalog_path) as catalog:
        insert(catalog, caption="Rutte in Brussels")
    before = _digest(catalog_path)
    with Catalog(catalog_path, readonly=True) as catalog:
        assert catalog.readonly and catalog.readonly_reason == "opened read-only"
        assert catalog.assets.count() == 1
        assert catalog.index.ids(parse_query("rutte")) == [1]
        with pytest.raises(CatalogError, match="read-only"), catalog.transaction():
            pass
        for statement in ("DELETE FROM assets", "CREATE TEMP TABLE t (x)", "PRAGMA user_version = 9"):
            with pytest.raises(sqlite3.OperationalError):
                catalog.conn.execute(statement)
    assert _digest(catalog_path) == before


def test_a_read_only_open_never_migrates(tmp_path):
    old = tmp_path / "old.mediadesk"
    shutil.copy(FIXTURES / "schema-1.mediadesk", old)
    before = _digest(old)
    with pytest.raises(CatalogError, match="needs an upgrade"):
        Catalog(old, readonly=True)
    assert _digest(old) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.mediadesk"]   # no -wal, no -shm
