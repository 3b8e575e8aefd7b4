"""Paints single cells of the table where Qt asks a delegate to (a drag's pixmap; the cell with
the keyboard focus), the way ``table_painter.TablePainter`` paints the visible rows.

QStyledItemDelegate asks the model for seven roles per cell and lays the text out through the
style: about 60 µs a cell. Here a cell is one look-up of its row, its text elided once per width
(``table_painter.CellText``, shared with the view's painter), and one drawText. The cell with the
keyboard focus is painted the styled way (it shows the focus frame).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mediadesk.ui.asset_model import DURATION, R_HEADLINE, R_TITLE, ROW_ROLE, TITLE, stand_in
from mediadesk.ui.table_painter import LEFT, MARGIN, RIGHT, CellText, colour_group

if TYPE_CHECKING:
    from mediadesk.ui.asset_model import AssetModel

# Qt's flags as ints: combining or testing the enum objects costs microseconds each in Python
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value
_SELECTED = QStyle.StateFlag.State_Selected.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate.value


class TableDelegate(QStyledItemDelegate):
    def __init__(self, parent=None, cells: CellText | None = None) -> None:
        super().__init__(parent)
        self.cells = cells if cells is not None else CellText()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        state = option.state.value
        if state & _HAS_FOCUS:
            super().paint(painter, option, index)
            return
        row = index.data(ROW_ROLE)
        rect = option.rect
        palette = option.palette
        group = colour_group(bool(state & _ENABLED), bool(state & _ACTIVE))
        selected = bool(state & _SELECTED)
        if selected:
            painter.fillRect(rect, palette.brush(group, QPalette.ColorRole.Highlight))
        elif option.features.value & _ALTERNATE:
            painter.fillRect(rect, palette.brush(group, QPalette.ColorRole.AlternateBase))
        if row is None:
            text = index.data(Qt.ItemDataRole.DisplayRole)     # "(removed)", or nothing while the page loads
            if not text:
                return
            italic = False
        else:
            model = cast("AssetModel", index.model())
            column = index.column()
            text = model.display_text(row, column)
            italic = column == TITLE and stand_in(row[R_TITLE], row[R_HEADLINE]) is not None
        font = model.stand_in_font() if italic else option.font
        key, metrics, _, _ = self.cells.font_info(font)
        width = rect.width() - 2 * MARGIN
        shown = self.cells.shown(text, width, key, metrics)
        if selected:
            painter.setPen(palette.color(group, QPalette.ColorRole.HighlightedText))
        elif italic:
            painter.setPen(palette.color(group, QPalette.ColorRole.PlaceholderText))
        else:
            painter.setPen(palette.color(group, QPalette.ColorRole.Text))
        painter.setFont(font)
        painter.drawText(QRect(rect.x() + MARGIN, rect.y(), width, rect.height()),
                         RIGHT if index.column() == DURATION else LEFT, shown)
