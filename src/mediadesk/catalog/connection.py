"""Opening a catalog: WAL, foreign keys, busy timeout, migrations, and explicit transactions."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from mediadesk.catalog.migrations import SCHEMA_VERSION, migrate
from mediadesk.catalog.schema import SchemaProblem, refusal_message
from mediadesk.catalog.schema import check as check_schema
from mediadesk.domain.errors import CatalogError, NotFound

BUSY_TIMEOUT_MS = 15_000


def _is_disk_full(exc: BaseException) -> bool:
    """SQLITE_FULL ("database or disk is full"), or ENOSPC/EDQUOT from a file write."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(exc).lower()
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class MissingCatalog(CatalogError, NotFound):
    """No catalog at the path, and the caller may not create one (exit status 2 in the CLI)."""


class SchemaRefused(CatalogError):
    """The catalog holds schema objects mediadesk did not make (see catalog/schema.py)."""

    def __init__(self, message: str, problems: list[SchemaProblem]) -> None:
        super().__init__(message)
        self.problems = problems


def _read_only_reason(path: Path) -> str | None:
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


def _is_read_only_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text


class Catalog:
    """One connection to one catalog file.

    A Catalog belongs to the thread that opened it. The program keeps one writer (the import
    worker, or the GUI's write queue) and any number of readers; WAL lets readers go on while the
    writer commits. All writes go through :meth:`transaction`, which takes the write lock up
    front (``BEGIN IMMEDIATE``) so two programs on one catalog queue instead of failing.
    """

    def __init__(self, path: str | os.PathLike, *, readonly: bool = False, cache_mb: int = 32,
                 create: bool = True, schema: str = "refuse") -> None:
        """``create``: make the file (and its folder) when there is none; False refuses a path
        where no catalog is (commands that only read must not create one from a typing mistake).
        ``readonly``: never write (also chosen by itself when the file, its folder or the file
        system is read-only; :attr:`readonly_reason` says why). ``schema``: "refuse" a catalog
        whose schema mediadesk did not make (SchemaRefused), or "report" it in
        :attr:`schema_problems` (``ledger --verify`` and ``catalog repair``, which only read)."""
        self.path = Path(path)
        self.readonly = readonly
        self.readonly_reason: str | None = "opened read-only" if readonly else None
        self.schema_problems: list[SchemaProblem] = []
        memory = str(path) == ":memory:"
        exists = memory or self.path.exists()
        if not exists and not create:
            raise MissingCatalog(
                f"there is no catalog at {self.path}; check the --catalog path (a command that "
                "only reads never creates a catalog)")
        if exists and not memory:
            reason = _read_only_reason(self.path)
            if reason:
                self.readonly, self.readonly_reason = True, reason
        elif not memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CatalogError(f"cannot create the folder {self.path.parent} for the catalog: "
                                   f"{exc.strerror or exc}") from None
        try:
            self.conn = self._connect(memory)
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise CatalogError(
                    f"this catalog was written by a newer mediadesk (schema {version}, this program "
                    f"knows {SCHEMA_VERSION}); update mediadesk to open it")
            self.schema_problems = check_schema(self.conn, version)
            if self.schema_problems and schema == "refuse":
                raise SchemaRefused(refusal_message(self.path, self.schema_problems),
                                    self.schema_problems)
            if self.readonly:
                if version < SCHEMA_VERSION and schema == "refuse":
                    raise CatalogError(
                        f"the catalog {self.path} needs an upgrade to this mediadesk's schema, but it "
                        f"is read-only ({self.readonly_reason}); make it writable once, or work on a copy")
                mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            else:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                # FULL in WAL mode: every commit that returned is on disk, even after a power cut.
                # Imports commit in batches, so the fsync per commit costs little.
                self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            self.conn.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1000}")
            if not self.readonly and schema == "refuse":
                migrate(self.conn)
                self._refresh_statistics()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            if _is_read_only_error(exc):
                raise CatalogError(
                    f"the catalog {self.path} cannot be written ({exc}); it is on a read-only disk "
                    "or belongs to another user; copy it somewhere writable") from None
            raise CatalogError(f"cannot open catalog {path}: {exc}. Is it a mediadesk catalog?") from exc
        except BaseException:
            self._close_quietly()
            raise
        if not memory and not self.readonly and mode.lower() != "wal":
            self._close_quietly()
            raise CatalogError(f"catalog {path} could not be switched to WAL mode (got {mode})")
        self._tx_lock = threading.RLock()
        self._tx_depth = 0

    @functools.cached_property
    def db(self):  # -> sqlite_utils.Database
        """sqlite-utils over this connection, made on first use: importing sqlite-utils costs
        tens of milliseconds, which every command-line start would pay for nothing."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def _connect(self, memory: bool) -> sqlite3.Connection:
        """The connection, with trusted_schema OFF before the schema is first read."""
        def connect(target: str, uri: bool) -> sqlite3.Connection:
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

        if memory:
            return connect(":memory:", False)
        if not self.readonly:
            return connect(str(self.path), False)
        base = "file:" + urllib.parse.quote(str(self.path.absolute())) + "?mode=ro"
        wal = Path(str(self.path) + "-wal")
        wal_has_data = wal.exists() and wal.stat().st_size > 0
        if self.readonly_reason != "opened read-only" and not wal_has_data:
            # Nobody can be writing a file that is read-only (or on a read-only disk): read it
            # as immutable, which creates no -wal/-shm files beside it (they would keep the
            # file's read-only mode and stand in the way once it is made writable again).
            return connect(base + "&immutable=1", True)
        try:
            return connect(base, True)
        except sqlite3.OperationalError as exc:
            if "unable to open" not in str(exc):
                raise
        # WAL needs its -shm file, which a read-only disk cannot hold. Immutable reading ignores
        # the -wal: refuse rather than show data without what the journal holds.
        if wal_has_data:
            raise CatalogError(
                f"the catalog {self.path} is on a read-only disk with unsaved journal data "
                f"({wal.name}); copy the catalog together with {wal.name} somewhere writable")
        return connect(base + "&immutable=1", True)

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def _refresh_statistics(self) -> None:
        """ANALYZE (sampled, a few ms) when the catalog grew or shrank a lot since the last one.

        Without statistics the planner picks poor indexes for unselective filters
        (rights:editorial took 54 ms on 100,000 assets instead of 0.9 ms)."""
        try:
            rows = self.conn.execute("SELECT count(*) FROM assets").fetchone()[0]
            if rows < 1000:
                return
            stat = None
            if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                found = self.conn.execute(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = 'assets' LIMIT 1").fetchone()
                stat = int(found[0].split()[0]) if found else None
            if stat is None or abs(rows - stat) > 0.2 * stat:
                self.conn.execute("PRAGMA analysis_limit = 1000")
                self.conn.execute("ANALYZE")
        except sqlite3.OperationalError:
            pass  # busy or read-only: statistics are an optimisation, never a reason to fail

    # -- locations beside the catalog -------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def thumbs_dir(self) -> Path:
        """Thumbnail cache: ``<catalog name>.thumbs/`` beside the catalog file."""
        return self.path.with_name(self.path.name + ".thumbs")

    def thumbnail_path(self, content_hash: str) -> Path:
        return self.thumbs_dir / content_hash[:2] / f"{content_hash}.jpg"

    # -- transactions ---------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls join the outer one."""
        with self._tx_lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield self.conn
                finally:
                    self._tx_depth -= 1
                return
            if self.readonly:
                raise self._read_only()
            self._begin_immediate()
            self._tx_depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._tx_depth = 0
                self._rollback()
                if _is_disk_full(exc):
                    raise self._disk_full(exc) from exc
                if isinstance(exc, sqlite3.OperationalError) and _is_read_only_error(exc):
                    raise self._read_only(str(exc)) from exc
                raise
            self._tx_depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                if _is_disk_full(exc):
                    raise self._disk_full(exc) from exc
                raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolled back already (e.g. after SQLITE_FULL)

    def _read_only(self, detail: str | None = None) -> CatalogError:
        why = self.readonly_reason or detail or "it cannot be written"
        return CatalogError(
            f"the catalog {self.path} is read-only ({why}); nothing was changed. Searching and "
            "showing still work; to make changes, make the file writable or copy it somewhere "
            "writable and use --catalog")

    def _disk_full(self, exc: BaseException) -> CatalogError:
        return CatalogError(
            f"the disk holding the catalog is full: {self.path} could not be written ({exc}). "
            "Nothing of this change was saved and everything saved before is intact; free some "
            "space and try again")

    def _begin_immediate(self) -> None:
        # busy_timeout already waits; this loop covers the rare SQLITE_BUSY that skips the
        # busy handler (e.g. a WAL restart) so "database is locked" never reaches the user.
        deadline = time.monotonic() + 60
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if _is_read_only_error(exc):
                    raise self._read_only(str(exc)) from exc
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise CatalogError(
                        f"the catalog {self.path} stayed locked by another program for 60 s; "
                        "close the other program or try again"
                    ) from exc
                time.sleep(0.05)

    # -- reads -----------------------------------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        cur = self.conn.execute(sql, params)
        cur.row_factory = sqlite3.Row
        return cur.fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def schema_version(self) -> int:
        """The catalog's schema version (``PRAGMA user_version``; see catalog/migrations.py)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def data_version(self) -> int:
        """Changes when another connection commits (used to notice other programs' writes)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_catalog(path: str | os.PathLike, *, readonly: bool = False, create: bool = True,
                 schema: str = "refuse") -> Catalog:
    return Catalog(path, readonly=readonly, create=create, schema=schema)
