"""Copying a whole catalog between the engines: a SQLite file and a team catalog (PostgreSQL).

Everything a catalog holds moves, table by table, ids kept: assets, galleries and their members,
import batches, the edit history and undo, the export ledger with its chain, rights profiles,
caption templates, code replacements, saved searches, the people directory and the settings
(the catalog's id travels too, so bundle receipts stay verifiable against the copy). Both sides
must have the same schema version.

The copy is one transaction on the destination: interrupted, it leaves the destination as it was
and can simply be run again. The destination must hold no work yet (a fresh team catalog, or a
new SQLite file); its seed rows are replaced by the source's. Afterwards the counts of every table
are compared and the destination's export ledger is verified, entry by entry, against the hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.fts import rebuild_index
from mediadesk.catalog.ledger import GENESIS, HEAD_KEY
from mediadesk.domain.errors import CatalogError

# parents before children (foreign keys); the key orders the rows the same way on both sides
TABLES: tuple[tuple[str, str], ...] = (
    ("settings", "key"),
    ("rights_profiles", "id"),
    ("import_batches", "id"),
    ("assets", "id"),
    ("galleries", "id"),
    ("gallery_assets", "gallery_id, asset_id"),
    ("edit_operations", "id"),
    ("edit_history", "id"),
    ("caption_templates", "name, field"),
    ("code_replacements", "code"),
    ("people_directory", "name"),
    ("saved_searches", "id"),
    ("export_ledger", "id"),
)
# tables whose rows mean work was done: a destination holding any is not overwritten
WORK_TABLES = ("assets", "galleries", "import_batches", "edit_operations", "export_ledger",
               "caption_templates", "code_replacements", "people_directory", "saved_searches")
IDENTITY_TABLES = ("rights_profiles", "import_batches", "assets", "galleries", "edit_operations",
                   "edit_history", "saved_searches")
_BATCH = 2000

Progress = Callable[[str, int], None]   # (table, rows copied so far in it)


@dataclass
class CopyReport:
    source: str
    destination: str
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    ledger_entries: int = 0
    ledger_head: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"source": self.source, "destination": self.destination,
                "schema_version": self.schema_version, "counts": self.counts,
                "ledger": {"entries": self.ledger_entries, "head": self.ledger_head},
                "verified": self.ok, "problems": self.problems}


# -- reading and writing each engine ------------------------------------------------------------
def _sqlite_columns(catalog: Catalog, table: str) -> list[str]:
    return [r[1] for r in catalog.conn.execute(f"PRAGMA table_info({table})")]


def _pg_columns(conn, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'mediadesk'"
        " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position", (table,)).fetchall()
    return [r[0] for r in rows]


def _columns(source_cols: list[str], dest_cols: list[str], table: str) -> list[str]:
    if set(source_cols) != set(dest_cols):
        only_src = sorted(set(source_cols) - set(dest_cols))
        only_dst = sorted(set(dest_cols) - set(source_cols))
        raise CatalogError(
            f"the two catalogs' {table} tables differ (only in the source: {', '.join(only_src) or '-'}; "
            f"only in the destination: {', '.join(only_dst) or '-'}); both must have the same schema")
    return dest_cols


def _sqlite_rows(catalog: Catalog, table: str, columns: list[str], key: str) -> Iterator[tuple]:
    cur = catalog.conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}")
    while True:
        rows = cur.fetchmany(_BATCH)
        if not rows:
            return
        yield from rows


def _pg_rows(conn, table: str, columns: list[str], key: str) -> Iterator[tuple]:
    with conn.cursor(name=f"copy_{table}") as cur:   # server-side: a big table is not held in memory
        cur.itersize = _BATCH
        cur.execute(f"SELECT {', '.join(columns)} FROM mediadesk.{table} ORDER BY {key}")
        yield from cur


def _count_sqlite(catalog: Catalog, table: str) -> int:
    return catalog.scalar(f"SELECT count(*) FROM {table}")


def _count_pg(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM mediadesk.{table}").fetchone()[0]


def _busy_tables(counts: dict[str, int]) -> list[str]:
    return [t for t in WORK_TABLES if counts.get(t)]


# -- the ledger chain (the same rules as catalog/ledger.py's verify) --------------------------
def _canonical(row: dict) -> bytes:
    body = {k: row[k] for k in ("id", "at", "who", "purpose", "recipient", "bundle", "assets", "blocked",
                                "manifest_sha256", "prev_hash")}
    for optional in ("event", "detail"):
        if row.get(optional) is not None:
            body[optional] = row[optional]
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def chain_problems(rows: Iterable[dict], head: str | None) -> tuple[list[str], int, str | None]:
    """(problems, entries, "id:hash" of the newest) of ledger rows in id order."""
    problems: list[str] = []
    prev, expected, last = GENESIS, 1, None
    n = 0
    for row in rows:
        n += 1
        if row["id"] != expected:
            problems.append(f"ledger entry {expected} is missing before entry {row['id']}")
        if row["prev_hash"] != prev:
            problems.append(f"ledger entry {row['id']} does not follow the entry before it")
        if hashlib.sha256(_canonical(row)).hexdigest() != row["entry_hash"]:
            problems.append(f"ledger entry {row['id']}: its hash does not match its contents")
        prev, expected = row["entry_hash"], row["id"] + 1
        last = f"{row['id']}:{row['entry_hash']}"
    if (head or None) != last:
        problems.append(f"the ledger head record ({head or 'none'}) does not name the newest entry ({last or 'none'})")
    return problems, n, last


_LEDGER_COLUMNS = ("id", "at", "who", "purpose", "recipient", "bundle", "assets", "blocked",
                   "manifest_sha256", "prev_hash", "entry_hash", "event", "detail")


# -- SQLite -> PostgreSQL -------------------------------------------------------------------------
def sqlite_to_postgres(source: Catalog, conn, *, destination_name: str = "team catalog",
                       progress: Progress | None = None) -> CopyReport:
    """Copy the SQLite catalog ``source`` into the team catalog on ``conn`` (autocommit psycopg
    connection, schema already made); verify; return the report (``report.ok``)."""
    from mediadesk.catalog.postgres.migrations import current_version

    version = source.schema_version()
    dest_version = current_version(conn)
    if version != dest_version:
        raise CatalogError(f"the source catalog has schema {version} and the team catalog {dest_version}; "
                           "upgrade the older one first (mediadesk catalog upgrade)")
    report = CopyReport(str(source.path), destination_name, version)
    with conn.transaction():
        # no other desk writes while the copy runs; readers wait for the commit
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('mediadesk.catalog_copy'))")
        busy = _busy_tables({t: _count_pg(conn, t) for t in WORK_TABLES})
        if busy:
            raise CatalogError(f"the team catalog already holds work ({', '.join(busy)}); copy into an "
                               "empty one (a catalog copy never merges two catalogs)")
        for table, _key in reversed(TABLES):
            conn.execute(f"DELETE FROM mediadesk.{table}")
        for table, key in TABLES:
            columns = _columns(_sqlite_columns(source, table), _pg_columns(conn, table), table)
            done = 0
            with conn.cursor() as cur, cur.copy(
                    f"COPY mediadesk.{table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in _sqlite_rows(source, table, columns, key):
                    copy.write_row(row)
                    done += 1
                    if progress and done % _BATCH == 0:
                        progress(table, done)
            if progress:
                progress(table, done)
        for table in IDENTITY_TABLES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('mediadesk.{table}', 'id'),"
                         f" coalesce((SELECT max(id) FROM mediadesk.{table}), 0) + 1, false)")
        for table, _key in TABLES:
            theirs, ours = _count_sqlite(source, table), _count_pg(conn, table)
            report.counts[table] = ours
            if theirs != ours:
                report.problems.append(f"{table}: {theirs} rows in the source, {ours} copied")
        rows = (dict(zip(_LEDGER_COLUMNS, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(_LEDGER_COLUMNS)} FROM mediadesk.export_ledger ORDER BY id"))
        head = conn.execute("SELECT value FROM mediadesk.settings WHERE key = %s", (HEAD_KEY,)).fetchone()
        problems, report.ledger_entries, report.ledger_head = chain_problems(rows, head[0] if head else None)
        report.problems += problems
        if report.problems:
            raise CopyFailed(report)
    conn.execute("ANALYZE mediadesk.assets")
    return report


# -- PostgreSQL -> SQLite -------------------------------------------------------------------------
def postgres_to_sqlite(conn, destination: str | os.PathLike, *, source_name: str = "team catalog",
                       progress: Progress | None = None) -> CopyReport:
    """Copy the team catalog on ``conn`` into a new SQLite catalog file at ``destination``
    (written beside it under a temporary name and renamed into place when verified)."""
    from mediadesk.catalog.postgres.migrations import current_version

    dest = Path(destination)
    if dest.exists():
        raise CatalogError(f"{dest} exists already; a catalog copy makes a new file (choose another name)")
    version = current_version(conn)
    partial = dest.with_name(dest.name + ".partial")
    for leftover in (partial, Path(str(partial) + "-wal"), Path(str(partial) + "-shm")):
        leftover.unlink(missing_ok=True)   # an interrupted earlier run
    target = Catalog(partial)
    try:
        if target.schema_version() != version:
            raise CatalogError(f"the team catalog has schema {version} and this mediadesk makes "
                               f"{target.schema_version()}; install the mediadesk that matches it")
        report = CopyReport(source_name, str(dest), version)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")  # one snapshot
            with target.transaction() as tx:
                for table, _key in reversed(TABLES):
                    tx.execute(f"DELETE FROM {table}")
                for table, key in TABLES:
                    columns = _columns(_pg_columns(conn, table), _sqlite_columns(target, table), table)
                    marks = ", ".join("?" * len(columns))
                    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                    done = 0
                    batch: list[tuple] = []
                    for row in _pg_rows(conn, table, columns, key):
                        batch.append(tuple(row))
                        if len(batch) >= _BATCH:
                            tx.executemany(insert, batch)
                            done += len(batch)
                            batch.clear()
                            if progress:
                                progress(table, done)
                    if batch:
                        tx.executemany(insert, batch)
                        done += len(batch)
                    if progress:
                        progress(table, done)
                rebuild_index(tx)
            for table, _key in TABLES:
                theirs, ours = _count_pg(conn, table), _count_sqlite(target, table)
                report.counts[table] = ours
                if theirs != ours:
                    report.problems.append(f"{table}: {theirs} rows in the team catalog, {ours} copied")
        cur = target.conn.execute(f"SELECT {', '.join(_LEDGER_COLUMNS)} FROM export_ledger ORDER BY id")
        rows = (dict(zip(_LEDGER_COLUMNS, r, strict=True)) for r in cur)
        problems, report.ledger_entries, report.ledger_head = chain_problems(
            rows, target.scalar("SELECT value FROM settings WHERE key = ?", (HEAD_KEY,)))
        report.problems += problems
        if report.problems:
            raise CopyFailed(report)
        target.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        target.close()
        for leftover in (partial, Path(str(partial) + "-wal"), Path(str(partial) + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    target.close()
    os.replace(partial, dest)
    return report


class CopyFailed(CatalogError):
    """The copy was made but did not verify; nothing of it was kept."""

    def __init__(self, report: CopyReport) -> None:
        super().__init__("the copy did not verify, so nothing of it was kept: " + "; ".join(report.problems[:5]))
        self.report = report
