"""Edits, undo and redo through the edit service on the writer lane (history lives in the catalog).

A rights profile chosen in the inspector goes through the rights service, like ``rights assign``.

On a team catalog two more things can happen to a typed edit. Another desk changed the field
since this desk read it: the edit service does not write it and the controller emits
``conflicts`` with both values (the window asks which one stays). The server cannot be reached:
nothing was saved; the edit is kept (``unsaved``: the inspector keeps what was typed) and tried
again with a growing pause, checked against the same values read, until it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import CatalogUnreachable
from mediadesk.services.edits import EditResult, apply_edits, redo, undo
from mediadesk.services.rights import assign_profile

from mediadesk.ui.catalog_events import CatalogEvents
from mediadesk.ui.runner import CatalogLane

RETRY_MS = (2000, 5000, 10000, 20000)


@dataclass
class PendingEdit:
    """A typed edit not saved yet because the team catalog could not be reached."""
    edits: dict
    description: str
    read: dict | None
    why: str
    attempts: int = 0


@dataclass(frozen=True)
class _Unreachable:
    why: str


class HistoryController(QObject):
    message = Signal(str)   # what happened, for the status bar
    conflicts = Signal(object, str)      # [Conflict], the edit's description: nothing of them saved
    unsaved = Signal(object)             # PendingEdit: kept, tried again
    saved_late = Signal(object)          # PendingEdit: saved after all

    def __init__(self, catalog: Catalog, writer: CatalogLane, events: CatalogEvents,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history = catalog.history
        self._writer = writer
        self._events = events
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        for extra in (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.triggered.connect(self.redo)
        self.pending: list[PendingEdit] = []
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.retry_pending)
        self.update_actions()

    def apply(self, edits: dict, description: str, read: dict | None = None) -> None:
        """Apply {asset id: {field: value}} as one undoable operation. ``read``: {asset id:
        {field: value shown when typing began}}; a field changed elsewhere since is a conflict."""
        if not edits:
            return
        profiles = {values.get("rights_profile_id") for values in edits.values()}
        if all(set(values) == {"rights_profile_id"} for values in edits.values()) and len(profiles) == 1:
            (profile_id,) = profiles
            self._writer.submit(lambda catalog: assign_profile(catalog, list(edits), profile_id),
                                lambda result: self._done(result, description), on_error=self._error)
            return
        self._submit(PendingEdit(edits, description, read, ""))

    def _submit(self, edit: PendingEdit) -> None:
        def work(catalog: Catalog):
            try:
                return apply_edits(catalog, edit.edits, description=edit.description, expected=edit.read)
            except CatalogUnreachable as exc:
                return _Unreachable(str(exc))

        self._writer.submit(work, lambda result: self._edit_done(edit, result), on_error=self._error)

    def _edit_done(self, edit: PendingEdit, result) -> None:
        if isinstance(result, _Unreachable):
            edit.why = result.why
            delay = RETRY_MS[min(edit.attempts, len(RETRY_MS) - 1)]
            edit.attempts += 1
            if edit not in self.pending:
                self.pending.append(edit)
            self.unsaved.emit(edit)
            self.message.emit(f"{edit.description}: NOT saved yet, the team catalog cannot be reached "
                              f"({result.why}). What you typed is kept; trying again in {delay // 1000} s.")
            if not self._retry.isActive() or self._retry.remainingTime() > delay:
                self._retry.start(delay)
            return
        if edit in self.pending:
            self.pending.remove(edit)
            self.saved_late.emit(edit)
        self._done(result, edit.description)
        if result is not None and result.conflicts:
            self.conflicts.emit(list(result.conflicts), edit.description)

    def retry_pending(self) -> None:
        """Try the kept edits again now (the timer does, and so does the window when the team
        catalog is back), in the order they were typed."""
        self._retry.stop()
        for edit in list(self.pending):
            self._submit(edit)

    def run(self, service: Callable[[Catalog], EditResult], description: str,
            then: Callable[[EditResult], None] | None = None) -> None:
        """Run an edit service (chapters, links) on the writer lane as one undoable operation."""
        def done(result: EditResult) -> None:
            self._done(result, description)
            if then is not None:
                then(result)
        self._writer.submit(service, done, on_error=self._error)

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
