"""The thumbnail grid: a QListView tuned for hundreds of thousands of items."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView

from mediadesk.catalog.connection import Catalog

from mediadesk.ui.asset_model import R_HAS_THUMB, R_HASH
from mediadesk.ui.grid_delegate import GridDelegate
from mediadesk.ui.thumbnail_loader import ThumbnailLoader

if TYPE_CHECKING:
    from mediadesk.ui.asset_model import AssetModel

MIN_EDGE, MAX_EDGE, DEFAULT_EDGE = 96, 320, 180


class AssetGridView(QListView):
    #: Space pressed: play or pause the selected video.
    play_toggle_requested = Signal()
    #: Return/Enter or double click: open the current asset in the preview at full size.
    activated_asset = Signal()

    def __init__(self, catalog: Catalog, loader: ThumbnailLoader, parent=None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._last_first = 0
        self.setObjectName("assetGrid")
        self.setAccessibleName("Assets (thumbnails)")
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWrapping(True)
        self.setFlow(QListView.Flow.LeftToRight)
        # LAB.md trap 4: both or the first paint of 100,000 rows takes seconds
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(2000)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionRectVisible(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setMouseTracking(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.delegate = GridDelegate(catalog, loader, self)
        self.setItemDelegate(self.delegate)
        loader.updated.connect(self.viewport().update)
        self.set_edge(DEFAULT_EDGE)

    def edge(self) -> int:
        return self.delegate.edge

    def set_edge(self, edge: int) -> None:
        edge = max(MIN_EDGE, min(MAX_EDGE, int(edge)))
        self.delegate.edge = edge
        self._loader.set_edge(edge)
        self._fit_columns()
        self.verticalScrollBar().setSingleStep(max(20, edge // 3))
        current = self.currentIndex()
        self.doItemsLayout()
        if current.isValid():
            self.scrollTo(current)

    def _fit_columns(self) -> None:
        """Spread the columns over the whole width (no ragged empty strip on the right)."""
        cell = self.delegate.cell_size(self.font())
        width = self.viewport().width() - 2  # a cell exactly as wide as what is left wraps
        columns = max(1, width // cell.width())
        spread = QSize(max(cell.width(), width // columns), cell.height())
        if spread != self.gridSize():
            self.setGridSize(spread)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def visible_range(self) -> tuple[int, int]:
        """First and last row on screen (uniform cells, left to right, top to bottom)."""
        cell = self.gridSize()
        if cell.width() <= 0 or cell.height() <= 0:
            return 0, 0
        columns = max(1, self.viewport().width() // cell.width())
        top = self.verticalScrollBar().value()
        first_line = max(0, top // cell.height())
        last_line = (top + self.viewport().height()) // cell.height()
        return first_line * columns, (last_line + 1) * columns - 1

    def prefetch_thumbnails(self, first: int, last: int) -> None:
        """The rows on screen changed: forget thumbnail requests of rows scrolled past, and while
        the user scrolls on (not when jumping far) ask for the next screen's thumbnails, after
        those on screen."""
        model = cast("AssetModel | None", self.model())
        if model is None:
            return
        last = min(last, model.rowCount() - 1)    # (the last line of the grid may be short)
        if last < first:
            return
        span = last - first + 1
        down = first >= self._last_first
        step = abs(first - self._last_first)
        self._last_first = first
        ahead = range(last + 1, min(model.rowCount(), last + 1 + span)) if down else \
            range(first - 1, max(-1, first - 1 - span), -1)
        keep: set[str] = set()
        wanted = []
        thumbs = self.delegate.thumbs_dir
        for rows, prefetch in ((range(first, last + 1), False), (ahead, step <= 2 * span)):
            for row in rows:
                item = model.loaded_row(row)
                if item is not None and item[R_HAS_THUMB]:
                    keep.add(item[R_HASH])
                    if prefetch:
                        wanted.append((item[R_HASH], os.path.join(thumbs, item[R_HASH][:2], item[R_HASH] + ".jpg")))
        self._loader.keep_only(keep)
        if wanted:
            self._loader.prefetch(wanted)

    def sizeHint(self) -> QSize:
        return QSize(800, 600)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.play_toggle_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_asset.emit()
            return
        super().keyPressEvent(event)
