"""The loupe: one photo as large as the centre allows (or the whole screen), for culling.

Opened from the grid or table with Return, Space or a double click; the arrow keys move
through the selection (or through everything shown, when one asset is selected); the marks
keys (0-5, P/X/U/T, 6-9) act on the photo shown; Esc (or Return) goes back to the grid, whose
current item is the photo last shown, with the keyboard focus on it. A video plays here (Space
plays and pauses it). The picture is read off the GUI thread at screen size (ui/preview.py);
the line above it says where in the run the photo is, its file name and its marks.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.marks import label_colour, pick_word

from mediadesk.ui.asset_model import AssetModel
from mediadesk.ui.preview import Preview

BACKGROUND = "#1f2023"
_NEXT = (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown)
_PREVIOUS = (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp)


def marks_text(asset: Asset) -> str:
    """"★★★★ · picked · Red" (empty for an unmarked asset)."""
    parts = []
    if asset.rating:
        parts.append("★" * asset.rating)
    if asset.pick:
        parts.append(pick_word(asset.pick))
    if asset.label:
        colour = label_colour(asset.label)
        parts.append(f"<span style='color:{colour}'>■</span> {_html(asset.label)}")
    return " · ".join(parts)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Loupe(QWidget):
    #: Esc, Return, or Space on a photo: back to the grid.
    closed = Signal()
    #: The row now shown (the window makes it the views' current item).
    row_changed = Signal(int)
    #: F: the loupe over the whole screen, or back.
    full_screen_requested = Signal()

    def __init__(self, catalog: Catalog, model: AssetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loupe")
        self.setAccessibleName("Loupe: the current photo large")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # a plain QWidget paints its style sheet only so
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#loupe {{ background: {BACKGROUND}; }}"
                           " QLabel { color: #e5e7eb; }")
        self._model = model
        self._rows: list[int] = []
        self._at = 0
        self.preview = Preview(catalog, self)
        self.position = QLabel(self)
        self.position.setObjectName("loupePosition")
        self.title = QLabel(self)
        self.title.setObjectName("loupeTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.marks = QLabel(self)
        self.marks.setObjectName("loupeMarks")
        self.marks.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel("← → move · 0–5 rate · P pick · X reject · 6–9 label · Ctrl+I info · "
                           "F full screen · Esc back", self)
        self.hint.setStyleSheet("color: #9ca3af;")
        self.caption = QLabel(self)
        self.caption.setObjectName("loupeCaption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.caption.setMaximumHeight(self.caption.fontMetrics().lineSpacing() * 3 + 6)
        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 4)
        top.addWidget(self.position)
        top.addSpacing(12)
        top.addWidget(self.title, 1)
        top.addWidget(self.marks)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        bottom = QVBoxLayout()
        bottom.setContentsMargins(12, 4, 12, 8)
        bottom.addWidget(self.caption)
        bottom.addWidget(self.hint)
        layout.addLayout(bottom)
        model.dataChanged.connect(self._on_data_changed)
        model.modelReset.connect(self._on_reset)

    # -- what is shown -------------------------------------------------------------------
    def open(self, rows: list[int], row: int) -> None:
        """Show ``row``; the arrows move through ``rows`` (in their order)."""
        self._rows = list(rows) or [row]
        self._at = self._rows.index(row) if row in self._rows else 0
        self._show()

    def current_row(self) -> int | None:
        return self._rows[self._at] if self._rows else None

    def current_asset(self) -> Asset | None:
        row = self.current_row()
        return None if row is None else self._model.asset_at(row)

    def step(self, delta: int) -> bool:
        """Move ``delta`` photos on (clamped at the ends); False when it could not move."""
        if not self._rows:
            return False
        at = max(0, min(len(self._rows) - 1, self._at + delta))
        if at == self._at:
            return False
        self._at = at
        self._show()
        return True

    def _show(self) -> None:
        row = self.current_row()
        if row is None:
            return
        asset = self._model.asset_at(row)
        self.preview.show_asset(asset)
        self._show_text(asset)
        self.row_changed.emit(row)

    def _show_text(self, asset: Asset | None) -> None:
        total = len(self._rows)
        self.position.setText(f"{self._at + 1:,} of {total:,}")
        if asset is None:
            self.title.setText("(removed from the catalog)")
            self.marks.clear()
            self.caption.clear()
            return
        self.title.setText(asset.file_name)
        self.title.setToolTip(asset.path)
        self.marks.setText(marks_text(asset))
        self.caption.setText(" ".join((asset.caption or asset.headline or "(no caption)").split()))

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex, _roles=()) -> None:
        row = self.current_row()
        if row is not None and self.isVisible() and top.row() <= row <= bottom.row():
            self._show_text(self._model.asset_at(row))

    def _on_reset(self) -> None:
        if self.isVisible():
            self.closed.emit()    # another result set: the rows no longer mean these photos

    def stop(self) -> None:
        self.preview.stop()

    def leave(self) -> None:
        """Stop a playing video and forget the picture (the loupe is being closed)."""
        self.preview.show_asset(None)

    # -- keys ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
            return
        if key in _NEXT:
            self.step(1)
        elif key in _PREVIOUS:
            self.step(-1)
        elif key == Qt.Key.Key_Home:
            self.step(-len(self._rows))
        elif key == Qt.Key.Key_End:
            self.step(len(self._rows))
        elif key == Qt.Key.Key_Space and self._is_video():
            self.preview.toggle_playback()
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.closed.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.closed.emit()
        event.accept()

    def _is_video(self) -> bool:
        asset = self.preview.asset
        return asset is not None and asset.kind == AssetKind.VIDEO
