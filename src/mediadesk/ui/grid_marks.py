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

from mediadesk.domain.marks import MAX_RATING, PICKED, REJECTED, label_colour

FILE_NAME, FRAME_NUMBER, TITLE = "file", "frame", "title"
LABEL_MODES = ((FILE_NAME, "&File Name"), (FRAME_NUMBER, "F&rame Number"), (TITLE, "&Title"))
DEFAULT_LABEL_MODE = FILE_NAME
STAR_ON = QColor("#f5a623")
STAR_OFF = QColor(160, 160, 160, 110)
PICK_COLOUR = QColor("#2e7d32")
REJECT_COLOUR = QColor("#c62828")
DIM = QColor(255, 255, 255, 150)
_CENTRED_TOP = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def frame_number(file_name: str) -> str | None:
    """The camera's frame counter in a file name: the last run of three or more digits of its
    stem (DSC_0123.JPG -> 0123; IMG_4567-2.jpg -> 4567, the -2 of a copy is not the counter),
    else the last run of digits; None when the name has none."""
    runs = re.findall(r"\d+", os.path.splitext(file_name)[0])
    counters = [run for run in runs if len(run) >= 3]
    return (counters or runs or [None])[-1]


def label_text(file_name: str, title: str | None, headline: str | None, mode: str) -> str:
    """The first line under a thumbnail."""
    if mode == FRAME_NUMBER:
        frame = frame_number(file_name)
        return f"#{frame}" if frame else file_name
    if mode == TITLE:
        return " ".join((title or headline or file_name).split())
    return file_name


def elide_middle(text: str, font: QFont, width: int) -> str:
    """A long file name loses its middle, so the frame number at its end stays readable
    (DSC_2025…0123.jpg)."""
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideMiddle, width)


def paint_label(painter: QPainter, rect: QRectF, shown: str, font: QFont, colour: QColor) -> None:
    """One line (already elided to ``rect``), centred."""
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(rect, _CENTRED_TOP, shown)


def paint_marks(painter: QPainter, rect: QRect, rating: int | None, pick: int | None, label: str | None,
                font: QFont) -> None:
    """Stars, the colour label and the pick on one line of ``rect``."""
    metrics = QFontMetrics(font)
    painter.setFont(font)
    if rating and rating > 0:
        x = rect.left()
        star = metrics.horizontalAdvance("★")
        for n in range(1, MAX_RATING + 1):
            painter.setPen(STAR_ON if n <= rating else STAR_OFF)
            painter.drawText(QRect(x, rect.top(), star, rect.height()), _LEFT, "★")
            x += star
    right = rect.right()
    if pick in (PICKED, REJECTED):
        text = "✓ Pick" if pick == PICKED else "✕ Reject"
        width = metrics.horizontalAdvance(text) + 4
        painter.setPen(PICK_COLOUR if pick == PICKED else REJECT_COLOUR)
        painter.drawText(QRect(right - width, rect.top(), width, rect.height()), _RIGHT, text)
        right -= width + 4
    colour = label_colour(label)
    if colour is not None and label:
        width = min(metrics.horizontalAdvance(label) + 10, max(0, right - rect.left() - 70))
        if width > 12:
            chip = QRectF(right - width, rect.top() + 2, width, rect.height() - 4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(chip, 3, 3)
            painter.setPen(QColor("white"))
            painter.drawText(chip, _CENTRE, metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(width) - 6))


def paint_label_bar(painter: QPainter, cell: QRect, label: str) -> None:
    colour = label_colour(label)
    if colour is not None:
        painter.fillRect(QRect(cell.left() + 4, cell.top() + 1, cell.width() - 8, 4), QColor(colour))


def dim_rejected(painter: QPainter, picture: QRect) -> None:
    painter.fillRect(picture, DIM)


def paint_focus(painter: QPainter, cell: QRect, highlight: QColor) -> None:
    """The keyboard's place in the grid: a thick dark frame just outside the cell, unlike the
    selection's thin one, and drawn on an unselected cell too (Ctrl+arrows move it alone)."""
    pen = QPen(highlight.darker(160), 3)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(cell).adjusted(-0.5, -0.5, 0.5, 0.5), 7, 7)
