"""The stationery pad (Ctrl+T) and the Import dialog in the real window (issue 17): a template
fills many fields at once, each with its mode, saved by name; the Import dialog offers it with
the gallery and the rights profile (only to those who may assign one); after the import the view
shows exactly that import."""


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from mediadesk.catalog.connection import Catalog
from mediadesk.demo.card import write_camera_card
from mediadesk.services.codes import set_code
from mediadesk.services.importer import import_paths
from mediadesk.services.templates import save_template

from mediadesk.ui.import_dialog import ImportDialog

from tests.support.ui_fixtures import make_photo, rows_where, select

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def assets(library, ids):
    with Catalog(library) as catalog:
        return catalog.assets.get_many(ids)


def test_the_pad_fills_many_fields_with_their_modes_and_is_saved_by_name(window, qtbot, library):
    with Catalog(library) as catalog:
        set_code(catalog, "hq", "NATO headquarters")
    rows = rows_where(window, lambda a: a.kind == "photo")[:3]
    ids = [window.model.id_at(r) for r in rows]
    before = {a.id: a for a in assets(library, ids)}
    select(window, rows)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)        # Image > Stationery Pad
    pad = window.desk.pad_dialog
    assert pad.isVisible() and pad.apply_button.text() == "Apply to 3 Selected"
    line = pad.lines["headline"]
    line.text.setFocus()
    qtbot.keyClicks(line.text, "Visit to =hq=")                      # ticked as soon as typed
    assert line.apply.isChecked() and line.value() == "Visit to NATO headquarters"
    qtbot.keyClicks(pad.lines["keywords"].text, "NATO; summit")
    pad.lines["keywords"].mode.setCurrentIndex(pad.lines["keywords"].mode.findData("append"))
    qtbot.keyClicks(pad.lines["caption"].text, "({seq} of 3)")
    pad.lines["caption"].mode.setCurrentIndex(pad.lines["caption"].mode.findData("append"))
    assert not pad.lines["city"].apply.isChecked()                   # nothing typed: not applied
    qtbot.waitUntil(lambda: pad.apply_button.isEnabled(), timeout=5000)   # the preview came back
    assert "on 3 of 3 asset(s)" in pad.status.text()
    pad.save("Summit pad")                                           # what Save As… does with the name
    qtbot.waitUntil(lambda: pad.template.currentText() == "Summit pad", timeout=5000)
    with Catalog(library) as catalog:
        saved = {(line.field, line.mode) for line in catalog.templates.lines("Summit pad")}
    assert saved == {("headline", "replace"), ("keywords", "append"), ("caption", "append")}
    qtbot.keyClick(pad.apply_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not pad.isVisible(), timeout=5000)
    after = {a.id: a for a in assets(library, ids)}
    for n, asset_id in enumerate(ids, start=1):
        assert after[asset_id].headline == "Visit to NATO headquarters"
        assert after[asset_id].keywords == (*before[asset_id].keywords, "NATO", "summit")
        assert after[asset_id].caption == f"{before[asset_id].caption} ({n} of 3)"
    window.activateWindow()                     # the window manager's part (offscreen has none)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.grid, timeout=3000)
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)      # the whole pad: one step
    qtbot.waitUntil(lambda: all(a.headline == before[a.id].headline and a.caption == before[a.id].caption
                                for a in assets(library, ids)), timeout=5000)


def _import(window, qtbot, folder, *, gallery, pad=None, profile=None) -> ImportDialog:
    window.file_dialogs.execute = lambda dialog: (dialog.selectFile(str(folder)), dialog.accept(),
                                                  QDialog.DialogCode.Accepted)[-1]
    qtbot.keyClick(window.grid, Qt.Key.Key_I, CTRL_SHIFT)   # File > Import Folder
    dialog = window.desk.import_dialog
    assert dialog.isVisible() and dialog.paths == [str(folder)]
    dialog.gallery.setCurrentText(gallery)
    if pad:
        dialog.pad.setCurrentIndex(dialog.pad.findData(pad))
    if profile:
        dialog.profile.setCurrentIndex(dialog.profile.findText(profile))
    return dialog


