"""What a grid cell says under its picture: a label a photographer can tell apart (the file name
or the frame number, chosen in View), and the marks set while culling (rating, pick, colour).

Every cell has the same two lines whatever it holds, so cells never change size and the grid
never reflows while marks are set: line one is the label, line two the marks (stars on the left,
the colour label's name in its colour in the middle, the pick on the right). A colour label
also paints a bar across the top of the cell (Photo Mechanic colours the whole slide), and a
rejected picture is dimmed.
"""

from __future__ import annotations

import os
import re

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from mediadesk.domain.asset import Asset
from mediadesk.domain.marks import MAX_RATING, PICKED, REJECTED, label_colour

FILE_NAME, FRAME_NUMBER, TITLE = "file", "frame", "title"
LABEL_MODES = ((FILE_NAME, "&File Name"), (FRAME_NUMBER, "F&rame Number"), (TITLE, "&Title"))
DEFAULT_LABEL_MODE = FILE_NAME
STAR_ON = QColor("#f5a623")
STAR_OFF = QColor(160, 160, 160, 110)
PICK_COLOUR = QColor("#2e7d32")
REJECT_COLOUR = QColor("#c62828")
DIM = QColor(255, 255, 255, 150)


def frame_number(file_name: str) -> str | None:
    """The camera's frame counter in a file name: the last run of three or more digits of its
    stem (DSC_0123.JPG -> 0123; IMG_4567-2.jpg -> 4567, the -2 of a copy is not the counter),
    else the last run of digits; None when the name has none."""
    runs = re.findall(r"\d+", os.path.splitext(file_name)[0])
    counters = [run for run in runs if len(run) >= 3]
    return (counters or runs or [None])[-1]


def label_text(asset: Asset, mode: str) -> str:
    """The first line under a thumbnail."""
    if mode == FRAME_NUMBER:
        frame = frame_number(asset.file_name)
        return f"#{frame}" if frame else asset.file_name
    if mode == TITLE:
        return " ".join((asset.title or asset.headline or asset.file_name).split())
    return asset.file_name


def paint_label(painter: QPainter, rect: QRect, text: str, font: QFont, colour: QColor) -> None:
    """One line, centred; a long file name loses its middle, so the frame number at its end
    stays readable (DSC_2025…0123.jpg)."""
    painter.setFont(font)
    painter.setPen(colour)
    shown = QFontMetrics(font).elidedText(text, Qt.ElideMiddle, rect.width())
    painter.drawText(rect, int(Qt.AlignHCenter | Qt.AlignTop), shown)


def paint_marks(painter: QPainter, rect: QRect, asset: Asset, font: QFont) -> None:
    """Stars, the colour label and the pick on one line of ``rect``."""
    metrics = QFontMetrics(font)
    painter.setFont(font)
    if asset.rating and asset.rating > 0:
        x = rect.left()
        star = metrics.horizontalAdvance("★")
        for n in range(1, MAX_RATING + 1):
            painter.setPen(STAR_ON if n <= asset.rating else STAR_OFF)
            painter.drawText(QRect(x, rect.top(), star, rect.height()), int(Qt.AlignLeft | Qt.AlignVCenter), "★")
            x += star
    right = rect.right()
    if asset.pick in (PICKED, REJECTED):
        text = "✓ Pick" if asset.pick == PICKED else "✕ Reject"
        width = metrics.horizontalAdvance(text) + 4
        painter.setPen(PICK_COLOUR if asset.pick == PICKED else REJECT_COLOUR)
        painter.drawText(QRect(right - width, rect.top(), width, rect.height()),
                         int(Qt.AlignRight | Qt.AlignVCenter), text)
        right -= width + 4
    colour = label_colour(asset.label)
    if colour is not None and asset.label:
        width = min(metrics.horizontalAdvance(asset.label) + 10, max(0, right - rect.left() - 70))
        if width > 12:
            chip = QRectF(right - width, rect.top() + 2, width, rect.height() - 4)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(chip, 3, 3)
            painter.setPen(QColor("white"))
            painter.drawText(chip, int(Qt.AlignCenter),
                             metrics.elidedText(asset.label, Qt.ElideRight, int(width) - 6))


def paint_label_bar(painter: QPainter, cell: QRect, asset: Asset) -> None:
    colour = label_colour(asset.label)
    if colour is not None:
        painter.fillRect(QRect(cell.left() + 4, cell.top() + 1, cell.width() - 8, 4), QColor(colour))


def dim_rejected(painter: QPainter, picture: QRect, asset: Asset) -> None:
    if asset.pick == REJECTED:
        painter.fillRect(picture, DIM)


def paint_focus(painter: QPainter, cell: QRect, highlight: QColor) -> None:
    """The keyboard's place in the grid: a thick dark frame just outside the cell, unlike the
    selection's thin one, and drawn on an unselected cell too (Ctrl+arrows move it alone)."""
    pen = QPen(highlight.darker(160), 3)
    painter.setPen(pen)
    painter.setBrush(Qt.NoBrush)
    painter.drawRoundedRect(QRectF(cell).adjusted(-0.5, -0.5, 0.5, 0.5), 7, 7)
