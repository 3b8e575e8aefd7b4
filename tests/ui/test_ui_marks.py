"""Marks from the keyboard in the real window (issue 17): 0-5, P/X/U/T and 6-9 on the selection,
one undo step per key, shown on the thumbnails; never while typing; the filters; thumbnail labels;
a grid that keeps its columns and shows where the keyboard is."""

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.marks import LABEL_BY_KEY

from mediadesk.ui.asset_model import R_LABEL, ROW_ROLE
from mediadesk.ui.grid_marks import STAR_ON, frame_number, label_text

from tests.support.ui_fixtures import close_window, open_window, select


def marks(library, asset_id):
    with Catalog(library) as catalog:
        asset = catalog.assets.get(asset_id)
        return asset.rating, asset.pick, asset.label


def wait_marks(qtbot, library, asset_id, expected):
    qtbot.waitUntil(lambda: marks(library, asset_id) == expected, timeout=5000)


def photo_rows(window, count):
    rows = [r for r in range(window.model.rowCount()) if window.model.asset_at(r).kind == "photo"]
    return rows[:count]


def test_keys_mark_the_selection_each_key_one_undo_step(window, qtbot, library):
    rows = photo_rows(window, 3)
    ids = [window.model.id_at(r) for r in rows]
    select(window, rows[:2])
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_4)
    for asset_id in ids[:2]:
        wait_marks(qtbot, library, asset_id, (4, None, None))
    assert marks(library, ids[2]) == (None, None, None)          # not selected: untouched
    qtbot.keyClick(window.grid, Qt.Key.Key_P)
    wait_marks(qtbot, library, ids[1], (4, 1, None))
    qtbot.keyClick(window.grid, Qt.Key.Key_6)                          # red
    wait_marks(qtbot, library, ids[0], (4, 1, "Red"))
    qtbot.keyClick(window.grid, Qt.Key.Key_6)                          # again: off
    wait_marks(qtbot, library, ids[0], (4, 1, None))
    qtbot.keyClick(window.grid, Qt.Key.Key_X)
    wait_marks(qtbot, library, ids[0], (4, -1, None))
    qtbot.keyClick(window.grid, Qt.Key.Key_T)                          # tag: none picked, so pick all
    wait_marks(qtbot, library, ids[1], (4, 1, None))
    qtbot.keyClick(window.grid, Qt.Key.Key_0)
    wait_marks(qtbot, library, ids[0], (None, 1, None))
    qtbot.waitUntil(lambda: window.history.undo_action.isEnabled() and "rating" in
                    window.history.undo_action.text().lower(), timeout=5000)
    # one Ctrl+Z takes back one key, on both photos at once
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for asset_id in ids[:2]:
        wait_marks(qtbot, library, asset_id, (4, 1, None))
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_marks(qtbot, library, ids[0], (4, -1, None))
    assert window.desk.actions.ratings[4].shortcut().toString() == "4"


def test_keys_never_mark_while_typing(window, qtbot, library):
    [row] = photo_rows(window, 1)
    asset_id = window.model.id_at(row)
    select(window, [row])
    window.search.field.setFocus()
    qtbot.keyClicks(window.search.field, "5 p")
    assert window.search.field.text() == "5 p"
    editor = window.inspector.editor("headline")
    editor.input.setFocus()
    qtbot.keyClicks(editor.input, "x6")
    assert editor.input.text().endswith("x6")
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_3)
    qtbot.wait(300)
    assert marks(library, asset_id) == (None, None, None)


def _cell_image(window, row) -> tuple[QImage, QRect]:
    window.grid.viewport().repaint()
    image = window.grid.viewport().grab().toImage()
    return image, window.grid.visualRect(window.model.index(row, 0))


def _has_colour(image: QImage, rect: QRect, colour: QColor, tolerance: int = 30) -> bool:
    for y in range(rect.top(), rect.bottom(), 1):
        for x in range(rect.left(), rect.right(), 2):
            c = image.pixelColor(QPoint(x, y))
            if (abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                    + abs(c.blue() - colour.blue())) < tolerance:
                return True
    return False


