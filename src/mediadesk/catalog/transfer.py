"""Copying a whole catalog between the engines: a SQLite file and a team catalog (PostgreSQL).

Everything a catalog holds moves, table by table, ids kept: assets, galleries and their members,
import batches, the edit history and undo, the export ledger with its chain, rights profiles,
caption templates, code replacements, saved searches, the people directory and the settings
(the catalog's id travels too, so bundle receipts stay verifiable against the copy). Both sides
must have the same schema version.

Files: a SQLite catalog stores absolute paths, a team catalog a storage root plus a path inside it
(catalog/roots.py). Going to a team catalog, each path must lie under a root of the destination
that this desk has mapped; coming back, each root must be mapped here. Thumbnails move from the
``.thumbs`` folder beside a SQLite catalog into the team catalog's ``thumbnails`` table and back.

The copy is one transaction on the destination: interrupted, it leaves the destination as it was
and can simply be run again. The destination must hold no work yet (a fresh team catalog, or a
new SQLite file); its seed rows are replaced by the source's. Afterwards the counts of every table
are compared and the destination's export ledger is verified, entry by entry, against the hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.dialect.sqlite_fts import rebuild_index
from mediadesk.catalog.ledger import GENESIS, HEAD_KEY
from mediadesk.catalog.roots import local_path, split
from mediadesk.domain.errors import CatalogError

# parents before children (foreign keys); the key orders the rows the same way on both sides
TABLES: tuple[tuple[str, str], ...] = (
    ("settings", "key"),
    ("rights_profiles", "id"),
    ("import_batches", "id"),
    ("assets", "id"),
    ("galleries", "id"),
    ("gallery_assets", "gallery_id, asset_id"),
    ("asset_words", "asset_id"),
    ("text_tracks", "id"),
    ("cues", "id"),
    ("chapters", "id"),
    ("asset_links", "document_id, asset_id"),
    ("edit_operations", "id"),
    ("edit_history", "id"),
    ("object_history", "id"),
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
                   "edit_history", "object_history", "saved_searches", "text_tracks", "cues", "chapters")
# columns a team catalog has and a SQLite one has not (made by the copy, or left to defaults)
TEAM_ONLY_COLUMNS = {"assets": {"root_id", "search", "words_search"}, "edit_operations": {"desk", "who"}}
_BATCH = 2000
_HASH = re.compile(r"[0-9a-f]{64}")

Progress = Callable[[str, int], None]   # (table, rows copied so far in it)


@dataclass
class CopyReport:
    source: str
    destination: str
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    ledger_entries: int = 0
    ledger_head: str | None = None
    thumbnails: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"source": self.source, "destination": self.destination,
                "schema_version": self.schema_version, "counts": self.counts,
                "thumbnails": self.thumbnails,
                "ledger": {"entries": self.ledger_entries, "head": self.ledger_head},
                "verified": self.ok, "problems": self.problems}


# -- reading and writing each engine ------------------------------------------------------------
def _sqlite_columns(catalog: Catalog, table: str) -> list[str]:
    return [r[1] for r in catalog.conn.execute(f"PRAGMA table_info({table})")]


def _pg_columns(conn: Any, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'mediadesk'"
        " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position", (table,)).fetchall()
    return [r[0] for r in rows]


def _columns(source_cols: list[str], dest_cols: list[str], table: str) -> list[str]:
    """The columns both have (the team catalog's own columns aside), in the destination's order."""
    team_only = TEAM_ONLY_COLUMNS.get(table, set())
    source_cols = [c for c in source_cols if c not in team_only]
    dest_cols = [c for c in dest_cols if c not in team_only]
    if set(source_cols) != set(dest_cols):
        only_src = sorted(set(source_cols) - set(dest_cols))
        only_dst = sorted(set(dest_cols) - set(source_cols))
        raise CatalogError(
            f"the two catalogs' {table} tables differ (only in the source: {', '.join(only_src) or '-'}; "
            f"only in the destination: {', '.join(only_dst) or '-'}); both must have the same schema")
    return dest_cols


def _sqlite_rows(catalog: Catalog, table: str, columns: list[str], key: str) -> Iterator[tuple]:
    cur = catalog.conn.execute(f"SELECT {_names(columns)} FROM {table} ORDER BY {key}")
    while True:
        rows = cur.fetchmany(_BATCH)
        if not rows:
            return
        yield from rows


def _pg_rows(conn: Any, table: str, columns: list[str], key: str) -> Iterator[tuple]:
    with conn.cursor(name=f"copy_{table}") as cur:   # server-side: a big table is not held in memory
        cur.itersize = _BATCH
        cur.execute(f"SELECT {_names(columns)} FROM mediadesk.{table} ORDER BY {key}")
        yield from cur


def _names(columns: Iterable[str]) -> str:
    """Column names for a statement, quoted ("end" is a reserved word in PostgreSQL)."""
    return ", ".join(f'"{c}"' for c in columns)


# the words of the assets that have any, in their search document (the row trigger read none yet)
_WORDS_SEARCH = ("UPDATE mediadesk.assets a SET words_search = mediadesk.asset_words_document(a.id)"
                 " WHERE a.id IN (SELECT asset_id FROM mediadesk.asset_words UNION"
                 " SELECT asset_id FROM mediadesk.text_tracks UNION SELECT asset_id FROM mediadesk.chapters)")


def _count_sqlite(catalog: Catalog, table: str) -> int:
    return int(catalog.scalar(f"SELECT count(*) FROM {table}"))


def _count_pg(conn: Any, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM mediadesk.{table}").fetchone()[0])


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


# -- paths: absolute <-> root + path inside it ---------------------------------------------------
def _pg_roots(conn: Any) -> dict[str, int]:
    return dict(conn.execute("SELECT name, id FROM mediadesk.storage_roots").fetchall())


def _unplaced_message(folders: dict[str, int], mounts: dict[str, Path]) -> str:
    shown = ", ".join(f"{f} ({n} file{'s' if n > 1 else ''})" for f, n in list(folders.items())[:5])
    mapped = ", ".join(f"{k} = {v}" for k, v in mounts.items()) or "none"
    return (f"{sum(folders.values())} file(s) of the source lie outside every storage root mapped on "
            f"this desk (mapped: {mapped}): {shown}. Add a root that holds them (mediadesk roots add "
            "NAME FOLDER) or map one (mediadesk roots map NAME FOLDER), then copy again")


def _to_team_rows(rows: Iterable[tuple], columns: list[str], mounts: dict[str, Path],
                  root_ids: dict[str, int]) -> Iterator[tuple]:
    """Asset rows with their absolute path made root-relative, and root_id appended."""
    at = columns.index("path")
    unplaced: dict[str, int] = {}
    for row in rows:
        found = split(row[at], mounts)
        if found is None or found[0] not in root_ids:
            folder = os.path.dirname(row[at])
            unplaced[folder] = unplaced.get(folder, 0) + 1
            continue
        name, rel = found
        yield (*row[:at], rel, *row[at + 1:], root_ids[name])
    if unplaced:
        raise CatalogError(_unplaced_message(unplaced, mounts))


def _to_desk_rows(rows: Iterable[tuple], columns: list[str], mounts: dict[str, Path],
                  root_names: dict[int, str]) -> Iterator[tuple]:
    """Asset rows (root_id last) with this desk's absolute path for the root-relative one."""
    at = columns.index("path")
    for row in rows:
        *values, root_id = row
        name = root_names.get(root_id, f"#{root_id}")
        mount = mounts.get(name)
        if mount is None:
            raise CatalogError(f"the storage root {name!r} is not mapped on this desk, so its files have "
                               f"no path here; map it (mediadesk roots map {name} FOLDER) and copy again")
        values[at] = str(local_path(mount, values[at]))
        yield tuple(values)


# -- SQLite -> PostgreSQL -------------------------------------------------------------------------
def sqlite_to_postgres(source: Catalog, conn: Any, *, mounts: dict[str, Path], destination_name: str = "team catalog",
                       progress: Progress | None = None) -> CopyReport:
    """Copy the SQLite catalog ``source`` into the team catalog on ``conn`` (autocommit psycopg
    connection, schema already made); ``mounts``: this desk's mount point of each of the team
    catalog's storage roots. Verify; return the report (``report.ok``)."""
    from mediadesk.catalog.postgres.migrations import ASSETS_SEARCH_INDEX, current_version

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
        root_ids = _pg_roots(conn)
        for table, _key in reversed(TABLES):
            conn.execute(f"DELETE FROM mediadesk.{table}")
        # one build of the search index after the rows is several times faster than row by row
        conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        conn.execute("DROP INDEX mediadesk.assets_search")
        conn.execute("DELETE FROM mediadesk.thumbnails")
        for table, key in TABLES:
            columns = _columns(_sqlite_columns(source, table), _pg_columns(conn, table), table)
            rows: Iterable[tuple] = _sqlite_rows(source, table, columns, key)
            written = columns
            if table == "assets":
                rows = _to_team_rows(rows, columns, mounts, root_ids)
                written = [*columns, "root_id"]
            done = 0
            with conn.cursor() as cur, cur.copy(
                    f"COPY mediadesk.{table} ({_names(written)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    done += 1
                    if progress and done % _BATCH == 0:
                        progress(table, done)
            if progress:
                progress(table, done)
        if progress:
            progress("search index", 0)
        conn.execute(_WORDS_SEARCH)
        conn.execute(ASSETS_SEARCH_INDEX)
        report.thumbnails = _thumbnails_to_team(source, conn, progress)
        for table in IDENTITY_TABLES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('mediadesk.{table}', 'id'),"
                         f" coalesce((SELECT max(id) FROM mediadesk.{table}), 0) + 1, false)")
        for table, _key in TABLES:
            theirs, ours = _count_sqlite(source, table), _count_pg(conn, table)
            report.counts[table] = ours
            if theirs != ours:
                report.problems.append(f"{table}: {theirs} rows in the source, {ours} copied")
        entries = (dict(zip(_LEDGER_COLUMNS, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(_LEDGER_COLUMNS)} FROM mediadesk.export_ledger ORDER BY id"))
        head = conn.execute("SELECT value FROM mediadesk.settings WHERE key = %s", (HEAD_KEY,)).fetchone()
        problems, report.ledger_entries, report.ledger_head = chain_problems(entries, head[0] if head else None)
        report.problems += problems
        if report.problems:
            raise CopyFailed(report)
    conn.execute("ANALYZE mediadesk.assets")
    return report


def _thumbnails_to_team(source: Catalog, conn: Any, progress: Progress | None) -> int:
    """The thumbnail files beside the SQLite catalog, into the team catalog's table."""
    done = 0
    with conn.cursor() as cur, cur.copy("COPY mediadesk.thumbnails (content_hash, jpeg) FROM STDIN") as copy:
        for (content_hash,) in source.conn.execute(
                "SELECT content_hash FROM assets WHERE has_thumbnail = 1 ORDER BY id"):
            if not isinstance(content_hash, str) or not _HASH.fullmatch(content_hash):
                continue   # never a path from a catalog into the file system
            try:
                data = source.thumbnail_path(content_hash).read_bytes()
            except OSError:
                continue   # not made yet, or the cache was cleared: the desks remake it
            copy.write_row((content_hash, data))
            done += 1
            if progress and done % _BATCH == 0:
                progress("thumbnails", done)
    if progress:
        progress("thumbnails", done)
    return done


# -- PostgreSQL -> SQLite -------------------------------------------------------------------------
def postgres_to_sqlite(conn: Any, destination: str | os.PathLike, *, mounts: dict[str, Path],
                       source_name: str = "team catalog", progress: Progress | None = None) -> CopyReport:
    """Copy the team catalog on ``conn`` into a new SQLite catalog file at ``destination``
    (written beside it under a temporary name and renamed into place when verified); ``mounts``:
    this desk's mount point of each storage root, which makes the paths absolute."""
    from mediadesk.catalog.postgres.migrations import current_version

    dest = Path(destination)
    if dest.exists():
        raise CatalogError(f"{dest} exists already; a catalog copy makes a new file (choose another name)")
    version = current_version(conn)
    partial = dest.with_name(dest.name + ".partial")
    thumbs = partial.with_name(dest.name + ".thumbs")
    leftovers = (partial, Path(str(partial) + "-wal"), Path(str(partial) + "-shm"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)   # an interrupted earlier run
    thumbs_existed = thumbs.exists()
    target = Catalog(partial)
    try:
        if target.schema_version() != version:
            raise CatalogError(f"the team catalog has schema {version} and this mediadesk makes "
                               f"{target.schema_version()}; install the mediadesk that matches it")
        report = CopyReport(source_name, str(dest), version)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")  # one snapshot
            root_names = {v: k for k, v in _pg_roots(conn).items()}
            with target.transaction() as tx:
                for table, _key in reversed(TABLES):
                    tx.execute(f"DELETE FROM {table}")
                for table, key in TABLES:
                    columns = _columns(_pg_columns(conn, table), _sqlite_columns(target, table), table)
                    rows: Iterable = _pg_rows(conn, table, [*columns, "root_id"] if table == "assets" else columns, key)
                    if table == "assets":
                        rows = _to_desk_rows(rows, columns, mounts, root_names)
                    marks = ", ".join("?" * len(columns))
                    insert = f"INSERT INTO {table} ({_names(columns)}) VALUES ({marks})"
                    done = 0
                    batch: list[tuple] = []
                    for row in rows:
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
            report.thumbnails = _thumbnails_to_desk(conn, thumbs, progress)
            theirs = conn.execute("SELECT count(*) FROM mediadesk.thumbnails").fetchone()[0]
            if theirs != report.thumbnails:
                report.problems.append(f"thumbnails: {theirs} in the team catalog, {report.thumbnails} copied")
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
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        if not thumbs_existed:
            shutil.rmtree(thumbs, ignore_errors=True)
        raise
    target.close()
    os.replace(partial, dest)
    return report


def _thumbnails_to_desk(conn: Any, thumbs: Path, progress: Progress | None) -> int:
    """The team catalog's thumbnails, as the files beside the new SQLite catalog (the folder is
    named for the final catalog name; files already there from an interrupted run are rewritten)."""
    done = 0
    with conn.cursor(name="copy_thumbnails") as cur:
        cur.itersize = 200
        cur.execute("SELECT content_hash, jpeg FROM mediadesk.thumbnails ORDER BY content_hash")
        for content_hash, jpeg in cur:
            if not _HASH.fullmatch(content_hash or ""):
                continue   # never a path from a catalog into the file system
            folder = thumbs / content_hash[:2]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{content_hash}.jpg").write_bytes(bytes(jpeg))
            done += 1
            if progress and done % _BATCH == 0:
                progress("thumbnails", done)
    if progress:
        progress("thumbnails", done)
    return done


class CopyFailed(CatalogError):
    """The copy was made but did not verify; nothing of it was kept."""

    def __init__(self, report: CopyReport) -> None:
        super().__init__("the copy did not verify, so nothing of it was kept: " + "; ".join(report.problems[:5]))
        self.report = report
