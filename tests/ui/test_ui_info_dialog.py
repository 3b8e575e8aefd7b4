"""The info dialog (Ctrl+I) and the jumps to the caption and people fields (issue 17), in the real
window: the captioner's Tab order, codes expanding while typing, previous and next photo saving
each photo as one undo step, Esc asking before it drops typed text."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from mediadesk.catalog.connection import Catalog
from mediadesk.services.codes import set_code

from mediadesk.ui.info_dialog import INFO_FIELDS

from tests.support.ui_fixtures import rows_where, select


def caption_of(library, asset_id):
    with Catalog(library) as catalog:
        return catalog.assets.get(asset_id).caption


def open_info(window, qtbot, rows):
    select(window, rows)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.desk.info_dialog
    assert dialog is not None and dialog.isVisible()
    caption = dialog.editors["caption"].input
    qtbot.waitUntil(lambda: QApplication.focusWidget() is caption, timeout=3000)   # typing goes there
    return dialog


def test_ctrl_i_is_info_and_import_moved_to_ctrl_shift_i(window):
    assert window.desk.actions.info.shortcut() == QKeySequence("Ctrl+I")
    assert window.actions_.import_folder.shortcut() == QKeySequence("Ctrl+Shift+I")
    shortcuts = [s.toString() for a in window.findChildren(type(window.desk.actions.info)) for s in a.shortcuts()]
    assert shortcuts.count("Ctrl+I") == 1


def test_tab_goes_in_the_captioners_order_and_codes_expand(window, qtbot, library):
    with Catalog(library) as catalog:
        set_code(catalog, "rutte", "NATO Secretary General Mark Rutte")
    rows = rows_where(window, lambda a: a.kind == "photo")[:1]
    dialog = open_info(window, qtbot, rows)
    caption = dialog.editors["caption"].input
    order = []
    widget = caption
    for _ in INFO_FIELDS:
        order.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
    assert order == [f"field_{name}" for name, _ in INFO_FIELDS]
    assert widget is dialog.profile                       # rights come last
    caption.setFocus()
    caption.selectAll()
    qtbot.keyClicks(caption, "=rutte= greets the press")
    assert caption.toPlainText() == "NATO Secretary General Mark Rutte greets the press"


def test_next_and_previous_save_each_photo_as_one_step(window, qtbot, library):
    first = rows_where(window, lambda a: a.kind == "photo")[0]
    rows = [first, first + 1]
    ids = [window.model.id_at(r) for r in rows]
    dialog = open_info(window, qtbot, rows[:1])           # one selected: it walks everything shown
    assert dialog.position.text() == f"1 of {window.model.rowCount()}"
    caption = dialog.editors["caption"].input
    caption.selectAll()
    qtbot.keyClicks(caption, "First frame, fixed")
    people = dialog.editors["people"].input
    people.setFocus()
    people.selectAll()
    qtbot.keyClicks(people, "Mark Rutte; Jens Stoltenberg")
    qtbot.keyClick(people, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # next photo: the first is saved
    assert dialog.asset.id == ids[1] and window.grid.currentIndex().row() == rows[1]
    qtbot.waitUntil(lambda: caption_of(library, ids[0]) == "First frame, fixed", timeout=5000)
    with Catalog(library) as catalog:
        assert catalog.assets.get(ids[0]).people == ("Mark Rutte", "Jens Stoltenberg")
        op = catalog.history.last_undoable()
        assert op.description.startswith("Edit caption, people of ") and op.count == 2
    # back, nothing typed
    qtbot.keyClick(dialog.editors["caption"].input, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert dialog.asset.id == ids[0] and dialog.editors["caption"].text() == "First frame, fixed"
    caption = dialog.editors["caption"].input
    caption.selectAll()
    qtbot.keyClicks(caption, "First frame, fixed twice")
    qtbot.keyClick(caption, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)   # Save and close
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: caption_of(library, ids[0]) == "First frame, fixed twice", timeout=5000)
    assert window.focusWidget() is window.grid                     # the grid has the window's focus
    window.activateWindow()              # (the window manager's part: offscreen has none)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.grid, timeout=3000)
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)    # one step back: the second save
    qtbot.waitUntil(lambda: caption_of(library, ids[0]) == "First frame, fixed", timeout=5000)


def test_esc_with_typed_text_asks_before_dropping_it(window, qtbot, library):
    rows = rows_where(window, lambda a: a.kind == "photo")[:1]
    asset_id = window.model.id_at(rows[0])
    before = caption_of(library, asset_id)
    dialog = open_info(window, qtbot, rows)
    asked = []
    dialog.confirm_discard = lambda: asked.append(1) or False      # "Cancel": keep editing
    headline = dialog.editors["headline"].input
    original = headline.text()
    headline.setFocus()
    qtbot.keyClicks(headline, "Rutte speaks")
    qtbot.keyClick(headline, Qt.Key.Key_Escape)                         # the field reverts its typing first
    assert headline.text() == original and dialog.isVisible() and not asked
    qtbot.keyClicks(dialog.editors["city"].input, "Brussels")
    dialog.editors["city"].commit()
    dialog.reject()
    assert asked and dialog.isVisible()
    dialog.confirm_discard = lambda: True                           # "Discard"
    dialog.reject()
    assert not dialog.isVisible()
    qtbot.wait(200)
    assert caption_of(library, asset_id) == before
    with Catalog(library) as catalog:
        assert catalog.assets.get(asset_id).city != "Brussels"


def test_alt_c_and_alt_p_jump_from_the_grid_and_back(window, qtbot, library):
    rows = rows_where(window, lambda a: a.kind == "photo")[:1]
    asset_id = window.model.id_at(rows[0])
    select(window, rows)
    window.grid.setFocus()
    qtbot.waitUntil(lambda: window.inspector.summary is not None and window.inspector.summary.ids == (asset_id,),
                    timeout=5000)
    qtbot.keyClick(window.grid, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    caption = window.inspector.editor("caption").input
    assert QApplication.focusWidget() is caption
    qtbot.keyClicks(caption, " (pool)")
    qtbot.keyClick(caption, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)    # saves, back to the grid
    assert QApplication.focusWidget() is window.grid
    qtbot.waitUntil(lambda: (caption_of(library, asset_id) or "").endswith("(pool)"), timeout=5000)
    qtbot.keyClick(window.grid, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    people = window.inspector.editor("people").input
    assert QApplication.focusWidget() is people
    people.selectAll()
    qtbot.keyClicks(people, "Mark Rutte; Andrzej Duda")
    qtbot.keyClick(people, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.grid
    with Catalog(library) as catalog:
        qtbot.waitUntil(lambda: catalog.assets.get(asset_id).people == ("Mark Rutte", "Andrzej Duda"), timeout=5000)
    qtbot.keyClick(window.grid, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.inspector.editor("keywords").input
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)     # nothing typed: Esc is back
    assert QApplication.focusWidget() is window.grid


def test_a_jump_right_after_the_arrow_keys_edits_the_photo_now_selected(window, qtbot, library):
    rows = rows_where(window, lambda a: a.kind == "photo")[:2]
    first, second = (window.model.id_at(r) for r in rows)
    before = caption_of(library, first)
    select(window, rows[:1])
    window.grid.setFocus()
    qtbot.waitUntil(lambda: window.inspector.summary is not None and window.inspector.summary.ids == (first,),
                    timeout=5000)
    qtbot.keyClick(window.grid, Qt.Key.Key_Right)                  # the selection settles a moment later…
    assert window.grid.currentIndex().row() == rows[1]
    qtbot.keyClick(window.grid, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)      # …but the jump does not wait for it
    caption = window.inspector.editor("caption").input
    assert window.inspector.ids() == [second] and caption.toPlainText() == caption_of(library, second)
    qtbot.keyClicks(caption, " (pool)")
    qtbot.keyClick(caption, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (caption_of(library, second) or "").endswith("(pool)"), timeout=5000)
    assert caption_of(library, first) == before
