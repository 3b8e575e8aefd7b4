"""Paints one grid cell: thumbnail (only if cached), rights and duration badges, the label line
and the marks line (ui/grid_marks.py), and the keyboard's focus frame."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.ui.asset_model import ASSET_ROLE, BADGE_ROLE
from mediadesk.domain.asset import format_duration
from mediadesk.ui.grid_marks import (
    DEFAULT_LABEL_MODE, dim_rejected, label_text, paint_focus, paint_label, paint_label_bar, paint_marks,
)
from mediadesk.ui.thumbnail_loader import ThumbnailLoader

PAD = 8
TEXT_LINES = 2
FRAME = QColor("#dcdfe3")
FRAME_TEXT = QColor("#6b7280")
BADGE_DARK = QColor(0, 0, 0, 170)


class GridDelegate(QStyledItemDelegate):
    def __init__(self, catalog: Catalog, loader: ThumbnailLoader, parent=None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._loader = loader
        self.edge = 160
        self.label_mode = DEFAULT_LABEL_MODE   # what the first line under a picture says (View menu)
        self._badge_font = QFont()
        self._badge_font.setBold(True)
        self._badge_font.setPointSizeF(max(6.5, self._badge_font.pointSizeF() * 0.72))

    @property
    def box_height(self) -> int:
        """Thumbnails fit a 4:3 box (press pictures are mostly landscape; portraits fit its height)."""
        return self.edge * 3 // 4

    def cell_size(self, font: QFont) -> QSize:
        line = QFontMetrics(font).lineSpacing()
        return QSize(self.edge + 2 * PAD, self.box_height + 2 * PAD + TEXT_LINES * line + 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return self.cell_size(option.font)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        asset: Asset | None = index.data(ASSET_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
        spare = max(0, option.rect.width() - self.edge - 2 * PAD) // 2
        cell = option.rect.adjusted(2 + spare, 2, -2 - spare, -2)
        palette = option.palette
        selected = bool(option.state & QStyle.State_Selected)
        if selected:
            colour = palette.color(QPalette.Highlight)
            colour.setAlpha(60 if not option.state & QStyle.State_HasFocus else 90)
            painter.setPen(palette.color(QPalette.Highlight))
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(cell).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        elif option.state & QStyle.State_MouseOver:
            painter.setPen(Qt.NoPen)
            painter.setBrush(palette.color(QPalette.Midlight))
            painter.drawRoundedRect(QRectF(cell), 6, 6)
        left = option.rect.x() + (option.rect.width() - self.edge) // 2
        thumb = QRect(left, option.rect.y() + PAD, self.edge, self.box_height)
        if asset is not None:
            paint_label_bar(painter, cell, asset)
            picture = self._paint_thumbnail(painter, thumb, asset)
            dim_rejected(painter, picture, asset)
            self._paint_badges(painter, picture, asset, index.data(BADGE_ROLE))
            self._paint_text(painter, option, thumb, asset, selected)
        else:
            painter.fillRect(thumb, FRAME)
        if option.state & QStyle.State_HasFocus:
            paint_focus(painter, cell, palette.color(QPalette.Highlight))
        painter.restore()

    def _paint_thumbnail(self, painter: QPainter, thumb: QRect, asset: Asset) -> QRect:
        """Draw the thumbnail (or a neutral frame); return where the picture is."""
        pixmap = None
        if asset.has_thumbnail:
            key = asset.content_hash
            pixmap = self._loader.pixmap(key, str(self._catalog.thumbnail_path(key)))
        if asset.width and asset.height:  # the frame has the picture's shape before it arrives
            shape = QSize(asset.width, asset.height).scaled(thumb.size(), Qt.KeepAspectRatio)
        else:
            shape = QSize(thumb.width(), thumb.height() * 3 // 4)
        if pixmap is not None and not pixmap.isNull():
            shape = pixmap.size().scaled(thumb.size(), Qt.KeepAspectRatio)
        target = QRect(0, 0, shape.width(), shape.height())
        target.moveCenter(thumb.center())
        target.moveBottom(thumb.bottom())  # pictures sit on a common line just above their text
        if pixmap is None or pixmap.isNull():
            painter.fillRect(target, FRAME)
            if not asset.has_thumbnail:  # nothing will arrive: say what the file is
                painter.setPen(FRAME_TEXT)
                painter.setFont(self._badge_font)
                label = (asset.format or asset.kind).upper()
                painter.drawText(target, Qt.AlignCenter, f"{label}\nno preview")
            return target
        painter.drawPixmap(target, pixmap)
        return target

    def _paint_badges(self, painter: QPainter, thumb: QRect, asset: Asset, badge) -> None:
        painter.setFont(self._badge_font)
        metrics = QFontMetrics(self._badge_font)
        height = metrics.height() + 4
        if badge is not None:
            width = metrics.horizontalAdvance(badge.text) + 10
            rect = QRectF(thumb.left() + 4, thumb.top() + 4, width, height)
            self._pill(painter, rect, QColor(badge.colour), badge.text)
        if asset.missing:
            text = "FILE MISSING"
            width = metrics.horizontalAdvance(text) + 10
            rect = QRectF(thumb.right() - width - 3, thumb.top() + 4, width, height)
            self._pill(painter, rect, QColor("#7f1d1d"), text)
        if asset.kind == AssetKind.VIDEO:
            text = "▶ " + (format_duration(asset.duration) or "video")
            width = metrics.horizontalAdvance(text) + 10
            rect = QRectF(thumb.right() - width - 3, thumb.bottom() - height - 3, width, height)
            self._pill(painter, rect, BADGE_DARK, text)

    @staticmethod
    def _pill(painter: QPainter, rect: QRectF, colour: QColor, text: str) -> None:
        path = QPainterPath()
        path.addRoundedRect(rect, 3, 3)
        painter.fillPath(path, colour)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignCenter, text)

    def _paint_text(self, painter: QPainter, option: QStyleOptionViewItem, thumb: QRect,
                    asset: Asset, selected: bool) -> None:
        spacing = QFontMetrics(option.font).lineSpacing()
        top = thumb.bottom() + 6
        paint_label(painter, QRect(thumb.left(), top, thumb.width(), spacing), label_text(asset, self.label_mode),
                    option.font, option.palette.color(QPalette.Text))
        paint_marks(painter, QRect(thumb.left(), top + spacing, thumb.width(), spacing), asset, option.font)
