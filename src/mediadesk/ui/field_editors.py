"""One editor per metadata field, typed by its FieldSpec, with validation shown under it.

- Text fields warn when they pass their IPTC-IIM byte limit (IIM keeps only that many bytes;
  XMP keeps the full text), counted in UTF-8 bytes like the file will.
- Dates are parsed (2025-03-12, 2025-03-12 14:05, 2025-03-12T14:05+01:00); an unreadable date
  is refused with a message instead of being saved.
- Lists are edited as "a; b; c".
- With several assets selected and different values, the field is empty with the placeholder
  "(multiple values)"; it is written to all of them only if the user types something, or
  chooses "Clear on All Selected Assets" in the field's context menu (an empty field cannot say
  "clear" by itself, since it already means "leave each value as it is").
An editor emits ``committed(name, value)`` on Return / leaving the field; Escape reverts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMenu, QPlainTextEdit, QVBoxLayout, QWidget

from mediadesk.domain.fields import FieldSpec, FieldType

MULTIPLE_TEXT = "(multiple values)"
LIST_SEPARATOR = "; "


def parse_date(text: str) -> str | None:
    """A typed date in the catalog's ISO form, or None if it cannot be read."""
    # imported at the first typed date: mediadesk.media brings PyAV, exiv2 and Pillow, which the
    # window does not need to open
    from mediadesk.media.dates import from_iso

    text = " ".join(text.split())
    if len(text) >= 16 and text[10] == " ":
        text = text[:10] + "T" + text[11:].replace(" ", "")
    return from_iso(text)


def show_date(value: str) -> str:
    """2025-03-28T09:48:57+01:00 as 2025-03-28 09:48:57 +01:00 (parse_date reads it back)."""
    date, sep, time = value.partition("T")
    if not sep:
        return value
    for marker in ("+", "-", "Z"):
        at = time.find(marker)
        if at > 0:
            return f"{date} {time[:at]} {time[at:]}"
    return f"{date} {time}"


def byte_warning(spec: FieldSpec, value: Any) -> str | None:
    limit = spec.iim_max_bytes
    if not limit or not value:
        return None
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        size = len(str(item).encode("utf-8"))
        if size > limit:
            what = f'"{item[:20]}…" is' if isinstance(value, (list, tuple)) else "This is"
            return (f"{what} {size} bytes; IPTC-IIM keeps only {limit} bytes "
                    "(XMP keeps the full text). Shorten it for old newsroom systems.")
    return None


