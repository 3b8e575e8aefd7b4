"""One way off the GUI thread (issue 11): the window's runner.

- The GUI thread's connection refuses writes (read-only, as SQLite ``mode=ro``): every write the
  window asks for runs on the runner's writer lane or in a job, and this is checked by recording
  every transaction and every catalog opened while the window works.
- Closing the window while an import's last signals are still queued never touches a closed
  catalog (it did about one run in five: "Cannot operate on a closed database").
"""

import logging
import sqlite3
import threading

import pytest

from PySide6.QtWidgets import QApplication

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import CatalogError

from mediadesk.ui.batch_editor import BatchEditorDialog
from mediadesk.ui.codes_dialog import CodesDialog
from mediadesk.ui.find_replace_dialog import FindReplaceDialog

from tests.support.paths import STRESS
from tests.support.ui_fixtures import close_window, make_photo, make_sources, open_window


@pytest.fixture
def gui_writes(monkeypatch):
    """Every transaction begun and every catalog opened writable on the GUI thread."""
    seen: list[str] = []
    real_transaction = Catalog.transaction
    real_init = Catalog.__init__

    def transaction(self):
        if threading.current_thread() is threading.main_thread():
            seen.append(f"transaction on {self.path}")
        return real_transaction(self)

    def init(self, path, *args, **kwargs):
        real_init(self, path, *args, **kwargs)
        if threading.current_thread() is threading.main_thread() and not self.readonly:
            seen.append(f"opened {path} writable")

    monkeypatch.setattr(Catalog, "transaction", transaction)
    monkeypatch.setattr(Catalog, "__init__", init)
    return seen


def test_the_gui_threads_connection_refuses_writes(window):
    assert window.catalog.readonly and window.catalog is window.runner.catalog
    with pytest.raises(CatalogError, match="read-only"), window.catalog.transaction():
        pass
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        window.catalog.conn.execute("DELETE FROM galleries")    # the engine refuses it too


def test_no_write_happens_on_the_gui_thread(window, qtbot, library, tmp_path, gui_writes):
    ids = list(window.model.ids())[:3]
    window.history.apply({ids[0]: {"caption": "Typed in the inspector"}}, "Edit caption")
    qtbot.waitUntil(lambda: "Edit caption" in window.history.undo_action.text(), timeout=5000)
    window.history.undo()
    qtbot.waitUntil(lambda: "Edit caption" in window.history.redo_action.text(), timeout=5000)

    window.galleries.ask_text = lambda *args: "Summit 2025"
    window.galleries.new_gallery(ids[:2])
    qtbot.waitUntil(lambda: any(g.title == "Summit 2025" for g in window.sidebar_data.galleries), timeout=5000)
    gallery = next(g for g in window.sidebar_data.galleries if g.title == "Summit 2025")
    assert gallery.count == 2
    window.galleries.delete(gallery.id, gallery.title)
    qtbot.waitUntil(lambda: all(g.id != gallery.id for g in window.sidebar_data.galleries), timeout=5000)
    qtbot.waitUntil(lambda: 'Delete gallery "Summit 2025"' in window.history.undo_action.text(), timeout=5000)
    window.history.undo()                                           # the gallery comes back, assets and all
    qtbot.waitUntil(lambda: any(g.id == gallery.id and g.count == 2 for g in window.sidebar_data.galleries),
                    timeout=5000)
    window.galleries.save_search("rutte")   # asks for a name: the stub answers "Summit 2025"
    qtbot.waitUntil(lambda: any(s.name == "Summit 2025" for s, _count in window.sidebar_data.saved), timeout=5000)

    batch = BatchEditorDialog(window.catalog_path, ids, window, runner=window.runner)
    qtbot.addWidget(batch)
    batch.field_combo.setCurrentIndex(batch.field_combo.findData("headline"))
    batch.text_edit.setPlainText("Summit in {city}")
    batch.refresh_preview()
    qtbot.waitUntil(lambda: batch.apply_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(batch.applied, timeout=5000):
        batch.apply_button.click()

    replace = FindReplaceDialog(window.catalog_path, ids, window, runner=window.runner)
    qtbot.addWidget(replace)
    replace.find_edit.setText("Summit")
    replace.replace_edit.setText("Meeting")
    replace.refresh_preview()
    qtbot.waitUntil(lambda: replace.apply_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(replace.applied, timeout=5000):
        replace.apply_button.click()

    codes = CodesDialog(window.catalog_path, window, runner=window.runner)
    qtbot.addWidget(codes)
    codes.code_edit.setText("hq")
    codes.expansion_edit.setText("NATO headquarters, Brussels")
    codes.add_code()
    qtbot.waitUntil(lambda: codes.table.rowCount() == 1, timeout=5000)
    codes.reject()

    make_photo(tmp_path / "more" / "late.jpg", "A late photo of the summit")
    before = window.model.rowCount()
    window.import_paths([str(tmp_path / "more")])
    qtbot.waitUntil(lambda: not window.importer.running and window.model.rowCount() == before + 1, timeout=15000)

    assert gui_writes == []
    with Catalog(library, readonly=True) as other:
        assert [a.headline for a in other.assets.get_many(ids)] == ["Meeting"] * 3   # no city: "in" goes too
        assert other.codes.get("hq") == "NATO headquarters, Brussels"


def test_closing_while_an_imports_last_signals_are_in_flight(qtbot, tmp_path, settings, caplog):
    """The import's job ends, its last Changes and its report are queued for the GUI thread, and
    the window closes before they are delivered: they must be dropped, not reach a closed catalog."""
    caplog.set_level(logging.ERROR)
    window = open_window(qtbot, tmp_path / "race.mediadesk", settings)
    sources = make_sources(tmp_path / "dropped", photos=3, videos=0)
    finished = []
    window.importer.finished.connect(finished.append)
    window.import_paths([str(sources)])
    running = window.runner.jobs[0]
    assert running._thread.wait(30_000)     # the job is done; nothing it sent has been delivered yet
    assert finished == [] and running.running
    window.close()                          # closeEvent -> shutdown (an import "running": confirmed)
    assert window.runner.stopped and window.catalog.closed
    for _ in range(5):                      # now deliver whatever was queued
        QApplication.processEvents()
        qtbot.wait(20)
    assert finished == []                   # dropped at the runner
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    close_window(window)                    # idempotent


def test_the_teardown_race_stress_at_ci_size(tmp_path):
    """stress/teardown_race.py at CI size (16 rounds, every moment four times); the release
    check runs it with --rounds 500."""
    import os
    import subprocess
    import sys

    script = STRESS / "teardown_race.py"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, str(script), "--rounds", "16", "--keep", str(tmp_path / "race")],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "16 rounds (delivered 4, edit 4, queued 4, running 4)" in proc.stdout and ": 0 errors" in proc.stdout
