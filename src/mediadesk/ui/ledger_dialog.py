"""The export ledger in the window (File > Export Ledger…): every export and publication, newest
first, with who made it (on a team catalog the login the server stamped), when (the server's
clock), the purpose, the recipient, what went and what was blocked. Read-only: the ledger is
append-only. On a team catalog only editors may read it (the action says so otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.ledger import PUBLISH_FAILED

SHOWN = 500
COLUMNS = ("Entry", "When (UTC)", "Who", "Purpose", "Recipient", "Exported", "Blocked", "Bundle")


def entry_cells(entry: Any) -> list[str]:
    when = entry.at[:19].replace("T", " ")
    if entry.event == PUBLISH_FAILED:
        detail = entry.detail if isinstance(entry.detail, dict) else {}
        return [str(entry.id), when, entry.who, "publish failed", "", "", "",
                f"entry {detail.get('entry', '?')}: {detail.get('reason', '?')}"]
    return [str(entry.id), when, entry.who, entry.purpose, entry.recipient or "", str(len(entry.assets)),
            str(len(entry.blocked)), entry.bundle]


class LedgerDialog(QDialog):
    def __init__(self, submit: Callable[..., Any], parent: QWidget | None = None) -> None:
        """``submit(fn, done, on_error=...)`` runs ``fn(catalog)`` on a reader lane."""
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle("Export Ledger")
        self.resize(1000, 480)
        layout = QVBoxLayout(self)
        intro = QLabel("Every export and publication, newest first. Entries are chained by their "
                       "hashes and cannot be changed or removed.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Export ledger entries")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self._submit(lambda catalog: list(reversed(catalog.ledger.list(limit=SHOWN))), self.show_entries,
                     on_error=self.status.setText)

    def show_entries(self, entries: list[Any]) -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate(entry_cells(entry)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if not entries:
            self.status.setText("No exports yet.")
            return
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        self.status.setText(count + (f" (the newest {SHOWN})" if len(entries) >= SHOWN else ""))


def install_ledger_action(window: QMainWindow, submit: Callable[..., Any]) -> QAction:
    """File > Export Ledger… (after Publish)."""
    action = QAction("Export &Ledger…", window)
    action.setObjectName("exportLedger")
    action.setStatusTip("Every export and publication: who, when, purpose, recipient")
    action.setToolTip("Export Ledger")
    action.triggered.connect(lambda: LedgerDialog(submit, window).exec())
    menus = [m for m in (a.menu() for a in window.menuBar().actions()) if isinstance(m, QMenu)]
    if menus:
        file_menu = menus[0]
        items = file_menu.actions()
        publish = next((i for i, a in enumerate(items) if a.text().replace("&", "").startswith("Publish")), None)
        if publish is not None and publish + 1 < len(items):
            file_menu.insertAction(items[publish + 1], action)
        else:
            file_menu.addAction(action)
    return action
