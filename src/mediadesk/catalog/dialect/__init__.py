"""The catalog's engine seam: what a store needs from the database that engines do differently.

Stores (``catalog/assets.py``, ``galleries.py``, ...) write engine-neutral SQL: ``?`` placeholders,
``INSERT ... RETURNING id``, ``ON CONFLICT ... DO UPDATE/NOTHING`` upserts (SQLite 3.24+ and
PostgreSQL share that syntax), one transaction per use case. What differs between engines sits
behind :class:`Dialect`, one module per engine:

- ``sqlite.py`` (the desk catalog): opening a file (WAL, ``synchronous=FULL``, ``trusted_schema``
  OFF, read-only and immutable opens), ``BEGIN IMMEDIATE`` with retry, ``PRAGMA data_version`` as
  the change token, the ``sqlite_master`` schema check and repair, sampled ``ANALYZE``, FTS5 and
  the compilation of free text into ``MATCH`` expressions (``sqlite_fts.py``), JSON and date
  fragments;
- ``postgres.py`` (the team catalog, next): a server DSN, ``BEGIN`` with serialization retries,
  LISTEN/NOTIFY on a change-log table as the change token, roles and GRANTs instead of a schema
  check, ``tsvector`` over an ``unaccent`` configuration with ``:*`` prefixes for free text,
  ``jsonb`` fragments, ``%s`` placeholders (:meth:`Dialect.prepare` rewrites ``?``).

A second engine adds its module and a branch in :func:`dialect_for`; the stores do not change.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any, Protocol

    from mediadesk.catalog.connection import Catalog
    from mediadesk.catalog.schema import RepairReport, SchemaProblem
    from mediadesk.catalog.search import SearchIndex
    from mediadesk.domain.query import Query

    Connection = Any     # a DB-API connection of the engine (sqlite3.Connection, psycopg.Connection)
    Row = Any            # a row that reads by name and by position (sqlite3.Row; psycopg's row factory)
    Params = Sequence[Any] | Mapping[str, Any]
else:
    # (TextSearch and Dialect describe the seam to the type checker; at run time they are plain
    # classes that nothing instantiates, and typing is not imported for them)
    Protocol = object


class TextSearch(Protocol):
    """The free-text index over assets (FTS5 here, tsvector on PostgreSQL)."""

    def compile(self, query: Query) -> str | None:
        """The engine's match expression for the query's free text and field terms, or None."""

    def condition(self, *, broad: bool) -> str:
        """A condition on ``a.id`` that takes the compiled expression as its one parameter;
        ``broad``: the text matches many assets, so the plan should not start from the hits."""

    def count_hits(self, conn: Connection, expression: str, limit: int | None = None) -> int:
        """How many assets match (at most ``limit`` + 1 is enough to tell "many")."""

    def nearly_everywhere(self, conn: Connection, expression: str, order_sql: str,
                          where: str = "1", params: Sequence[object] = ()) -> bool:
        """Does a broad expression find nearly every one of the first assets in this order
        that ``where`` (the query's other conditions) lets through (a word in every asset's
        credit line)? Then :meth:`everywhere_condition` serves it."""

    def everywhere_condition(self, expression: str) -> tuple[str, list[str]]:
        """A condition on ``a.id`` and its parameters, for an expression found nearly everywhere."""

    def index(self, conn: Connection, asset_ids: Iterable[int], *, new: bool = False) -> None:
        """(Re)index these assets from their rows, inside the transaction that wrote them."""

    def unindex(self, conn: Connection, asset_ids: Iterable[int]) -> None: ...

    def rebuild(self, conn: Connection) -> int:
        """Index every asset again (repair, bulk loads); returns the count."""


class Dialect(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def text(self) -> TextSearch:
        """The engine's free-text search over assets."""

    @property
    def Error(self) -> type[Exception]:
        """The driver's base error (DB-API ``Error``)."""

    @property
    def DatabaseError(self) -> type[Exception]:
        """The driver's ``DatabaseError`` (not a catalog, a damaged file, ...)."""

    # -- opening ---------------------------------------------------------------------------
    def read_only_reason(self, path: Path) -> str | None:
        """Why the catalog at ``path`` cannot be written (file, folder or disk), or None."""

    def connect(self, path: Path | None, *, readonly: bool, immutable_ok: bool) -> Connection:
        """A connection (``path`` None: a private in-memory catalog). ``readonly``: the engine
        refuses every write on it; ``immutable_ok``: nobody can be writing it either."""

    def schema_version(self, conn: Connection) -> int: ...

    def prepare(self, conn: Connection, *, readonly: bool, cache_mb: int) -> str:
        """Session settings (journal, durability, caches); returns the journal mode."""

    def refuse_writes(self, conn: Connection) -> None:
        """Make this connection refuse every write (the window's GUI-thread connection)."""

    def migrate(self, conn: Connection) -> int:
        """Bring the schema up to date; returns the version it had before."""

    def schema_problems(self, conn: Connection, version: int) -> list[SchemaProblem]:
        """What differs from the schema mediadesk makes for ``version`` (objects planted in a
        catalog file someone sent); [] where the server guards its own schema."""

    def repair_schema(self, conn: Connection, version: int) -> RepairReport: ...

    def object_kind(self, conn: Connection, name: str) -> str | None:
        """"table", "view", ... for a schema object of that name, None when there is none."""

    def table_columns(self, conn: Connection, table: str) -> dict[str, str]:
        """column -> declared type (upper case) of the table as the database holds it."""

    def refresh_statistics(self, conn: Connection) -> None:
        """Planner statistics after the catalog grew or shrank a lot (cheap, never fails)."""

    def may_update(self, conn: Connection, table: str, column: str) -> bool:
        """Whether the person connected may change ``column`` of ``table`` (a desk catalog: its
        one user may; a team catalog: ``has_column_privilege(current_user, ..., 'UPDATE')``).
        The window leaves out what the engine would refuse (the rights profile on import)."""

    # -- transactions and errors -------------------------------------------------------------
    def begin_write(self, conn: Connection) -> None:
        """Start a write transaction that holds the write lock from its first statement."""

    def commit(self, catalog: Catalog) -> None:
        """COMMIT the catalog's transaction (a team catalog also settles a commit whose answer a
        lost connection swallowed)."""

    def in_transaction(self, conn: Connection) -> bool: ...

    def is_busy(self, exc: BaseException) -> bool: ...

    def is_disconnect(self, exc: BaseException) -> bool:
        """The connection to a server went away (never for a file)."""

    def is_disk_full(self, exc: BaseException) -> bool: ...

    def is_read_only(self, exc: BaseException) -> bool: ...

    def change_token(self, conn: Connection) -> int:
        """A number that changes when another connection commits (the window's external-change
        watch): ``PRAGMA data_version`` here, the newest change-log id behind LISTEN/NOTIFY there."""

    # -- SQL ---------------------------------------------------------------------------------
    def sql(self, text: str) -> str:
        """The statement in the engine's placeholder style (stores write ``?``)."""

    def rows(self, cursor: Any) -> list[Row]:
        """The cursor's rows, readable by column name and by position."""

    def executemany(self, conn: Connection, sql: str, rows: Any) -> int:
        """Run ``sql`` (already in the engine's placeholder style) per row; rows changed."""
    def id_array(self, conn: Connection, select: str, params: Params) -> array[int]:
        """The ids a one-column ``select`` gives, in its order, as ``array('q')``, assembled by
        the engine: a million ids must not be a million Python objects made by the reading
        thread while it holds the GIL the window paints with (SQLite: hex text built inside
        SQLite; PostgreSQL: e.g. ``string_agg`` of ``lpad(to_hex(id), 16, '0')``, or a binary
        COPY)."""

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """INSERT of ``columns`` that updates the other columns of an existing ``key``."""

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        """INSERT of ``columns`` that leaves an existing row (any unique key) as it is."""

    def json_array_agg(self, expression: str) -> str:
        """An aggregate giving the JSON list text of ``expression`` over the group."""

    def json_set_text(self, column: str, keys: Sequence[str], value_sql: str) -> str:
        """``column`` (a JSON object as text) with each of ``keys`` set to ``value_sql``."""

    def json_remove(self, column: str, keys: Sequence[str]) -> str: ...

    def json_list_all_like(self, column: str, pattern: str) -> str:
        """True when every element of the JSON list in ``column`` matches the LIKE ``pattern``."""

    def after_now(self, expression: str) -> str:
        """``expression`` (ISO 8601 text with an offset) is later than now."""

    def before_now(self, expression: str) -> str: ...

    def days_ago(self, days: int) -> str:
        """ISO 8601 UTC text of ``days`` days ago (compared with stored timestamps)."""

    # -- engine-wide behaviour ---------------------------------------------------------------
    def search_index(self, catalog: Catalog) -> SearchIndex:
        """The catalog's ``index``: queries compiled for this engine."""

    def own_operations(self) -> str:
        """A condition on ``edit_operations`` for the operations undo and redo may take (every
        one on a desk catalog; this desk's own on a team catalog)."""

    def operation_author(self, alias: str) -> str:
        """SQL for the role that made the edit operation ``alias`` (NULL where unknown)."""

    def describe(self, location: str) -> str:
        """What messages call a catalog at ``location`` (a team catalog's URL without password)."""


