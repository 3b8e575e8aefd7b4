"""Expansion of ``=code=`` while typing: when the closing "=" is typed, the code before the
cursor becomes its expansion (one undo step in the field). Unknown codes stay as typed."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

from mediadesk.catalog.connection import Catalog
from mediadesk.services.codes import CodeTable

_AT_CURSOR = re.compile(r"=([^\s=#]+)(?:#(\d+))?=$")
_LOOKBACK = 200


class _Codes:
    """The code table of one catalog, read again when the catalog changed since last time."""

    def __init__(self, catalog_path: str) -> None:
        self.catalog_path = catalog_path
        self.table: CodeTable | None = None
        self._version: int | None = None
        self._catalog: Catalog | None = None

    def current(self) -> CodeTable:
        if self._catalog is None:
            self._catalog = Catalog(self.catalog_path, readonly=True)   # it only reads the codes
        version = self._catalog.data_version()
        if self.table is None or version != self._version:
            self.table = CodeTable.load(self._catalog)
            self._version = version
        return self.table

    def close(self, *_args: object) -> None:
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None


class CodeExpander(QObject):
    """Watches one text widget; reloads the codes when the catalog changed since last time."""

    def __init__(self, widget: QLineEdit | QPlainTextEdit | QTextEdit, catalog_path: str) -> None:
        super().__init__(widget)
        self.widget = widget
        self.catalog_path = str(catalog_path)
        self._codes = _Codes(self.catalog_path)
        widget.installEventFilter(self)
        # A QWidget deletes its children before it says it is destroyed: by then this expander
        # (its child) is gone, and a slot of it would be looked up on a deleted object ("Slot
        # 'CodeExpander::' not found"). The codes' own close() has no Qt object behind it.
        widget.destroyed.connect(self._codes.close)

    def codes(self) -> CodeTable:
        return self._codes.current()

    def reload(self) -> None:
        self._codes.table = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (obj is self.widget and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.text() == "="):
            # let the widget insert the "=" now, then look at what it closed
            self.widget.keyPressEvent(event)
            if event.isAccepted():
                self.expand_at_cursor()
            return True
        return False

    def expand_at_cursor(self) -> bool:
        """Replace the ``=code=`` that ends at the cursor; True if it was expanded."""
        w = self.widget
        if isinstance(w, QLineEdit):
            pos = w.cursorPosition()
            before = w.text()[max(0, pos - _LOOKBACK):pos]
        else:
            cursor = w.textCursor()
            pos = cursor.position()
            block = cursor.block()
            before = block.text()[:pos - block.position()][-_LOOKBACK:]
        m = _AT_CURSOR.search(before)
        if not m:
            return False
        expansion = self.codes().lookup(m.group(1), int(m.group(2) or 1))
        if expansion is None:
            return False
        length = len(m.group(0))
        if isinstance(w, QLineEdit):
            w.setSelection(pos - length, length)
            w.insert(expansion)
        else:
            cursor = w.textCursor()
            cursor.setPosition(pos - length)
            cursor.setPosition(pos, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(expansion)
            w.setTextCursor(cursor)
        return True


def install_code_expansion(widget: QLineEdit | QPlainTextEdit | QTextEdit, catalog_path: str) -> CodeExpander:
    """Expand ``=code=`` in ``widget`` as the user types the closing ``=``."""
    return CodeExpander(widget, catalog_path)
