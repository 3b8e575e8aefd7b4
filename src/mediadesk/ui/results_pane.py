"""The centre: a header (what is shown, how many, grid/table, thumbnail size) over the grid or table."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.ui.grid_view import MAX_EDGE, MIN_EDGE, AssetGridView
from mediadesk.ui.table_view import AssetTableView

CHIP_STYLE = ("QToolButton#searchChip { border: 1px solid palette(mid); border-radius: 10px;"
              " padding: 1px 8px; background: palette(alternate-base); }"
              " QToolButton#searchChip:hover { border-color: palette(highlight); }")
CHIP_MAX_CHARS = 30


class _ElidedTitle(QLabel):
    """The title of what is shown; a long gallery name shrinks with the pane (elided in the middle,
    whole in the tooltip) instead of widening the window past a 1024-pixel screen."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 160), hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width())
        painter = QPainter(self)
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.style().drawItemText(painter, rect, align, self.palette(), self.isEnabled(), shown, self.foregroundRole())


class ResultsPane(QWidget):
    #: The search chip's ✕ was pressed: show everything again.
    clear_search_requested = Signal()

    def __init__(self, grid: AssetGridView, table: AssetTableView, grid_action: QAction,
                 table_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid, self.table = grid, table
        self.title = _ElidedTitle(self)
        self.title.setObjectName("resultsTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.count = QLabel(self)
        self.count.setObjectName("resultsCount")
        self.count.setStyleSheet("color: palette(mid);")
        self.search_chip = QToolButton(self)     # the active search, visible in every view
        self.search_chip.setObjectName("searchChip")
        self.search_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.search_chip.setStyleSheet(CHIP_STYLE)
        self.search_chip.setCursor(Qt.CursorShape.PointingHandCursor)
        self.search_chip.clicked.connect(self.clear_search_requested)
        self.search_chip.hide()
        self._search = ""
        self._count = (0, 0, True)
        self.size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.size_slider.setObjectName("thumbnailSize")
        self.size_slider.setAccessibleName("Thumbnail size")
        self.size_slider.setRange(MIN_EDGE, MAX_EDGE)
        self.size_slider.setSingleStep(8)
        self.size_slider.setPageStep(32)
        self.size_slider.setFixedWidth(140)
        self.size_slider.setToolTip("Thumbnail size (Ctrl + / Ctrl −)")
        self.size_slider.setValue(grid.edge())
        self.size_slider.valueChanged.connect(grid.set_edge)
        self._size_label = QLabel("Size", self)
        self._size_label.setBuddy(self.size_slider)
        self._size_label.setStyleSheet("color: palette(mid);")
        header = QHBoxLayout()
        header.setContentsMargins(10, 6, 10, 6)
        header.addWidget(self.title)
        header.addSpacing(8)
        header.addWidget(self.count)
        header.addSpacing(8)
        header.addWidget(self.search_chip)
        header.addStretch(1)
        self._view_buttons = []
        for action in (grid_action, table_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            header.addWidget(button)
            self._view_buttons.append(button)
        header.addSpacing(12)
        header.addWidget(self._size_label)
        header.addWidget(self.size_slider)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(grid)
        self.stack.addWidget(table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    def header_widgets(self) -> list[QWidget]:
        """The header's controls, left to right (for the window's Tab order)."""
        return [self.search_chip, *self._view_buttons, self.size_slider]

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_search(self, text: str) -> None:
        """Show the active search as a chip (✕ clears it), or hide the chip when there is none."""
        self._search = text
        if text:
            shown = text if len(text) <= CHIP_MAX_CHARS else text[:CHIP_MAX_CHARS - 1] + "…"
            self.search_chip.setText(f"Search: {shown}  ✕")
            self.search_chip.setToolTip(f"Only assets matching “{text}” are shown, in every view and "
                                        "gallery.\nClick (or press Esc in the search box) to show everything.")
            self.search_chip.setAccessibleName(f"Active search {text}: press to clear it")
        self.search_chip.setVisible(bool(text))
        self.set_count(*self._count)

    def set_count(self, count: int, selected: int = 0, complete: bool = True) -> None:
        self._count = (count, selected, complete)
        text = f"{count:,} asset{'s' if count != 1 else ''}" if complete else f"{count:,}+ assets, counting…"
        nothing_found = complete and not count and bool(self._search)
        if nothing_found:
            text += " match"   # …followed by the chip: "0 assets match [Search: rutte ✕]"
        self.count.setStyleSheet("color: #a15c00;" if nothing_found else "color: palette(mid);")
        if selected > 1:
            text += f" · {selected:,} selected"
        self.count.setText(text)

    def show_table(self, table: bool) -> None:
        previous = self.current_view()
        self.stack.setCurrentWidget(self.table if table else self.grid)
        self.size_slider.setVisible(not table)
        self._size_label.setVisible(not table)
        view = self.current_view()
        current = previous.currentIndex()
        if current.isValid():
            view.scrollTo(view.model().index(current.row(), 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        if previous.hasFocus():
            view.setFocus()

    def is_table(self) -> bool:
        return self.stack.currentWidget() is self.table

    def current_view(self) -> QAbstractItemView:
        return self.table if self.is_table() else self.grid