def test_marks_show_on_the_thumbnails(window, qtbot, library):
    [row, other] = photo_rows(window, 2)
    asset_id = window.model.id_at(row)
    select(window, [row])
    window.grid.setFocus()
    image, rect = _cell_image(window, row)
    red = QColor(LABEL_BY_KEY["red"].colour)
    assert not _has_colour(image, rect, red) and not _has_colour(image, rect, STAR_ON)
    qtbot.keyClick(window.grid, Qt.Key.Key_3)
    qtbot.keyClick(window.grid, Qt.Key.Key_6)
    wait_marks(qtbot, library, asset_id, (3, None, "Red"))
    # the row the grid paints from (a display row, re-read after the change)
    qtbot.waitUntil(lambda: (window.model.index(row, 0).data(ROW_ROLE) or ())[R_LABEL:R_LABEL + 1] == ("Red",),
                    timeout=5000)
    image, rect = _cell_image(window, row)
    assert _has_colour(image, rect, red)           # the bar over the cell and the chip
    assert _has_colour(image, rect, STAR_ON)       # the stars
    image, other_rect = _cell_image(window, other)
    assert not _has_colour(image, other_rect, red)


def test_search_filters_rating_pick_and_label(window, qtbot, library):
    rows = photo_rows(window, 3)
    ids = [window.model.id_at(r) for r in rows]
    window.grid.setFocus()
    presses = ((Qt.Key.Key_5, Qt.Key.Key_P), (Qt.Key.Key_4,), (Qt.Key.Key_2, Qt.Key.Key_7))
    for row, keys in zip(rows, presses, strict=True):
        select(window, [row])
        for key in keys:
            qtbot.keyClick(window.grid, key)
    wait_marks(qtbot, library, ids[2], (2, None, "Yellow"))
    for text, expected in (("rating:>=4", ids[:2]), ("picked:yes", ids[:1]), ("label:yellow", ids[2:]),
                           ("rating:>=4 picked:no", ids[1:2])):
        window.search.field.setFocus()
        window.search.field.selectAll()
        qtbot.keyClicks(window.search.field, text)
        qtbot.waitUntil(lambda e=expected: sorted(window.model.ids()) == sorted(e), timeout=5000)


def test_thumbnail_label_is_the_file_name_or_the_frame_number_chosen_in_view(window, qtbot, settings):
    asset = window.model.asset_at(0)
    assert window.grid.delegate.label_mode == "file"
    assert label_text(asset.file_name, asset.title, asset.headline, "file") == asset.file_name
    window.desk.actions.label_modes["frame"].trigger()           # View > Thumbnail Label > Frame Number
    assert window.grid.delegate.label_mode == "frame"
    assert settings.value("view/thumbnail_label") == "frame"
    assert label_text(asset.file_name, asset.title, asset.headline, "frame") == f"#{frame_number(asset.file_name)}"
    assert label_text("DSC_0123.JPG", None, "Headline", "title") == "Headline"
    assert frame_number("DSC_0123.JPG") == "0123" and frame_number("IMG_4567-2.jpg") == "4567"
    assert frame_number("press.jpg") is None
    close_window(window)
    again = open_window(qtbot, window.catalog_path, settings)     # remembered
    try:
        assert again.grid.delegate.label_mode == "frame"
        assert again.desk.actions.label_modes["frame"].isChecked()
    finally:
        close_window(again)


def test_the_grid_keeps_its_columns_and_its_scroll_bar(window, qtbot):
    grid = window.grid
    assert grid.verticalScrollBar().isVisible()
    cell = grid.gridSize()
    first = grid.visualRect(window.model.index(0, 0))
    qtbot.keyClicks(window.search.field, "photo_000")              # one result: nothing to scroll
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert grid.verticalScrollBar().isVisible()
    assert grid.gridSize() == cell                                  # no flip to another column count
    assert grid.visualRect(window.model.index(0, 0)) == first       # the first cell stays put


def test_a_visible_focus_frame_marks_the_keyboard_place(window, qtbot):
    rows = photo_rows(window, 2)
    select(window, [rows[0]])
    window.activateWindow()
    window.grid.setFocus()
    # Ctrl+Right moves the focus, not the selection
    qtbot.keyClick(window.grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.grid.currentIndex().row() == rows[0] + 1, timeout=3000)
    assert not window.selection.isRowSelected(rows[0] + 1)
    image, rect = _cell_image(window, rows[0] + 1)
    frame = window.palette().highlight().color().darker(160)
    edge = QRect(rect.left() + rect.width() // 2 - 10, rect.top(), 20, 3)
    assert _has_colour(image, edge, frame, tolerance=60)
