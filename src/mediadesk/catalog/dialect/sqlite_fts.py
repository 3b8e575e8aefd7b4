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
from collections.abc import Iterable, Sequence

from mediadesk.domain.query import Query

# The asset columns the index reads (place is made of five of them).
SOURCE_COLUMNS = frozenset({
    "title", "caption", "headline", "keywords", "people", "organisations", "sublocation", "city",
    "state", "country", "country_code", "event", "creator", "credit", "file_name",
})
_CHUNK = 500
_COLUMNS = ("rowid, title, caption, headline, keywords, people, organisations, place, event, "
            "creator, credit, file_name, body, timed, chapters")
# The words (issue 16): a document's text from asset_words, every cue of a video's tracks and its
# chapter names, one per line (the order does not matter to the index; search_matches reads them
# track by track).
_SELECT = (
    "SELECT a.id, a.title, a.caption, a.headline, a.keywords, a.people, a.organisations,"
    " trim(coalesce(a.sublocation, '') || ' ' || coalesce(a.city, '') || ' ' || coalesce(a.state, '')"
    " || ' ' || coalesce(a.country, '') || ' ' || coalesce(a.country_code, '')),"
    " a.event, a.creator, a.credit, a.file_name,"
    " (SELECT w.body FROM asset_words w WHERE w.asset_id = a.id),"
    " (SELECT group_concat(c.text, char(10)) FROM text_tracks t JOIN cues c ON c.track_id = t.id"
    "  WHERE t.asset_id = a.id),"
    " (SELECT group_concat(ch.title, char(10)) FROM chapters ch WHERE ch.asset_id = a.id)"
    " FROM assets a"
)
# what an index of schema 4 and older holds (``catalog repair`` rebuilds a catalog before upgrading it)
_OLD_COLUMNS = _COLUMNS.rsplit(", file_name", 1)[0] + ", file_name"
_OLD_SELECT = _SELECT.split(", a.file_name,", 1)[0] + ", a.file_name FROM assets a"


