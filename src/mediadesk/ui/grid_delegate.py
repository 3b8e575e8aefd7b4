"""Paints one grid cell: thumbnail (only if cached), rights and duration badges, two text lines.

A scroll repaints every cell on screen many times a second, so what a cell needs besides its
thumbnail is worked out once and kept: the caption wrapped to two lines (per text, width and
font), the badges as small pictures (per text and colour), the font metrics.
"""

from __future__ import annotations

import os
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPixmap, QTextLayout
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import AssetKind, format_duration
from mediadesk.domain.timed_text import clock

from mediadesk.ui.asset_model import (
    BADGE_ROLE,
    HIT_ROLE,
    R_DURATION,
    R_FORMAT,
    R_HAS_THUMB,
    R_HASH,
    R_HEIGHT,
    R_KIND,
    R_MISSING,
    R_PATH,
    R_WIDTH,
    ROW_ROLE,
    grid_text,
)
from mediadesk.ui.thumbnail_loader import ThumbnailLoader

PAD = 8
TEXT_LINES = 2
FRAME = QColor("#dcdfe3")
FRAME_TEXT = QColor("#6b7280")
BADGE_DARK = QColor(0, 0, 0, 170)
MISSING_RED = QColor("#7f1d1d")
OFFLINE_GREY = "#475569"      # a file whose storage root is not reachable on this desk
HIT_COLOUR = QColor("#8a5a00")   # a search hit in the words (amber: contrast 5.9:1 with white)
LINES_CACHE = 4096     # wrapped captions kept (a few screens of any size)
# Qt's flags as ints: combining or testing the enum objects costs microseconds each in Python
_SELECTED = QStyle.StateFlag.State_Selected.value
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value
_MOUSE_OVER = QStyle.StateFlag.State_MouseOver.value
_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def two_lines(text: str, font: QFont, width: int) -> list[str]:
    """``text`` wrapped to ``width``: at most two lines, the second elided."""
    text = " ".join(text.split())
    if not text:
        return []
    metrics = QFontMetrics(font)
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width)
    first_end = line.textStart() + line.textLength()
    layout.endLayout()
    first = text[:first_end].rstrip()
    rest = text[first_end:].strip()
    if not rest:
        return [first]
    return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


