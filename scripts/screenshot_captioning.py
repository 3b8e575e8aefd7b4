"""Screenshots of the captioning desk (issue 17): the Import dialog with the stationery pad, the
pad itself, the grid with ratings, picks, colour labels and frame numbers, the info dialog and
the loupe.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_captioning.py [--catalog PATH] [--out docs/screenshots]

Without --catalog it builds the demo library in a temporary catalog. A camera card of 12 frames
(mediadesk.demo.card) is imported through the Import dialog into a new gallery with the
stationery pad "NATO visit" (codes =rutte=, =duda=, =hq=) and the NATO rights profile, then
marked from the keyboard as an editor would.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import settle, start, thumbnails_painted, wait

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtTest import QTest

from mediadesk.app import create_main_window
from mediadesk.catalog.connection import Catalog
from mediadesk.demo import build_demo_library
from mediadesk.demo.card import write_camera_card
from mediadesk.services.codes import set_code
from mediadesk.services.templates import save_template

PAD = "NATO visit"
CODES = {"rutte": "NATO Secretary General Mark Rutte", "duda": "President of Poland Andrzej Duda",
         "hq": "NATO headquarters in Brussels, Belgium"}
PAD_LINES = (("caption", "=rutte= welcomes =duda= at =hq= on {date}.", "replace"),
             ("headline", "President of Poland visits NATO", "replace"),
             ("people", "Mark Rutte; Andrzej Duda", "replace"),
             ("keywords", "NATO; Poland; diplomacy", "append"),
             ("city", "Brussels", "replace"), ("country", "Belgium", "replace"),
             ("creator", "NATO photographer", "replace"), ("credit", "NATO", "replace"))
GALLERY = "Duda at NATO HQ, 14 May 2025"


def prepare(catalog_path: Path) -> None:
    with Catalog(catalog_path) as catalog:
        for code, text in CODES.items():
            set_code(catalog, code, text)
        save_template(catalog, PAD, PAD_LINES)


def key(app: QCoreApplication, widget, k, modifier=Qt.KeyboardModifier.NoModifier, pause: float = 0.15) -> None:
    QTest.keyClick(widget, k, modifier)
    settle(app, pause)


def main(argv: list[str] | None = None) -> int:
    app, out, workdir, catalog_path, build = start(argv, __doc__.splitlines()[0], "captioning")
    if build:
        print("building the demo library…", flush=True)
        with Catalog(catalog_path) as catalog:
            build_demo_library(catalog)
    prepare(catalog_path)
    card = workdir / "card"
    write_camera_card(card, 12)
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(catalog_path, settings)
    window.resize(1400, 900)
    window.show()
    wait(app, lambda: not window.results.pending and window.sidebar_data is not None)
    settle(app)

    # the Import dialog: a new gallery, the stationery pad, the rights profile
    dialog = window.desk.ask_import([str(card)])
    dialog.gallery.setCurrentText(GALLERY)
    dialog.pad.setCurrentIndex(dialog.pad.findData(PAD))
    dialog.profile.setCurrentIndex(1)
    settle(app, 0.5)
    dialog.grab().save(str(out / "import-dialog.png"))
    dialog.open_pad()
    pad = dialog.pad_dialog
    assert pad is not None
    settle(app, 0.6)
    pad.grab().save(str(out / "stationery-pad.png"))
    pad.reject()
    dialog.accept()
    wait(app, lambda: not window.importer.running, 60)
    wait(app, lambda: window.pane.title.text().startswith("Import") and not window.results.pending)
    wait(app, lambda: thumbnails_painted(window), 30)
    settle(app, 1.0)

    # marks from the keyboard: stars, picks, labels; frame numbers under the thumbnails
    grid = window.grid
    window.activateWindow()      # the Import dialog was the active window
    settle(app)
    grid.setFocus()
    for stars, label, pick in ((5, Qt.Key.Key_6, Qt.Key.Key_P), (4, None, Qt.Key.Key_P), (3, Qt.Key.Key_8, None),
                               (None, None, Qt.Key.Key_X), (2, Qt.Key.Key_9, None)):
        if stars is not None:
            key(app, grid, getattr(Qt.Key, f"Key_{stars}"))
        if label is not None:
            key(app, grid, label)
        if pick is not None:
            key(app, grid, pick)
        key(app, grid, Qt.Key.Key_Right)
    window.desk.set_label_mode("frame")
    key(app, grid, Qt.Key.Key_Left)
    wait(app, lambda: not window.runner.busy)
    settle(app, 1.0)
    window.grab().save(str(out / "grid-marks.png"))

    # the info dialog on the second frame
    key(app, grid, Qt.Key.Key_Home)
    key(app, grid, Qt.Key.Key_Right)
    window.desk.open_info()
    info = window.desk.info_dialog
    assert info is not None
    settle(app, 1.0)
    info.grab().save(str(out / "info-dialog.png"))
    info.reject()
    settle(app)

    # the loupe on the first frame
    key(app, grid, Qt.Key.Key_Home)
    key(app, grid, Qt.Key.Key_Return)
    settle(app, 1.5)
    window.grab().save(str(out / "loupe.png"))
    key(app, window.desk.loupe, Qt.Key.Key_Escape)
    window.shutdown()
    print(f"saved import-dialog.png, stationery-pad.png, grid-marks.png, info-dialog.png, loupe.png in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
