"""Find and replace across chosen fields of the selected assets, with a preview of every change
(old and new text side by side, the changed part highlighted) before anything is written.
The preview is worked out on a lane of the window's runner and "Replace all" runs on its writer
lane (ui/runner.py), never on the GUI thread.

Also holds :class:`ChangePreview`, the preview table the batch editor uses too."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.services.edits import BatchResult
from mediadesk.services.find_replace import SEARCHABLE_FIELDS, changed_segments, display_value, find_replace

from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.runner import CatalogRunner

DEFAULT_CHECKED = ("caption", "headline", "title", "alt_text", "event", "keywords", "people",
                   "organisations")
PREVIEW_DELAY_MS = 250
PREVIEW_LANE = "preview"


MAX_ROWS = 500
OLD_STYLE = "background-color:#f8d7da;color:#842029;text-decoration:line-through;"
NEW_STYLE = "background-color:#d1e7dd;color:#0f5132;font-weight:600;"


def _html(segments: list[tuple[str, bool]], style: str) -> str:
    parts = []
    for text, changed in segments:
        escaped = html.escape(text).replace("\n", "<br>")
        parts.append(f'<span style="{style}">{escaped}</span>' if changed else escaped)
    return "".join(parts) or '<span style="color:#888">(empty)</span>'


class ChangePreview(QTableWidget):
    """Asset | Field | Current | New, for up to MAX_ROWS changes (the rest is counted)."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["Asset", "Field", "Current", "New"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.truncated = 0

    def show_changes(self, changes: Sequence[tuple[int, str, Any, Any]], names: dict[int, str]) -> None:
        shown = list(changes[:MAX_ROWS])
        self.truncated = len(changes) - len(shown)
        self.setRowCount(0)
        self.setRowCount(len(shown))
        for row, (asset_id, field, old, new) in enumerate(shown):
            asset = QTableWidgetItem(names.get(asset_id, f"asset {asset_id}"))
            asset.setToolTip(f"asset {asset_id}")
            asset.setData(Qt.ItemDataRole.UserRole, asset_id)
            self.setItem(row, 0, asset)
            spec = FIELD_BY_NAME.get(field)
            self.setItem(row, 1, QTableWidgetItem(spec.label if spec else field))
            left, right = changed_segments(display_value(old), display_value(new))
            for column, (segments, style) in ((2, (left, OLD_STYLE)), (3, (right, NEW_STYLE))):
                label = QLabel(_html(segments, style))
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setWordWrap(True)
                label.setMargin(4)
                label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.setCellWidget(row, column, label)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Row heights from the wrapped text at the columns' current widths."""
        for row in range(self.rowCount()):
            height = self.fontMetrics().height() + 10
            for column in (2, 3):
                label = self.cellWidget(row, column)
                if isinstance(label, QLabel):
                    height = max(height, label.heightForWidth(self.columnWidth(column)) + 2)
            self.setRowHeight(row, min(height, 240))

    def resizeEvent(self, event) -> None:  # Qt override: re-wrap the text for the new widths
        super().resizeEvent(event)
        self.fit_rows()

    def cell_text(self, row: int, column: int) -> str:
        widget = self.cellWidget(row, column)
        if isinstance(widget, QLabel):
            doc_text = widget.text()
            doc = QTextDocument()
            doc.setHtml(doc_text)
            return doc.toPlainText()
        item = self.item(row, column)
        return item.text() if item else ""


def file_names(catalog: Catalog, asset_ids: Sequence[int]) -> dict[int, str]:
    rows = catalog.templates.asset_values(asset_ids, ())
    return {aid: row["file_name"] for aid, row in rows.items()}


