"""Paints the table's visible rows in one Python call, straight from the display rows.

QTableView paints cell by cell: per cell it builds an index and a style option, asks the model
for its flags (and ``rowCount``/``columnCount`` several times), draws the style's row panel and
calls the delegate, each a call from C++ into Python: about 75 µs a cell, 10 ms for a screen of
128 cells, paid again on every scroll step that lands on new rows (issue 18). Here one call
paints the dirty rows: a fill per row (alternate colour) or per selected stretch, and per cell
its text, elided to the cell's width (remembered) and drawn at its baseline. Rows whose page is
still on its way are painted as empty rows (alternate colours only), rows whose asset is gone say
"(removed)" in the Title column. The cell with the keyboard focus is painted by the delegate the
styled way (it shows the focus frame), as QTableView would.

:class:`CellText` (the elided text and the fonts' metrics) is shared with
``table_delegate.TableDelegate``, which paints single cells the same way where Qt asks it to
(a drag's pixmap).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from mediadesk.ui.asset_model import DURATION, LOADING, R_HEADLINE, R_TITLE, TITLE, stand_in

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    from mediadesk.ui.asset_model import AssetModel

ELIDED_CACHE = 8192
MARGIN = 4
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
REMOVED = "(removed)"
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight
# a glyph is at least this wide (px): text longer than width / MIN_GLYPH characters is cut
# before it is measured (a long caption costs its whole layout otherwise)
MIN_GLYPH = 2


class CellText:
    """What a cell shows of its text: elided to the cell's width, remembered (a row painted
    again, as a scroll goes back and forth, costs a dictionary look-up); and where a font's
    baseline sits in a row."""

    def __init__(self) -> None:
        self._elided: OrderedDict[tuple, str] = OrderedDict()
        self._metrics: dict[str, tuple[QFontMetrics, float, float]] = {}

    def font_info(self, font: QFont) -> tuple[str, QFontMetrics, float, float]:
        """(key, metrics, ascent, height) of a font (kept per font key)."""
        key = font.key()
        found = self._metrics.get(key)
        if found is None:
            exact = QFontMetricsF(font)
            found = self._metrics[key] = (QFontMetrics(font), exact.ascent(), exact.height())
        return key, *found

    def shown(self, text: str, width: int, key: str, metrics: QFontMetrics) -> str:
        """``text`` as it fits ``width`` pixels in the font ``key`` (elided at the right)."""
        cache_key = (text, width, key)
        shown = self._elided.get(cache_key)
        if shown is None:
            shown = self._elided[cache_key] = elide(text, width, metrics)
            if len(self._elided) > ELIDED_CACHE:
                self._elided.popitem(last=False)
        return shown


def elide(text: str, width: int, metrics: QFontMetrics) -> str:
    """``metrics.elidedText(text, ElideRight, width)``, without laying out the part of a long
    text that cannot be shown anyway."""
    limit = max(width, 0) // MIN_GLYPH + 8
    if len(text) <= limit:
        return metrics.elidedText(text, _ELIDE_RIGHT, width)
    cut = text[:limit]
    shown = metrics.elidedText(cut, _ELIDE_RIGHT, width)
    # the cut text fits (glyphs narrower than MIN_GLYPH, combining marks): measure it whole
    return shown if shown != cut else metrics.elidedText(text, _ELIDE_RIGHT, width)


def colour_group(enabled: bool, active: bool) -> QPalette.ColorGroup:
    """The palette group the style paints a view in (a window in the background shows its
    selection in the inactive colours)."""
    if not enabled:
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive


class TablePainter:
    """Paints an ``AssetTableView``'s rows (see the module)."""

    def __init__(self, view: QTableView, cells: CellText) -> None:
        self._view = view
        self.cells = cells

    def paint(self, painter: QPainter, dirty: QRect, model: AssetModel) -> None:
        view = self._view
        count = model.rowCount()
        top = view.rowAt(dirty.top())
        if top < 0 or not count:
            return                      # below the last row: the viewport's background
        bottom = view.rowAt(dirty.bottom())
        if bottom < 0:
            bottom = count - 1
        header = view.horizontalHeader()
        columns: list[tuple[int, int, int]] = []     # (logical column, x, width), in visual order
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            if header.isSectionHidden(column):
                continue
            x, width = header.sectionViewportPosition(column), header.sectionSize(column)
            if x <= dirty.right() and x + width > dirty.left():
                columns.append((column, x, width))
        if not columns:
            return
        left = columns[0][1]
        span = columns[-1][1] + columns[-1][2] - left
        every_column = frozenset(column for column, _, _ in columns)
        no_column: frozenset[int] = frozenset()

        palette = view.palette()
        group = colour_group(view.isEnabled(), view.isActiveWindow())
        highlight = palette.brush(group, QPalette.ColorRole.Highlight)
        alternate_base = palette.brush(group, QPalette.ColorRole.AlternateBase)
        pens = {False: palette.color(group, QPalette.ColorRole.Text),
                True: palette.color(group, QPalette.ColorRole.HighlightedText)}
        placeholder = palette.color(group, QPalette.ColorRole.PlaceholderText)
        cells = self.cells
        fonts = {False: cells.font_info(view.font()), True: cells.font_info(model.stand_in_font())}
        plain_font, italic_font = view.font(), model.stand_in_font()
        alternate = view.alternatingRowColors()
        selection = view.selectionModel()
        current = view.currentIndex()
        focused = (view.hasFocus() or view.viewport().hasFocus()) and current.isValid()
        focus_row, focus_column = (current.row(), current.column()) if focused else (-1, -1)
        row_to_paint, display_text = model.row_to_paint, model.display_text
        pen_now: object = None
        font_now: object = None

        for row in range(top, bottom + 1):
            y = view.rowViewportPosition(row)
            height = view.rowHeight(row)
            odd = alternate and row & 1
            if odd:
                painter.fillRect(QRect(left, y, span, height), alternate_base)
            if selection is None or not selection.rowIntersectsSelection(row):
                selected = no_column
            elif selection.isRowSelected(row):
                selected = every_column
                painter.fillRect(QRect(left, y, span, height), highlight)
            else:   # some cells of the row (selected one by one by a program)
                selected = frozenset(c for c in every_column if selection.isSelected(model.index(row, c)))
                for column, x, width in columns:
                    if column in selected:
                        painter.fillRect(QRect(x, y, width, height), highlight)
            item = row_to_paint(row)
            if item is LOADING:
                continue          # its page is on its way: painted again when it arrives
            for column, x, width in columns:
                if row == focus_row and column == focus_column:
                    self._paint_focus(painter, model, row, column, QRect(x, y, width, height),
                                      column in selected, bool(odd))
                    pen_now = font_now = None      # the style restored its own
                    continue
                if item is None:
                    if column != TITLE:
                        continue
                    text, italic = REMOVED, False
                else:
                    text = display_text(item, column)
                    if not text:
                        continue
                    italic = column == TITLE and stand_in(item[R_TITLE], item[R_HEADLINE]) is not None
                pen = pens[True] if column in selected else placeholder if italic else pens[False]
                if pen is not pen_now:
                    painter.setPen(pen)
                    pen_now = pen
                font = italic_font if italic else plain_font
                if font is not font_now:
                    painter.setFont(font)
                    font_now = font
                key, metrics, ascent, line = fonts[italic]
                inner = width - 2 * MARGIN
                shown = cells.shown(text, inner, key, metrics)
                if column == DURATION:
                    painter.drawText(QRect(x + MARGIN, y, inner, height), RIGHT, shown)
                else:   # the baseline drawText(rect, AlignVCenter) uses, without its layout work
                    painter.drawText(QPointF(x + MARGIN, y + (height - line) / 2 + ascent), shown)

    def _paint_focus(self, painter: QPainter, model: AssetModel, row: int, column: int, rect: QRect,
                     selected: bool, odd: bool) -> None:
        view = self._view
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = rect
        state = option.state | QStyle.StateFlag.State_HasFocus
        if selected:
            state |= QStyle.StateFlag.State_Selected
        option.state = state
        if odd:
            option.features |= QStyleOptionViewItem.ViewItemFeature.Alternate
        painter.save()
        view.itemDelegate().paint(painter, option, model.index(row, column))
        painter.restore()
