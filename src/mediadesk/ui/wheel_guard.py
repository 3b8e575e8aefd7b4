"""A mouse wheel never changes a value in a widget that does not have the keyboard focus.

Scrolling the inspector with the pointer passing over the rating changed a video's rating five
times and saved each (issue 17). One application-wide event filter, for the window and every
dialog, so no new widget can forget it:

- a wheel event aimed at a value widget (combo box, spin box, date/time edit, slider; not a scroll
  bar) without the focus is not delivered to it and goes on to its parent, so the panel under the
  pointer scrolls as the person meant;
- such widgets never take the focus from the wheel (``Qt.FocusPolicy.StrongFocus`` instead of
  ``Qt.FocusPolicy.WheelFocus``): otherwise the first notch would focus them and the next change them.

A value widget the person clicked or tabbed into still follows the wheel, as everywhere else.
"""

from __future__ import annotations

from typing import TypeGuard

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QScrollBar, QWidget

_WHEEL, _POLISH = QEvent.Type.Wheel, QEvent.Type.Polish


def changes_value_on_wheel(widget: QObject) -> TypeGuard[QWidget]:
    """A widget whose value a wheel turn changes (the ones guarded here)."""
    return (isinstance(widget, (QComboBox, QAbstractSpinBox))
            or (isinstance(widget, QAbstractSlider) and not isinstance(widget, QScrollBar)))


class WheelGuard(QObject):
    """Installed on the QApplication by :func:`install_wheel_guard`."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == _WHEEL:
            if changes_value_on_wheel(obj) and not obj.hasFocus():
                event.ignore()      # not for this widget: Qt passes it on to the parent
                return True
        elif kind == _POLISH and changes_value_on_wheel(obj) and obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard once on ``app`` (idempotent); returns it."""
    guard = app.findChild(WheelGuard, "wheelGuard")
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName("wheelGuard")
        app.installEventFilter(guard)
    return guard


def unguarded(root: QWidget) -> list[QWidget]:
    """Value widgets under ``root`` that the wheel could still focus (for tests)."""
    return [w for w in root.findChildren(QWidget)
            if changes_value_on_wheel(w) and w.focusPolicy() == Qt.FocusPolicy.WheelFocus]
