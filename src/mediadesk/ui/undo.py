"""Edits, undo and redo through the edit service on the writer lane (history lives in the catalog).

A rights profile chosen in the inspector goes through the rights service, like ``rights assign``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from mediadesk.catalog.connection import Catalog
from mediadesk.services.edits import EditResult, apply_edits, redo, undo
from mediadesk.services.rights import assign_profile

from mediadesk.ui.catalog_events import CatalogEvents
from mediadesk.ui.runner import CatalogLane


class HistoryController(QObject):
    message = Signal(str)   # what happened, for the status bar

    def __init__(self, catalog: Catalog, writer: CatalogLane, events: CatalogEvents,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history = catalog.history
        self._writer = writer
        self._events = events
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.Undo))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        redo_keys = QKeySequence.keyBindings(QKeySequence.Redo)
        for extra in (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.triggered.connect(self.redo)
        self.update_actions()

    def apply(self, edits: dict, description: str) -> None:
        """Apply {asset id: {field: value}} as one undoable operation."""
        if not edits:
            return
        profiles = {values.get("rights_profile_id") for values in edits.values()}
        if all(set(values) == {"rights_profile_id"} for values in edits.values()) and len(profiles) == 1:
            (profile_id,) = profiles
            self._writer.submit(lambda catalog: assign_profile(catalog, list(edits), profile_id),
                                lambda result: self._done(result, description), on_error=self._error)
            return
        self._writer.submit(lambda catalog: apply_edits(catalog, edits, description=description),
                            lambda result: self._done(result, description), on_error=self._error)

    def undo(self) -> None:
        self._writer.submit(undo, lambda result: self._done(result, None, "Undid"), on_error=self._error)

    def redo(self) -> None:
        self._writer.submit(redo, lambda result: self._done(result, None, "Redid"), on_error=self._error)

    def _done(self, result: EditResult | None, description: str | None, verb: str = "") -> None:
        if result is None:
            self.message.emit("Nothing to undo." if verb == "Undid" else "Nothing to redo.")
        else:
            op = self._history.get(result.operation_id) if result.operation_id else None
            if verb and op is not None:
                self.message.emit(f"{verb}: {op.description}")
            elif description and result.count:
                assets = len({c[0] for c in result.changed})
                self.message.emit(f"{description}: saved" + (f" on {assets:,} assets" if assets > 1 else ""))
            if result.skipped:
                self.message.emit(f"{len(result.skipped):,} values were edited again since and were kept: "
                                  + result.skipped[0])
            if not result.changes.empty:
                self._events.changed.emit(result.changes)
        self.update_actions()

    def _error(self, message: str) -> None:
        self.message.emit(f"Not saved: {message}")
        self.update_actions()

    def update_actions(self) -> None:
        last = self._history.last_undoable()
        following = self._history.next_redoable()
        self.undo_action.setEnabled(last is not None)
        # "&" in a description (a gallery "Q&A") is text, not an access letter
        self.undo_action.setText(f"&Undo {last.description.replace('&', '&&')}" if last else "&Undo")
        self.redo_action.setEnabled(following is not None)
        self.redo_action.setText(f"&Redo {following.description.replace('&', '&&')}" if following else "&Redo")