def test_import_dialog_with_gallery_pad_and_profile_then_exactly_that_import(window, qtbot, library, tmp_path):
    with Catalog(library) as catalog:
        save_template(catalog, "Summit", [("caption", "Summit day, frame {seq}", "replace"),
                                          ("credit", "NATO", "replace")])
    card = tmp_path / "card"
    write_camera_card(card, 4, size=(320, 214))
    make_photo(card / "already.jpg", "Known")                        # one the catalog will have
    with Catalog(library) as catalog:
        import_paths(catalog, [str(card / "already.jpg")], workers=0)
        known = catalog.assets.all_ids()[-1]
    window.grid.setFocus()
    dialog = _import(window, qtbot, card, gallery="Summit day 1", pad="Summit",
                     profile="Editorial only (NATO media)")
    assert "Caption" in dialog.pad_summary.text() and "Summit day, frame {seq}" in dialog.pad_summary.text()
    assert dialog.profile.isVisibleTo(dialog)
    qtbot.keyClick(dialog.gallery, Qt.Key.Key_Return)                     # Import is the default button
    qtbot.waitUntil(lambda: not window.importer.running and window.pane.title.text() == "Imported: card",
                    timeout=20000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5 and not window.results.pending, timeout=5000)
    shown = list(window.model.ids())
    found = {a.file_name: a for a in assets(library, shown)}
    assert sorted(found) == ["DSC_4711.JPG", "DSC_4712.JPG", "DSC_4713.JPG", "DSC_4714.JPG", "already.jpg"]
    assert [a.file_name for a in assets(library, shown)] == sorted(found)             # file order
    assert found["DSC_4712.JPG"].caption == "Summit day, frame 2"                     # the pad, in order
    assert found["DSC_4712.JPG"].rights_profile == "Editorial only (NATO media)"
    assert found["already.jpg"].caption == "Known"                                     # kept as it was
    assert {a.galleries for a in found.values()} == {("Summit day 1",)}
    assert window.selected_ids() == [shown[0]] and window.focusWidget() is window.grid  # ready for keys
    assert known in shown
    with Catalog(library) as catalog:
        assert catalog.history.last_undoable().description.startswith("Assign rights profile")


def test_the_rights_profile_is_offered_only_to_those_who_may_assign_it(window, qtbot, tmp_path, monkeypatch):
    dialog = ImportDialog([str(tmp_path)], window, runner=window.runner)
    dialog.show()
    assert dialog.may_assign and dialog.profile.isVisibleTo(dialog)
    monkeypatch.setattr(type(window.catalog.rights), "may_assign", lambda self: False)
    refused = ImportDialog([str(tmp_path)], window, runner=window.runner)
    refused.show()
    assert not refused.profile.isVisibleTo(refused)
    assert "whoever manages rights" in refused.note.text()
    refused.profile.setCurrentIndex(1)                   # even if set: never sent
    assert refused.options().rights_profile_id is None
    refused.reject()
    dialog.reject()


def test_the_pad_can_be_edited_and_saved_from_the_import_dialog(window, qtbot, tmp_path):
    dialog = ImportDialog([str(tmp_path)], window, runner=window.runner)
    dialog.show()
    dialog.open_pad()
    pad = dialog.pad_dialog
    assert not pad.apply_button.isVisible()             # nothing to apply to yet: the import will
    qtbot.keyClicks(pad.lines["city"].text, "Brussels")
    pad.save("Brussels desk")
    qtbot.waitUntil(lambda: dialog.pad.currentData() == "Brussels desk", timeout=5000)
    assert "Brussels" in dialog.pad_summary.text()
    assert dialog.options().template == "Brussels desk"
    pad.reject()
    dialog.reject()
