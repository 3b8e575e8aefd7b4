"""The loupe and full screen in the real window (issue 17): Return, Space or a double click open
the photo large; arrows move through the selection; marks act on the photo shown; F is full
screen; Esc goes back to the grid with the focus on the photo last shown."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mediadesk.catalog.connection import Catalog

from tests.support.ui_fixtures import rows_where, select


def photo_rows(window):
    return rows_where(window, lambda a: a.kind == "photo")


def test_return_opens_arrows_move_through_the_selection_esc_comes_back(window, qtbot):
    rows = photo_rows(window)[:4]
    select(window, [rows[1], rows[2], rows[3]])          # the current item is rows[1]
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    loupe = window.desk.loupe
    assert window.centre.currentWidget() is loupe and loupe.hasFocus()
    assert loupe.current_row() == rows[1] and loupe.position.text() == "1 of 3"
    assert loupe.title.text() == window.model.asset_at(rows[1]).file_name
    qtbot.waitUntil(lambda: loupe.preview.image.pixmap() is not None, timeout=5000)   # the picture
    assert not window.preview.isVisible()                 # the side preview gives way
    qtbot.keyClick(loupe, Qt.Key.Key_Right)
    qtbot.keyClick(loupe, Qt.Key.Key_Right)
    qtbot.keyClick(loupe, Qt.Key.Key_Right)                   # the end of the selection: stays
    assert loupe.current_row() == rows[3] and loupe.position.text() == "3 of 3"
    assert window.grid.currentIndex().row() == rows[3]
    assert len(window.selected_ids()) == 3                # moving inside a selection keeps it
    qtbot.keyClick(loupe, Qt.Key.Key_Left)
    qtbot.keyClick(loupe, Qt.Key.Key_Escape)
    assert window.centre.currentWidget() is window.pane and window.preview.isVisible()
    assert window.grid.hasFocus() and window.grid.currentIndex().row() == rows[2]


def test_space_and_double_click_open_it_and_one_photo_walks_everything(window, qtbot):
    rows = photo_rows(window)
    select(window, [rows[0]])
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)
    loupe = window.desk.loupe
    assert window.centre.currentWidget() is loupe
    assert loupe.position.text() == f"1 of {window.model.rowCount()}"
    qtbot.keyClick(loupe, Qt.Key.Key_Right)                   # one selected: the next photo is selected
    assert window.selected_ids() == [window.model.id_at(rows[0] + 1)]
    qtbot.keyClick(loupe, Qt.Key.Key_Space)                   # Space on a photo: back
    assert window.centre.currentWidget() is window.pane
    rect = window.grid.visualRect(window.model.index(rows[2], 0))
    qtbot.mouseClick(window.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())   # as a double click
    qtbot.mouseDClick(window.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # starts
    assert window.centre.currentWidget() is loupe and loupe.current_row() == rows[2]
    qtbot.mouseDClick(loupe, Qt.MouseButton.LeftButton)
    assert window.centre.currentWidget() is window.pane


def test_marks_in_the_loupe_go_to_the_photo_shown(window, qtbot, library):
    rows = photo_rows(window)[:3]
    select(window, rows)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    loupe = window.desk.loupe
    qtbot.keyClick(loupe, Qt.Key.Key_Right)
    qtbot.keyClick(loupe, Qt.Key.Key_5)
    qtbot.keyClick(loupe, Qt.Key.Key_8)
    shown = window.model.id_at(rows[1])
    with Catalog(library) as catalog:
        qtbot.waitUntil(lambda: (catalog.assets.get(shown).rating, catalog.assets.get(shown).label) == (5, "Green"),
                        timeout=5000)
        assert all(catalog.assets.get(window.model.id_at(r)).rating is None for r in (rows[0], rows[2]))
    qtbot.waitUntil(lambda: "★★★★★" in loupe.marks.text() and "Green" in loupe.marks.text(), timeout=5000)


def test_f_is_full_screen_and_esc_leaves_it_and_the_loupe(window, qtbot):
    rows = photo_rows(window)
    select(window, [rows[0]])
    window.grid.setFocus()
    sizes = window.main.sizes()
    qtbot.keyClick(window.grid, Qt.Key.Key_F)                 # from the grid: the loupe, full screen
    loupe = window.desk.loupe
    assert window.desk.full_screen and window.centre.currentWidget() is loupe
    qtbot.waitUntil(window.isFullScreen, timeout=3000)
    assert not window.sidebar.isVisible() and not window.right.isVisible() and not window.menuBar().isVisible()
    qtbot.keyClick(loupe, Qt.Key.Key_F)                       # F again: the loupe in the window
    assert not window.desk.full_screen and window.sidebar.isVisible() and window.right.isVisible()
    assert window.centre.currentWidget() is loupe
    qtbot.keyClick(loupe, Qt.Key.Key_F)
    qtbot.keyClick(loupe, Qt.Key.Key_Escape)                  # Esc: out of both
    assert not window.desk.full_screen and window.centre.currentWidget() is window.pane
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3000)
    assert window.menuBar().isVisible() and window.main.sizes() == sizes
    assert QApplication.focusWidget() is window.grid


def test_a_video_plays_in_the_loupe(window, qtbot):
    [row] = rows_where(window, lambda a: a.kind == "video")
    select(window, [row])
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)
    loupe = window.desk.loupe
    player = loupe.preview.player
    assert loupe.preview._stack.currentWidget() is loupe.preview.video_page   # the player and its chapters
    qtbot.keyClick(loupe, Qt.Key.Key_Space)                   # Space plays the video here
    qtbot.waitUntil(lambda: player.is_playing() or player.video.frames > 0, timeout=8000)
    qtbot.keyClick(loupe, Qt.Key.Key_Space)                   # and pauses it
    assert not player.is_playing()
    assert window.centre.currentWidget() is loupe
    qtbot.keyClick(loupe, Qt.Key.Key_Escape)
    assert window.centre.currentWidget() is window.pane and not player.is_playing()
