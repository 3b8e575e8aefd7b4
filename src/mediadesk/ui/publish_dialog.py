"""File > Publish as Web Page: a preview of what goes online and what is left out, then publish.

The preview is the plan the command line prints (services.publish.plan_publish, which asks
rights.policy for editorial-online and for downloads); left-out rows show the reason and never
reach the site. Publishing is a job of the window's runner (ui/runner.py: its own thread and
catalog connection, progress every 100 ms); Cancel sets the job's flag and the site is left as
it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import Gallery
from mediadesk.domain.errors import MediadeskError
from mediadesk.jobs import Job, Progress
from mediadesk.services.activity import publish_site
from mediadesk.services.publish import (
    PublishOptions,
    PublishPlan,
    PublishResult,
    plan_publish,
    preview_changes,
)

from mediadesk.ui.file_dialogs import PUBLISH_FOLDER, FileDialogs
from mediadesk.ui.runner import CatalogRunner, JobWork, RunningJob

LEFT_OUT_BG = QColor("#fde7e7")
LEFT_OUT_FG = QColor("#b71c1c")
ONLINE_FG = QColor("#1b5e20")


def _publish_work(plan: PublishPlan, out: str) -> JobWork:
    def work(catalog: Catalog, job: Job, _report: object) -> PublishResult:
        return publish_site(catalog, plan, out, job=job)
    return work


class PublishDialog(QDialog):
    def __init__(self, catalog_path: str, asset_ids: list[int], parent=None,
                 gallery: Gallery | None = None, dialogs: FileDialogs | None = None,
                 runner: CatalogRunner | None = None) -> None:
        super().__init__(parent)
        self.catalog_path = str(catalog_path)
        self.dialogs = dialogs if dialogs is not None else FileDialogs(None, self.catalog_path)
        self.asset_ids = list(asset_ids)
        self.gallery = gallery
        self._own_runner = runner is None   # opened on its own (scripts, tests): it has its runner
        self.runner = runner if runner is not None else CatalogRunner(self.catalog_path, self)
        self.catalog = self.runner.catalog   # read-only: the preview only reads
        self.plan: PublishPlan | None = None
        self.outcome: PublishResult | None = None
        self.publish_job: RunningJob | None = None
        what = f"“{gallery.title}”" if gallery else f"{len(self.asset_ids)} selected asset(s)"
        self.setWindowTitle(f"Publish {what} as a web page")
        self.resize(1000, 680)
        self._replan_timer = QTimer(self, singleShot=True, interval=200)
        self._replan_timer.timeout.connect(self.refresh_preview)
        self._build()
        self.refresh_preview()

    def _build(self) -> None:
        self.title = QLineEdit(self.gallery.title if self.gallery else "",
                               placeholderText="the page's title, e.g. President of Poland visits NATO")
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.folder = QLineEdit(self.dialogs.last_path(PUBLISH_FOLDER) or str(Path(docs) / "mediadesk-site"))
        self.title.setAccessibleName("Page title")
        self.folder.setAccessibleName("Site folder")
        choose = QPushButton("C&hoose…")
        choose.setAccessibleName("Choose the site folder")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.base_url = QLineEdit(placeholderText="https://press.example.org/media/ (optional)")
        self.base_url.setAccessibleName("Web address")
        self.zip = QCheckBox("Also pack the site as a &zip file (for uploading to a CMS)")
        self.with_documents = QCheckBox("Include the linked d&ocuments (press releases, transcripts) as pages")
        form = QFormLayout()
        form.addRow(_buddy("Page &title:", self.title), self.title)
        form.addRow(_buddy("Site &folder:", self.folder), folder_row)
        form.addRow(_buddy("&Web address:", self.base_url), self.base_url)
        form.addRow("", self.zip)
        form.addRow("", self.with_documents)
        settings = QGroupBox("Purpose: editorial online — the rights policy decides what goes on the page")
        settings.setLayout(form)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Asset", "On the page", "Download", "Reason"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 300)
        self.table.setAccessibleName("What goes online and what is left out")
        self.summary = QLabel(wordWrap=True)
        preview = QGroupBox("Preview: nothing is written until you press Publish")
        pv = QVBoxLayout(preview)
        pv.addWidget(self.table)
        pv.addWidget(self.summary)

        self.progress = QProgressBar(visible=False)  # type: ignore[call-arg]
        self.status = QLabel(wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.publish_button = self.buttons.addButton("Publish", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Cancel publishing", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button = self.buttons.addButton("Open page", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.cancel_button.setVisible(False)
        self.open_button.setVisible(False)
        self.publish_button.setDefault(True)
        self.publish_button.clicked.connect(self.start_publish)
        self.cancel_button.clicked.connect(self.cancel_publish)
        self.open_button.clicked.connect(self.open_page)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(settings)
        layout.addWidget(preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        for signal in (self.title.textChanged, self.folder.textChanged, self.base_url.textChanged,
                       self.with_documents.toggled):
            signal.connect(lambda *_: self._replan_timer.start())

    def _choose_folder(self) -> None:
        chosen = self.dialogs.ask_one(PUBLISH_FOLDER, self, self.folder.text().strip() or None)
        if chosen:
            self.folder.setText(chosen)

    def options(self) -> PublishOptions:
        return PublishOptions(title=self.title.text(), base_url=self.base_url.text(),
                              zip=self.zip.isChecked(), with_documents=self.with_documents.isChecked())

    # -- preview --------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        try:
            self.plan = plan_publish(self.catalog, self.asset_ids, self.options(), gallery=self.gallery)
            changes = preview_changes(self.plan, self.folder.text()) if self.folder.text().strip() else None
        except MediadeskError as exc:
            self.plan = None
            self.table.setRowCount(0)
            self.summary.setText(f"<span style='color:#b71c1c'>{_html(str(exc))}</span>")
            self._update_buttons()
            return
        items = list(self.plan.items)
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            online = item.online
            download = ("yes" if item.downloadable else "no") if online else "—"
            reason = item.reason if not online else (item.download.reason if item.download else "")
            cells = [f"{item.asset.id} · {item.asset.display_title}",
                     "Online" if online else "Left out", download, reason]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if not online:
                    cell.setBackground(QBrush(LEFT_OUT_BG))
                    if col == 1:
                        cell.setForeground(QBrush(LEFT_OUT_FG))
                elif col == 1:
                    cell.setForeground(QBrush(ONLINE_FG))
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        text = (f"<b>{len(self.plan.online)}</b> will go online, <b>{len(self.plan.left_out)}</b> left out"
                " (nothing of them reaches the site)")
        if changes and any(changes.values()):
            text += (f". In this folder: {len(changes['added'])} added, {len(changes['changed'])} changed, "
                     f"{len(changes['removed'])} removed")
        for warning in self.plan.warnings[:3]:
            text += f"<br><span style='color:#8a4b00'>{_html(warning)}</span>"
        if len(self.plan.warnings) > 3:
            text += f"<br>… and {len(self.plan.warnings) - 3} more assets without alt text"
        self.summary.setText(text + ".")
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = bool(self.plan and self.folder.text().strip()) and self.publish_job is None
        self.publish_button.setEnabled(ready)

    # -- running --------------------------------------------------------------------------------
    def start_publish(self) -> None:
        self._replan_timer.stop()
        self.refresh_preview()
        if not self.plan or self.publish_job is not None:
            return
        self.outcome = None
        out = self.folder.text().strip()
        self.dialogs.remember(PUBLISH_FOLDER, out)
        self.publish_job = self.runner.start_job("Publishing", _publish_work(self.plan, out),
                                                 subject=f"the site at {out}")
        self.publish_job.progress.connect(self._show_progress)
        self.publish_job.finished.connect(self._finished)
        self.publish_job.failed.connect(self._failed)
        self.publish_job.ended.connect(self._job_ended)
        self._set_running(True)
        self.status.setText(f"Publishing into {_html(out)} …")

    def _set_running(self, running: bool) -> None:
        for widget in (self.title, self.folder, self.base_url, self.zip):
            widget.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        self.publish_button.setEnabled(not running)
        if running:
            self.open_button.setVisible(False)
            self.progress.setRange(0, 0)

    def _show_progress(self, snap: Progress) -> None:
        if snap.total:
            self.progress.setRange(0, snap.total)
            self.progress.setValue(snap.done)
            self.progress.setFormat("%v / %m files made")

    def cancel_publish(self) -> None:
        if self.publish_job is not None:
            self.publish_job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping; the site is left as it was …")

    def _finished(self, result: PublishResult) -> None:
        self.outcome = result
        if result.cancelled:
            self.status.setText("Publishing cancelled: the site was not changed.")
            return
        if not result.site:
            self.status.setText("Nothing was published: every asset was left out.")
            return
        parts = [f"<b>Published {len(result.published)} asset(s)</b> to {_html(result.page or result.site)}",
                 f"{len(result.added)} added, {len(result.changed)} changed, {len(result.removed)} removed"]
        if result.left_out:
            parts.append(f"{len(result.left_out)} left out")
        if result.ledger_id:
            parts.append(f"recorded in the export ledger as entry {result.ledger_id}")
        text = "; ".join(parts) + "."
        for warning in [w for w in result.warnings if "alt text" not in w][:3]:
            text += f"<br><span style='color:#8a4b00'>{_html(warning)}</span>"
        self.status.setText(text)
        self.open_button.setVisible(True)

    def _failed(self, message: str) -> None:
        self.status.setText(f"<span style='color:#b71c1c'><b>Publishing failed:</b> {_html(message)}</span> "
                            "The site was left as it was.")

    def _job_ended(self) -> None:
        self.publish_job = None
        self._set_running(False)
        self.progress.setVisible(False)
        self._update_buttons()

    @property
    def running(self) -> bool:
        return self.publish_job is not None

    def page_path(self) -> str | None:
        if not self.outcome or not self.outcome.site:
            return None
        return self.outcome.page or self.outcome.site

    def open_page(self) -> None:
        page = self.page_path()
        if page:
            QDesktopServices.openUrl(QUrl.fromLocalFile(page))

    def _stop_publish(self) -> None:
        """Closing while publishing: cancel and wait; the site is left as it was."""
        running, self.publish_job = self.publish_job, None
        if running is not None:
            running.stop()

    def reject(self) -> None:
        self._replan_timer.stop()
        self._stop_publish()
        if self._own_runner:
            self.runner.stop()
        super().reject()

    def closeEvent(self, event) -> None:
        self._replan_timer.stop()
        self._stop_publish()
        if self._own_runner:
            self.runner.stop()
        super().closeEvent(event)


def _buddy(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
