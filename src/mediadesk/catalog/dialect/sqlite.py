"""The SQLite dialect: a catalog is one file on this desk (see catalog/dialect/__init__.py).

What only SQLite does lives here: opening the file (WAL, ``synchronous=FULL``, ``trusted_schema``
OFF before the schema is first read, ``mode=ro`` and ``immutable=1`` for read-only files),
``BEGIN IMMEDIATE``, ``PRAGMA data_version``, sampled ``ANALYZE``, the ``sqlite_master`` schema
check (catalog/schema.py) and migrations keyed on ``PRAGMA user_version`` (catalog/migrations.py),
FTS5 (sqlite_fts.py), SQLite's JSON and date functions.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import urllib.parse
from array import array
from collections.abc import Sequence
from pathlib import Path

from mediadesk.catalog import migrations, schema as schema_check
from mediadesk.catalog.dialect import ids_from_hex, insert_ignore_sql, upsert_sql
from mediadesk.catalog.dialect.sqlite_fts import FTS5
from mediadesk.domain.errors import CatalogError

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any

    from mediadesk.catalog.dialect import Params

BUSY_TIMEOUT_MS = 15_000
ANALYZE_FROM_ROWS = 1000      # below this the planner does well without statistics
ANALYZE_DRIFT = 0.2           # refresh the statistics when the catalog grew by 20%
STATISTICS_KEY = "statistics.assets"   # settings: the highest asset id when ANALYZE last ran


class SQLiteDialect:
    name = "sqlite"
    text = FTS5
    Error = sqlite3.Error
    DatabaseError = sqlite3.DatabaseError

    # -- opening ---------------------------------------------------------------------------
    def read_only_reason(self, path: Path) -> str | None:
        """Why this catalog file cannot be written, or None. A file without any write bit is
        read-only by intent (an archive copy), even for a user who could override it."""
        try:
            st = path.stat()
        except OSError:
            return None
        folder = path.parent
        try:
            if os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
                return "it is on a read-only file system"
        except (OSError, AttributeError):
            pass
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
            return "the catalog file is read-only"
        if not os.access(folder, os.W_OK):
            return "its folder is read-only"
        return None

    def connect(self, path: Path | None, *, readonly: bool, immutable_ok: bool) -> sqlite3.Connection:
        """The connection, with trusted_schema OFF before the schema is first read.

        ``readonly``: opened with ``mode=ro`` (SQLite refuses every write on it). ``immutable_ok``:
        the file is read-only by its mode or disk, so nobody can be writing it: it is read as
        immutable, which creates no -wal/-shm files beside it (they would keep the file's
        read-only mode and stand in the way once it is made writable again)."""
        if path is None:
            conn = _connect(":memory:", uri=False)
            if readonly:
                self.refuse_writes(conn)
            return conn
        if not readonly:
            return _connect(str(path), uri=False)
        base = "file:" + urllib.parse.quote(str(path.absolute())) + "?mode=ro"
        wal = Path(str(path) + "-wal")
        wal_has_data = wal.exists() and wal.stat().st_size > 0
        if immutable_ok and not wal_has_data:
            return _connect(base + "&immutable=1", uri=True)
        try:
            return _connect(base, uri=True)
        except sqlite3.OperationalError as exc:
            if "unable to open" not in str(exc):
                raise
        # WAL needs its -shm file, which a read-only disk cannot hold. Immutable reading ignores
        # the -wal: refuse rather than show data without what the journal holds.
        if wal_has_data:
            raise CatalogError(
                f"the catalog {path} is on a read-only disk with unsaved journal data "
                f"({wal.name}); copy the catalog together with {wal.name} somewhere writable")
        return _connect(base + "&immutable=1", uri=True)

    def schema_version(self, conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def prepare(self, conn: sqlite3.Connection, *, readonly: bool, cache_mb: int) -> str:
        if readonly:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            self.refuse_writes(conn)   # beside mode=ro: not even a temporary table
        else:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            # FULL in WAL mode: every commit that returned is on disk, even after a power cut.
            # Imports commit in batches, so the fsync per commit costs little.
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1000}")
        return str(mode)

    def refuse_writes(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA query_only = ON")

    def migrate(self, conn: sqlite3.Connection) -> int:
        return migrations.migrate(conn)

    def schema_problems(self, conn: sqlite3.Connection, version: int) -> list[schema_check.SchemaProblem]:
        return schema_check.check(conn, version)

    def repair_schema(self, conn: sqlite3.Connection, version: int) -> schema_check.RepairReport:
        return schema_check.repair(conn, version)

    def object_kind(self, conn: sqlite3.Connection, name: str) -> str | None:
        row = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def table_columns(self, conn: sqlite3.Connection, table: str) -> dict[str, str]:
        rows = conn.execute("SELECT name, type FROM pragma_table_info(?)", (table,))
        return {r[0]: str(r[1] or "").upper() for r in rows}

    def refresh_statistics(self, conn: sqlite3.Connection) -> None:
        """ANALYZE (sampled, a few ms) when the catalog grew a lot since the last one.

        Without statistics the planner picks poor indexes for unselective filters
        (rights:editorial took 54 ms on 100,000 assets instead of 0.9 ms). Growth is measured by
        the highest asset id, kept in ``settings`` at each ANALYZE: sqlite_stat1's counts are
        estimates of a sample (700,000 to 1,170,000 for a million assets) and a partial index
        counts only its rows, so comparing with them ran ANALYZE at every open (250 ms on a
        million assets); counting the assets costs every open 5 ms on a million (220 ms from a
        cold disk), the highest id a quarter of a millisecond. (A catalog that shrank keeps its
        statistics: they overstate the rows, which leaves the plans as they were.)"""
        try:
            top = conn.execute("SELECT max(id) FROM assets").fetchone()[0] or 0
            if top < ANALYZE_FROM_ROWS:
                return
            found = conn.execute("SELECT value FROM settings WHERE key = ?", (STATISTICS_KEY,)).fetchone()
            known = int(found[0]) if found and str(found[0]).isdigit() else None
            if known is None or top > (1 + ANALYZE_DRIFT) * known:
                conn.execute("PRAGMA analysis_limit = 1000")
                conn.execute("ANALYZE")
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (STATISTICS_KEY, str(top)))
        except sqlite3.OperationalError:
            pass  # busy or read-only: statistics are an optimisation, never a reason to fail

    def may_update(self, conn: sqlite3.Connection, table: str, column: str) -> bool:
        """A desk catalog has one user, who may change every column (a read-only file is said
        when a write is tried, with what to do)."""
        return True

    # -- transactions and errors -----------------------------------------------------------
    def begin_write(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def commit(self, catalog: Any) -> None:
        catalog.conn.execute("COMMIT")

    def in_transaction(self, conn: sqlite3.Connection) -> bool:
        return bool(conn.in_transaction)

    def is_busy(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))

    def is_disconnect(self, exc: BaseException) -> bool:
        return False   # a file does not go away between two statements

    def is_disk_full(self, exc: BaseException) -> bool:
        """SQLITE_FULL ("database or disk is full"), or ENOSPC/EDQUOT from a file write."""
        if isinstance(exc, sqlite3.Error):
            return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(exc).lower()
        return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))

    def is_read_only(self, exc: BaseException) -> bool:
        text = str(exc).lower()
        return "readonly" in text or "read-only" in text

    def change_token(self, conn: sqlite3.Connection) -> int:
        """``PRAGMA data_version``: changes when another connection commits."""
        return int(conn.execute("PRAGMA data_version").fetchone()[0])

    # -- SQL -------------------------------------------------------------------------------
    def sql(self, text: str) -> str:
        return text   # qmark is SQLite's own style

    def rows(self, cursor: sqlite3.Cursor) -> list[sqlite3.Row]:
        cursor.row_factory = sqlite3.Row
        return cursor.fetchall()

    def executemany(self, conn: sqlite3.Connection, sql: str, rows: Any) -> int:
        return int(conn.executemany(sql, rows).rowcount)

    def id_array(self, conn: sqlite3.Connection, select: str, params: Params) -> array[int]:
        """16 hex digits per id, concatenated by SQLite in the order of ``select`` (its ORDER BY
        is kept: a subquery with a LIMIT keeps it), decoded in C. The sqlite3 module releases the
        GIL while SQLite works, so the window paints on; a Python list of the same million ids
        takes as long and holds the GIL all the time."""
        row = conn.execute(f"SELECT group_concat(printf('%016x', id), '') FROM ({select} LIMIT -1)",
                           params).fetchone()
        return ids_from_hex(row[0] if row else None)

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        return upsert_sql(table, columns, key)

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        return insert_ignore_sql(table, columns)

    def json_array_agg(self, expression: str) -> str:
        return f"json_group_array({expression})"

    def json_set_text(self, column: str, keys: Sequence[str], value_sql: str) -> str:
        paths = ", ".join(f"'$.{k}', {value_sql}" for k in keys)
        return f"json_set(coalesce({column}, '{{}}'), {paths})"

    def json_remove(self, column: str, keys: Sequence[str]) -> str:
        paths = ", ".join(f"'$.{k}'" for k in keys)
        return f"json_remove(coalesce({column}, '{{}}'), {paths})"

    def json_list_all_like(self, column: str, pattern: str) -> str:
        return f"NOT EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.value NOT LIKE {_text(pattern)})"

    def after_now(self, expression: str) -> str:
        return f"julianday({expression}) > julianday('now')"

    def before_now(self, expression: str) -> str:
        return f"julianday({expression}) < julianday('now')"

    def days_ago(self, days: int) -> str:
        return f"strftime('%Y-%m-%dT%H:%M:%S', 'now', '-{int(days)} days')"

    # -- engine-wide behaviour ---------------------------------------------------------------
    def search_index(self, catalog: Any) -> Any:
        from mediadesk.catalog.search import SearchIndex

        return SearchIndex(catalog)

    def own_operations(self) -> str:
        return "1 = 1"   # one desk: every operation is its own

    def operation_author(self, alias: str) -> str:
        return "NULL"    # a desk catalog does not know who

    def describe(self, location: str) -> str:
        return location


def _connect(target: str, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False, uri=uri)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


SQLITE = SQLiteDialect()
