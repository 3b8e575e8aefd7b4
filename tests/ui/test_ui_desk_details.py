"""Issue 17's "smaller" bugs, each driven in the real window: dates, stand-in titles, the search
chip, remembered folders, "Show in Folder" without a file manager, access letters, the sidebar
at 1024x700 and the export summary."""

import os
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.services.edits import apply_edits

from mediadesk.ui import desktop
from mediadesk.ui.asset_model import TITLE
from mediadesk.ui.badges import format_date
from mediadesk.ui.export_dialog import ExportDialog
from mediadesk.ui.file_dialogs import IMPORT_FILES, IMPORT_FOLDER, FileDialogs

from tests.support.ui_fixtures import rows_where
from window_locks import choose, populate


def test_dates_without_a_time_zone_show_no_stray_seconds():
    assert format_date("2025-05-14T09:22:00") == "2025-05-14 09:22"            # was "09:22 :00"
    assert format_date("2025-05-14T09:22") == "2025-05-14 09:22"
    assert format_date("2025-05-14T09:22:07+02:00") == "2025-05-14 09:22 +02:00"
    assert format_date("2025-05-14T09:22-05:30") == "2025-05-14 09:22 -05:30"
    assert format_date("2025-05-14T09:22:00Z") == "2025-05-14 09:22 +00:00"
    assert format_date("2025-05") == "2025-05" and format_date(None) == ""


def test_a_title_that_is_really_the_headline_or_file_name_is_grey_italic_and_says_so(window, qtbot, library):
    photos = rows_where(window, lambda a: a.kind == "photo")
    first, second = (window.model.id_at(r) for r in photos[:2])
    with Catalog(library) as catalog:
        apply_edits(catalog, {first: {"title": None, "headline": "Rutte meets Duda"},
                              second: {"title": None, "headline": None}})
    window.model.invalidate_all()

    def cell(asset_id, role):
        return window.model.index(window.model.row_of(asset_id), TITLE).data(role)

    qtbot.waitUntil(lambda: cell(first, Qt.ItemDataRole.DisplayRole) == "Rutte meets Duda", timeout=5000)
    assert cell(first, Qt.ItemDataRole.FontRole).italic()
    placeholder = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    assert cell(first, Qt.ItemDataRole.ForegroundRole).color() == placeholder
    assert cell(first, Qt.ItemDataRole.ToolTipRole).startswith("No title: this is the headline")
    qtbot.waitUntil(lambda: cell(second, Qt.ItemDataRole.DisplayRole).endswith(".jpg"), timeout=5000)
    assert cell(second, Qt.ItemDataRole.ToolTipRole).startswith("No title: this is the file name")
    titled = window.model.id_at(photos[2])
    assert cell(titled, Qt.ItemDataRole.FontRole) is None and cell(titled, Qt.ItemDataRole.ForegroundRole) is None


def test_an_active_search_shows_as_a_chip_in_every_view_and_esc_clears_it(window, qtbot):
    field, chip = window.search.field, window.pane.search_chip
    assert chip.isHidden()
    qtbot.keyClicks(field, "clip")                            # the video's file name
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and chip.isVisible(), timeout=5000)
    assert chip.text() == "Search: clip  ✕"
    window.sidebar.select_key(("library", "photos"))          # the search stays: the chip says so
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and window.pane.title.text() == "Photos", timeout=5000)
    assert chip.isVisible() and window.pane.count.text() == "0 assets match"
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)                     # the chip's ✕
    qtbot.waitUntil(lambda: chip.isHidden(), timeout=5000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=5000)
    assert field.text() == "" and window.pane.count.text().startswith("6 assets")
    qtbot.keyClicks(field, "rutte")
    qtbot.waitUntil(chip.isVisible, timeout=5000)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Escape)                      # Esc in the search box clears it
    qtbot.waitUntil(lambda: chip.isHidden() and window.model.rowCount() == 6, timeout=5000)
    assert field.text() == ""
    qtbot.keyClick(field, Qt.Key.Key_Escape)                      # a second Esc goes back to the results
    qtbot.waitUntil(lambda: window.pane.current_view().hasFocus(), timeout=2000)


