"""The window starts without the libraries only some of its actions need (issue 18).

A fresh interpreter opens the window offscreen on a catalog, waits until its first screen and
sidebar are in, and reports the modules it loaded. The media readers (PyAV, Pillow, pyexiv2),
Qt Multimedia, and the services of importing, linking, exporting and publishing come at their
first use: each of them costs the first screen tens to hundreds of milliseconds on a small machine.
Timing is not asserted here (``benchmarks/bench_ui.py`` measures the first screen).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from mediadesk.catalog import open_catalog
from mediadesk.services.importer import import_paths

from tests.support.batch_helpers import make_jpegs

PROBE = """
import json, os, sys, tempfile, time
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from mediadesk.app import create_main_window

app = QApplication(sys.argv[:1])
settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
window = create_main_window(sys.argv[1], settings)
window.resize(1200, 800)
window.show()
end = time.monotonic() + 60
while window.sidebar_data is None or window.results.pending or window.model.rowCount() == 0:
    app.processEvents()
    if time.monotonic() > end:
        sys.exit("the window never showed its first screen")
    time.sleep(0.005)
modules = sorted(sys.modules)
window.shutdown()
sys.stderr.write("\\nMODULES " + json.dumps(modules) + "\\n")
"""

LATER = ("av", "PIL", "pyexiv2", "pillow_heif", "sqlite_utils", "PySide6.QtMultimedia",
         "mediadesk.media", "mediadesk.services.links", "mediadesk.services.import_words",
         "mediadesk.services.importer", "mediadesk.services.export", "mediadesk.services.publish",
         "mediadesk.ui.publish_dialog", "mediadesk.ui.export_dialog")


def loaded_by_window(path: str) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):]))


def test_window_first_screen_loads_no_media_library_or_later_service(tmp_path):
    photos = make_jpegs(tmp_path / "photos", 2)
    path = str(tmp_path / "c.mediadesk")
    with open_catalog(path) as catalog:
        assert import_paths(catalog, [str(p) for p in photos], workers=0).imported == 2
    loaded_by_window(path)   # the first start may build the schema check's reference (sqlite-utils)
    modules = loaded_by_window(path)
    assert "mediadesk.ui.main_window" in modules
    early = sorted(m for m in modules if m in LATER or m.startswith(tuple(f"{name}." for name in LATER)))
    assert early == []
