"""Write-back from the window with the dry-run list as its preview, as a runner job with progress
and Stop; and the Export dialog's fix for assets blocked for having no rights profile (issue 17)."""

import json
import subprocess
import threading

from PySide6.QtCore import Qt

from mediadesk.catalog.connection import Catalog
from mediadesk.services import writeback as writeback_module
from mediadesk.services.edits import apply_edits

from mediadesk.ui.export_dialog import ExportDialog

from tests.support.ui_fixtures import rows_where, select


def _exif_caption(path) -> str:
    out = subprocess.run(["exiftool", "-json", "-XMP-dc:Description", "-XMP-xmp:Label", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)[0]


def test_write_back_previews_the_dry_run_then_writes_as_a_job(window, qtbot, library):
    rows = rows_where(window, lambda a: a.kind == "photo")[:2]
    ids = [window.model.id_at(r) for r in rows]
    with Catalog(library) as catalog:
        apply_edits(catalog, {ids[0]: {"caption": "Rutte and Duda at the door", "label": "Green"}})
        paths = [catalog.assets.get(i).path for i in ids]
    select(window, rows)
    window.desk.writeback_workers = 0
    menu = window.asset_menu()                                    # the grid's context menu has it
    assert window.desk.actions.writeback in menu.actions()
    window.desk.actions.writeback.trigger()
    dialog = window.desk.writeback_dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    assert dialog.preview.dry_run and dialog.preview.count("would-write") == 1
    cells = {dialog.table.item(r, 2).text(): dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())}
    assert cells["Caption"] == "Rutte and Duda at the door" and cells["Colour label"] == "Green"
    assert dialog.write_button.isEnabled() and dialog.write_button.text() == "&Write 1 File(s)"
    assert _exif_caption(paths[0]).get("Description") != "Rutte and Duda at the door"   # nothing yet
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.report.count("written") == 1 and not dialog.report.dry_run
    tags = _exif_caption(paths[0])
    assert (tags["Description"], tags["Label"]) == ("Rutte and Duda at the door", "Green")
    assert "Wrote 1 file(s)" in dialog.summary.text()
    dialog.reject()


def test_stop_ends_the_write_back_between_files(window, qtbot, library, monkeypatch):
    rows = rows_where(window, lambda a: a.kind == "photo")
    ids = [window.model.id_at(r) for r in rows]
    with Catalog(library) as catalog:
        apply_edits(catalog, {i: {"headline": f"Headline {i}"} for i in ids})
    gate, writing = threading.Event(), threading.Event()
    original = writeback_module._process

    def slow(asset, dry_run):
        if not dry_run:
            writing.set()
            gate.wait(10)              # the first real write waits until Stop was pressed
        return original(asset, dry_run)

    monkeypatch.setattr(writeback_module, "_process", slow)
    select(window, rows)
    window.desk.writeback_workers = 0
    window.desk.open_writeback()
    dialog = window.desk.writeback_dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    assert dialog.preview.count("would-write") == len(ids)
    dialog.write()
    assert dialog.cancel_button.isVisible() and window.runner.jobs       # a job of the window's runner
    qtbot.waitUntil(writing.is_set, timeout=10000)                        # the first file is in hand
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.report.cancelled and 1 <= dialog.report.count("written") < len(ids)
    assert "stopped before the rest" in dialog.summary.text()
    dialog.reject()


def test_a_blocked_asset_without_a_profile_gets_the_fix(window, qtbot, library):
    ids = [window.model.id_at(r) for r in range(window.model.rowCount())]
    window.grid.selectAll()
    window.export()
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    without = dialog.unprofiled()
    assert without and dialog.fix.isVisibleTo(dialog)
    assert f"Assign to {len(without)}" == dialog.fix_button.text()
    assert "no rights profile" in dialog.fix_label.text()
    assert dialog.fix_profile.currentText() == "Editorial only (NATO media)"   # allows the purpose
    qtbot.mouseClick(dialog.fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.unprofiled() and not dialog.fix.isVisibleTo(dialog), timeout=5000)
    assert all(item.decision.allowed for item in dialog.plan.items if item.asset.id in without)
    with Catalog(library) as catalog:
        assert {catalog.assets.get(i).rights_profile for i in without} == {"Editorial only (NATO media)"}
        assert catalog.history.last_undoable().description.startswith("Assign rights profile")
    qtbot.waitUntil(lambda: window.history.undo_action.text().startswith("&Undo Assign"), timeout=5000)
    dialog.reject()
    assert len(ids) == window.model.rowCount()


def test_no_fix_for_those_who_may_not_assign_profiles(window, qtbot, monkeypatch):
    monkeypatch.setattr(type(window.catalog.rights), "may_assign", lambda self: False)
    window.grid.selectAll()
    window.export()
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.unprofiled() and not dialog.fix.isVisibleTo(dialog)
    dialog.reject()
