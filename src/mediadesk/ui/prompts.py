"""The small questions the window asks: a name, a yes or no (each built once, named for screen readers)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def text_dialog(parent: QWidget | None, title: str, label: str, text: str = "") -> QInputDialog:
    """The dialog that asks for a name (a gallery, a saved search, a template), not yet shown."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    field = dialog.findChild(QLineEdit)
    if field is not None:
        field.setAccessibleName(label.rstrip(": "))
    return dialog


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """The name typed (stripped), or None when cancelled or empty."""
    dialog = text_dialog(parent, title, label, text)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        value = dialog.textValue().strip()
        return value or None
    finally:
        dialog.deleteLater()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes
