"""Tells the model which rows a view shows, so it reads exactly those pages off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView


@runtime_checkable
class ShowsRows(Protocol):
    """A view that says which rows it has on screen (the grid and the table)."""

    def visible_range(self) -> tuple[int, int]: ...


class VisibleRowsReporter(QObject):
    """After a scroll, resize or new result set (coalesced to once per event-loop turn) calls
    ``report(first, last)`` with the rows ``view.visible_range()`` says are on screen."""

    def __init__(self, view: QAbstractItemView, report: Callable[[int, int], None]) -> None:
        super().__init__(view)
        if not isinstance(view, ShowsRows):
            raise TypeError(f"{type(view).__name__} has no visible_range()")
        self._view = view
        self._visible_range = view.visible_range
        self._report = report
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.report_now)
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self.schedule)
        bar.rangeChanged.connect(self.schedule)
        view.viewport().installEventFilter(self)
        self._model: QAbstractItemModel | None = None
        self.attach_model()

    def attach_model(self) -> None:
        model = self._view.model()
        if model is not None and model is not self._model:
            self._model = model
            model.modelReset.connect(self.schedule)
            model.layoutChanged.connect(self.schedule)
            model.dataChanged.connect(self._on_data_changed)

    def _on_data_changed(self, *_args) -> None:
        # a page was re-read elsewhere or dropped: the screen may still miss rows
        self.schedule()

    def schedule(self, *_args) -> None:
        if self._view.isVisible():
            self._timer.start()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.schedule()
        return False

    def report_now(self) -> None:
        model = self._view.model()
        if self._view.isVisible() and model is not None and model.rowCount():
            first, last = self._visible_range()
            self._report(first, last)
