"""The window's ear on a team catalog: other desks' commits, within a second, without polling.

A :class:`TeamChangeWatcher` puts a ``QSocketNotifier`` on the socket of a
:class:`~mediadesk.catalog.postgres.live.ChangeFeed`; when the server sends a NOTIFY the GUI
thread wakes, reads the change log's new rows (ids, never rows) and emits precise
:class:`~mediadesk.domain.changes.Changes` on ``CatalogEvents.changed``: the assets that changed,
whether results, galleries, rights or the undo history may differ. This desk's own writes are
announced by the code that made them, so the watcher skips the log rows stamped with its desk id.

When the connection breaks the watcher says so (``status``), retries with a growing pause, and
after reconnecting reads everything committed meanwhile; a desk that was away longer than the log
keeps is told to reload everything (:func:`~mediadesk.ui.catalog_events.external_changes`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from mediadesk.catalog.postgres.live import ChangeFeed, Changes as LogChanges
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import CatalogError
from mediadesk.domain.fields import FIELDS

from mediadesk.ui.catalog_events import CatalogEvents, external_changes

RETRY_MS = (1000, 2000, 5000, 10000)
TEAM = "team"          # key in Changes.extra: another desk's commit, with what it touched
_ALL_FIELDS = frozenset(f.name for f in FIELDS)


def to_changes(log: LogChanges, own_desk: str | None) -> Changes:
    """What the window needs to redraw for these change-log rows (this desk's own left out)."""
    if not log.complete:
        return external_changes()
    assets: set[int] = set()
    added = galleries = rights = history = False
    extra: dict = {TEAM: True}
    fields: frozenset[str] = frozenset()
    for change in log.items:
        if own_desk is not None and change.desk == own_desk:
            continue
        entity = change.entity
        if entity == "assets":
            assets.update(change.ids)
            if change.op == "update":
                fields = _ALL_FIELDS      # the log names rows, not fields
            else:
                added = True
        elif entity in ("galleries", "gallery_assets"):
            galleries = True
            if entity == "gallery_assets":
                assets.update(change.ids)
        elif entity == "asset_links":     # a document's links (ids: the documents)
            assets.update(change.ids)
        elif entity == "rights_profiles":
            rights = True
        elif entity in ("edit_operations", "export_ledger"):
            history = history or entity == "edit_operations"
            extra[entity] = True
        elif entity == "import_batches":
            added = True
        else:   # settings, templates, codes, saved searches, people, roots, thumbnails
            extra.setdefault("tables", set()).add(entity)
            if entity == "thumbnails":
                extra.setdefault("thumbnails", set()).update(change.keys)
    return Changes(assets=frozenset(assets), fields=fields if assets else frozenset(), added=added,
                   galleries=galleries, rights=rights, history=history, extra=extra)


class TeamChangeWatcher(QObject):
    """Other desks' commits as ``events.changed``; ``status`` says when the team catalog is out
    of reach (a message) and back (an empty string)."""

    status = Signal(str)

    def __init__(self, feed: ChangeFeed, events: CatalogEvents, own_desk: str | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feed = feed
        self._events = events
        self._own_desk = own_desk
        self._notifier: QSocketNotifier | None = None
        self._attempt = 0
        self.lost_message = ""
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._reconnect)
        self.suppress = lambda: False
        if feed.connected:
            self._listen()
        else:
            self._reconnect()

    # the ExternalChangeWatcher's interface, so the window treats both alike
    def acknowledge(self) -> None:
        """Our own writes are announced by whoever made them; nothing to remember here."""

    def poll(self) -> None:
        """Read what arrived (the socket notifier calls this; so may a test or a menu action)."""
        if not self._feed.connected:
            return
        try:
            log = self._feed.read()
        except CatalogError as exc:
            self._lost(str(exc))
            return
        if not log:
            return
        changes = to_changes(log, self._own_desk)
        if not changes.empty or not log.complete or len(changes.extra) > 1:
            self._events.changed.emit(changes)

    def retry_now(self) -> None:
        """Out of reach: try to reconnect now rather than at the end of the pause (a save just
        reached the server, so the feed probably can too)."""
        if not self._feed.connected:
            self._retry.stop()
            self._reconnect()

    def stop(self) -> None:
        self._retry.stop()
        self._drop_notifier()
        self._feed.close()

    # -- connection ------------------------------------------------------------------------------
    def _listen(self) -> None:
        self._drop_notifier()
        self._notifier = QSocketNotifier(self._feed.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.poll)
        self._attempt = 0
        if self.lost_message:
            self.lost_message = ""
            self.status.emit("")
        self.poll()            # whatever was committed while we were away

    def _drop_notifier(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def _lost(self, why: str) -> None:
        self._drop_notifier()
        self._feed.close()
        delay = RETRY_MS[min(self._attempt, len(RETRY_MS) - 1)]
        self._attempt += 1
        self.lost_message = (f"The team catalog cannot be reached ({why}). Other desks' changes will "
                             f"show when it is back; trying again in {delay // 1000} s.")
        self.status.emit(self.lost_message)
        self._retry.start(delay)

    def _reconnect(self) -> None:
        try:
            self._feed.reconnect()
        except CatalogError as exc:
            self._lost(str(exc))
            return
        self._listen()
