"""The search field: free text plus filters, results as you type (debounced), save a search."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

DEBOUNCE_MS = 150
HELP = (
    "Words match the start of words in title, caption, people, places, keywords, file name…\n"
    "Filters: kind:video  gallery:\"President of Poland visits NATO\"  people:rutte\n"
    "date:2025-03-01..2025-03-31  rights:editorial|none|embargoed|expired|problems\n"
    "missing:caption  imported:recent|latest  creator:…  city:…  \"exact phrase\""
)


class _SearchField(QLineEdit):
    """Esc clears the search (and a second Esc, on an empty field, leaves it)."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    #: The text to search for (after the user paused typing, or pressed Return).
    search_changed = Signal(str)
    #: The user wants to keep this search in the sidebar.
    save_requested = Signal(str)
    #: Esc on an empty search field: give the focus back to the results.
    leave_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = _SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setAccessibleName("Search")
        self.field.setAccessibleDescription(HELP)
        self.field.setPlaceholderText("Search   (e.g. rutte kind:video date:2025-03)")
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(HELP)
        self.field.setMinimumWidth(320)
        self.save_button = QToolButton(self)
        self.save_button.setText("Save search…")
        self.save_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.save_button.setToolTip("Keep this search in the sidebar under a name")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.text()))
        self.problem = QLabel(self)
        self.problem.setObjectName("searchProblem")
        self.problem.setStyleSheet("color: #b91c1c;")
        self.problem.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.save_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.field.textChanged.connect(self._on_text_changed)
        self.field.returnPressed.connect(self._emit)
        self.field.escaped.connect(self._on_escape)
        self._last = ""

    def text(self) -> str:
        return self.field.text().strip()

    def set_text(self, text: str) -> None:
        """Show ``text`` and search for it now."""
        self.field.setText(text)
        self._emit()

    def clear_search(self) -> None:
        """Show everything again (the chip's ✕, Esc in the field)."""
        self.set_text("")

    def _on_escape(self) -> None:
        if self.field.text():
            self.clear_search()
        else:
            self.leave_requested.emit()

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_errors(self, errors) -> None:
        if errors:
            self.problem.setText("⚠ " + "; ".join(errors))
            self.problem.setToolTip(HELP)
            self.problem.show()
        else:
            self.problem.hide()

    def _on_text_changed(self, text: str) -> None:
        self.save_button.setEnabled(bool(text.strip()))
        self._timer.start()

    def _emit(self) -> None:
        self._timer.stop()
        text = self.text()
        if text != self._last:
            self._last = text
            self.search_changed.emit(text)