def test_file_dialogs_remember_the_last_folder_per_purpose(qtbot, tmp_path, settings):
    shoots = tmp_path / "shoots"
    for name in ("2025-05-14", "2025-05-15"):
        (shoots / name).mkdir(parents=True)
    (shoots / "2025-05-15" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    dialogs = FileDialogs(settings, None)
    dialogs.execute = lambda dialog: (populate(dialog, shoots), choose(dialog, [str(shoots / "2025-05-14")]))[1]
    assert dialogs.ask(IMPORT_FOLDER) == [str(shoots / "2025-05-14")]
    dialogs.execute = lambda dialog: (populate(dialog, shoots / "2025-05-15"),
                                      choose(dialog, [str(shoots / "2025-05-15" / "a.jpg")]))[1]
    assert dialogs.ask(IMPORT_FILES) == [str(shoots / "2025-05-15" / "a.jpg")]
    again = FileDialogs(settings, None)                       # a new window: from the settings
    folder_dialog = again.build(IMPORT_FOLDER)
    assert folder_dialog.directory().absolutePath() == str(shoots)            # the folder it was in,
    assert folder_dialog.selectedFiles() == [str(shoots / "2025-05-14")]     # the last one chosen
    files_dialog = again.build(IMPORT_FILES)
    assert files_dialog.directory().absolutePath() == str(shoots / "2025-05-15")
    assert settings.value("file_dialogs/import_folder") == str(shoots / "2025-05-14")


def test_show_in_folder_without_a_file_manager_says_so(window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))     # no xdg-open
    assert not desktop.file_manager_available()
    window.grid.setCurrentIndex(window.model.index(0, 0))
    qtbot.waitUntil(lambda: window.actions_.show_in_folder.isEnabled(), timeout=5000)
    folder = os.path.dirname(window.model.asset_at(0).path)
    window.actions_.show_in_folder.trigger()
    box = window.findChild(QMessageBox, "noFileManager")
    assert box is not None and box.isVisible()
    assert "No file manager" in box.text() and folder in box.text()
    assert QApplication.clipboard().text() == folder
    assert "No file manager" in window.statusBar().currentMessage()
    box.close()


def _letters(menu: QMenu) -> list[str]:
    letters = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        text = action.text().replace("&&", "")
        found = re.search(r"&(\w)", text)
        assert found, f"“{action.text()}” in the menu “{menu.title()}” has no access letter"
        letters.append(found.group(1).lower())
    assert len(letters) == len(set(letters)), f"access letters clash in “{menu.title()}”: {letters}"
    return letters


def test_menus_have_access_letters_and_none_twice_in_a_menu(window, qtbot, library):
    menubar = window.menuBar()
    tops = [a.menu() for a in menubar.actions()]
    assert [re.search(r"&(\w)", m.title()).group(1) for m in tops] == ["F", "E", "V", "H"]
    for menu in tops:
        _letters(menu)
    with Catalog(library) as catalog:       # an undo text with "&" in a gallery title stays text
        GalleryStore(catalog).ensure_unrecorded("Q&A with the press")
    window.refresh_sidebar()
    qtbot.waitUntil(lambda: any(g.title.startswith("Q&A") for g in window.sidebar_data.galleries), timeout=5000)
    window.grid.selectAll()
    menu = window.asset_menu()
    _letters(menu)
    add_to = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert "Q&&A with the press" in [a.text() for a in add_to.actions()]
    sidebar = window.sidebar
    for key in (("library", "all"), ("gallery", window.sidebar_data.galleries[0].id)):
        rect = sidebar.visualRect(sidebar._items[key][0].index())
        _letters(sidebar.context_menu(rect.center()))


def test_sidebar_gallery_names_stay_distinguishable_at_1024x700(window, qtbot, library):
    names = ["President of Poland visits NATO Headquarters in Brussels, day one",
             "President of Poland visits NATO Headquarters in Brussels, day two"]
    with Catalog(library) as catalog:
        for name in names:
            GalleryStore(catalog).ensure_unrecorded(name)
    window.resize(1024, 700)
    window.refresh_sidebar()
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: all(any(g.title == n for g in window.sidebar_data.galleries) for n in names),
                    timeout=5000)
    QApplication.processEvents()
    assert sidebar.textElideMode() == Qt.TextElideMode.ElideMiddle
    shown = []
    for name in names:
        gallery = next(g for g in window.sidebar_data.galleries if g.title == name)
        item = sidebar._items[("gallery", gallery.id)][0]
        width = sidebar.visualRect(item.index()).width()
        metrics = sidebar.fontMetrics()
        assert metrics.horizontalAdvance(name) > width, "the test needs names longer than the sidebar"
        shown.append(metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, width - 8))
        assert item.toolTip() == name
    assert shown[0] != shown[1] and all(s.endswith(("one", "two")) for s in shown), shown
    # a long gallery title and an active search never make the window wider than the screen
    gallery = next(g for g in window.sidebar_data.galleries if g.title == names[0])
    sidebar.select_key(("gallery", gallery.id))
    qtbot.keyClicks(window.search.field, "rutte kind:video")
    qtbot.waitUntil(window.pane.search_chip.isVisible, timeout=5000)
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= 1024 and window.width() == 1024
    assert window.pane.title.toolTip() == names[0]


def test_export_summary_follows_the_purpose(window, qtbot):
    ids = [window.model.id_at(r) for r in range(window.model.rowCount())]
    dialog = ExportDialog(window.catalog_path, ids, window, dialogs=window.file_dialogs)
    try:
        dialog.refresh_preview()
        assert dialog.summary.text().startswith("For <b>editorial online</b> use: <b>5</b> will be exported")
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("advertising"))
        assert "Checking the rights for <b>Advertising</b>" in dialog.summary.text()   # never the old numbers
        assert not dialog.export_button.isEnabled()
        qtbot.waitUntil(lambda: "For <b>advertising</b> use" in dialog.summary.text(), timeout=5000)
        assert "nothing can go for advertising use" in dialog.summary.text()
    finally:
        dialog.reject()
