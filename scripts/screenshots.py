"""Screenshots of the main window on the demo library, for the README and for review.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--catalog PATH] [--out docs/screenshots]

Builds the demo library (mediadesk.demo) in a temporary catalog unless --catalog names
one, shows the window at 1400x900 and saves main-grid.png, main-table.png, inspector.png and
video-selected.png. Works offscreen or under xvfb-run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.multimedia.ffmpeg*=false")

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QPoint, QSettings
from PySide6.QtWidgets import QApplication, QScrollArea

from mediadesk.app import create_main_window
from mediadesk.catalog.connection import Catalog
from mediadesk.demo import build_demo_library

ROOT = Path(__file__).resolve().parents[1]


def start(argv: list[str] | None, description: str, name: str) -> tuple[QCoreApplication, Path, Path, Path, bool]:
    """The common start of a screenshot script: ``--catalog`` and ``--out``, the application,
    the output folder and a work folder (its settings file, a card to import). Returns (app,
    out, workdir, catalog path, build): ``build`` says the demo library is to be built there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--catalog", help="use this catalog instead of building the demo library")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"mediadesk-{name}-shots-"))
    catalog_path = Path(args.catalog) if args.catalog else workdir / "demo.mediadesk"
    return app, out, workdir, catalog_path, not args.catalog


def wait(app: QCoreApplication, condition, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return False


def settle(app: QCoreApplication, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def select_row(window, row: int) -> None:
    index = window.model.index(row, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    window.selection.setCurrentIndex(index, flags)
    window.pane.current_view().scrollTo(index)


def first_row(window, predicate) -> int:
    for row in range(window.model.rowCount()):
        asset = window.model.asset_at(row)
        if asset is not None and predicate(asset):
            return row
    raise SystemExit("no asset in the library matches what this screenshot needs")


def thumbnails_painted(window) -> bool:
    rows = min(window.model.rowCount(), 12)
    assets = [window.model.asset_at(r) for r in range(rows)]
    return all(window.loader.is_cached(a.content_hash) for a in assets if a and a.has_thumbnail)


def main(argv: list[str] | None = None) -> int:
    app, out, workdir, catalog_path, build = start(argv, __doc__.splitlines()[0], "main")
    if build:
        print("building the demo library…", flush=True)
        with Catalog(catalog_path) as catalog:
            report = build_demo_library(catalog)
        print(f"  {report.imported} assets imported in {report.seconds:.1f} s", flush=True)
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(catalog_path, settings)
    window.resize(1400, 900)
    window.show()
    wait(app, lambda: not window.results.pending and window.sidebar_data is not None)
    wait(app, lambda: thumbnails_painted(window))
    settle(app)

    select_row(window, first_row(window, lambda a: a.kind == "photo" and bool(a.caption)))
    wait(app, lambda: window.inspector.summary is not None)
    settle(app, 0.8)
    shots = {"main-grid.png": window}
    window.grab().save(str(out / "main-grid.png"))

    window.set_table_mode(True)
    sizes = window.main.sizes()
    window.main.setSizes([220, 900, 280])  # the table wants width: the right pane gives some
    settle(app, 0.5)
    window.grab().save(str(out / "main-table.png"))
    window.main.setSizes(sizes)
    window.set_table_mode(False)

    # the inspector on a photo with people, places and rights, given room to show its fields
    photos = [r for r in range(window.model.rowCount())
              if (a := window.model.asset_at(r)) is not None and a.kind == "photo" and a.people]
    row = next((r for r in photos if (a := window.model.asset_at(r)) is not None and a.conflicts),
               photos[min(3, len(photos) - 1)])
    main_sizes, right_sizes = window.main.sizes(), window.right.sizes()
    window.main.setSizes([230, 560, 610])
    window.right.setSizes([250, 650])
    select_row(window, row)
    wait(app, lambda: window.inspector.summary is not None and window.inspector.summary.asset is not None
         and window.inspector.summary.asset.id == window.model.id_at(row))
    settle(app, 0.5)
    scroll = window.inspector.findChild(QScrollArea)
    fields = scroll.widget() if scroll is not None else None
    assert scroll is not None and fields is not None, "the inspector scrolls its fields"
    label = window.inspector._labels["date_created"]
    scroll.verticalScrollBar().setValue(label.mapTo(fields, QPoint(0, 0)).y() - 4)
    settle(app, 0.8)
    window.grab().save(str(out / "inspector.png"))
    scroll.verticalScrollBar().setValue(0)
    window.main.setSizes(main_sizes)
    window.right.setSizes(right_sizes)

    select_row(window, first_row(window, lambda a: a.kind == "video"))
    wait(app, lambda: window.preview.asset is not None and window.preview.asset.kind == "video")
    player = window.preview.player
    player.toggle()  # play a moment so the picture shows, then pause
    wait(app, lambda: player.player.position() > 1200, timeout=8)
    player.toggle()
    settle(app, 0.6)
    window.grab().save(str(out / "video-selected.png"))

    for name in ("main-grid.png", "main-table.png", "inspector.png", "video-selected.png"):
        print(out / name)
    del shots
    window.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