class FindReplaceDialog(QDialog):
    """Find, replace, fields, regex / whole word / match case, live preview, Apply."""

    #: Emitted after Apply committed; payload: the ``Changes`` of the operation.
    applied = Signal(object)

    def __init__(self, catalog_path: str, asset_ids: list[int], parent: QWidget | None = None, *,
                 runner: CatalogRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Find and replace in {len(asset_ids)} asset(s)")
        self._own_runner = runner is None   # opened on its own (scripts, tests): it has its runner
        self.runner = runner if runner is not None else CatalogRunner(str(catalog_path), self)
        self.catalog: Catalog = self.runner.catalog   # read-only: the file names
        self.asset_ids = list(asset_ids)
        self._preview_generation = 0
        self.names = file_names(self.catalog, self.asset_ids)
        self.outcome: BatchResult | None = None

        self.find_edit = QLineEdit(accessibleName="Find")  # type: ignore[call-overload]
        self.find_edit.setPlaceholderText("text to find, e.g. Vucic")
        self.replace_edit = QLineEdit(accessibleName="Replace with")  # type: ignore[call-overload]
        self.replace_edit.setPlaceholderText("replacement; =code= expands")
        install_code_expansion(self.replace_edit, catalog_path)
        self.regex_box = QCheckBox("Regular expression")
        self.word_box = QCheckBox("Whole word")
        self.case_box = QCheckBox("Match case")
        self.case_box.setChecked(True)
        form = QFormLayout()
        form.addRow("Find:", self.find_edit)
        form.addRow("Replace with:", self.replace_edit)
        options = QHBoxLayout()
        for box in (self.regex_box, self.word_box, self.case_box):
            options.addWidget(box)
        options.addStretch(1)
        form.addRow("", options)

        fields_box = QGroupBox("Fields")
        grid = QGridLayout(fields_box)
        self.field_boxes: dict[str, QCheckBox] = {}
        for n, name in enumerate(SEARCHABLE_FIELDS):
            box = QCheckBox(FIELD_BY_NAME[name].label)
            box.setChecked(name in DEFAULT_CHECKED)
            box.toggled.connect(self.schedule_preview)
            grid.addWidget(box, n // 5, n % 5)
            self.field_boxes[name] = box

        self.preview = ChangePreview()
        self.preview.setAccessibleName("Preview of the changes")
        self.status = QLabel("Type what to find.")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = buttons.addButton("Replace all", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(fields_box)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1000, 640)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        for edit in (self.find_edit, self.replace_edit):
            edit.textChanged.connect(self.schedule_preview)
        for box in (self.regex_box, self.word_box, self.case_box):
            box.toggled.connect(self.schedule_preview)

    def fields(self) -> list[str]:
        return [name for name, box in self.field_boxes.items() if box.isChecked()]

    def schedule_preview(self, *_args) -> None:
        self._timer.start()

    def _work(self, dry_run: bool) -> Callable[[Catalog], BatchResult]:
        """The find-and-replace as the dialog's fields say now, to run on a lane."""
        ids, find, replace = list(self.asset_ids), self.find_edit.text(), self.replace_edit.text()
        fields, regex = self.fields() or ["caption"], self.regex_box.isChecked()
        whole_word, match_case = self.word_box.isChecked(), self.case_box.isChecked()
        return lambda catalog: find_replace(catalog, ids, find, replace, fields=fields, regex=regex,
                                            whole_word=whole_word, match_case=match_case, dry_run=dry_run)

    def refresh_preview(self) -> None:
        self._timer.stop()
        self.outcome = None
        self.apply_button.setEnabled(False)
        self._preview_generation += 1
        generation = self._preview_generation
        if not self.find_edit.text():
            self.preview.show_changes([], self.names)
            self._say("Type what to find.")
            return
        if not self.fields():
            self.preview.show_changes([], self.names)
            self._say("Tick at least one field to search.", error=True)
            return
        self._say("Looking for matches…")
        self.runner.submit(self._work(dry_run=True), lambda result: self._show_preview(result, generation),
                           lane=PREVIEW_LANE, key="find-replace-preview",
                           on_error=lambda error: self._preview_failed(error, generation))

    def _preview_failed(self, error: str, generation: int) -> None:
        if generation == self._preview_generation:
            self.preview.show_changes([], self.names)
            self._say(error, error=True)

    def _show_preview(self, result: BatchResult, generation: int) -> None:
        if generation != self._preview_generation:
            return   # the search changed meanwhile: a newer preview is on its way
        self.outcome = result
        self.preview.show_changes(result.preview, self.names)
        if not result.preview:
            self._say("No matches in the chosen fields.")
            return
        more = f" (showing the first {len(result.preview) - self.preview.truncated})" if self.preview.truncated else ""
        self._say(f"{len(result.preview)} field(s) on {len(result.assets)} asset(s) will change{more}. "
                  "Replace all makes this one step you can undo.")
        self.apply_button.setEnabled(True)

    @property
    def busy(self) -> bool:
        """A preview or the replacement of this dialog is still running."""
        return self.runner.lane(PREVIEW_LANE).busy or self.runner.writer.busy

    def apply(self) -> None:
        self.apply_button.setEnabled(False)
        self._say("Replacing…")
        self.runner.submit(self._work(dry_run=False), self._applied, on_error=self._apply_failed)

    def _applied(self, result: BatchResult) -> None:
        if result.operation_id is not None:
            self.applied.emit(result.changes)
        self.accept()

    def _apply_failed(self, error: str) -> None:
        self._say(error, error=True)
        self.apply_button.setEnabled(self.outcome is not None and bool(self.outcome.preview))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b02a37;" if error else "")

    def done(self, code: int) -> None:  # Qt override: the dialog is finished
        self._timer.stop()
        self._preview_generation += 1
        if self._own_runner:
            self.runner.stop()
        super().done(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        if self._own_runner:
            self.runner.stop()
        super().closeEvent(event)
