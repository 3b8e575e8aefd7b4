"""The inspector's "Changes" section: the newest recorded changes of the one asset shown, each
with when, who (the login on a team catalog; "here" on a desk catalog) and old -> new."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.services.find_replace import display_value

SHOWN = 6
_SHORT = 48


def _short(value) -> str:
    text = display_value(value) or "(none)"
    return text if len(text) <= _SHORT else text[:_SHORT - 1] + "…"


def change_line(change) -> str:
    """One change as rich text (every value escaped)."""
    label = FIELD_BY_NAME[change.field].label if change.field in FIELD_BY_NAME else change.field
    when = change.at[:16].replace("T", " ")
    who = change.user or "here"
    undone = " (undone)" if change.undone else ""
    return (f"<b>{escape(when)} UTC · {escape(who)}</b>{escape(undone)}<br>"
            f"{escape(label)}: {escape(_short(change.old))} → {escape(_short(change.new))}")


class ChangeHistory(QWidget):
    def __init__(self, reader, title: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 6)
        column.addWidget(title)
        self.text = QLabel(self)
        self.text.setObjectName("changeHistory")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.text)
        self._asset: int | None = None

    def show_asset(self, asset_id: int | None) -> None:
        self._asset = asset_id
        if asset_id is None:
            self.text.setText("")
            self.setVisible(False)
            return
        self._reader.submit(lambda catalog: catalog.history.for_asset(asset_id, newest_first=True)[:SHOWN],
                            lambda changes: self._show(asset_id, changes), key="inspector-changes")

    def _show(self, asset_id: int, changes) -> None:
        if asset_id != self._asset:
            return
        self.setVisible(True)
        if not changes:
            self.text.setText("No changes recorded yet.")
            return
        self.text.setText("<br><br>".join(change_line(c) for c in changes))
