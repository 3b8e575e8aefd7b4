"""A mouse wheel never changes a value in a widget without focus, in the window and every dialog.

The events are real: QTest.wheelEvent goes through the window system interface, so they arrive
as a mouse wheel's do (spontaneous, delivered to the widget under the pointer, propagated to the
parents it ignores, giving the focus to widgets that take it from the wheel).
"""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QSpinBox,
    QWidget,
)

from mediadesk.catalog.connection import Catalog

from mediadesk.ui.batch_editor import BatchEditorDialog
from mediadesk.ui.codes_dialog import CodesDialog
from mediadesk.ui.export_dialog import ExportDialog
from mediadesk.ui.file_dialogs import PURPOSES
from mediadesk.ui.find_replace_dialog import FindReplaceDialog
from mediadesk.ui.wheel_guard import changes_value_on_wheel, unguarded

from tests.support.ui_fixtures import rows_where, select, wait_inspector


def value(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, (QSpinBox, QDoubleSpinBox, QAbstractSlider)):
        return widget.value()
    raise AssertionError(f"no value to read from {type(widget).__name__}")


def history_count(path) -> int:
    with Catalog(path) as catalog:
        return catalog.conn.execute("SELECT count(*) FROM edit_history").fetchone()[0]


def scroll_into_view(widget: QWidget) -> None:
    parent = widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and hasattr(area, "ensureWidgetVisible"):
            area.ensureWidgetVisible(widget, 0, 0)
        parent = area


def wheel_over(widget: QWidget, notches: int) -> bool:
    """Turn the wheel over the middle of ``widget``; False if the widget is not under the pointer."""
    top = widget.window()
    pos = widget.mapTo(top, widget.rect().center())
    under = top.childAt(pos)
    if under is None or not (under is widget or widget.isAncestorOf(under)):
        return False
    for step in (1, -1):
        for _ in range(notches):
            QTest.wheelEvent(top.windowHandle(), pos, QPoint(0, 120 * step))
            QApplication.processEvents()
    return True


def assert_wheel_changes_nothing(root: QWidget, focus: QWidget) -> list[str]:
    """Wheel over every visible value widget under ``root``; returns their names."""
    assert not unguarded(root), [w.objectName() or type(w).__name__ for w in unguarded(root)]
    turned = []
    for widget in root.findChildren(QWidget):
        if not changes_value_on_wheel(widget) or not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        scroll_into_view(widget)
        focus.setFocus()
        QApplication.processEvents()
        before = value(widget)
        if not wheel_over(widget, 3):
            continue
        name = widget.objectName() or widget.accessibleName() or type(widget).__name__
        assert value(widget) == before, f"the wheel changed {name}"
        assert not widget.hasFocus(), f"the wheel gave {name} the focus"
        turned.append(name)
    return turned


def test_wheel_over_the_inspector_and_every_dialog_changes_and_saves_nothing(window, qtbot, library):
    video = rows_where(window, lambda a: a.kind == "video")[0]
    select(window, [video])
    wait_inspector(qtbot, window, [window.model.id_at(video)])
    inspector = window.inspector
    rating = inspector.editor("rating").input
    rating.setCurrentIndex(2)                       # a video rated two stars, as in the report
    saved = history_count(library)

    # the inspector scrolls when the wheel passes over the rating; the rating stays
    scroll = inspector.findChild(QAbstractScrollArea)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0, "the inspector must be taller than its panel for this test"
    scroll.ensureWidgetVisible(rating, 0, 0)
    window.grid.setFocus()
    start = bar.value()
    pos = rating.mapTo(window, rating.rect().center())
    QTest.wheelEvent(window.windowHandle(), pos, QPoint(0, -120))
    QApplication.processEvents()
    assert rating.currentIndex() == 2 and not rating.hasFocus(), "the wheel changed the rating"
    qtbot.waitUntil(lambda: bar.value() != start, timeout=2000)     # the inspector scrolled instead

    turned = assert_wheel_changes_nothing(window, window.grid)
    assert {"field_rating", "field_rights_profile_id", "thumbnailSize"} <= set(turned), turned

    ids = [window.model.id_at(r) for r in range(window.model.rowCount())]
    export = ExportDialog(window.catalog_path, ids, window, dialogs=window.file_dialogs)
    export.renditions.setChecked(True)              # the size and quality boxes are enabled
    batch = BatchEditorDialog(window.catalog_path, ids, window)
    find = FindReplaceDialog(window.catalog_path, ids, window)
    codes = CodesDialog(window.catalog_path, window, dialogs=window.file_dialogs)
    file_dialogs = [window.file_dialogs.build(p, window) for p in PURPOSES]
    try:
        for dialog in (export, batch, find, codes, *file_dialogs):
            dialog.show()
            qtbot.waitExposed(dialog)
            focus = next(w for w in dialog.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
                         and not changes_value_on_wheel(w) and w.isVisible())
            turned += assert_wheel_changes_nothing(dialog, focus)
        wanted = {"exportPurpose", "exportLongEdge", "exportQuality", "batchTemplate", "batchField"}
        assert wanted <= set(turned), turned
    finally:
        for dialog in (export, batch, find, codes, *file_dialogs):
            dialog.reject()
    assert history_count(library) == saved, "a wheel turn saved an edit"
    assert not window.writer.busy


def test_a_focused_field_still_follows_the_wheel(window, qtbot):
    """The guard only stops unfocused widgets: the events of the test above are real ones."""
    slider = window.pane.size_slider
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=2000)
    before = slider.value()
    QTest.wheelEvent(window.windowHandle(), slider.mapTo(window, slider.rect().center()), QPoint(0, 120))
    qtbot.waitUntil(lambda: slider.value() != before, timeout=2000)
