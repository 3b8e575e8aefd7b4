"""The catalog: one connection to one catalog, its stores as attributes, explicit transactions.

``Catalog(location)`` opens (and migrates) the catalog and exposes its stores, built once, the
way Anki's ``Collection`` exposes its managers::

    catalog.assets      AssetStore        asset rows (reads; the import's and edits' writers)
    catalog.galleries   GalleryStore      galleries and their members
    catalog.history     HistoryStore      the edit history (operations, field and object changes)
    catalog.rights      RightsProfileStore
    catalog.ledger      LedgerStore       the hash-chained export ledger
    catalog.templates   TemplateStore     caption templates
    catalog.codes       CodeStore         code replacements
    catalog.people      PeopleDirectory   names and roles
    catalog.searches    SavedSearchStore  saved searches
    catalog.imports     ImportBatchStore  one row per import run
    catalog.asset_files AssetFileStore    file facts write-back keeps
    catalog.roots       RootStore         a team catalog's storage roots
    catalog.thumbnails  ThumbnailStore    a team catalog's thumbnails (the cache's source)
    catalog.index       SearchIndex       queries compiled to ids and counts

Reading is open to every layer. Writing is the services' business (mediadesk/services): each use
case takes a transaction, calls the stores' writing methods, records the history and returns
``Changes``; ui/ and cli/ never call a store's writing method (tests/core/test_one_door.py).

Everything that depends on the engine goes through :attr:`Catalog.dialect`
(catalog/dialect/): opening, pragmas, transactions, errors, change tokens, schema checks,
free-text search, upserts.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

from mediadesk.catalog.desk_paths import DeskPaths
from mediadesk.catalog.dialect import dialect_for, is_team_url
from mediadesk.catalog.migrations import SCHEMA_VERSION
from mediadesk.catalog.schema import RepairReport, SchemaProblem, refusal_message
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import CatalogError, CatalogUnreachable, NotFound
from mediadesk.domain.permissions import ALL_ROLES, PermissionDenied, from_server

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any, Literal

    from mediadesk.catalog.asset_files import AssetFileStore
    from mediadesk.catalog.assets import AssetStore
    from mediadesk.catalog.codes import CodeStore
    from mediadesk.catalog.dialect import Connection, Dialect, Params, Row
    from mediadesk.catalog.galleries import GalleryStore
    from mediadesk.catalog.history import HistoryStore
    from mediadesk.catalog.imports import ImportBatchStore
    from mediadesk.catalog.ledger import LedgerStore
    from mediadesk.catalog.people_directory import PeopleDirectory
    from mediadesk.catalog.rights_profiles import RightsProfileStore
    from mediadesk.catalog.roots import RootStore, TeamPaths
    from mediadesk.catalog.saved_searches import SavedSearchStore
    from mediadesk.catalog.search import SearchIndex
    from mediadesk.catalog.templates import TemplateStore
    from mediadesk.catalog.thumbnails import ThumbnailStore
    from mediadesk.catalog.words import WordStore

LOCK_WAIT_S = 60          # BEGIN retries this long on a lock the busy handler did not wait for
if TYPE_CHECKING:
    SchemaMode = Literal["refuse", "report"]


class MissingCatalog(CatalogError, NotFound):
    """No catalog at the path, and the caller may not create one (exit status 2 in the CLI)."""


class SchemaRefused(CatalogError):
    """The catalog holds schema objects mediadesk did not make (see catalog/schema.py)."""

    def __init__(self, message: str, problems: list[SchemaProblem]) -> None:
        super().__init__(message)
        self.problems = problems


class Catalog:
    """One connection to one catalog.

    A Catalog belongs to the thread that opened it. The program keeps one writer (the import
    job, or the window's writer lane) and any number of readers; WAL lets readers go on while
    the writer commits. All writes go through :meth:`transaction`, which takes the write lock up
    front (``BEGIN IMMEDIATE``) so two programs on one catalog queue instead of failing.
    """

    # who works here and the roles they hold (issue 13): on a desk catalog the one person holds
    # every role; a team catalog asks its server (catalog/postgres/people.py)
    person: str | None = None
    roles: frozenset[str] = ALL_ROLES

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, cache_mb: int = 32,
                 create: bool = True, schema: SchemaMode = "refuse", upgrade: bool = False,
                 password: str | None = None) -> None:
        """``create``: make the file (and its folder) when there is none; False refuses a path
        where no catalog is (commands that only read must not create one from a typing mistake).
        ``readonly``: opened so that the engine refuses every write (SQLite ``mode=ro``; also
        chosen by itself when the file, its folder or the file system is read-only:
        :attr:`readonly_reason` says why). ``schema``: "refuse" a catalog whose schema mediadesk
        did not make (SchemaRefused), or "report" it in :attr:`schema_problems` (``ledger
        --verify`` and ``catalog repair``, which only read).

        A ``postgresql://`` URL opens a team catalog (catalog/dialect/postgres.py): an empty
        database gets the schema when its owner opens it (``create``); a catalog of an older
        schema is refused unless ``upgrade`` (``mediadesk catalog upgrade``), a newer one always.
        ``password``: one typed in the window, kept for reconnecting and never stored (libpq
        otherwise finds it in PGPASSWORD, PGPASSFILE or ~/.pgpass)."""
        self.readonly = readonly
        self.readonly_reason: str | None = "opened read-only" if readonly else None
        self.schema_problems: list[SchemaProblem] = []
        self.closed = False
        self._tx_lock = threading.RLock()
        self._tx_depth = 0
        self.url: str | None = None        # a team catalog's URL (never shown: see location)
        self.desk: str | None = None       # this desk's id in a team catalog's records
        if is_team_url(path):
            self._open_team(str(path), create=create, upgrade=upgrade, password=password)
            return
        self.path = Path(path)
        self.location = str(self.path)     # what messages call the catalog
        self.dialect: Dialect = dialect_for(self.path)
        self.paths: DeskPaths | TeamPaths = DeskPaths()
        memory = str(path) == ":memory:"
        exists = memory or self.path.exists()
        if not exists and not create:
            raise MissingCatalog(
                f"there is no catalog at {self.path}; check the --catalog path (a command that "
                "only reads never creates a catalog)")
        file_reason = None
        if exists and not memory:
            file_reason = self.dialect.read_only_reason(self.path)
            if file_reason:
                self.readonly, self.readonly_reason = True, file_reason
        elif not memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CatalogError(f"cannot create the folder {self.path.parent} for the catalog: "
                                   f"{exc.strerror or exc}") from None
        self.conn: Connection = None
        try:
            self.conn = self.dialect.connect(None if memory else self.path, readonly=self.readonly,
                                             immutable_ok=file_reason is not None)
            version = self.dialect.schema_version(self.conn)
            if version > SCHEMA_VERSION:
                raise CatalogError(
                    f"this catalog was written by a newer mediadesk (schema {version}, this program "
                    f"knows {SCHEMA_VERSION}); update mediadesk to open it")
            self.schema_problems = self.dialect.schema_problems(self.conn, version)
            if self.schema_problems and schema == "refuse":
                raise SchemaRefused(refusal_message(self.path, self.schema_problems),
                                    self.schema_problems)
            if self.readonly and version < SCHEMA_VERSION and schema == "refuse":
                raise CatalogError(
                    f"the catalog {self.path} needs an upgrade to this mediadesk's schema, but it "
                    f"is read-only ({self.readonly_reason}); make it writable once, or work on a copy")
            mode = self.dialect.prepare(self.conn, readonly=self.readonly, cache_mb=cache_mb)
            if not self.readonly and schema == "refuse":
                self.dialect.migrate(self.conn)
                self.dialect.refresh_statistics(self.conn)
        except self.dialect.DatabaseError as exc:
            self._close_quietly()
            if self.dialect.is_read_only(exc):
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

    def _close_quietly(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except self.dialect.Error:
                pass  # closing after a failure: the first error is the one to report

    def _open_team(self, url: str, *, create: bool, upgrade: bool, password: str | None) -> None:
        from mediadesk import __version__
        from mediadesk.catalog.desk import desk_id, team_home
        from mediadesk.catalog.dialect.postgres import POSTGRES
        from mediadesk.catalog.postgres import migrations as pg

        self.dialect = POSTGRES
        self.url = url
        self.location = POSTGRES.describe(url)
        self._password = password
        self.desk = desk_id()
        self.conn = POSTGRES.connect_url(url, readonly=False, desk=self.desk, password=password)
        try:
            version = self.schema_before = pg.current_version(self.conn)
            if version == 0 and (not create or self.readonly):
                raise MissingCatalog(
                    f"the database {self.location} holds no mediadesk catalog yet; its owner makes one "
                    "by opening it once (a command that only reads never creates a catalog)")
            if version == 0 or (upgrade and version < pg.SCHEMA_VERSION):
                pg.migrate(self.conn, __version__, create=True, upgrade=upgrade)
            elif version != pg.SCHEMA_VERSION:
                pg.migrate(self.conn, __version__, create=False)   # refuses, naming the version
            from mediadesk.catalog.postgres import people, roles

            roles.ensure(self.conn, pg.current_version(self.conn))
            self.person, self.roles = people.session_roles(self.conn)
            if self.readonly:
                POSTGRES.refuse_writes(self.conn)
            self.catalog_id = str(self.scalar("SELECT value FROM settings WHERE key = 'catalog.id'"))
        except self.dialect.DatabaseError as exc:
            self._close_quietly()
            if getattr(exc, "sqlstate", None) == "42501":
                raise PermissionDenied("read", str(exc).strip().splitlines()[0]) from None
            raise CatalogError(f"cannot open the team catalog {self.location}: {exc}") from None
        except BaseException:
            self._close_quietly()
            raise
        # thumbnails and this desk's other caches for the catalog live in the user cache folder
        self.path = team_home(self.catalog_id) / "catalog"
        from mediadesk.catalog.roots import TeamPaths

        self.paths = TeamPaths(self)

    def reconnect(self) -> None:
        """A new connection to a team catalog (after the server or the network went away);
        CatalogError while it cannot be reached."""
        if self.url is None:
            raise CatalogError(f"the catalog {self.location} has no server to reconnect to")
        from mediadesk.catalog.dialect.postgres import POSTGRES

        self._close_quietly()
        self.conn = POSTGRES.connect_url(self.url, readonly=self.readonly, desk=self.desk,
                                         password=self._password)

    def _lost(self, exc: BaseException) -> bool:
        """Is ``exc`` a team catalog's connection going away?"""
        return self.url is not None and self.dialect.is_disconnect(exc)

    # -- the stores ----------------------------------------------------------------------------
    # Each store's module is imported when the store is first used: a command that reads assets
    # does not load the ledger's, the history's or the templates' code (issue 18: the command
    # line starts in tens of milliseconds, and every module counts).
    @cached_property
    def assets(self) -> AssetStore:
        from mediadesk.catalog.assets import AssetStore

        return AssetStore(self)

    @cached_property
    def asset_files(self) -> AssetFileStore:
        from mediadesk.catalog.asset_files import AssetFileStore

        return AssetFileStore(self)

    @cached_property
    def galleries(self) -> GalleryStore:
        from mediadesk.catalog.galleries import GalleryStore

        return GalleryStore(self)

    @cached_property
    def history(self) -> HistoryStore:
        from mediadesk.catalog.history import HistoryStore

        return HistoryStore(self)

    @cached_property
    def rights(self) -> RightsProfileStore:
        from mediadesk.catalog.rights_profiles import RightsProfileStore

        return RightsProfileStore(self)

    @cached_property
    def ledger(self) -> LedgerStore:
        from mediadesk.catalog.ledger import LedgerStore

        return LedgerStore(self)

    @cached_property
    def templates(self) -> TemplateStore:
        from mediadesk.catalog.templates import TemplateStore

        return TemplateStore(self)

    @cached_property
    def codes(self) -> CodeStore:
        from mediadesk.catalog.codes import CodeStore

        return CodeStore(self)

    @cached_property
    def people(self) -> PeopleDirectory:
        from mediadesk.catalog.people_directory import PeopleDirectory

        return PeopleDirectory(self)

    @cached_property
    def searches(self) -> SavedSearchStore:
        from mediadesk.catalog.saved_searches import SavedSearchStore

        return SavedSearchStore(self)

    @cached_property
    def imports(self) -> ImportBatchStore:
        from mediadesk.catalog.imports import ImportBatchStore

        return ImportBatchStore(self)

    @cached_property
    def roots(self) -> RootStore:
        from mediadesk.catalog.roots import RootStore

        return RootStore(self)

    @cached_property
    def thumbnails(self) -> ThumbnailStore:
        from mediadesk.catalog.thumbnails import ThumbnailStore

        return ThumbnailStore(self)

    @cached_property
    def words(self) -> WordStore:
        from mediadesk.catalog.words import WordStore

        return WordStore(self)

    @cached_property
    def index(self) -> SearchIndex:
        return self.dialect.search_index(self)

    @property
    def target(self) -> str:
        """What opens this catalog again: its file path, or a team catalog's URL (``--catalog``)."""
        return self.url if self.url is not None else str(self.path)

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

    # -- transactions -----------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
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
            self._begin()
            self._tx_depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._tx_depth = 0
                self._rollback()
                if self.dialect.is_disk_full(exc):
                    raise self._disk_full(exc) from exc
                if isinstance(exc, self.dialect.Error) and self.dialect.is_read_only(exc):
                    raise self._read_only(str(exc)) from exc
                if self._lost(exc):
                    raise self._unsaved(exc) from exc
                raise
            self._tx_depth = 0
            try:
                self.dialect.commit(self)
            except self.dialect.Error as exc:
                self._rollback()
                if self.dialect.is_disk_full(exc):
                    raise self._disk_full(exc) from exc
                raise

    @property
    def in_transaction(self) -> bool:
        return self._tx_depth > 0

    def _unsaved(self, exc: BaseException) -> CatalogError:
        return CatalogUnreachable(
            f"the connection to the team catalog {self.location} was lost ({str(exc).strip().splitlines()[0]});"
            " this change was NOT saved, nothing of it was written. Try again when the catalog is back")

    def _rollback(self) -> None:
        if self.dialect.in_transaction(self.conn):
            try:
                self.conn.execute("ROLLBACK")
            except self.dialect.Error:
                pass  # the engine rolled back already (e.g. after SQLITE_FULL)

    def _read_only(self, detail: str | None = None) -> CatalogError:
        why = self.readonly_reason or detail or "it cannot be written"
        if self.url is not None:
            return CatalogError(f"the team catalog {self.location} is read-only here ({why}); nothing "
                                "was changed")
        return CatalogError(
            f"the catalog {self.path} is read-only ({why}); nothing was changed. Searching and "
            "showing still work; to make changes, make the file writable or copy it somewhere "
            "writable and use --catalog")

    def _disk_full(self, exc: BaseException) -> CatalogError:
        return CatalogError(
            f"the disk holding the catalog is full: {self.path} could not be written ({exc}). "
            "Nothing of this change was saved and everything saved before is intact; free some "
            "space and try again")

    def is_disk_full(self, exc: BaseException | None) -> bool:
        """Did ``exc`` (or what it wraps) come from a full disk?"""
        while exc is not None:
            if self.dialect.is_disk_full(exc):
                return True
            exc = exc.__cause__
        return False

    def _begin(self) -> None:
        # the busy timeout already waits; this loop covers the rare busy answer that skips the
        # busy handler (e.g. a WAL restart) so "database is locked" never reaches the user.
        deadline = time.monotonic() + LOCK_WAIT_S
        reconnected = False
        while True:
            try:
                self.dialect.begin_write(self.conn)
                return
            except self.dialect.Error as exc:
                if self._lost(exc) and not reconnected:   # went away since the last transaction
                    self.reconnect()                         # CatalogUnreachable while it is away
                    reconnected = True
                    continue
                if self.dialect.is_read_only(exc):
                    raise self._read_only(str(exc)) from exc
                if not self.dialect.is_busy(exc):
                    raise
                if time.monotonic() > deadline:
                    raise CatalogError(
                        f"the catalog {self.path} stayed locked by another program for {LOCK_WAIT_S} s; "
                        "close the other program or try again"
                    ) from exc
                time.sleep(0.05)

    # -- SQL for the stores ----------------------------------------------------------------
    def _run(self, call: Any) -> Any:
        """``call(conn)``; a team catalog whose connection went away between transactions is
        reconnected once (inside a transaction the change is reported unsaved instead)."""
        try:
            return call(self.conn)
        except self.dialect.Error as exc:
            if getattr(exc, "sqlstate", None) == "42501":
                # the server's refusal (insufficient_privilege) is the last word, however stale
                # the desk's idea of this person's roles: the one place it becomes a refusal
                raise from_server(exc) from exc
            if self._tx_depth or not self._lost(exc):
                raise
        self.reconnect()
        return call(self.conn)

    def execute(self, sql: str, params: Params = ()) -> Any:
        """Run one statement (``?`` placeholders); returns the cursor."""
        text = self.dialect.sql(sql)
        return self._run(lambda conn: conn.execute(text, params))

    def executemany(self, sql: str, rows: Sequence[Params] | Any) -> int:
        """Run one statement per row; returns the number of rows it changed."""
        text = self.dialect.sql(sql)
        rows = list(rows)
        return int(self._run(lambda conn: self.dialect.executemany(conn, text, rows)))

    def insert(self, sql: str, params: Params = ()) -> int:
        """An ``INSERT ... RETURNING id``; returns the new row's id."""
        rows = self.execute(sql, params).fetchall()
        return int(rows[0][0])

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Rows that read by column name and by position (``row["id"]``, ``row[0]``)."""
        return self.dialect.rows(self.execute(sql, params))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- about the catalog -----------------------------------------------------------------
    def schema_version(self) -> int:
        """The catalog's schema version (see catalog/migrations.py)."""
        return self.dialect.schema_version(self.conn)

    def data_version(self) -> int:
        """Changes when another connection commits (used to notice other programs' writes)."""
        return self.dialect.change_token(self.conn)

    @store_writer
    def repair_schema(self) -> RepairReport:
        """Remove schema objects mediadesk did not make, rebuild its own (``catalog repair``)."""
        if self.readonly:
            raise CatalogError(f"the catalog {self.path} is read-only ({self.readonly_reason}); "
                               "make it writable to repair it")
        return self.dialect.repair_schema(self.conn, self.schema_version())

    def close(self) -> None:
        self.closed = True
        self._close_quietly()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_catalog(path: str | os.PathLike[str], *, readonly: bool = False, create: bool = True,
                 schema: SchemaMode = "refuse", upgrade: bool = False) -> Catalog:
    return Catalog(path, readonly=readonly, create=create, schema=schema, upgrade=upgrade)