class GridDelegate(QStyledItemDelegate):
    def __init__(self, catalog: Catalog, loader: ThumbnailLoader, parent=None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.thumbs_dir = str(catalog.thumbs_dir)
        self._loader = loader
        self.edge = 160
        self._badge_font = QFont()
        self._badge_font.setBold(True)
        self._badge_font.setPointSizeF(max(6.5, self._badge_font.pointSizeF() * 0.72))
        self._badge_metrics = QFontMetrics(self._badge_font)
        self._lines: OrderedDict[tuple, list[str]] = OrderedDict()
        self._pills: dict[tuple, QPixmap] = {}
        self._spacing: dict[str, int] = {}

    @property
    def box_height(self) -> int:
        """Thumbnails fit a 4:3 box (press pictures are mostly landscape; portraits fit its height)."""
        return self.edge * 3 // 4

    def cell_size(self, font: QFont) -> QSize:
        line = QFontMetrics(font).lineSpacing()
        return QSize(self.edge + 2 * PAD, self.box_height + 2 * PAD + TEXT_LINES * line + 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # the view spreads its cells over its width (gridSize): an item is the whole cell
        view = self.parent()
        grid = view.gridSize() if isinstance(view, QListView) else QSize()
        return grid if grid.isValid() else self.cell_size(option.font)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(ROW_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        rect = option.rect
        spare = max(0, rect.width() - self.edge - 2 * PAD) // 2
        cell = rect.adjusted(2 + spare, 2, -2 - spare, -2)
        palette = option.palette
        state = option.state.value
        selected = bool(state & _SELECTED)
        if selected:
            colour = palette.color(QPalette.ColorRole.Highlight)
            colour.setAlpha(60 if not state & _HAS_FOCUS else 90)
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(cell).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        elif state & _MOUSE_OVER:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
            painter.drawRoundedRect(QRectF(cell), 6, 6)
        left = rect.x() + (rect.width() - self.edge) // 2
        thumb = QRect(left, rect.y() + PAD, self.edge, self.box_height)
        if row is not None:
            picture = self._paint_thumbnail(painter, thumb, row)
            self._paint_badges(painter, picture, row, index.data(BADGE_ROLE))
            self._paint_hit(painter, picture, index.data(HIT_ROLE))
            self._paint_text(painter, option, thumb, row)
        else:
            painter.fillRect(thumb, FRAME)
        painter.restore()

    def _paint_thumbnail(self, painter: QPainter, thumb: QRect, row: tuple) -> QRect:
        """Draw the thumbnail (or a neutral frame); return where the picture is."""
        pixmap = None
        if row[R_HAS_THUMB]:
            key = row[R_HASH]
            pixmap = self._loader.pixmap(key, os.path.join(self.thumbs_dir, key[:2], key + ".jpg"))
        if pixmap is not None and not pixmap.isNull():
            shape = pixmap.size().scaled(thumb.size(), Qt.AspectRatioMode.KeepAspectRatio)
        elif row[R_WIDTH] and row[R_HEIGHT]:  # the frame has the picture's shape before it arrives
            shape = QSize(row[R_WIDTH], row[R_HEIGHT]).scaled(thumb.size(), Qt.AspectRatioMode.KeepAspectRatio)
        else:
            shape = QSize(thumb.width(), thumb.height() * 3 // 4)
        target = QRect(0, 0, shape.width(), shape.height())
        target.moveCenter(thumb.center())
        target.moveBottom(thumb.bottom())  # pictures sit on a common line just above their text
        if pixmap is None or pixmap.isNull():
            painter.fillRect(target, FRAME)
            if not row[R_HAS_THUMB]:  # nothing will arrive: say what the file is
                painter.setPen(FRAME_TEXT)
                painter.setFont(self._badge_font)
                label = (row[R_FORMAT] or row[R_KIND]).upper()
                painter.drawText(target, _CENTRE, f"{label}\nno preview")
            return target
        painter.drawPixmap(target, pixmap)
        return target

    def _paint_badges(self, painter: QPainter, thumb: QRect, row: tuple, badge) -> None:
        if badge is not None:
            self._pill(painter, QPointF(thumb.left() + 4, thumb.top() + 4), badge.colour, badge.text)
        offline = self._catalog.paths.offline(row[R_PATH])   # a team catalog's share not reachable
        if offline or row[R_MISSING]:
            colour, text = (OFFLINE_GREY, "OFFLINE") if offline else (MISSING_RED.name(), "FILE MISSING")
            pill = self._pill_pixmap(colour, text, painter)
            self._pill(painter, QPointF(thumb.right() - self._width(pill) - 3, thumb.top() + 4), colour, text)
        if row[R_KIND] == AssetKind.VIDEO:
            text = "▶ " + (format_duration(row[R_DURATION]) or "video")
            pill = self._pill_pixmap("dark", text, painter)
            height = self._height(pill)
            self._pill(painter, QPointF(thumb.right() - self._width(pill) - 3, thumb.bottom() - height - 3),
                       "dark", text)

    def _paint_hit(self, painter: QPainter, thumb: QRect, hit) -> None:
        """Where the search found its words: the moment in a video, the page of a document."""
        if hit is None:
            return
        if hit.start is not None:
            text = f"found at {clock(hit.start)}"
        elif hit.page is not None:
            text = f"found on p. {hit.page}"
        else:
            text = "found in the text"
        pill = self._pill_pixmap(HIT_COLOUR.name(), text, painter)
        self._pill(painter, QPointF(thumb.left() + 3, thumb.bottom() - self._height(pill) - 3), HIT_COLOUR.name(), text)

    @staticmethod
    def _width(pixmap: QPixmap) -> float:
        return pixmap.width() / pixmap.devicePixelRatio()

    @staticmethod
    def _height(pixmap: QPixmap) -> float:
        return pixmap.height() / pixmap.devicePixelRatio()

    def _pill(self, painter: QPainter, at: QPointF, colour: str, text: str) -> None:
        painter.drawPixmap(at, self._pill_pixmap(colour, text, painter))

    def _pill_pixmap(self, colour: str, text: str, painter: QPainter) -> QPixmap:
        """A badge (rounded pill, white bold text) drawn once per text, colour and pixel ratio."""
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        key = (colour, text, ratio)
        pixmap = self._pills.get(key)
        if pixmap is None:
            metrics = self._badge_metrics
            width, height = metrics.horizontalAdvance(text) + 10, metrics.height() + 4
            pixmap = QPixmap(int(width * ratio + 0.999), int(height * ratio + 0.999))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            rect = QRectF(0, 0, width, height)
            path = QPainterPath()
            path.addRoundedRect(rect, 3, 3)
            p.fillPath(path, BADGE_DARK if colour == "dark" else QColor(colour))
            p.setPen(QColor("white"))
            p.setFont(self._badge_font)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            p.end()
            if len(self._pills) > 512:
                self._pills.clear()
            self._pills[key] = pixmap
        return pixmap

    def _paint_text(self, painter: QPainter, option: QStyleOptionViewItem, thumb: QRect, row: tuple) -> None:
        font = option.font
        font_key = font.key()
        text = grid_text(row)
        width = thumb.width()
        key = (text, width, font_key)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = two_lines(text, font, width)
            if len(self._lines) > LINES_CACHE:
                self._lines.popitem(last=False)
        spacing = self._spacing.get(font_key)
        if spacing is None:
            spacing = self._spacing[font_key] = QFontMetrics(font).lineSpacing()
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        y = thumb.bottom() + 6
        for line in lines:
            painter.drawText(QRectF(thumb.left(), y, width, spacing), _TEXT_FLAGS, line)
            y += spacing
