"""The end-of-import report: counts, and every file that failed with the reason (non-modal)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from mediadesk.services.importer import ImportReport


def summary_line(report: ImportReport) -> str:
    parts = [f"{report.imported:,} imported"]
    for count, what in ((report.updated, "updated"), (report.duplicates, "duplicates skipped"),
                        (report.unchanged, "already in the catalog"),
                        (report.unsupported, "not media files"),
                        (len(report.skipped), "catalog files skipped"), (report.failed, "failed")):
        if count:
            parts.append(f"{count:,} {what}")
    head = "Import cancelled: kept what was imported" if report.cancelled else "Import finished"
    return f"{head}: " + ", ".join(parts) + "."


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        heading = QLabel(summary_line(report), self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.files = QTreeWidget(self)
        self.files.setHeaderLabels(["File", "Problem"])
        self.files.setAccessibleName("Files and what happened to them")
        self.files.setRootIsDecorated(False)
        self.files.setAlternatingRowColors(True)
        for error in report.errors:
            self.files.addTopLevelItem(QTreeWidgetItem([error.get("path", ""), error.get("error", "")]))
        for warning in report.warnings:
            self.files.addTopLevelItem(
                QTreeWidgetItem([warning.get("path", ""), "Warning: " + warning.get("warning", "")]))
        for skipped in report.skipped:
            self.files.addTopLevelItem(QTreeWidgetItem([skipped["path"], "Skipped: " + skipped["reason"]]))
        for path in report.unsupported_files[:1000]:
            self.files.addTopLevelItem(QTreeWidgetItem([path, "Not a photo or video mediadesk can read"]))
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.files.setColumnWidth(0, 360)
        for column in range(2):
            for row in range(self.files.topLevelItemCount()):
                item = self.files.topLevelItem(row)
                if item is not None:
                    item.setToolTip(column, item.text(column))
        layout.addWidget(self.files, 1)
        if report.errors:
            hint = QLabel("Files that failed were not added. Fix or replace them and import the folder "
                          "again: files already in the catalog are skipped.", self)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
