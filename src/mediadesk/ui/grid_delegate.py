"""Paints one grid cell: thumbnail (only if cached), rights and duration badges, two text lines."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.ui.asset_model import ASSET_ROLE, BADGE_ROLE
from mediadesk.domain.asset import format_duration
from mediadesk.ui.thumbnail_loader import ThumbnailLoader

PAD = 8
TEXT_LINES = 2
FRAME = QColor("#dcdfe3")
FRAME_TEXT = QColor("#6b7280")
BADGE_DARK = QColor(0, 0, 0, 170)


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
    return [first, metrics.elidedText(rest, Qt.ElideRight, width)]


class GridDelegate(QStyledItemDelegate):
    def __init__(self, catalog: Catalog, loader: ThumbnailLoader, parent=None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._loader = loader
        self.edge = 160
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
            picture = self._paint_thumbnail(painter, thumb, asset)
            self._paint_badges(painter, picture, asset, index.data(BADGE_ROLE))
            self._paint_text(painter, option, thumb, asset, selected)
        else:
            painter.fillRect(thumb, FRAME)
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
        offline = self._catalog.paths.offline(asset.path)   # a team catalog's share not reachable
        if offline or asset.missing:
            text = "OFFLINE" if offline else "FILE MISSING"
            width = metrics.horizontalAdvance(text) + 10
            rect = QRectF(thumb.right() - width - 3, thumb.top() + 4, width, height)
            self._pill(painter, rect, QColor("#475569" if offline else "#7f1d1d"), text)
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
        font = option.font
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.Text))
        text = asset.caption or asset.title or asset.headline or asset.file_name
        lines = two_lines(text, font, thumb.width())
        spacing = QFontMetrics(font).lineSpacing()
        y = thumb.bottom() + 6
        for line in lines:
            painter.drawText(QRectF(thumb.left(), y, thumb.width(), spacing), Qt.AlignHCenter | Qt.AlignTop, line)
            y += spacing