class _PlainTextFilter(QObject):
    """Commit a multi-line editor when it loses focus or on Ctrl+Return; Escape reverts."""

    def __init__(self, editor: FieldEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._editor.commit()
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                    and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                self._editor.commit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self._editor.revert()
                return True
            if event.key() == Qt.Key.Key_Tab and not event.modifiers():
                self._editor.focusNextChild()  # Tab moves on, as in every other field
                return True
        return False


class _LineEdit(QLineEdit):
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isModified():
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class FieldEditor(QWidget):
    #: The user finished editing: (field name, new value in domain form).
    committed = Signal(str, object)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._shown = ""          # the text shown for the current value
        self._multiple = False
        self._read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.input: QPlainTextEdit | QComboBox | _LineEdit
        if spec.type is FieldType.LONGTEXT:
            text = self.input = QPlainTextEdit(self)
            text.setTabChangesFocus(True)
            lines = 4 if spec.name == "caption" else 2
            height = text.fontMetrics().lineSpacing() * lines + 14
            text.setFixedHeight(height)
            text.installEventFilter(_PlainTextFilter(self))
            text.textChanged.connect(self._validate)
        elif spec.type is FieldType.INT:
            combo = self.input = QComboBox(self)
            combo.addItem("No rating", None)
            for stars in range(1, 6):
                combo.addItem("★" * stars, stars)
            combo.activated.connect(lambda _=0: self.commit())
        else:
            line = self.input = _LineEdit(self)
            line.editingFinished.connect(self.commit)
            line.escaped.connect(self.revert)
            line.textEdited.connect(self._validate)
            if spec.type is FieldType.DATE:
                line.setPlaceholderText("YYYY-MM-DD or YYYY-MM-DD HH:MM")
            elif spec.type is FieldType.LIST:
                line.setPlaceholderText("separate with ;")
        self.input.setObjectName(f"field_{spec.name}")
        self.input.setAccessibleName(spec.label)   # a screen reader says "Caption", not "edit"
        if not isinstance(self.input, QComboBox):   # the rating's combo has "No rating" for that
            self.input.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.input.customContextMenuRequested.connect(self._show_menu)
        layout.addWidget(self.input)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("fieldMessage")
        self.message.hide()
        layout.addWidget(self.message)

    # -- value in / out -----------------------------------------------------------------------
    def set_value(self, value: Any, multiple: bool = False) -> None:
        self._multiple = multiple
        #: the value shown when typing began: a save compares it with the catalog's value then,
        #: so that what another desk saved meanwhile is never overwritten unseen (None: several)
        self.base_value = None if multiple else value
        self.base_known = not multiple
        text = "" if multiple else self._to_text(value)
        self._shown = text
        placeholder = MULTIPLE_TEXT if multiple else self._placeholder()
        if isinstance(self.input, QComboBox):
            if multiple:
                if self.input.itemText(0) != MULTIPLE_TEXT:
                    self.input.insertItem(0, MULTIPLE_TEXT, "multiple")
                self.input.setCurrentIndex(0)
            else:
                if self.input.itemText(0) == MULTIPLE_TEXT:
                    self.input.removeItem(0)
                found = self.input.findData(value if value else None)
                self.input.setCurrentIndex(max(0, found))
        elif isinstance(self.input, QPlainTextEdit):
            self.input.blockSignals(True)
            self.input.setPlainText(text)
            self.input.blockSignals(False)
            self.input.setPlaceholderText(placeholder)
        else:
            self.input.setText(text)
            self.input.setModified(False)
            self.input.setPlaceholderText(placeholder)
            self.input.setCursorPosition(0)
        self._validate()

    def _placeholder(self) -> str:
        if self.spec.type is FieldType.DATE:
            return "YYYY-MM-DD or YYYY-MM-DD HH:MM"
        if self.spec.type is FieldType.LIST:
            return "separate with ;"
        return ""

    def text(self) -> str:
        if isinstance(self.input, QComboBox):
            return self.input.currentText()
        if isinstance(self.input, QPlainTextEdit):
            return self.input.toPlainText()
        return self.input.text()

    def is_dirty(self) -> bool:
        """The user typed something not yet committed."""
        if isinstance(self.input, QComboBox):
            return False
        return self.text() != self._shown

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if isinstance(self.input, QComboBox):
            self.input.setEnabled(not read_only)
        else:
            self.input.setReadOnly(read_only)

    def _to_text(self, value: Any) -> str:
        if value is None:
            return ""
        if self.spec.type is FieldType.LIST:
            return LIST_SEPARATOR.join(value)
        if self.spec.type is FieldType.DATE:
            return show_date(str(value))
        return str(value)

    def _from_text(self, text: str) -> Any:
        if self.spec.type is FieldType.LIST:
            return tuple(p.strip() for p in text.replace("\n", ";").split(";") if p.strip())
        if self.spec.type is FieldType.DATE:
            return parse_date(text) if text.strip() else None
        return text.strip() or None

    # -- commit / revert ------------------------------------------------------------------------
    def commit(self) -> None:
        if isinstance(self.input, QComboBox):
            data = self.input.currentData()
            if data == "multiple":
                return
            self._multiple = False
            if self.input.itemText(0) == MULTIPLE_TEXT:
                self.input.removeItem(0)
            self.committed.emit(self.spec.name, data)
            return
        text = self.text()
        if text == self._shown:
            return
        if self.spec.type is FieldType.DATE and text.strip() and parse_date(text) is None:
            return  # the message under the field says what is wrong; nothing is saved
        self._shown = text
        self._multiple = False
        value = self._from_text(text)
        self.committed.emit(self.spec.name, value)
        self.base_value, self.base_known = value, True   # what this desk expects once it is saved

    @property
    def can_clear_all(self) -> bool:
        # the rating's combo has "No rating" for that
        return self._multiple and not self._read_only and not isinstance(self.input, QComboBox)

    def clear_all(self) -> None:
        """Empty this field on every selected asset (the values differed), as one edit."""
        if not self.can_clear_all or isinstance(self.input, QComboBox):
            return
        self._multiple = False
        self._shown = ""
        if isinstance(self.input, QPlainTextEdit):
            self.input.blockSignals(True)
            self.input.setPlainText("")
            self.input.blockSignals(False)
        else:
            self.input.setText("")
            self.input.setModified(False)
        self.input.setPlaceholderText(self._placeholder())
        self._validate()
        self.committed.emit(self.spec.name, () if self.spec.type is FieldType.LIST else None)

    def keep_unsaved(self, value: Any, base: Any, known: bool = True) -> None:
        """A save failed (the team catalog was out of reach): what was typed (``value``) stays in
        the field as an edit not yet saved, so that no refresh replaces it; ``base`` is the
        value read before typing, which the retried save is checked against."""
        if isinstance(self.input, QComboBox):
            return
        text = self._to_text(value)
        if self.text() != text:
            if isinstance(self.input, QPlainTextEdit):
                self.input.setPlainText(text)
            else:
                self.input.setText(text)
        self.base_value, self.base_known = base, known      # unknown: the assets' values differed
        self._shown = self._to_text(base) if known else ("" if text else " ")   # dirty either way

    def settle(self, value: Any) -> None:
        """``value`` was saved: the field shows it as the catalog's (no longer an unsaved edit)."""
        if not isinstance(self.input, QComboBox) and self.text() == self._to_text(value):
            self._shown = self.text()
            self.base_value, self.base_known = value, True

    def context_menu(self) -> QMenu:
        """The field's standard text menu, plus "Clear on All Selected Assets" when it applies."""
        assert not isinstance(self.input, QComboBox), "the rating's combo has no text menu"
        menu = self.input.createStandardContextMenu()
        if self.can_clear_all:
            menu.addSeparator()
            action = menu.addAction("Clear on All Selected Assets")
            action.setObjectName("clearAll")
            action.triggered.connect(self.clear_all)
        return menu

    def _show_menu(self, pos) -> None:
        menu = self.context_menu()
        menu.exec(self.input.mapToGlobal(pos))
        menu.deleteLater()

    def revert(self) -> None:
        if isinstance(self.input, QPlainTextEdit):
            self.input.setPlainText(self._shown)
        elif isinstance(self.input, QLineEdit):
            self.input.setText(self._shown)
            self.input.setModified(False)
        self._validate()

    # -- validation -------------------------------------------------------------------------
    def _validate(self, *_args) -> None:
        text = self.text()
        error = warning = None
        if self.spec.type is FieldType.DATE and text.strip():
            if parse_date(text) is None:
                error = f'"{text.strip()}" is not a date: type YYYY-MM-DD, optionally with HH:MM.'
        elif not isinstance(self.input, QComboBox):
            warning = byte_warning(self.spec, self._from_text(text))
        self._show_message(error or warning, "error" if error else "warning")

    def _show_message(self, message: str | None, level: str) -> None:
        if not message:
            self.message.hide()
            self.input.setProperty("invalid", False)
        else:
            colour = "#b91c1c" if level == "error" else "#a15c00"
            self.message.setStyleSheet(f"color: {colour};")
            self.message.setText(message)
            self.message.show()
            self.input.setProperty("invalid", level == "error")
        self.input.style().unpolish(self.input)
        self.input.style().polish(self.input)

    @property
    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()
