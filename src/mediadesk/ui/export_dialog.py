"""The Export dialog: declare a purpose, see what will go and what is blocked (and why), export.

The preview is the same plan the command line prints (services.export.plan_export, which asks
rights.policy); blocked rows are marked and never written. The export is a job of the window's
runner (ui/runner.py: its own thread and catalog connection, progress every 100 ms); Cancel sets
the job's flag and the service removes the unfinished bundle.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.credentials import has_credentials
from mediadesk.domain.errors import MediadeskError
from mediadesk.domain.rights import Purpose
from mediadesk.jobs import Job, Progress
from mediadesk.services.activity import export_bundle
from mediadesk.services.export import ExportOptions, ExportPlan, ExportResult, plan_export
from mediadesk.services.naming import DEFAULT_PATTERN, VARIABLES, clean_component
from mediadesk.services.renditions import DEFAULT_QUALITY, RenditionSpec

from mediadesk.ui.desktop import no_file_manager_text, open_folder
from mediadesk.ui.file_dialogs import EXPORT_FOLDER, FileDialogs
from mediadesk.ui.runner import CatalogRunner, JobWork, RunningJob

BLOCKED_BG = QColor("#fde7e7")
BLOCKED_FG = QColor("#b71c1c")
UNAVAILABLE_BG = QColor("#fff3e0")
ALLOWED_FG = QColor("#1b5e20")
PATTERNS = (DEFAULT_PATTERN, "{date}_{gallery}_{seq}", "{date}_{title}_{seq}", "{id}_{original}")


def _export_work(plan: ExportPlan, out: str) -> JobWork:
    def work(catalog: Catalog, job: Job, _report: object) -> ExportResult:
        return export_bundle(catalog, plan, out, job=job)
    return work


class ExportDialog(QDialog):
    def __init__(self, catalog_path: str, asset_ids: list[int], parent=None,
                 gallery_title: str | None = None, dialogs: FileDialogs | None = None,
                 runner: CatalogRunner | None = None) -> None:
        super().__init__(parent)
        self.catalog_path = str(catalog_path)
        self.dialogs = dialogs if dialogs is not None else FileDialogs(None, self.catalog_path)
        self.asset_ids = list(asset_ids)
        self.gallery_title = gallery_title
        self._own_runner = runner is None   # opened on its own (scripts, tests): it has its runner
        self.runner = runner if runner is not None else CatalogRunner(self.catalog_path, self)
        self.catalog = self.runner.catalog   # read-only: the preview only reads
        self.plan: ExportPlan | None = None
        self.outcome: ExportResult | None = None
        self.export_job: RunningJob | None = None
        what = f"gallery “{gallery_title}”" if gallery_title else f"{len(self.asset_ids)} selected asset(s)"
        self.setWindowTitle(f"Export {what}")
        self.resize(1040, 700)
        self._replan_timer = QTimer(self, singleShot=True, interval=150)
        self._replan_timer.timeout.connect(self.refresh_preview)
        self._build()
        self.refresh_preview()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.purpose = QComboBox(objectName="exportPurpose", accessibleName="Purpose")  # type: ignore[call-arg]
        for p in Purpose:
            self.purpose.addItem(f"{p.label} ({p.value})", p.value)
        self.purpose.setCurrentIndex(list(Purpose).index(Purpose.EDITORIAL_ONLINE))
        self.recipient = QLineEdit(placeholderText="e.g. Gazeta Wyborcza, photo desk", accessibleName="Recipient")  # type: ignore[call-overload]

        self.originals = QRadioButton("Originals (metadata written in, pixels untouched)")
        self.renditions = QRadioButton("JPEG renditions")
        self.originals.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.originals)
        group.addButton(self.renditions)
        self.long_edge = QSpinBox(minimum=16, maximum=20000, value=2048, suffix=" px long edge",  # type: ignore[call-arg]
                                  objectName="exportLongEdge", accessibleName="Rendition long edge")
        self.quality = QSpinBox(minimum=1, maximum=100, value=DEFAULT_QUALITY, prefix="quality ",  # type: ignore[call-arg]
                                objectName="exportQuality", accessibleName="JPEG quality")
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.originals)
        mode_row.addSpacing(12)
        mode_row.addWidget(self.renditions)
        mode_row.addWidget(self.long_edge)
        mode_row.addWidget(self.quality)
        mode_row.addStretch(1)

        self.pattern = QComboBox(editable=True, objectName="exportPattern", accessibleName="File names")  # type: ignore[call-arg]
        self.pattern.addItems(PATTERNS)
        self.pattern.setToolTip("Variables: " + " ".join("{" + v + "}" for v in VARIABLES)
                                + ". The extension is added for you.")
        self.folder = QLineEdit(self._default_folder(), accessibleName="Save in")  # type: ignore[call-overload]
        choose = QPushButton("Choose…", accessibleName="Choose the folder to save in")  # type: ignore[call-overload]
        choose.clicked.connect(self._choose_folder)
        self.bundle_name = QLineEdit(accessibleName="Bundle name")  # type: ignore[call-overload]
        self.zip = QCheckBox("Zip file")
        dest_row = QHBoxLayout()
        dest_row.addWidget(self.folder, 1)
        dest_row.addWidget(choose)
        name_row = QHBoxLayout()
        name_row.addWidget(self.bundle_name, 1)
        name_row.addWidget(self.zip)

        self.keep_credentials = QCheckBox(
            "Keep content credentials: send originals signed with C2PA untouched, their metadata "
            "in an XMP sidecar")
        self.keep_credentials.setToolTip(
            "Embedding the caption and rights note changes the file, which breaks its C2PA "
            "content credentials (the signature no longer matches). With this option those "
            "originals are copied byte for byte and the metadata goes into name.xmp beside them.")

        self.with_documents = QCheckBox("Include the linked &documents (press releases, transcripts)")
        self.with_documents.setToolTip(
            "The documents linked to the chosen photos and videos go into the bundle too, each "
            "decided by its own rights profile, with its rights note in an XMP sidecar.")

        form = QFormLayout()
        form.addRow("Purpose:", self.purpose)
        form.addRow("Recipient:", self.recipient)
        form.addRow(_buddy("Files:", self.originals), mode_row)
        form.addRow("File names:", self.pattern)
        form.addRow(_buddy("Save in:", self.folder), dest_row)
        form.addRow(_buddy("Bundle name:", self.bundle_name), name_row)
        form.addRow("Documents:", self.with_documents)
        form.addRow("Credentials:", self.keep_credentials)
        form.setRowVisible(self.keep_credentials, False)  # shown when a selected file is signed
        self._form = form
        settings = QGroupBox("What, for whom, where")
        settings.setLayout(form)

        self.table = QTableWidget(0, 4, accessibleName="What will be exported and what is blocked")  # type: ignore[call-overload]
        self.table.setHorizontalHeaderLabels(["Asset", "File name in the bundle", "Decision", "Reason"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 230)
        self.table.setColumnWidth(1, 180)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        preview = QGroupBox("Preview: nothing is written until you press Export")
        pv = QVBoxLayout(preview)
        pv.addWidget(self.table)
        pv.addWidget(self.summary)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Cancel export", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button = self.buttons.addButton("Open folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.cancel_button.setVisible(False)
        self.open_button.setVisible(False)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(settings)
        layout.addWidget(preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        for signal in (self.purpose.currentIndexChanged, self.originals.toggled,
                       self.long_edge.valueChanged, self.quality.valueChanged,
                       self.pattern.currentTextChanged, self.keep_credentials.toggled,
                       self.with_documents.toggled):
            signal.connect(self._schedule_replan)
        self.purpose.currentIndexChanged.connect(self._suggest_name)
        self.purpose.currentIndexChanged.connect(self._purpose_changed)
        self.originals.toggled.connect(self._mode_changed)
        self.folder.textChanged.connect(self._update_buttons)
        self.bundle_name.textChanged.connect(self._update_buttons)
        self._mode_changed()
        self._suggest_name()

    def _default_folder(self) -> str:
        """Where the last bundle went, else Documents."""
        last = self.dialogs.last_path(EXPORT_FOLDER)
        if last and os.path.isdir(last):
            return last
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return docs or str(Path.home())

    def _choose_folder(self) -> None:
        chosen = self.dialogs.ask_one(EXPORT_FOLDER, self, self.folder.text().strip() or None)
        if chosen:
            self.folder.setText(chosen)

    def _suggest_name(self) -> None:
        purpose = self.purpose.currentData()
        base = clean_component(self.gallery_title or "mediadesk-export", 60) or "mediadesk-export"
        self.bundle_name.setText(f"{base}_{datetime.now():%Y-%m-%d}_{purpose}")

    def _purpose_changed(self, *_args) -> None:
        """Until the new plan is in, the summary must not show the old purpose's numbers."""
        self.summary.setText(f"Checking the rights for <b>{_html(self._purpose_label())}</b>…")
        self.export_button.setEnabled(False)

    def _purpose_label(self) -> str:
        return Purpose(self.purpose.currentData()).label

    def _mode_changed(self) -> None:
        renditions = self.renditions.isChecked()
        self.long_edge.setEnabled(renditions)
        self.quality.setEnabled(renditions)

    # -- preview --------------------------------------------------------------------------
    def options(self) -> ExportOptions:
        rendition = (RenditionSpec(self.long_edge.value(), self.quality.value())
                     if self.renditions.isChecked() else None)
        return ExportOptions(purpose=Purpose(self.purpose.currentData()), recipient=self.recipient.text(),
                             rendition=rendition, pattern=self.pattern.currentText(),
                             zip=self.zip.isChecked(), gallery=self.gallery_title,
                             keep_credentials=self.keep_credentials.isChecked(),
                             with_documents=self.with_documents.isChecked())

    def _schedule_replan(self, *_args) -> None:
        self._replan_timer.start()

    def refresh_preview(self) -> None:
        try:
            self.plan = plan_export(self.catalog, self.asset_ids, self.options())
        except MediadeskError as exc:
            self.plan = None
            self.table.setRowCount(0)
            self.summary.setText(f"<span style='color:#b71c1c'>{_html(str(exc))}</span>")
            self._update_buttons()
            return
        items = list(self.plan.items)
        self.table.setRowCount(len(items))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, item in enumerate(items):
            title = item.asset.display_title
            cells = [f"{item.asset.id} · {title}", item.file_name or "—", "", item.reason]
            if item.status == "allowed":
                cells[2] = "Allowed"
            elif item.status == "blocked":
                cells[2] = "Blocked"
            else:
                cells[2] = "Cannot export"
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if item.status != "allowed":
                    cell.setBackground(QBrush(BLOCKED_BG if item.status == "blocked" else UNAVAILABLE_BG))
                    if col == 2:
                        cell.setForeground(QBrush(BLOCKED_FG))
                        cell.setFont(bold)
                elif col == 2:
                    cell.setForeground(QBrush(ALLOWED_FG))
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        going, blocked, unavailable = len(self.plan.allowed), len(self.plan.blocked), len(self.plan.unavailable)
        purpose = _html(self._purpose_label())
        text = f"For <b>{purpose.lower()}</b> use: <b>{going}</b> will be exported, <b>{blocked}</b> blocked"
        if unavailable:
            text += f", <b>{unavailable}</b> cannot be read"
        if not going:
            text += f" — nothing can go for {purpose.lower()} use."
        elif blocked:
            text += ". Blocked assets are never written."
        signed = any(has_credentials(i.asset.warnings) for i in self.plan.allowed)
        self._form.setRowVisible(self.keep_credentials, signed)
        for line in self.plan.credential_warnings():
            colour = "#1b5e20" if self.keep_credentials.isChecked() and not self.options().rendition \
                else "#a15c00"
            text += f"<br><span style='color:{colour}'>⚠ {_html(line)}</span>"
        self.summary.setText(text)
        self._update_buttons()

    def target_path(self) -> str:
        name = clean_component(self.bundle_name.text(), 120) or "mediadesk-export"
        return os.path.join(self.folder.text().strip() or self._default_folder(), name)

    def _update_buttons(self) -> None:
        running = self.export_job is not None
        ready = bool(self.plan and self.plan.allowed and self.folder.text().strip())
        self.export_button.setEnabled(ready and not running)
        self.export_button.setToolTip("" if ready else "Nothing can be exported with these settings")

    # -- running --------------------------------------------------------------------------
    def start_export(self) -> None:
        self._replan_timer.stop()
        self.refresh_preview()
        if not self.plan or not self.plan.allowed or self.export_job is not None:
            return
        self.outcome = None
        self.dialogs.remember(EXPORT_FOLDER, self.folder.text().strip() or self._default_folder())
        out = self.target_path()
        self.export_job = self.runner.start_job("Exporting", _export_work(self.plan, out),
                                                total=len(self.plan.allowed), subject=f"the bundle at {out}")
        self.export_job.progress.connect(self._show_progress)
        self.export_job.finished.connect(self._finished)
        self.export_job.failed.connect(self._failed)
        self.export_job.ended.connect(self._job_ended)
        self._set_running(True)
        self.status.setText(f"Exporting to {out}{'.zip' if self.zip.isChecked() else ''} …")

    def _set_running(self, running: bool) -> None:
        for widget in (self.purpose, self.recipient, self.originals, self.renditions, self.long_edge,
                       self.quality, self.pattern, self.folder, self.bundle_name, self.zip):
            widget.setEnabled(not running)
        if not running:
            self._mode_changed()
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        self.export_button.setEnabled(not running)
        if running:
            self.open_button.setVisible(False)
            self.progress.setRange(0, max(1, len(self.plan.allowed) if self.plan else 1))
            self.progress.setValue(0)

    def _show_progress(self, snap: Progress) -> None:
        self.progress.setMaximum(max(1, snap.total or 1))
        self.progress.setValue(snap.done)
        rate = f" · {snap.rate:.1f} files/s" if snap.rate else ""
        self.progress.setFormat(f"%v / %m files{rate}")

    def cancel_export(self) -> None:
        if self.export_job is not None:
            self.export_job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping; the unfinished bundle is being removed …")

    def _finished(self, result: ExportResult) -> None:
        self.outcome = result
        if result.cancelled:
            self.status.setText("Export cancelled: nothing was kept.")
            return
        parts = [f"<b>Exported {len(result.exported)} file(s)</b> to {_html(result.bundle or '')}"]
        if result.blocked:
            parts.append(f"{len(result.blocked)} blocked (not written)")
        if result.failed:
            parts.append(f"{len(result.failed)} could not be exported: "
                         + _html("; ".join(f"#{f['id']}: {f['reason']}" for f in result.failed[:3])))
        if result.ledger_id:
            parts.append(f"recorded in the export ledger as entry {result.ledger_id}")
        self.status.setText("; ".join(parts) + ".")
        self.open_button.setVisible(bool(result.bundle))

    def _failed(self, message: str) -> None:
        self.status.setText(f"<span style='color:#b71c1c'><b>Export failed:</b> {_html(message)}</span> "
                            "Nothing was kept under the bundle's name.")

    def _job_ended(self) -> None:
        self.export_job = None
        self._set_running(False)
        self.progress.setVisible(self.outcome is not None and not self.outcome.cancelled)
        self._update_buttons()

    @property
    def running(self) -> bool:
        return self.export_job is not None

    def bundle_folder(self) -> str | None:
        if not self.outcome or not self.outcome.bundle:
            return None
        bundle = Path(self.outcome.bundle)
        return str(bundle.parent if bundle.suffix.lower() == ".zip" else bundle)

    def open_folder(self) -> None:
        folder = self.bundle_folder()
        if folder and not open_folder(folder):
            self.status.setText(_html(no_file_manager_text(folder)).replace("\n", "<br>"))

    # -- closing --------------------------------------------------------------------------
    def _stop_export(self) -> None:
        """Closing while exporting: cancel and wait for the unfinished bundle to be removed."""
        running, self.export_job = self.export_job, None
        if running is not None:
            running.stop()

    def reject(self) -> None:
        self._replan_timer.stop()   # closing: no preview after this
        self._stop_export()
        if self._own_runner:
            self.runner.stop()
        super().reject()

    def closeEvent(self, event) -> None:
        self._replan_timer.stop()
        self._stop_export()
        if self._own_runner:
            self.runner.stop()
        super().closeEvent(event)


def _buddy(text: str, field) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

