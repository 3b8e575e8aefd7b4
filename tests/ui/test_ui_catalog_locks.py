"""The window keeps its SQLite locks whatever file dialog, import or drop meets the catalog (issue 17).

Closing any descriptor of a file drops every POSIX lock the process holds on it. The test holds
the window's connections, runs every file dialog the application has on the folder that holds
the catalog (through the real menu entries and buttons), imports that folder, drops the catalog
on the window, and checks /proc/locks after each step; then a second program writes and exits,
and the window's WAL must still be there (a second program that believes it is alone checkpoints
and deletes it, and the window then fails with "file is not a database").
"""

import os
import subprocess
import sys

from PySide6.QtWidgets import QDialog

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog

from mediadesk.ui.codes_dialog import CodesDialog
from mediadesk.ui.export_dialog import ExportDialog
from mediadesk.ui.file_dialogs import (
    CODES_EXPORT,
    CODES_IMPORT,
    EXPORT_FOLDER,
    IMPORT_FILES,
    IMPORT_FOLDER,
    PUBLISH_FOLDER,
    PURPOSES,
)
from mediadesk.ui.publish_dialog import PublishDialog

from proc_locks import catalog_locks
from tests.support.paths import SOURCE
from tests.support.ui_fixtures import build_catalog, close_window, open_window
from window_locks import choose, drop, populate

BOTH = {"catalog": True, "-shm": True}


def _imported(qtbot, window, start):
    qtbot.waitUntil(lambda: not window.importer.running and window.importer.last_report is not start,
                    timeout=30000)
    return window.importer.last_report


def test_every_file_dialog_import_and_drop_on_the_catalog_folder_keeps_the_locks(qtbot, tmp_path, tmp_path_factory):
    from PySide6.QtCore import QSettings

    # the window's settings file away from the folder imported below (it remembers recent
    # catalogs at once, and an .ini among the photos is reported as not a photo, rightly)
    settings = QSettings(str(tmp_path_factory.mktemp("config") / "settings.ini"), QSettings.Format.IniFormat)
    catalog = build_catalog(tmp_path, photos=3, videos=0)     # tmp_path holds the catalog and media/
    folder = str(tmp_path)
    (tmp_path / "README").write_text("no extension: its type is guessed from its bytes")
    os.link(catalog, tmp_path / "catalog-hardlink")            # the catalog under a name that says nothing
    window = open_window(qtbot, catalog, settings)
    dialogs = window.file_dialogs
    driven, refused, lost = [], [], []
    picks = {IMPORT_FOLDER: [folder], IMPORT_FILES: [str(catalog), str(catalog) + "-wal", str(tmp_path / "README")],
             EXPORT_FOLDER: [folder], PUBLISH_FOLDER: [folder], CODES_IMPORT: [str(catalog)],
             CODES_EXPORT: [str(catalog)]}

    def drive(dialog):   # what a person does: go to the catalog's folder, look, pick the catalog
        purpose = next(p for p in PURPOSES if dialog.objectName() == f"fileDialog_{p.key}")
        populate(dialog, folder)
        if catalog_locks(catalog) != BOTH:     # asserted below: an exception here would end in Qt
            lost.append(f"the {purpose.key} dialog dropped the window's locks")
        driven.append(purpose)
        return choose(dialog, picks[purpose])

    dialogs.execute = drive
    dialogs.warn = lambda parent, title, text: refused.append(text)
    try:
        assert catalog_locks(catalog) == BOTH
        # File > Import Folder… on the folder that holds the catalog
        start = window.importer.last_report
        window.actions_.import_folder.trigger()
        assert not lost, lost
        window.desk.import_dialog.accept()    # the Import dialog: gallery, pad, profile as they are
        report = _imported(qtbot, window, start)
        assert catalog_locks(catalog) == BOTH
        assert sorted(os.path.basename(s["path"]) for s in report.skipped) == [
            "catalog-hardlink", "catalog.mediadesk", "catalog.mediadesk-shm", "catalog.mediadesk-wal"]
        assert report.unsupported_files == [str(tmp_path / "README")] and not report.errors
        # File > Import Files… with the catalog and its WAL picked
        start = window.importer.last_report
        window.actions_.import_files.trigger()
        assert not lost, lost
        window.desk.import_dialog.accept()
        report = _imported(qtbot, window, start)
        assert catalog_locks(catalog) == BOTH
        assert len(report.skipped) == 2 and report.imported == 0
        # the export dialog's Choose… button
        window.grid.selectAll()
        window.export()
        export = window.findChild(ExportDialog)
        qtbot.waitUntil(lambda: export.plan is not None, timeout=5000)
        export._choose_folder()
        assert not lost, lost
        assert export.folder.text() == folder
        export.reject()
        # the publish dialog's Choose… button
        window.publish()
        publish = window.findChild(PublishDialog)
        publish._choose_folder()
        assert not lost, lost
        assert publish.folder.text() == folder
        publish.reject()
        # code replacements: Import… and Export… with the catalog picked are refused, nothing read
        window.edit_codes()
        codes = window.findChild(CodesDialog)
        codes.import_file()
        codes.export_file()
        assert not lost, lost
        assert len(refused) == 2 and all("This is a mediadesk catalog (the catalog in use)" in t for t in refused)
        codes.done(QDialog.DialogCode.Rejected)
        assert catalog_locks(catalog) == BOTH
        assert set(driven) == set(PURPOSES)      # every file dialog of the application was run
        # drag and drop: the catalog file and the folder dropped on the window
        start = window.importer.last_report
        drop(window, [str(catalog), folder])
        report = _imported(qtbot, window, start)
        assert catalog_locks(catalog) == BOTH
        assert len(report.skipped) == 5 and not report.errors
        # a second program writes and exits: it must see the window and leave the WAL alone
        wal_before = os.stat(str(catalog) + "-wal").st_ino
        proc = subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(catalog), "tag", "add",
                               "--keyword", "second-program", "--query", "kind:photo"],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert os.stat(str(catalog) + "-wal").st_ino == wal_before
        assert catalog_locks(catalog) == BOTH
        # and the window reads what it wrote
        qtbot.waitUntil(lambda: any("second-program" in (window.model.asset_at(r).keywords or ())
                                    for r in range(window.model.rowCount())), timeout=10000)
    finally:
        close_window(window)
    with Catalog(catalog) as check:
        assert check.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert AssetStore(check).count() == 3


def test_the_window_survives_ten_seconds_of_dialogs_while_another_program_writes(qtbot, tmp_path):
    """CI size of stress/window_locks.py (the stress run is 10 minutes)."""
    from window_locks import run_stress
    tally = run_stress(10 / 60, tmp_path / "stress", dialog_every_s=0.2, import_every_s=4, log=lambda _: None)
    print(tally.report())
    assert not tally.errors, tally.report()
    assert tally.steps["cli tag add"] + tally.steps["cli import"] >= 1
    assert sum(n for step, n in tally.steps.items() if step.startswith("dialog")) >= len(PURPOSES)


def test_only_the_factory_builds_file_dialogs_or_guesses_file_types():
    """By design, not by luck: no other module can list files with Qt's type sniffing."""
    source = SOURCE
    names = ("QFileDialog", "QMimeDatabase", "QFileSystemModel", "QFileIconProvider", "QAbstractFileIconProvider")
    offenders = [f"{path.relative_to(source)}: {name}" for path in sorted(source.rglob("*.py"))
                 if path.name != "file_dialogs.py" for name in names if name in path.read_text(encoding="utf-8")]
    assert not offenders, offenders
