"""The real window, driven like a user: select, edit, undo, search, galleries, keyboard."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.domain.query import parse_query
from mediadesk.services.edits import apply_edits

from mediadesk.ui.field_editors import MULTIPLE_TEXT

from tests.support.ui_fixtures import close_window, open_window, rows_where, select, wait_inspector


def test_select_video_shows_duration_and_player(window, qtbot):
    [row] = rows_where(window, lambda a: a.kind == "video")
    video = window.model.asset_at(row)
    select(window, [row])
    wait_inspector(qtbot, window, [video.id])
    assert "0:02" in window.inspector.subheading.text()
    assert window.inspector._tech["duration"].text() == "0:02"
    preview = window.preview
    assert preview._stack.currentWidget() is preview.video_page   # the player and its subtitles and chapters
    assert preview.player.time.text().endswith("/ 0:02")
    qtbot.waitUntil(lambda: preview.player.video.pixmap() is not None, timeout=5000)  # poster frame
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)                 # Space plays
    qtbot.waitUntil(lambda: preview.player.player.position() > 0 or preview.player.video.frames > 0,
                    timeout=8000)
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)                 # and pauses
    assert not preview.player.is_playing()


def test_edit_caption_in_inspector_then_undo_and_redo(window, qtbot, library):
    row = rows_where(window, lambda a: a.kind == "photo")[0]
    asset = window.model.asset_at(row)
    select(window, [row])
    wait_inspector(qtbot, window, [asset.id])
    editor = window.inspector.editor("caption")
    assert editor.text() == asset.caption
    editor.input.setFocus()
    editor.input.selectAll()
    qtbot.keyClicks(editor.input, "Jens Stoltenberg greets Zelenskyy")
    window.grid.setFocus()                                      # leaving the field commits
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: AssetStore(other).get(asset.id).caption ==
                        "Jens Stoltenberg greets Zelenskyy", timeout=5000)
        assert other.index.ids(parse_query("zelenskyy")) == [asset.id]
        assert AssetStore(other).get(asset.id).field_sources["caption"] == "typed"
    qtbot.waitUntil(lambda: "Zelenskyy" in (window.model.index(row, 1).data() or ""), timeout=5000)
    qtbot.waitUntil(lambda: window.history.undo_action.iconText() == "Undo Edit caption", timeout=5000)
    assert window.history.undo_action.isEnabled()

    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # Edit > Undo by its shortcut
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: AssetStore(other).get(asset.id).caption == asset.caption, timeout=5000)
    qtbot.waitUntil(lambda: window.inspector.editor("caption").text() == asset.caption, timeout=5000)
    qtbot.waitUntil(lambda: window.model.index(row, 1).data() == asset.caption, timeout=5000)

    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, redo)
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: "Zelenskyy" in AssetStore(other).get(asset.id).caption, timeout=5000)


def test_invalid_date_is_refused_with_a_message(window, qtbot, library):
    row = rows_where(window, lambda a: a.kind == "photo")[0]
    asset = window.model.asset_at(row)
    select(window, [row])
    wait_inspector(qtbot, window, [asset.id])
    editor = window.inspector.editor("date_created")
    editor.input.setFocus()
    editor.input.selectAll()
    qtbot.keyClicks(editor.input, "next tuesday")
    qtbot.keyClick(editor.input, Qt.Key.Key_Return)
    assert "not a date" in editor.message_text
    with Catalog(library) as other:
        assert AssetStore(other).get(asset.id).date_created == asset.date_created


def test_multi_select_edit_applies_to_all(window, qtbot, library):
    rows = rows_where(window, lambda a: a.kind == "photo")[:3]
    ids = [window.model.id_at(r) for r in rows]
    select(window, rows)
    wait_inspector(qtbot, window, ids)
    assert window.inspector.heading.text() == "3 assets selected"
    caption = window.inspector.editor("caption")
    assert caption.text() == "" and caption.input.placeholderText() == MULTIPLE_TEXT
    assert window.inspector.editor("creator").text() == "Jane Doe"   # shared value shown
    creator = window.inspector.editor("creator")
    creator.input.setFocus()
    creator.input.selectAll()
    qtbot.keyClicks(creator.input, "NATO Photo Desk")
    qtbot.keyClick(creator.input, Qt.Key.Key_Return)
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: {a.creator for a in AssetStore(other).get_many(ids)} == {"NATO Photo Desk"},
                        timeout=5000)
        untouched = [a for a in AssetStore(other).get_many(AssetStore(other).all_ids()) if a.id not in ids]
        assert all(a.creator != "NATO Photo Desk" for a in untouched)
        captions = {a.caption for a in AssetStore(other).get_many(ids)}
        assert len(captions) == 3                                      # differing values kept
    qtbot.waitUntil(lambda: window.history.undo_action.iconText() == "Undo Edit creator of 3 assets", timeout=5000)
    window.history.undo_action.trigger()                               # one step undoes all three
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: {a.creator for a in AssetStore(other).get_many(ids)} == {"Jane Doe"},
                        timeout=5000)

    # differing captions: an empty field leaves them alone; the context menu clears them all
    assert caption.can_clear_all
    menu = caption.context_menu()
    clear = next(a for a in menu.actions() if a.objectName() == "clearAll")
    assert clear.text() == "Clear on All Selected Assets"
    clear.trigger()
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: {a.caption for a in AssetStore(other).get_many(ids)} == {None}, timeout=5000)
    assert not any(a.objectName() == "clearAll" for a in window.inspector.editor("creator").context_menu().actions())
    qtbot.waitUntil(lambda: window.history.undo_action.iconText() == "Undo Edit caption of 3 assets", timeout=5000)


def test_search_filters_as_you_type(window, qtbot):
    field = window.search.field
    qtbot.keyClicks(field, "kind:video")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert window.model.asset_at(0).kind == "video"
    field.clear()
    qtbot.keyClicks(field, "people:duda")
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)   # photos 1, 2, 4, 5
    field.clear()
    qtbot.keyClicks(field, 'gallery:"President of Poland" date:2025-03-01..2025-03-03')
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    field.clear()
    qtbot.keyClicks(field, "rights:none")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)   # photo 3 and the video
    field.clear()
    qtbot.keyClicks(field, "kind:banana")
    # typing is debounced: on a busy machine a partial query ("kind:b") may be answered first
    qtbot.waitUntil(lambda: window.search.problem.isVisible()
                    and "kind:banana" in window.search.problem.text(), timeout=5000)
    field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 7 and not window.search.problem.isVisible(),
                    timeout=5000)
    assert window.pane.count.text().startswith("7 assets")


def test_sidebar_sections_and_saved_search(window, qtbot, library):
    counts = window.sidebar_data.library_counts
    assert counts[("library", "videos")] == 1 and counts[("library", "photos")] == 6
    assert counts[("library", "rights-problems")] == 2
    window.sidebar.select_key(("library", "videos"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert window.pane.title.text() == "Videos"
    window.sidebar.select_key(("library", "all"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 7, timeout=5000)

    window.galleries.ask_text = lambda *args: "Duda photos"
    qtbot.keyClicks(window.search.field, "people:duda")
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
    window.search.save_button.click()
    qtbot.waitUntil(lambda: any(s.name == "Duda photos" for s, _ in window.sidebar_data.saved), timeout=5000)
    [(saved, count)] = window.sidebar_data.saved
    assert count == 4
    window.search.field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 7, timeout=5000)
    window.sidebar.select_key(("saved", saved.id))
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)


def test_galleries_create_drop_remove_rename_delete(window, qtbot, library):
    rows = rows_where(window, lambda a: a.kind == "photo")[:2]
    ids = [window.model.id_at(r) for r in rows]
    select(window, rows)
    window.galleries.ask_text = lambda *args: "Summit 2025"
    window.actions_.new_gallery.trigger()
    qtbot.waitUntil(lambda: any(g.title == "Summit 2025" for g in window.sidebar_data.galleries), timeout=5000)
    gallery = next(g for g in window.sidebar_data.galleries if g.title == "Summit 2025")
    assert gallery.count == 2

    # drag a third asset from the grid onto the gallery in the sidebar
    third = rows_where(window, lambda a: a.kind == "video")[0]
    mime = window.model.mimeData([window.model.index(third, 0)])
    item = window.sidebar._items[("gallery", gallery.id)][0]
    pos = window.sidebar.visualRect(item.index()).center()
    drop_on(window.sidebar.viewport(), pos, mime)
    with Catalog(library) as other:
        qtbot.waitUntil(lambda: len(GalleryStore(other).asset_ids(gallery.id)) == 3, timeout=5000)

    window.sidebar.select_key(("gallery", gallery.id))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    assert list(window.model.ids()) == [*ids, window.model.id_at(2)]
    select(window, [0])
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)                    # Delete: out of the gallery
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
    with Catalog(library) as other:
        assert AssetStore(other).exists(ids[0])                  # still in the catalog
    # taking it out is an edit like any other: Undo puts it back, Redo takes it out again
    qtbot.waitUntil(lambda: window.history.undo_action.isEnabled()
                    and "Remove 1 asset from" in window.history.undo_action.iconText(), timeout=5000)
    window.history.undo_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: next(g.count for g in window.sidebar_data.galleries if g.id == gallery.id) == 3,
                    timeout=5000)
    window.history.redo_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)

    window.galleries.ask_text = lambda *args: "Summit 2025, Brussels"
    window.sidebar.rename_gallery_requested.emit(gallery.id, gallery.title)
    qtbot.waitUntil(lambda: window.pane.title.text() == "Summit 2025, Brussels", timeout=5000)
    window.sidebar.delete_gallery_requested.emit(gallery.id, "Summit 2025, Brussels")
    qtbot.waitUntil(lambda: all(g.id != gallery.id for g in window.sidebar_data.galleries), timeout=5000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 7, timeout=5000)   # back to All


def drop_on(widget, pos: QPoint, mime: QMimeData) -> None:
    enter = QDragEnterEvent(pos, *_copy_with(mime))
    QApplication.sendEvent(widget, enter)
    from PySide6.QtGui import QDragMoveEvent
    move = QDragMoveEvent(pos, *_copy_with(mime))
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(pos), *_copy_with(mime))
    QApplication.sendEvent(widget, drop)


def test_table_view_sorts_and_shares_the_selection(window, qtbot):
    row = rows_where(window, lambda a: a.kind == "video")[0]
    video_id = window.model.id_at(row)
    select(window, [row])
    qtbot.keyClick(window.grid, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)    # Ctrl+2: table
    assert window.pane.is_table()
    assert window.selected_ids() == [video_id]
    header = window.table.horizontalHeader()
    header.sectionClicked.emit(8)                                 # File, ascending
    qtbot.waitUntil(lambda: window.results.order == "file" and not window.results.pending, timeout=5000)
    names = [window.model.asset_at(r).file_name for r in range(window.model.rowCount())]
    assert names == sorted(names, key=str.lower)
    assert window.selected_ids() == [video_id]                    # selection kept across re-query
    header.sectionClicked.emit(2)                                  # Date: oldest first
    qtbot.waitUntil(lambda: window.results.order == "date-asc" and not window.results.pending, timeout=5000)
    dates = [window.model.asset_at(r).date_created or "" for r in range(window.model.rowCount())]
    assert [d for d in dates if d] == sorted(d for d in dates if d)
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)    # back to the grid
    assert not window.pane.is_table()


def test_keyboard_navigation_in_grid(window, qtbot):
    select(window, [0])
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Right)
    assert window.selection.currentIndex().row() == 1
    qtbot.waitUntil(lambda: window.inspector.summary is not None
                    and window.inspector.summary.ids == (window.model.id_at(1),), timeout=5000)
    qtbot.keyClick(window.grid, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.field.hasFocus()


def test_other_programs_changes_show_up(window, qtbot, library):
    first = window.model.asset_at(0)
    with Catalog(library) as other:
        apply_edits(other, {first.id: {"caption": "Changed by the command line"}})
    window.watcher.poll()
    qtbot.waitUntil(lambda: window.model.index(0, 1).data() == "Changed by the command line", timeout=5000)


def test_layout_is_remembered(qtbot, library, settings):
    first = open_window(qtbot, library, settings)
    first.set_table_mode(True)
    first.pane.size_slider.setValue(240)
    first.main.setSizes([300, 700, 400])
    first.close()
    second = open_window(qtbot, library, settings)
    try:
        # the offscreen platform reports a made-up frame geometry; the splitters are what matter
        settings.remove("window/geometry")
        second.restore_layout()
        assert second.pane.is_table()
        assert second.grid.edge() == 240
        assert abs(second.main.sizes()[0] - 300) <= 2
    finally:
        close_window(second)


def test_about_box_names_the_version(window):
    from mediadesk import __version__

    from mediadesk.ui.about import about_text
    assert f"mediadesk {__version__}" in about_text(window.catalog_path)


def test_inspector_says_when_stores_disagreed(window, qtbot, library):
    row = rows_where(window, lambda a: a.kind == "photo")[0]
    asset = window.model.asset_at(row)
    # as the importer records it when XMP and IIM differ
    with Catalog(library) as other, other.transaction():
        other.conn.execute("UPDATE assets SET conflicts = ? WHERE id = ?",
                           ('{"caption": {"xmp": "Rutte in Brussels", "iim": "Rutte in Brussel"}}', asset.id))
    window.watcher.poll()
    select(window, [row])
    label = window.inspector._labels["caption"]
    qtbot.waitUntil(lambda: "stores disagree" in label.source.text(), timeout=5000)
    assert "IPTC-IIM: Rutte in Brussel" in label.source.toolTip()
    assert "from XMP" in window.inspector._labels["creator"].source.text()


def _copy_with(mime: QMimeData) -> tuple:
    """A plain drag: copy ``mime`` with the left button and no modifier key."""
    return Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
