"""What the main window does differently on a team catalog, and what a typed edit may meet.

- Other desks' commits arrive through the change feed (:class:`TeamChangeWatcher`), not by
  polling; a desk catalog keeps its :class:`ExternalChangeWatcher`.
- Thumbnails missing from this desk's cache are fetched from the team catalog on the thumbnail
  loader's worker threads (:class:`~mediadesk.catalog.thumbnails.ThumbnailFetcher`).
- Whether a storage root's share is reachable is checked on a thread of its own, never while
  the grid paints (a hung network mount would freeze the window); an answer that changes
  repaints the grid and the preview.
- A label in the status bar names the team catalog and says, in red, when it is out of reach
  and how many typed edits wait to be saved; when the feed is back, kept edits are tried again.
- A typed edit that met another desk's change opens :class:`ConflictDialog`; one not saved
  because the server was away stays typed in the inspector (HistoryController keeps it).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.postgres.live import ChangeFeed
from mediadesk.catalog.roots import OFFLINE_CHECK_S
from mediadesk.catalog.thumbnails import ThumbnailFetcher
from mediadesk.domain.errors import CatalogError

from mediadesk.ui.catalog_events import CatalogEvents, ExternalChangeWatcher
from mediadesk.ui.conflict_dialog import ConflictDialog
from mediadesk.ui.inspector import Inspector
from mediadesk.ui.team_watch import TeamChangeWatcher
from mediadesk.ui.thumbnail_loader import ThumbnailLoader
from mediadesk.ui.undo import HistoryController

ONLINE_STYLE = "color: palette(mid); padding: 0 6px;"
LOST_STYLE = "color: white; background: #b91c1c; padding: 0 6px; border-radius: 3px;"


def change_watcher(catalog: Catalog, events: CatalogEvents, parent: QObject):
    """The window's ear on other programs' and desks' commits."""
    if catalog.url is None:
        return ExternalChangeWatcher(catalog, events, parent=parent)
    feed = ChangeFeed(catalog.url)
    try:
        feed.open()
    except CatalogError:
        pass          # the watcher says so and retries
    return TeamChangeWatcher(feed, events, own_desk=catalog.desk, parent=parent)


class EditOutcomes(QObject):
    """Conflicts shown with both values; unsaved edits kept in the inspector until saved."""

    def __init__(self, window: QMainWindow, history: HistoryController, inspector: Inspector) -> None:
        super().__init__(window)
        self._window = window
        self._history = history
        self._inspector = inspector
        self.dialogs: list[ConflictDialog] = []
        history.conflicts.connect(self.show_conflicts)
        history.unsaved.connect(lambda edit: inspector.keep_unsaved(edit.edits, _first(edit.edits), edit.read))
        history.saved_late.connect(lambda edit: inspector.settle(edit.edits, _first(edit.edits)))

    def show_conflicts(self, conflicts, description: str) -> ConflictDialog:
        dialog = ConflictDialog(conflicts, description, self._window)
        dialog.overwrite.connect(self._history.apply)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog) if dialog in self.dialogs else None)
        self.dialogs.append(dialog)
        dialog.show()
        return dialog


def _first(edits: dict) -> dict:
    return next(iter(edits.values()), {})


class TeamLink(QObject):
    """The team catalog's label in the status bar, its thumbnail fetcher, and the word that a
    storage root went offline or came back (``roots_changed``, on the GUI thread)."""

    roots_changed = Signal()
    _root_answer = Signal()    # emitted on a root check's thread

    def __init__(self, window: QMainWindow, catalog: Catalog, watcher: TeamChangeWatcher,
                 history: HistoryController, loader: ThumbnailLoader) -> None:
        super().__init__(window)
        self._catalog = catalog
        self._root_answer.connect(self.roots_changed, Qt.ConnectionType.QueuedConnection)
        catalog.paths.check_in_background(self._announce_roots)
        self._root_timer = QTimer(self, interval=int(OFFLINE_CHECK_S * 1000))
        self._root_timer.timeout.connect(catalog.paths.recheck)
        self._root_timer.start()
        self.location = catalog.location
        self._history = history
        self._lost = ""
        self.label = QLabel(window)
        self.label.setObjectName("teamStatus")
        window.statusBar().addPermanentWidget(self.label)
        self.fetcher = ThumbnailFetcher(catalog.target)
        loader.fetch = self.fetcher
        watcher.status.connect(self._on_status)
        history.unsaved.connect(lambda _edit: self.update())
        history.saved_late.connect(lambda _edit: self._saved_late(watcher))
        self.update()

    def _announce_roots(self) -> None:
        """(on a root check's thread) Passed to the GUI thread by the queued connection."""
        try:
            self._root_answer.emit()
        except RuntimeError:
            pass   # the window is gone: nobody to tell

    def _saved_late(self, watcher: TeamChangeWatcher) -> None:
        """A kept edit reached the server: the feed can reconnect too, at once."""
        if self._lost:
            watcher.retry_now()
        self.update()

    def _on_status(self, message: str) -> None:
        was_lost, self._lost = self._lost, message
        self.update()
        if was_lost and not message:
            self._history.retry_pending()       # back: save what was kept at once

    @property
    def lost(self) -> bool:
        return bool(self._lost)

    def update(self) -> None:
        waiting = len(self._history.pending)
        kept = f" · {waiting} edit{'s' if waiting != 1 else ''} not saved yet, kept" if waiting else ""
        if self._lost or waiting:
            self.label.setText("Team catalog out of reach, retrying" + kept)
            self.label.setStyleSheet(LOST_STYLE)
            self.label.setToolTip(self._lost or "The last save could not reach the team catalog.")
        else:
            self.label.setText(f"Team catalog: {self.location}")
            self.label.setStyleSheet(ONLINE_STYLE)
            self.label.setToolTip("Changes made at other desks appear here as they are saved.")

    def stop(self) -> None:
        self._root_timer.stop()
        self._catalog.paths.check_in_background(None)
        self.fetcher.close()
