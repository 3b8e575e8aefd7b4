"""A typed edit that met another desk's change: both values, and the person decides.

The edit service did not write the field (services/edits.py, :class:`Conflict`); this dialog
shows what was typed here and what the catalog holds now (who changed it, when), and either
keeps theirs or saves this desk's value over it, as a new edit checked against theirs (so a
third change meanwhile is a conflict again, never overwritten unseen).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.fields import FIELDS
from mediadesk.services.edits import Conflict

_LABELS = {f.name: f.label for f in FIELDS}


def _text(value) -> str:
    if value in (None, (), ""):
        return "(empty)"
    return "; ".join(value) if isinstance(value, tuple) else str(value)


class ConflictDialog(QDialog):
    """Not modal: the window goes on while the person reads both values."""

    #: {asset id: {field: mine}}, description, {asset id: {field: theirs}}: save mine over theirs
    overwrite = Signal(object, str, object)

    def __init__(self, conflicts: list[Conflict], description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changed at another desk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.conflicts = conflicts
        self.description = description
        count = len({c.asset_id for c in conflicts})
        head = QLabel(f"{description}: not saved. While you were typing, "
                      + ("this field was" if len(conflicts) == 1 else "these fields were")
                      + " changed elsewhere" + (f" on {count} assets" if count > 1 else "")
                      + ". Nothing was overwritten; choose which value stays.", self)
        head.setWordWrap(True)
        self.table = QTableWidget(len(conflicts), 4, self)
        self.table.setObjectName("conflictTable")
        self.table.setAccessibleName("Values that differ")
        self.table.setHorizontalHeaderLabels(["Asset and field", "Yours (not saved)", "In the catalog now",
                                              "Changed by"])
        for row, c in enumerate(conflicts):
            cells = (f"{c.asset_id}: {_LABELS.get(c.field, c.field)}", _text(c.mine), _text(c.theirs),
                     c.by or "another desk")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)            # long values are elided; the tooltip has all
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_whole(row))
        self.whole = QLabel(self)
        self.whole.setObjectName("conflictWhole")
        self.whole.setWordWrap(True)
        self.whole.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_whole(0)
        buttons = QDialogButtonBox(self)
        self.keep_button = buttons.addButton("&Keep Theirs", QDialogButtonBox.ButtonRole.RejectRole)
        self.mine_button = buttons.addButton("&Save Mine Instead", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self._save_mine)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table)
        layout.addWidget(self.whole)
        layout.addWidget(buttons)
        self.resize(760, 220 + 30 * min(len(conflicts), 8))

    def _show_whole(self, row: int) -> None:
        """Both values of the chosen row in full, below the table."""
        if not 0 <= row < len(self.conflicts):
            return
        c = self.conflicts[row]
        self.whole.setText(f"Yours (not saved): {_text(c.mine)}\nIn the catalog now: {_text(c.theirs)}\n"
                           f"Changed {c.by or 'elsewhere'}")

    def _save_mine(self) -> None:
        edits: dict[int, dict] = {}
        read: dict[int, dict] = {}
        for c in self.conflicts:
            edits.setdefault(c.asset_id, {})[c.field] = c.mine
            read.setdefault(c.asset_id, {})[c.field] = c.theirs
        self.overwrite.emit(edits, self.description, read)
        self.accept()
