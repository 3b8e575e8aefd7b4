"""Screenshots of issue 17's desk details on the demo library: the search chip, the table with dates
and stand-in titles, the sidebar in a 1024x700 window.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_desk.py [--catalog PATH] [--out docs/screenshots]

Without --catalog it builds the demo library in a temporary catalog and imports three photos
"straight from a camera card" (Exif date without a time zone, no title, no headline) into the
gallery "Camera card", as a photographer's unedited frames arrive.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import settle, start, thumbnails_painted, wait

from PySide6.QtCore import QSettings

from mediadesk.app import create_main_window
from mediadesk.catalog.connection import Catalog
from mediadesk.demo import build_demo_library
from mediadesk.services.importer import import_paths


def camera_card(folder: Path) -> Path:
    """Three JPEGs as a camera writes them: Exif DateTimeOriginal without an offset, no captions."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, (clock, colour) in enumerate((("09:22:00", (70, 90, 120)), ("09:24:31", (120, 80, 60)),
                                         ("09:31:07", (60, 110, 80)))):
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "Nikon", "Z 9"
        exif.get_ifd(0x8769)[0x9003] = f"2025:05:14 {clock}"       # DateTimeOriginal
        Image.new("RGB", (1200, 800), colour).save(folder / f"DSC_{4711 + n}.JPG", quality=85, exif=exif)
    return folder


def main(argv: list[str] | None = None) -> int:
    app, out, workdir, catalog_path, build = start(argv, __doc__.splitlines()[0], "desk")
    if build:
        with Catalog(catalog_path) as catalog:
            build_demo_library(catalog)
            import_paths(catalog, [str(camera_card(workdir / "card"))], gallery="Camera card")
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(catalog_path, settings)
    window.resize(1400, 900)
    window.show()
    wait(app, lambda: not window.results.pending and window.sidebar_data is not None)
    wait(app, lambda: thumbnails_painted(window))
    settle(app)

    # the table: newest first, the camera frames (no zone, file name as title) above the demo's
    window.set_table_mode(True)
    window.main.setSizes([220, 960, 220])
    settle(app, 0.8)
    window.grab().save(str(out / "table-dates-titles.png"))

    # a search that stays active in a gallery where it finds nothing: the chip says why
    window.set_table_mode(False)
    window.search.set_text("rutte")
    wait(app, lambda: not window.results.pending)
    assert window.sidebar_data is not None
    gallery = next(g for g in window.sidebar_data.galleries if g.title.startswith("NATO Military Committee"))
    window.sidebar.select_key(("gallery", gallery.id))
    wait(app, lambda: not window.results.pending and window.pane.title.text() == gallery.title)
    window.main.setSizes([250, 730, 420])
    settle(app, 0.8)
    window.grab().save(str(out / "search-chip.png"))
    window.search.clear_search()
    window.sidebar.select_key(("library", "all"))
    wait(app, lambda: not window.results.pending)

    # a small screen: 1024x700, gallery names elided in the middle
    window.resize(1024, 700)
    settle(app, 0.5)
    assert window.width() == 1024, f"the window cannot be 1024 pixels wide: {window.minimumSize()}"
    window.main.setSizes([200, 500, 324])
    settle(app, 1.0)
    window.grab().save(str(out / "sidebar-1024.png"))

    for name in ("table-dates-titles.png", "search-chip.png", "sidebar-1024.png"):
        print(out / name)
    window.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
