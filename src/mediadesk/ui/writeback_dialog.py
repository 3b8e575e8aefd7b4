"""Write Metadata to Files (File menu and the grid's context menu): the catalog's captions,
people, place, rights and marks into the original files, after a preview.

The preview is ``writeback --dry-run``: each file that would change, where it goes (inside the
file, or an XMP sidecar for videos, read-only and signed files) and each field's value in the
file against the catalog's. Write runs the same service for real. Both are jobs of the window's
runner (ui/runner.py: their own thread and connection, progress every 100 ms, Cancel stops
between files; a file is replaced atomically or not at all).
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.jobs import Job, Progress
from mediadesk.services.activity import write_back
from mediadesk.services.find_replace import display_value
from mediadesk.services.writeback import WritebackReport

from mediadesk.ui.runner import CatalogRunner, JobWork, RunningJob

VALUE_CHARS = 120


def _work(ids: list[int], dry_run: bool, workers: int | None) -> JobWork:
    def work(catalog: Catalog, job: Job, _report: object) -> WritebackReport:
        return write_back(catalog, ids, dry_run=dry_run, job=job, workers=workers)
    return work


def _short(value: object) -> str:
    text = display_value(value).replace("\n", " ⏎ ") or "(empty)"
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS - 1] + "…"


class WritebackDialog(QDialog):
    #: Files were written: the Changes (file facts of the assets) for the window.
    written = Signal(object)

    def __init__(self, asset_ids: list[int], parent: QWidget | None = None, *, runner: CatalogRunner,
                 workers: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("writebackDialog")
        self.asset_ids = list(asset_ids)
        self.runner = runner
        self.workers = workers
        self.preview: WritebackReport | None = None
        self.report: WritebackReport | None = None
        self.job: RunningJob | None = None
        self.setWindowTitle(f"Write metadata to {len(self.asset_ids):,} file(s)")
        self.resize(980, 620)
        intro = QLabel("Nothing is written until you press Write. Only fields that differ are written; "
                       "pixels are never re-encoded, and each file is replaced whole or not at all. "
                       "Picks stay in the catalog.", self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setAccessibleName("Files and fields that would be written")
        self.table.setHorizontalHeaderLabels(["File", "Written to", "Field", "In the file now", "From the catalog"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(self)
        self.write_button = self.buttons.addButton("&Write", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("&Stop", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.write_button.setEnabled(False)
        self.cancel_button.setVisible(False)
        self.write_button.clicked.connect(self.write)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._start(dry_run=True)

    # -- jobs -----------------------------------------------------------------------------
    def _start(self, *, dry_run: bool) -> None:
        label = "Checking the files" if dry_run else "Writing metadata"
        self.job = self.runner.start_job(label, _work(self.asset_ids, dry_run, self.workers),
                                         total=len(self.asset_ids), subject="the write-back")
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._previewed if dry_run else self._written)
        self.job.failed.connect(self._failed)
        self.job.ended.connect(self._ended)
        self.progress.setVisible(True)
        self.progress.setRange(0, max(1, len(self.asset_ids)))
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.write_button.setEnabled(False)
        self.summary.setText(f"{label}…")

    def _progress(self, snap: Progress) -> None:
        self.progress.setMaximum(max(1, snap.total or 1))
        self.progress.setValue(snap.done)
        self.progress.setFormat(f"%v / %m files · {snap.label}" if snap.label else "%v / %m files")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Stopping after the file in hand (every file written so far is whole)…")

    def _ended(self) -> None:
        self.job = None
        self.cancel_button.setVisible(False)
        self.progress.setVisible(False)

    def _failed(self, message: str) -> None:
        self.summary.setText(f"<span style='color:#b71c1c'><b>Stopped:</b> {_html(message)}</span>")

    # -- results --------------------------------------------------------------------------
    def _previewed(self, report: WritebackReport) -> None:
        self.preview = report
        self._fill(report)
        going = report.count("would-write")
        text = (f"<b>{going:,}</b> file(s) would be written, {report.count('unchanged'):,} already up to date"
                + self._problems(report))
        if report.cancelled:
            text += " — checking was stopped; the list is not complete."
        self.summary.setText(text)
        self.write_button.setText(f"&Write {going:,} File(s)" if going else "&Write")
        self.write_button.setEnabled(going > 0)
        self.write_button.setDefault(going > 0)

    def write(self) -> None:
        if self.preview is None or self.job is not None:
            return
        self.asset_ids = [f.asset_id for f in self.preview.files if f.status == "would-write"]
        if self.asset_ids:
            self._start(dry_run=False)

    def _written(self, report: WritebackReport) -> None:
        self.report = report
        self._fill(report)
        text = f"<b>Wrote {report.count('written'):,} file(s)</b>" + self._problems(report)
        if report.cancelled:
            text += "; stopped before the rest (they were not touched)"
        self.summary.setText(text + ".")
        self.write_button.setEnabled(False)
        if not report.changes.empty:
            self.written.emit(report.changes)

    @staticmethod
    def _problems(report: WritebackReport) -> str:
        failed = report.failed
        if not failed:
            return ""
        first = failed[0]
        return (f", <span style='color:#b71c1c'>{len(failed):,} cannot be written</span> "
                f"(asset {first.asset_id}: {_html(first.error or first.status)})")

    def _fill(self, report: WritebackReport) -> None:
        rows: list[tuple[str, str, str, str, str, bool]] = []
        for f in report.files:
            if f.status == "unchanged":
                continue
            name = os.path.basename(f.path)
            if f.status in ("failed", "skipped"):
                rows.append((name, "—", "not written", f.error or "", "", True))
                continue
            where = "XMP sidecar" if f.target == "sidecar" else "inside the file"
            for field, old, new in f.changes:
                label = FIELD_BY_NAME[field].label if field in FIELD_BY_NAME else field
                rows.append((name, where, label, _short(old), _short(new), False))
        self.table.setRowCount(len(rows))
        for row, (*cells, problem) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if problem:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)

    # -- closing --------------------------------------------------------------------------
    def reject(self) -> None:
        running, self.job = self.job, None
        if running is not None:
            running.stop()      # cancels and waits: a file is never left half written
        super().reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
