"""The PostgreSQL dialect: a team catalog on a server every desk connects to (issue 12).

What only PostgreSQL does lives here and in catalog/postgres/: connecting by URL (libpq finds the
password), the session (``search_path`` on our schema, UTC, no JIT, this desk's id), the write
lock (``pg_advisory_xact_lock``: one writer at a time, as SQLite's ``BEGIN IMMEDIATE``, so the
change log is in commit order and batch edits read what they change inside their transaction),
a commit whose outcome a lost connection hid (asked again by its transaction id), the change log
as the change token, ``tsvector`` search (catalog/postgres/search.py), JSON through ``jsonb``.
Stores write ``?`` placeholders; :meth:`PostgresDialect.sql` turns them into psycopg's ``%s``.
"""

from __future__ import annotations

import functools
import re
import uuid
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediadesk.catalog.dialect import ids_from_hex, insert_ignore_sql, upsert_sql
from mediadesk.catalog.postgres import migrations
from mediadesk.catalog.postgres.connect import connect as pg_connect, first_line, redact
from mediadesk.domain.errors import CatalogError, CatalogUnreachable
from mediadesk.domain.query import Query

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

try:   # psycopg is a dependency, but a desk that never opens a team catalog never needs it
    import psycopg
    from psycopg import errors as pg_errors
    _Error: type[Exception] = psycopg.Error
    _DatabaseError: type[Exception] = psycopg.DatabaseError
except ImportError:   # pragma: no cover - reported when a team catalog is opened
    psycopg = None    # type: ignore[assignment]
    pg_errors = None  # type: ignore[assignment]
    _Error = _DatabaseError = RuntimeError

# SQLite's declared types, as catalog/ledger.py compares them, for PostgreSQL's
_AFFINITY = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER", "text": "TEXT",
             "double precision": "REAL", "real": "REAL", "bytea": "BLOB", "boolean": "INTEGER"}
_QMARK = re.compile(r"'(?:[^']|'')*'|\?|%")


