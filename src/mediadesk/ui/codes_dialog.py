"""The code-replacement manager: the catalog's codes in a table (edit in place), add, remove,
import and export the Photo Mechanic tab-separated file.

The table is read on the GUI thread's read-only connection; every change, the import and the
export run in order on the writer lane of the window's runner (ui/runner.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import MediaError
from mediadesk.services.codes import CodeFile, export_codes, import_codes, remove_code, set_code

from mediadesk.ui.file_dialogs import CODES_EXPORT, CODES_IMPORT, FileDialogs
from mediadesk.ui.runner import CatalogRunner


class CodesDialog(QDialog):
    def __init__(self, catalog_path: str, parent: QWidget | None = None,
                 dialogs: FileDialogs | None = None, *, runner: CatalogRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Code replacements")
        self.dialogs = dialogs if dialogs is not None else FileDialogs(None, catalog_path)
        self._own_runner = runner is None   # opened on its own (scripts, tests): it has its runner
        self.runner = runner if runner is not None else CatalogRunner(str(catalog_path), self)
        self.catalog: Catalog = self.runner.catalog   # read-only: the table
        self._loading = False

        intro = QLabel("Type <b>=code=</b> in a caption, a template or find-and-replace to insert the "
                       "expansion. Files: one <i>code&lt;TAB&gt;expansion</i> per line, as Photo Mechanic "
                       "keeps them.")
        intro.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter codes and expansions")
        self.filter_edit.setAccessibleName("Filter codes")
        self.filter_edit.textChanged.connect(self._filter)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Code", "Expansion"])
        self.table.setAccessibleName("Code replacements")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._edited)

        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("code, e.g. rutte")
        self.code_edit.setAccessibleName("New code")
        self.code_edit.setMaximumWidth(180)
        self.expansion_edit = QLineEdit()
        self.expansion_edit.setPlaceholderText("expansion, e.g. NATO Secretary General Mark Rutte")
        self.expansion_edit.setAccessibleName("Expansion of the new code")
        add = QPushButton("Add")
        add.clicked.connect(self.add_code)
        self.expansion_edit.returnPressed.connect(self.add_code)
        add_row = QHBoxLayout()
        add_row.addWidget(self.code_edit)
        add_row.addWidget(self.expansion_edit, 1)
        add_row.addWidget(add)

        remove = QPushButton("Remove selected")
        remove.clicked.connect(self.remove_selected)
        imp = QPushButton("Import…")
        imp.clicked.connect(self.import_file)
        exp = QPushButton("Export…")
        exp.clicked.connect(self.export_file)
        row = QHBoxLayout()
        for b in (remove, imp, exp):
            row.addWidget(b)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 520)
        self.reload()

    def reload(self) -> None:
        self._loading = True
        codes = self.catalog.codes.all()
        self.table.setRowCount(len(codes))
        for row, (code, expansion) in enumerate(codes.items()):
            item = QTableWidgetItem(code)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(expansion))
        self._loading = False
        self._filter(self.filter_edit.text())

    def _filter(self, text: str) -> None:
        needle = text.casefold()
        for row in range(self.table.rowCount()):
            hay = " ".join(self._cell(row, c) for c in (0, 1)).casefold()
            self.table.setRowHidden(row, bool(needle) and needle not in hay)

    @property
    def busy(self) -> bool:
        """A change, import or export of this dialog is still running."""
        return self.runner.writer.busy

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _write(self, fn: Callable[[Catalog], Any], done: Callable[[Any], None],
               on_error: Callable[[str], object] | None = None) -> None:
        self.runner.submit(fn, done, on_error=on_error or (lambda error: self._say(error, error=True)))

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 1:
            return
        code, text = self._cell(item.row(), 0), item.text()

        def failed(error: str) -> None:
            self._say(error, error=True)
            self.reload()

        self._write(lambda catalog: set_code(catalog, code, text), lambda _c: self._say(f"={code}= saved."), failed)

    def add_code(self) -> None:
        code, expansion = self.code_edit.text(), self.expansion_edit.text()

        def saved(_changes: object) -> None:
            self._say(f"={code.strip('= ')}= saved.")
            self.code_edit.clear()
            self.expansion_edit.clear()
            self.reload()

        self._write(lambda catalog: set_code(catalog, code, expansion), saved)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        codes = [self._cell(r, 0) for r in rows]
        if not codes:
            self._say("Select the codes to remove first.")
            return

        def remove(catalog: Catalog) -> int:
            for code in codes:
                remove_code(catalog, code)
            return len(codes)

        def removed(count: int) -> None:
            self._say(f"removed {count} code(s).")
            self.reload()

        def failed(error: str) -> None:
            self._say(error, error=True)
            self.reload()

        self._write(remove, removed, failed)

    def import_file(self, path: str | None = None) -> None:
        if not path:
            path = self.dialogs.ask_one(CODES_IMPORT, self)
            if not path:
                return
        source = path

        def imported(parsed: CodeFile) -> None:
            self.reload()
            message = f"Imported {len(parsed.entries)} code(s)."
            if parsed.errors:
                shown = "\n".join(parsed.errors[:15]) + ("\n…" if len(parsed.errors) > 15 else "")
                QMessageBox.warning(self, "Some lines were not imported",
                                    f"{message}\n{len(parsed.errors)} line(s) were skipped:\n\n{shown}")
            self._say(message + (f" {len(parsed.errors)} line(s) skipped." if parsed.errors else ""))

        self._write(lambda catalog: import_codes(catalog, source), imported,
                    lambda error: QMessageBox.warning(self, "Codes not imported", error))

    def export_file(self, path: str | None = None) -> None:
        if not path:
            path = self.dialogs.ask_one(CODES_EXPORT, self)
            if not path:
                return
        target = path

        def export(catalog: Catalog) -> int:
            try:
                return export_codes(catalog, target)
            except OSError as exc:
                raise MediaError(f"the codes could not be written to {target}: {exc.strerror or exc}") from None

        self._write(export, lambda count: self._say(f"Wrote {count} code(s) to {target}."),
                    lambda error: QMessageBox.warning(self, "Codes not exported", error))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b02a37;" if error else "")

    def done(self, code: int) -> None:  # Qt override: the dialog is finished
        if self._own_runner:
            self.runner.stop()
        super().done(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._own_runner:
            self.runner.stop()
        super().closeEvent(event)
