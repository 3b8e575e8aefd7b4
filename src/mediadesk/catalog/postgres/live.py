"""What the other desks changed: the change log of a team catalog, woken by LISTEN/NOTIFY.

Every write to a team catalog adds rows to ``mediadesk.change_log`` (which table, which ids or
keys, never the rows themselves) and sends a NOTIFY on ``mediadesk_changes`` at commit
(postgres/migrations.py). A :class:`ChangeFeed` holds a connection of its own that listens; its
:meth:`~ChangeFeed.fileno` wakes a ``QSocketNotifier`` in the window (no thread, no polling of
the catalog) and :meth:`~ChangeFeed.read` returns the log's rows after the last one it returned.

Notifications are only a wake-up call: they are lost while a desk is disconnected and carry
nothing but a log id. The log is the truth. After a reconnect :meth:`~ChangeFeed.read` goes on from
its position, so nothing committed meanwhile is missed; if the log was trimmed past that
position the feed says so (:attr:`Changes.complete` is False) and the desk reloads what it shows.
The same position is what a copy that works offline would keep to sync later.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mediadesk.catalog.postgres.connect import connect
from mediadesk.catalog.postgres.migrations import NOTIFY_CHANNEL
from mediadesk.domain.errors import CatalogError

_BATCH = 5000
TRIMMED_KEY = "change_log.trimmed_through"
KEEP_DAYS = 30


@dataclass(frozen=True)
class Change:
    """One statement's worth of changes to one table."""
    id: int
    at: datetime
    entity: str                   # the table: assets, galleries, gallery_assets, settings, ...
    op: str                       # insert | update | delete
    ids: tuple[int, ...] = ()
    keys: tuple[str, ...] = ()
    desk: str | None = None       # the desk that made it (None: a writer outside mediadesk)
    who: str = ""                 # the database role


@dataclass
class Changes:
    """What :meth:`ChangeFeed.read` found: the changes in commit order, and whether they are all
    there is (False: the log was trimmed past this desk's position, or a reconnect failed once)."""
    items: list[Change] = field(default_factory=list)
    complete: bool = True

    def __bool__(self) -> bool:
        return bool(self.items) or not self.complete

    def ids_of(self, entity: str) -> set[int]:
        return {i for c in self.items if c.entity == entity for i in c.ids}

    def keys_of(self, entity: str) -> set[str]:
        return {k for c in self.items if c.entity == entity for k in c.keys}

    def entities(self) -> set[str]:
        return {c.entity for c in self.items}


class ConnectionLost(CatalogError):
    """The feed's connection to the team catalog broke; :meth:`ChangeFeed.reconnect` resumes."""


class ChangeFeed:
    def __init__(self, url: str, *, since: int | None = None, password: str | None = None,
                 opener: Callable[..., Any] = connect) -> None:
        """``since``: the last change this desk has seen (None: from now on)."""
        self.url = url
        self.position = since
        self._password = password
        self._opener = opener
        self.conn: Any = None

    # -- connection ----------------------------------------------------------------------------
    def open(self) -> ChangeFeed:
        conn = self._opener(self.url, password=self._password)
        try:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            if self.position is None:
                self.position = conn.execute("SELECT coalesce(max(id), 0) FROM mediadesk.change_log").fetchone()[0]
        except BaseException:
            conn.close()
            raise
        self.conn = conn
        return self

    def reconnect(self) -> None:
        """A new connection that listens again; the next :meth:`read` catches up from the
        position (raises CatalogError while the server cannot be reached)."""
        self.close()
        self.open()

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None

    @property
    def connected(self) -> bool:
        return self.conn is not None and not self.conn.closed

    def fileno(self) -> int:
        """The socket that becomes readable when a notification arrives."""
        if self.conn is None:
            raise ConnectionLost("the change feed is not connected")
        return int(self.conn.fileno())

    # -- reading ---------------------------------------------------------------------------------
    def read(self) -> Changes:
        """Every change committed after the position (in commit order), and move past them."""
        import psycopg

        if self.conn is None:
            raise ConnectionLost("the change feed is not connected")
        try:
            for _notify in self.conn.notifies(timeout=0):   # drain the wake-ups; the log is the truth
                pass
            found = Changes()
            trimmed = self.conn.execute("SELECT value FROM mediadesk.settings WHERE key = %s",
                                        (TRIMMED_KEY,)).fetchone()
            if trimmed and str(trimmed[0]).isdigit() and int(trimmed[0]) > (self.position or 0):
                found.complete = False     # trimmed past us: the caller reloads what it shows
                self.position = int(trimmed[0])
            while True:
                rows = self.conn.execute(
                    "SELECT id, at, entity, op, ids, keys, desk, who FROM mediadesk.change_log"
                    " WHERE id > %s ORDER BY id LIMIT %s", (self.position or 0, _BATCH)).fetchall()
                for row in rows:
                    found.items.append(Change(row[0], row[1], row[2], row[3], tuple(row[4] or ()),
                                              tuple(row[5] or ()), row[6], row[7] or ""))
                if rows:
                    self.position = rows[-1][0]
                if len(rows) < _BATCH:
                    return found
        except psycopg.OperationalError as exc:
            self.close()
            raise ConnectionLost(f"the connection to the team catalog was lost ({exc}); "
                                 "changes made meanwhile are read after reconnecting") from None

    def wait(self, timeout: float) -> Changes:
        """Block until a change arrives or ``timeout`` seconds pass (scripts, benchmarks; the
        window uses :meth:`fileno` with a socket notifier instead)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.read()
            if found:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return found
            select.select([self.fileno()], [], [], remaining)

    def __enter__(self) -> ChangeFeed:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()


def trim(conn: Any, keep_days: int = KEEP_DAYS) -> int:
    """Drop the log's rows older than ``keep_days`` (a desk away longer reloads instead of
    catching up); returns how many. Takes the catalog's write lock for the moment it needs."""
    from mediadesk.catalog.postgres.migrations import WRITE_LOCK_KEY

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        cut = conn.execute("SELECT max(id) FROM mediadesk.change_log WHERE at < now() - make_interval(days => %s)",
                           (keep_days,)).fetchone()[0]
        if cut is None:
            return 0
        gone = conn.execute("DELETE FROM mediadesk.change_log WHERE id <= %s", (cut,)).rowcount
        conn.execute("INSERT INTO mediadesk.settings (key, value) VALUES (%s, %s)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (TRIMMED_KEY, str(cut)))
        return int(gone)
