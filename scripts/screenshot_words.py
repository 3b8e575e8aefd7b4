"""Screenshots of issue 16's words on the demo library: a press release in the preview with the
search's words marked, and the player with subtitles (the Oval Office remarks' transcript) and
chapters, opened at the moment the search found.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_words.py [--catalog PATH] [--out docs/screenshots]

Without --catalog it builds the demo library in a temporary catalog.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import first_row, select_row, settle, start, thumbnails_painted, wait

from PySide6.QtCore import QSettings

from mediadesk.app import create_main_window
from mediadesk.catalog.connection import Catalog
from mediadesk.demo import build_demo_library


def _select(window, app, predicate) -> int:
    model = window.model
    window.model.want_rows(0, model.rowCount() - 1)
    wait(app, lambda: all(model.asset_at(r) is not None for r in range(model.rowCount())))
    row = first_row(window, predicate)
    select_row(window, row)
    return row


def main(argv: list[str] | None = None) -> int:
    app, out, workdir, catalog_path, build = start(argv, __doc__.splitlines()[0], "words")
    if build:
        with Catalog(catalog_path) as catalog:
            build_demo_library(catalog)
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(catalog_path, settings)
    window.resize(1500, 950)
    window.show()
    wait(app, lambda: not window.results.pending and window.sidebar_data is not None)
    wait(app, lambda: thumbnails_painted(window))

    # a press release found by words of its text; the preview marks them on the page
    window.search.set_text("transatlantic bond")
    wait(app, lambda: not window.results.pending)
    _select(window, app, lambda a: a.kind == "document" and a.format == "PDF")
    preview = window.preview
    wait(app, lambda: preview._stack.currentWidget() is preview.document and preview.document.marks)
    window.main.setSizes([230, 650, 620])
    window.right.setSizes([620, 280])
    settle(app, 1.0)
    window.grab().save(str(out / "document-preview.png"))

    # a phrase only in the remarks' timed transcript: the result says when, the player opens there
    window.search.set_text('"defence production" kind:video')
    wait(app, lambda: not window.results.pending)
    row = _select(window, app, lambda a: a.kind == "video")
    video_id = window.model.id_at(row)
    wait(app, lambda: window.model.hit(video_id) is not None)
    _select(window, app, lambda a: a.kind == "video")   # again: now with the hit's moment
    wait(app, lambda: preview._stack.currentWidget() is preview.video_page)
    hit = window.model.hit(video_id)
    assert hit is not None and hit.start is not None
    preview.player.seek_to(int(hit.start * 1000) + 1500)
    wait(app, lambda: preview.player.video.frames > 0 or preview.player.video.pixmap() is not None, timeout=15)
    settle(app, 1.5)
    preview.timed.set_position(hit.start + 1.5)
    window.right.setSizes([700, 200])
    preview.video_page.setSizes([420, 280])
    settle(app, 1.0)
    window.grab().save(str(out / "player-subtitles-chapters.png"))

    for name in ("document-preview.png", "player-subtitles-chapters.png"):
        print(out / name)
    window.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