TEAM_SCHEMES = ("postgresql://", "postgres://")


def is_team_url(location: object) -> bool:
    """Does this catalog location name a team catalog (a PostgreSQL URL) rather than a file?"""
    return isinstance(location, str) and location.lower().startswith(TEAM_SCHEMES)


def dialect_for(location: str | Path) -> Dialect:
    """The dialect of a catalog location: a file path or ``:memory:`` is SQLite, a
    ``postgresql://`` URL the PostgreSQL dialect (catalog/dialect/postgres.py)."""
    if is_team_url(location):
        from mediadesk.catalog.dialect.postgres import POSTGRES

        return POSTGRES
    from mediadesk.catalog.dialect.sqlite import SQLITE

    return SQLITE


__all__ = ["Connection", "Dialect", "Params", "Row", "TextSearch", "dialect_for", "is_team_url"]


# -- SQL both engines spell the same way (each dialect's methods return these) -----------------
def upsert_sql(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """INSERT ... ON CONFLICT (key) DO UPDATE the other columns (or DO NOTHING), ``?`` placeholders."""
    others = [c for c in columns if c not in key]
    action = ("DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in others)) if others else "DO NOTHING"
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            f" ON CONFLICT ({', '.join(key)}) {action}")


def insert_ignore_sql(table: str, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            " ON CONFLICT DO NOTHING")


def ids_from_hex(text: str | None) -> array[int]:
    """Ids the engine packed as 16 hex digits each (``Dialect.id_array``), decoded in C."""
    ids = array("q", bytes.fromhex(text) if text else b"")
    if sys.byteorder == "little":
        ids.byteswap()
    return ids
