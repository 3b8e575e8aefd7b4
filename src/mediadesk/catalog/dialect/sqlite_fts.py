"""Free-text search on SQLite: the FTS5 index of assets (``assets_fts``) and the compilation of a
query's free text into an FTS5 ``MATCH`` expression.

Until schema 3 triggers in the catalog file kept the index. Every catalog is now opened with
``trusted_schema`` OFF (a catalog from elsewhere must not run code), and under it SQLite refuses
FTS5 inside triggers; a catalog file without any trigger also makes a planted one easy to spot
(catalog/schema.py). So each store method that inserts, changes or deletes asset rows calls
:meth:`FTS5Search.index` or :meth:`FTS5Search.unindex` inside its transaction.

The tokenizer is ``unicode61 remove_diacritics 2``: case and diacritics are ignored, so ``vucic``
finds "Vučić". Free text matches word starts (``"word"*``); a quoted phrase matches as a phrase;
``field:text`` matches in that column only.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable

from mediadesk.domain.query import Query

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
_WORD = re.compile(r"\w+", re.UNICODE)


def touches_index(columns: Iterable[str]) -> bool:
    return not SOURCE_COLUMNS.isdisjoint(columns)


def fts_terms(text: str) -> list[str]:
    """FTS5 prefix terms for free text: every word must match the start of a word."""
    return [f'"{w}"*' for w in _WORD.findall(unicodedata.normalize("NFC", text))]


class FTS5Search:
    """The :class:`mediadesk.catalog.dialect.TextSearch` of SQLite."""

    def compile(self, query: Query) -> str | None:
        parts: list[str] = []
        for item in query.text:
            item = unicodedata.normalize("NFC", item)   # NFD "Łódź" would split at its accents
            words = _WORD.findall(item)
            if not words:
                continue
            if " " in item.strip() and len(words) > 1:
                parts.append('"' + " ".join(words) + '"')
            else:
                parts.extend(f'"{w}"*' for w in words)
        for column, text in query.fields:
            words = _WORD.findall(unicodedata.normalize("NFC", text))
            if words:
                inner = " ".join(f'"{w}"*' for w in words)
                parts.append(f"{column} : ({inner})")
        return " AND ".join(parts) if parts else None

    def condition(self, *, broad: bool) -> str:
        # "+": a broad text walks the order's (or a filter's) index and probes the hit list
        return ("+" if broad else "") + "a.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?)"

    def count_hits(self, conn: sqlite3.Connection, expression: str, limit: int | None = None) -> int:
        if limit is None:
            row = conn.execute("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH ?", (expression,))
        else:
            row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM assets_fts WHERE assets_fts MATCH ?"
                               " LIMIT ?)", (expression, limit + 1))
        return int(row.fetchone()[0])

    def index(self, conn: sqlite3.Connection, asset_ids: Iterable[int], *, new: bool = False) -> None:
        """(Re)index these assets from their rows (call inside the transaction that wrote them).
        ``new``: rows just inserted, not in the index yet."""
        ids = list(dict.fromkeys(int(i) for i in asset_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            if not new:
                conn.execute(f"DELETE FROM assets_fts WHERE rowid IN ({marks})", chunk)
            conn.execute(f"INSERT INTO assets_fts ({_COLUMNS}) {_SELECT} WHERE id IN ({marks})", chunk)

    def unindex(self, conn: sqlite3.Connection, asset_ids: Iterable[int]) -> None:
        ids = list(dict.fromkeys(int(i) for i in asset_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            conn.execute(f"DELETE FROM assets_fts WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)

    def rebuild(self, conn: sqlite3.Connection) -> int:
        """Empty the index and fill it from every asset row (repair, bulk loads); returns the count."""
        conn.execute("DELETE FROM assets_fts")
        conn.execute(f"INSERT INTO assets_fts ({_COLUMNS}) {_SELECT}")
        return int(conn.execute("SELECT count(*) FROM assets_fts").fetchone()[0])


FTS5 = FTS5Search()


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Index every asset row again (``catalog repair``, bulk loads in benchmarks)."""
    return FTS5.rebuild(conn)
