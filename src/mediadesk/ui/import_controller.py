"""Imports (and the demo library) as jobs of the window's runner, with progress and Cancel in
the status bar.

The job has its own catalog connection and calls the import service; each committed batch is
announced as Changes so the views show new assets while the import goes on. Progress arrives
every 100 ms and is only shown after 600 ms, so a quick import never flashes a bar. Cancel sets
the job's flag: the import stops between files and keeps what it committed. Imports asked for
while one runs wait their turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.changes import Changes
from mediadesk.jobs import Job, Progress

from mediadesk.ui.runner import CatalogRunner, RunningJob

if TYPE_CHECKING:
    from mediadesk.services.importer import ImportReport

SHOW_AFTER_S = 0.6

# work(catalog, job, on_batch) -> ImportReport
Work = Callable[[Catalog, Job, Callable[[list[int], Changes], None]], "ImportReport"]


class ProgressWidget(QWidget):
    """Label, bar and Cancel button for the status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.setToolTip("Stop the import; everything imported so far stays")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()


class ImportController(QObject):
    changed = Signal(object)        # Changes, as each batch lands
    finished = Signal(object)       # ImportReport
    failed = Signal(str)            # why an import could not run
    running_changed = Signal(bool)

    def __init__(self, runner: CatalogRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.workers: int | None = None   # processes for probing; 0 = in this process (tests)
        self.progress = ProgressWidget()
        self.progress.cancel_button.clicked.connect(self.cancel)
        self._running: RunningJob | None = None
        self._queue: list[tuple[str, Work]] = []
        self._label = ""
        self._started = 0.0
        self.last_report: ImportReport | None = None

    @property
    def running(self) -> bool:
        return self._running is not None

    def import_paths(self, paths: list[str], gallery: str | None = None) -> None:
        paths = [p for p in paths if p]
        if not paths:
            return
        workers = self.workers
        what = paths[0] if len(paths) == 1 else f"{len(paths)} items"
        label = f"Importing {what}" + (f' into "{gallery}"' if gallery else "")

        def work(catalog: Catalog, job: Job, on_batch) -> ImportReport:
            # imported on the job's thread when an import starts: the import service brings
            # the media libraries (PyAV, exiv2, Pillow), too much for every start of the window
            from mediadesk.services.importer import import_paths

            return import_paths(catalog, paths, gallery=gallery, job=job, workers=workers, on_batch=on_batch)

        self.run(label, work)

    def run(self, label: str, work: Work) -> None:
        """Run ``work`` on the worker thread (queued behind a running import)."""
        self._queue.append((label, work))
        if self._running is None:
            self._start_next()

    def cancel(self) -> None:
        self._queue.clear()
        if self._running is not None:
            self._running.cancel()
            self.progress.label.setText("Cancelling… (keeping what was imported)")
            self.progress.cancel_button.setEnabled(False)

    def _start_next(self) -> None:
        if not self._queue or self._runner.stopped:
            return
        self._label, work = self._queue.pop(0)

        def run(catalog: Catalog, job: Job, report: Callable[[Changes], None]) -> ImportReport:
            return work(catalog, job, lambda _ids, changes: report(changes))

        running = self._runner.start_job(self._label, run, subject="the import")
        running.changed.connect(self.changed)
        running.progress.connect(self._show)
        running.finished.connect(lambda report: self._on_done(report, ""))
        running.failed.connect(lambda error: self._on_done(None, error))
        self._running = running
        self._started = time.monotonic()
        self.progress.cancel_button.setEnabled(True)
        self.progress.label.setText(self._label)
        self.progress.bar.setRange(0, 0)
        self.running_changed.emit(True)

    def _show(self, snap: Progress) -> None:
        if self._running is None:
            return
        if snap.cancelled:
            return
        if time.monotonic() - self._started >= SHOW_AFTER_S and self.progress.isHidden():
            self.progress.show()
        if snap.total:
            self.progress.bar.setRange(0, snap.total)
            self.progress.bar.setValue(snap.done)
            text = f"{self._label}: {snap.done:,} of {snap.total:,} files"
            if snap.rate:
                text += f" · {snap.rate:.0f}/s"
            if snap.eta and snap.eta > 2:
                text += f" · {_eta(snap.eta)} left"
        else:
            self.progress.bar.setRange(0, 0)
            text = f"{self._label}: {snap.label or 'looking for files'}…"
        self.progress.label.setText(text)

    def _on_done(self, report: ImportReport | None, error: str) -> None:
        self._running = None
        self.progress.hide()
        if report is not None:
            self.last_report = report
            self.finished.emit(report)
        else:
            self.failed.emit(error)
        if self._queue:
            self._start_next()
        else:
            self.running_changed.emit(False)

    def stop(self) -> None:
        """Window closing: cancel and wait for the job to leave the catalog consistent; nothing
        it still sends is delivered."""
        self._queue.clear()
        running, self._running = self._running, None
        if running is not None:
            running.stop()


def _eta(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
