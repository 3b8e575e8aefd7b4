"""Tells the model which rows a view shows, so it reads exactly those pages off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView


class VisibleRowsReporter(QObject):
    """After a scroll, resize or new result set (coalesced to once per event-loop turn) calls
    ``report(first, last)`` with the rows ``view.visible_range()`` says are on screen."""

    def __init__(self, view: QAbstractItemView, report: Callable[[int, int], None]) -> None:
        super().__init__(view)
        self._view = view
        self._report = report
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.report_now)
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self.schedule)
        bar.rangeChanged.connect(self.schedule)
        view.viewport().installEventFilter(self)
        self._model = None
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
        if event.type() in (QEvent.Resize, QEvent.Show):
            self.schedule()
        return False

    def report_now(self) -> None:
        if self._view.isVisible() and self._view.model() is not None and self._view.model().rowCount():
            first, last = self._view.visible_range()
            self._report(first, last)