class Row(tuple):
    """A row that reads by position and by column name, as ``sqlite3.Row`` does."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> type[Row]:
    names = [c.name for c in cursor.description or ()]
    row_class = type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})
    return row_class


class PostgresTextSearch:
    """The :class:`~mediadesk.catalog.dialect.TextSearch` of a team catalog. The index is a
    generated column kept by the server: nothing to index or unindex. Queries are compiled as a
    whole by :mod:`mediadesk.catalog.postgres.search` (the catalog's ``index``)."""

    def compile(self, query: Query) -> str | None:
        from mediadesk.catalog.postgres.search import compile_text

        return compile_text(query)

    def condition(self, *, broad: bool) -> str:
        return "a.search @@ mediadesk.terms_query(?)"

    def nearly_everywhere(self, conn: Any, expression: str, order_sql: str,
                          where: str = "1", params: Sequence[object] = ()) -> bool:
        return False   # (the server plans a broad text itself: catalog/postgres/search.py)

    def everywhere_condition(self, expression: str) -> tuple[str, list[str]]:
        return self.condition(broad=True), [expression]

    def count_hits(self, conn: Any, expression: str, limit: int | None = None) -> int:
        sql = "SELECT count(*) FROM mediadesk.assets a WHERE a.search @@ mediadesk.terms_query(%s)"
        if limit is not None:
            sql = (f"SELECT count(*) FROM (SELECT 1 FROM mediadesk.assets a WHERE a.search @@"
                   f" mediadesk.terms_query(%s) LIMIT {int(limit) + 1}) AS hits")
        return int(conn.execute(sql, (expression,)).fetchone()[0])

    def index(self, conn: Any, asset_ids: Iterable[int], *, new: bool = False) -> None:
        """The asset's own fields are indexed by the row's trigger; its words (a document's
        text, timed text, chapters: other tables) are read again here, after the words' store
        wrote them. A row whose words did not change is not touched (no trigger, no change-log row)."""
        ids = list(dict.fromkeys(int(i) for i in asset_ids))
        if ids:
            conn.execute(_WORDS_UPDATE + " AND a.id = ANY(%s)", (ids,))

    def unindex(self, conn: Any, asset_ids: Iterable[int]) -> None:
        return None   # a deleted row takes its search document with it

    def rebuild(self, conn: Any) -> int:
        conn.execute(_WORDS_UPDATE)
        return int(conn.execute("SELECT count(*) FROM mediadesk.assets").fetchone()[0])


_WORDS_UPDATE = ("UPDATE mediadesk.assets a SET words_search = mediadesk.asset_words_document(a.id)"
                 " WHERE a.words_search IS DISTINCT FROM mediadesk.asset_words_document(a.id)")


class PostgresDialect:
    name = "postgresql"
    text = PostgresTextSearch()
    Error = _Error
    DatabaseError = _DatabaseError

    # -- opening ---------------------------------------------------------------------------
    def read_only_reason(self, path: Path) -> str | None:
        return None    # the server decides; a read-only role is told when it writes

    def connect_url(self, url: str, *, readonly: bool, desk: str | None, password: str | None = None) -> Any:
        if psycopg is None:
            raise CatalogError("opening a team catalog needs psycopg 3 (pip install 'psycopg[binary]')")
        conn = pg_connect(url, password=password)
        try:
            if desk:
                conn.execute("SELECT set_config('mediadesk.desk', %s, false)", (desk,))
            if readonly:
                self.refuse_writes(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def connect(self, path: Path | None, *, readonly: bool, immutable_ok: bool) -> Any:
        raise CatalogError("a team catalog is opened by its URL (Catalog('postgresql://...'))")

    def schema_version(self, conn: Any) -> int:
        return int(migrations.current_version(conn))

    def prepare(self, conn: Any, *, readonly: bool, cache_mb: int) -> str:
        return "server"

    def refuse_writes(self, conn: Any) -> None:
        conn.execute("SET default_transaction_read_only = on")

    def migrate(self, conn: Any) -> int:
        from mediadesk import __version__

        return int(migrations.migrate(conn, __version__))

    def schema_problems(self, conn: Any, version: int) -> list[Any]:
        return []   # the server guards its schema: only its owner can change it

    def repair_schema(self, conn: Any, version: int) -> Any:
        from mediadesk.catalog.schema import RepairReport

        report = RepairReport([], [])
        report.unrepairable.append("a team catalog's schema is guarded by its server; ask its owner "
                                     "(the database administrator) to restore it from a backup")
        return report

    def object_kind(self, conn: Any, name: str) -> str | None:
        row = conn.execute(
            "SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'"
            " WHEN 'm' THEN 'view' WHEN 'i' THEN 'index' ELSE c.relkind::text END"
            " FROM pg_class c WHERE c.relname = %s AND c.relnamespace = 'mediadesk'::regnamespace",
            (name,)).fetchone()
        return None if row is None else str(row[0])

    def table_columns(self, conn: Any, table: str) -> dict[str, str]:
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'mediadesk' AND table_name = %s AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position", (table,)).fetchall()
        return {name: _AFFINITY.get(kind, kind.upper()) for name, kind in rows}

    def may_update(self, conn: Any, table: str, column: str) -> bool:
        """The server decides: may the role connected change this column (GRANTs, issue 13)?"""
        row = conn.execute("SELECT has_column_privilege(current_user, %s, %s, 'UPDATE')",
                           (f"mediadesk.{table}", column)).fetchone()
        return bool(row and row[0])

    def refresh_statistics(self, conn: Any) -> None:
        return None   # the server's autovacuum keeps them

    # -- transactions and errors -----------------------------------------------------------
    def begin_write(self, conn: Any) -> None:
        """BEGIN, name the transaction (the change log records it: a commit cut off by a lost
        connection can be looked up), and take the catalog's write lock."""
        tx = uuid.uuid4().hex
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT set_config('mediadesk.tx', %s, true)", (tx,))
            conn.execute("SET LOCAL lock_timeout = '5s'")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (migrations.WRITE_LOCK_KEY,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.mediadesk_tx = tx

    def commit(self, catalog: Catalog) -> None:
        """COMMIT; when the connection breaks during it, reconnect and ask the change log whether
        the transaction happened (committed: fine; not: CatalogError, nothing of it was saved)."""
        conn = catalog.conn
        tx = getattr(conn, "mediadesk_tx", None)
        try:
            conn.execute("COMMIT")
            return
        except _Error as exc:
            if not self.is_disconnect(exc):
                raise
            lost = exc
        try:
            catalog.reconnect()
            committed = catalog.scalar("SELECT 1 FROM change_log WHERE tx = ?", (tx,)) if tx else None
        except CatalogError:
            committed = None
            raise CatalogUnreachable(
                f"the connection to the team catalog was lost while saving ({first_line(lost)}) and it "
                "cannot be reached to tell whether the change was saved; check it when the catalog is "
                "back") from None
        if not committed:
            raise CatalogUnreachable(f"the connection to the team catalog was lost while saving "
                               f"({first_line(lost)}); the change was NOT saved. Try again") from None

    def in_transaction(self, conn: Any) -> bool:
        if conn is None or conn.closed:
            return False
        return bool(conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)

    def is_busy(self, exc: BaseException) -> bool:
        return pg_errors is not None and isinstance(
            exc, (pg_errors.LockNotAvailable, pg_errors.SerializationFailure, pg_errors.DeadlockDetected))

    def is_disk_full(self, exc: BaseException) -> bool:
        return pg_errors is not None and isinstance(exc, pg_errors.DiskFull)

    def is_read_only(self, exc: BaseException) -> bool:
        return pg_errors is not None and isinstance(exc, pg_errors.ReadOnlySqlTransaction)

    def is_disconnect(self, exc: BaseException) -> bool:
        """The connection is gone (server restarted, network cut, the backend terminated)."""
        if psycopg is None or not isinstance(exc, psycopg.OperationalError):
            return False
        return not isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.QueryCanceled))

    def change_token(self, conn: Any) -> int:
        """The newest change-log id: another desk's commit moves it."""
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM mediadesk.change_log").fetchone()[0])

    # -- SQL -------------------------------------------------------------------------------
    def sql(self, text: str) -> str:
        return _to_pyformat(text)

    def rows(self, cursor: Any) -> list[Row]:
        if cursor.description is None:
            return []
        cursor.row_factory = lambda cur: _row_factory(cur)
        return list(cursor.fetchall())

    def executemany(self, conn: Any, sql: str, rows: Any) -> int:
        with conn.cursor() as cur:
            cur.executemany(sql, list(rows))
            return max(0, int(cur.rowcount))

    def id_array(self, conn: Any, select: str, params: Any) -> array[int]:
        """16 hex digits per id, joined by the server in the order of ``select``; decoded in C."""
        row = conn.execute(
            "SELECT string_agg(lpad(to_hex(id), 16, '0'), '' ORDER BY n) FROM"
            f" (SELECT id, row_number() OVER () AS n FROM ({_to_pyformat(select)}) AS s) AS o",
            params).fetchone()
        return ids_from_hex(row[0] if row else None)

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        return upsert_sql(table, columns, key)

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        return insert_ignore_sql(table, columns)

    def json_array_agg(self, expression: str) -> str:
        return f"json_group_array({expression})"   # mediadesk.json_group_array, made by the schema

    def json_set_text(self, column: str, keys: Sequence[str], value_sql: str) -> str:
        pairs = ", ".join(f"{_text(k)}, {value_sql}" for k in keys)
        return f"(coalesce({column}, '{{}}')::jsonb || jsonb_build_object({pairs}))::text"

    def json_remove(self, column: str, keys: Sequence[str]) -> str:
        names = ", ".join(_text(k) for k in keys)
        return f"(coalesce({column}, '{{}}')::jsonb - ARRAY[{names}]::text[])::text"

    def json_list_all_like(self, column: str, pattern: str) -> str:
        return (f"NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text({column}::jsonb) AS j(v)"
                f" WHERE j.v NOT LIKE {_text(pattern)})")

    def after_now(self, expression: str) -> str:
        return f"({expression})::timestamptz > now()"

    def before_now(self, expression: str) -> str:
        return f"({expression})::timestamptz < now()"

    def days_ago(self, days: int) -> str:
        return (f"to_char((now() AT TIME ZONE 'UTC') - interval '{int(days)} days',"
                """ 'YYYY-MM-DD"T"HH24:MI:SS')""")

    # -- what only a team catalog has -------------------------------------------------------
    def search_index(self, catalog: Catalog) -> Any:
        from mediadesk.catalog.postgres.search import PostgresSearchIndex

        return PostgresSearchIndex(catalog)

    def own_operations(self) -> str:
        """The edit operations this desk made (undo and redo take only those)."""
        return "desk IS NOT DISTINCT FROM current_setting('mediadesk.desk', true)"

    def operation_author(self, alias: str) -> str:
        """The database role that made an edit operation (``edit_operations.who``)."""
        return f"{alias}.who"

    def describe(self, location: str) -> str:
        return redact(location)


@functools.lru_cache(maxsize=4096)
def _to_pyformat(text: str) -> str:
    """``?`` placeholders as ``%s``, and every literal ``%`` doubled (psycopg reads them)."""
    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%")    # a quoted literal: keep its '?', double its '%'
    return _QMARK.sub(swap, text)


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


POSTGRES = PostgresDialect()
