"""The planner's statistics are refreshed when the catalog grew, not at every open
(issue 18: ANALYZE ran at every open of a large catalog, 250 ms on a million assets, in front of
the window's first screen and in every `mediadesk search` process)."""

from __future__ import annotations

import sqlite3

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.dialect.sqlite import STATISTICS_KEY

from tests.support.factories import record


def add_assets(path, count: int, **fields) -> None:
    with open_catalog(path) as catalog, catalog.transaction():
        store = AssetStore(catalog)
        for _ in range(count):
            store.insert(record(**fields))


def statistics_rows(path) -> int:
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return 0
        return conn.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'assets'").fetchone()[0]
    finally:
        conn.close()


def forget_statistics(path) -> None:
    """Empty sqlite_stat1 (as SQLite allows), keeping the count mediadesk recorded."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("DELETE FROM sqlite_stat1")
        conn.commit()
    finally:
        conn.close()


def test_analyze_runs_once_per_growth_not_at_every_open(tmp_path):
    path = tmp_path / "c.mediadesk"
    # about a third uncaptioned: the partial index counts only those (its sqlite_stat1 row said
    # 400 of 1,200, which read as a catalog that had grown threefold since the last ANALYZE)
    add_assets(path, 800, caption="A caption")
    add_assets(path, 400)
    open_catalog(path).close()                       # the first open after growing analyses
    assert statistics_rows(path) > 0
    with open_catalog(path) as catalog:
        assert catalog.scalar("SELECT value FROM settings WHERE key = ?", (STATISTICS_KEY,)) == "1200"

    forget_statistics(path)
    open_catalog(path).close()                       # unchanged: no ANALYZE
    open_catalog(path).close()
    assert statistics_rows(path) == 0

    add_assets(path, 200, caption="More")            # +17%: within the drift, still none
    open_catalog(path).close()
    assert statistics_rows(path) == 0
    add_assets(path, 200, caption="More")            # 1,600 against 1,200: +33%
    open_catalog(path).close()
    assert statistics_rows(path) > 0                 # analysed at that open, and recorded
    with open_catalog(path) as catalog:
        assert catalog.scalar("SELECT value FROM settings WHERE key = ?", (STATISTICS_KEY,)) == "1600"


def test_a_read_only_open_never_analyses(tmp_path):
    path = tmp_path / "c.mediadesk"
    add_assets(path, 1100, caption="A caption")     # opened empty: never analysed yet
    Catalog(path, readonly=True).close()
    assert statistics_rows(path) == 0
    open_catalog(path).close()
    assert statistics_rows(path) > 0