def _statements(conn: sqlite3.Connection) -> tuple[str, str]:
    """(columns, select) for the catalog's index: with the words (schema 5), or without."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(assets_fts)")}
    return (_COLUMNS, _SELECT) if "body" in columns else (_OLD_COLUMNS, _OLD_SELECT)
_WORD = re.compile(r"\w+", re.UNICODE)
_PREFIX_STAR = re.compile(r'"\*')   # the end of a prefix term: "word"*


def touches_index(columns: Iterable[str]) -> bool:
    return not SOURCE_COLUMNS.isdisjoint(columns)


def _word(word: str) -> str:
    """A free-text word as an FTS5 term: the start of a word, except a single letter or digit,
    which is a word of its own ("Q&A" is q and a; ``"a"*`` would match every word starting with
    a, which finds nothing useful and costs a scan of the index)."""
    return f'"{word}"' if len(word) == 1 else f'"{word}"*'


def fts_terms(text: str) -> list[str]:
    """FTS5 prefix terms for free text: every word must match the start of a word."""
    return [_word(w) for w in _WORD.findall(unicodedata.normalize("NFC", text))]


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
                parts.extend(_word(w) for w in words)
        for column, text in query.fields:
            words = _WORD.findall(unicodedata.normalize("NFC", text))
            if words:
                inner = " ".join(_word(w) for w in words)
                parts.append(f"{column} : ({inner})")
        return " AND ".join(parts) if parts else None

    def condition(self, *, broad: bool) -> str:
        # "+": a broad text walks the order's (or a filter's) index and probes the hit list
        return ("+" if broad else "") + "a.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?)"

    def count_hits(self, conn: sqlite3.Connection, expression: str, limit: int | None = None) -> int:
        if limit is None:
            row = conn.execute("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH ?", (expression,))
            return int(row.fetchone()[0])
        # "many or few?": FTS5 merges a prefix term's doclists before the first hit (for a word in
        # every document of a large archive, tens of ms), an exact term is read lazily. The same
        # words as whole words match a subset, so when they alone pass the limit, so does the
        # expression, without merging anything.
        exact = _PREFIX_STAR.sub('"', expression)
        if exact != expression:
            found = self._first(conn, exact, limit)
            if found > limit:
                return found
        return self._first(conn, expression, limit)

    # -- a text in (nearly) every asset -------------------------------------------------------
    # A broad text walks the order's index and probes a hit list built once, ~120 ns a hit: for a
    # word in every asset of 100,000 (the credit line "NATO") that list costs 15 ms before the
    # first row. Its whole words can be probed row by row instead (an exact term is read lazily,
    # ~35 µs a row; a prefix term is merged first, far slower). Worth it only where nearly every
    # row of the order is a hit, so the order's first rows are asked first.
    EVERYWHERE_SAMPLES = ((16, 15), (64, 58))   # (first rows of the order, hits needed)

    def nearly_everywhere(self, conn: sqlite3.Connection, expression: str, order_sql: str,
                          where: str = "1", params: Sequence[object] = ()) -> bool:
        """Do the expression's whole words find nearly all of the first rows in this order (of
        those the query's other conditions, ``where``, let through)?"""
        exact = _PREFIX_STAR.sub('"', expression)
        # first a glance at the index (tens of µs): when its first 64 hits are spread over more
        # than twice as many rows, the words are in fewer than half of the assets
        hits, low, high = conn.execute(
            "SELECT count(*), min(rowid), max(rowid) FROM (SELECT rowid FROM assets_fts"
            " WHERE assets_fts MATCH ? LIMIT 64)", (exact,)).fetchone()
        if hits < 64 or (high - low + 1) > 2 * hits:
            return False
        for rows, needed in self.EVERYWHERE_SAMPLES:
            found = conn.execute(
                f"SELECT count(*) FROM (SELECT a.id FROM assets a WHERE {where} ORDER BY {order_sql} LIMIT ?) s"
                " WHERE EXISTS (SELECT 1 FROM assets_fts f WHERE f.rowid = s.id AND assets_fts MATCH ?)",
                (*params, rows, exact)).fetchone()[0]
            if found < needed:
                return False
        return True

    def everywhere_condition(self, expression: str) -> tuple[str, list[str]]:
        """The condition for a text :meth:`nearly_everywhere` said yes to: a row is probed with
        the whole words; only a row they do not find builds (once) the hit list of the prefixes.
        The same rows match as with :meth:`condition` (whole words are a subset)."""
        return ("(EXISTS (SELECT 1 FROM assets_fts f WHERE f.rowid = a.id AND assets_fts MATCH ?)"
                " OR +a.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?))",
                [_PREFIX_STAR.sub('"', expression), expression])

    @staticmethod
    def _first(conn: sqlite3.Connection, expression: str, limit: int) -> int:
        row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM assets_fts WHERE assets_fts MATCH ? LIMIT ?)",
                           (expression, limit + 1))
        return int(row.fetchone()[0])

    def index(self, conn: sqlite3.Connection, asset_ids: Iterable[int], *, new: bool = False) -> None:
        """(Re)index these assets from their rows (call inside the transaction that wrote them).
        ``new``: rows just inserted, not in the index yet."""
        ids = list(dict.fromkeys(int(i) for i in asset_ids))
        columns, select = _statements(conn) if ids else (_COLUMNS, _SELECT)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            if not new:
                conn.execute(f"DELETE FROM assets_fts WHERE rowid IN ({marks})", chunk)
            conn.execute(f"INSERT INTO assets_fts ({columns}) {select} WHERE a.id IN ({marks})", chunk)

    def unindex(self, conn: sqlite3.Connection, asset_ids: Iterable[int]) -> None:
        ids = list(dict.fromkeys(int(i) for i in asset_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            conn.execute(f"DELETE FROM assets_fts WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)

    def rebuild(self, conn: sqlite3.Connection) -> int:
        """Empty the index and fill it from every asset row (repair, bulk loads); returns the count."""
        conn.execute("DELETE FROM assets_fts")
        columns, select = _statements(conn)
        conn.execute(f"INSERT INTO assets_fts ({columns}) {select}")
        return int(conn.execute("SELECT count(*) FROM assets_fts").fetchone()[0])


FTS5 = FTS5Search()


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Index every asset row again (``catalog repair``, bulk loads in benchmarks)."""
    return FTS5.rebuild(conn)
