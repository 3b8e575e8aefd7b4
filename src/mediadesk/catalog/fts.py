"""The full-text index of assets (``assets_fts``), kept in step by the stores that write assets.

Until schema 3 triggers in the catalog file did this. Every catalog is now opened with
``trusted_schema`` OFF (a catalog from elsewhere must not run code), and under it SQLite refuses
FTS5 inside triggers; a catalog file without any trigger also makes a planted one easy to spot
(catalog/schema.py). So each store method that inserts, changes or deletes asset rows calls
:func:`index_assets` or :func:`unindex_assets` inside its transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# The asset columns the index reads (place is made of five of them).
SOURCE_COLUMNS = frozenset({
    "title", "caption", "headline", "keywords", "people", "organisations", "sublocation", "city",
    "state", "country", "country_code", "event", "creator", "credit", "file_name",
})
_CHUNK = 500
_COLUMNS = ("rowid, title, caption, headline, keywords, people, organisations, place, event, "
            "creator, credit, file_name")
_SELECT = (
    "SELECT id, title, caption, headline, keywords, people, organisations,"
    " trim(coalesce(sublocation, '') || ' ' || coalesce(city, '') || ' ' || coalesce(state, '')"
    " || ' ' || coalesce(country, '') || ' ' || coalesce(country_code, '')),"
    " event, creator, credit, file_name FROM assets"
)


def touches_index(columns: Iterable[str]) -> bool:
    return not SOURCE_COLUMNS.isdisjoint(columns)


def index_assets(conn: sqlite3.Connection, asset_ids: Iterable[int], *, new: bool = False) -> None:
    """(Re)index these assets from their rows (call inside the transaction that wrote them).
    ``new``: rows just inserted, not in the index yet."""
    ids = list(dict.fromkeys(int(i) for i in asset_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        if not new:
            conn.execute(f"DELETE FROM assets_fts WHERE rowid IN ({marks})", chunk)
        conn.execute(f"INSERT INTO assets_fts ({_COLUMNS}) {_SELECT} WHERE id IN ({marks})", chunk)


def unindex_assets(conn: sqlite3.Connection, asset_ids: Iterable[int]) -> None:
    ids = list(dict.fromkeys(int(i) for i in asset_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        conn.execute(f"DELETE FROM assets_fts WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Empty the index and fill it from every asset row (repair, bulk loads); returns the count."""
    conn.execute("DELETE FROM assets_fts")
    conn.execute(f"INSERT INTO assets_fts ({_COLUMNS}) {_SELECT}")
    return conn.execute("SELECT count(*) FROM assets_fts").fetchone()[0]
