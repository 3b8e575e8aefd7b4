"""The table view of the same result set: sortable (by re-querying), resizable columns.

It paints its visible rows itself, in one Python call per paint (``table_painter``), instead of
QTableView's call into the delegate per cell; the delegate still paints single cells where Qt
asks for one (a drag's pixmap, the cell with the focus). A grid drawn between the cells or a
right-to-left layout fall back to QTableView's own painting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from mediadesk.catalog.search import ORDERS

from mediadesk.ui.asset_model import COLUMNS, AssetModel
from mediadesk.ui.table_delegate import TableDelegate
from mediadesk.ui.table_painter import CellText, TablePainter

WIDTHS = (210, 300, 165, 65, 60, 190, 220, 140, 170)


def column_orders(column: int) -> tuple[str | None, str | None]:
    """(ascending, descending) order keys the catalog knows for a column."""
    _, asc, desc = COLUMNS[column]
    return (asc if asc in ORDERS else None), (desc if desc in ORDERS else None)


class AssetTableView(QTableView):
    #: Paint the rows with ``table_painter`` (False: QTableView's painting, a delegate call per
    #: cell; what the painter's pixels are compared with in the tests).
    paints_rows_itself = True

    #: The user asked to sort: an order key of ``catalog.search.ORDERS``, or None for the default.
    order_requested = Signal(object)
    play_toggle_requested = Signal()
    activated_asset = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("assetTable")
        self.setAccessibleName("Assets (table)")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._on_header_clicked)
        self._sorted: tuple[int, Qt.SortOrder] | None = None
        cells = CellText()
        self.delegate = TableDelegate(self, cells)
        self.setItemDelegate(self.delegate)
        self._painter = TablePainter(self, cells)

    def setModel(self, model) -> None:
        super().setModel(model)
        for column, width in enumerate(WIDTHS):
            self.setColumnWidth(column, width)

    def _on_header_clicked(self, column: int) -> None:
        asc, desc = column_orders(column)
        header = self.horizontalHeader()
        if not (asc or desc):
            self._show_indicator()
            return
        if self._sorted and self._sorted[0] == column:
            ascending = self._sorted[1] == Qt.SortOrder.AscendingOrder
            order = Qt.SortOrder.DescendingOrder if ascending else Qt.SortOrder.AscendingOrder
        else:
            order = Qt.SortOrder.AscendingOrder if asc else Qt.SortOrder.DescendingOrder
        key = asc if order == Qt.SortOrder.AscendingOrder else desc
        if key is None:  # only one direction exists: keep it
            order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
            key = desc or asc
        self._sorted = (column, order)
        self._show_indicator()
        header.viewport().update()
        self.order_requested.emit(key)

    def set_order(self, key: str | None) -> None:
        """Show the sort indicator for an order chosen elsewhere (restored settings)."""
        self._sorted = None
        for column in range(len(COLUMNS)):
            asc, desc = column_orders(column)
            if key and key == asc:
                self._sorted = (column, Qt.SortOrder.AscendingOrder)
            elif key and key == desc:
                self._sorted = (column, Qt.SortOrder.DescendingOrder)
        self._show_indicator()

    def _show_indicator(self) -> None:
        header = self.horizontalHeader()
        if self._sorted is None:
            header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        else:
            header.setSortIndicator(*self._sorted)

    def visible_range(self) -> tuple[int, int]:
        first = self.rowAt(0)
        last = self.rowAt(self.viewport().height() - 1)
        rows = self.model().rowCount() if self.model() is not None else 0
        return max(0, first), (rows - 1 if last < 0 else last)

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        if (not self.paints_rows_itself or not isinstance(model, AssetModel) or self.showGrid()
                or self.isRightToLeft()):
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        self._painter.paint(painter, event.rect(), model)
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.play_toggle_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_asset.emit()
            return
        super().keyPressEvent(event)
