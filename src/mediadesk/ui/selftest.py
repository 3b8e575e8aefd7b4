"""``mediadesk --self-test-window [--screenshot PNG]``: start the real window on the demo library, quit.

For packagers and CI: proves that a build (wheel or PyInstaller bundle) can draw and import the
demo media (worker processes included), open the main window on it and show the assets in the grid.

1. builds the demo library into a temporary catalog (``mediadesk.demo.build_demo_library``),
2. opens the main window on it (``mediadesk.app.create_main_window``),
3. waits until a visible item view shows rows (the grid), lets thumbnails arrive,
4. optionally saves a screenshot of the window, closes it, and returns 0.

Any failure prints one line to stderr and returns 1; a time-out returns 2. Without a display
(no ``$DISPLAY``/``$WAYLAND_DISPLAY``) Qt's offscreen platform is used.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_TIMEOUT = 0, 1, 2


def _say(message: str) -> None:
    print(f"self-test: {message}", file=sys.stderr, flush=True)


def _visible_rows(window) -> int:
    """The largest row count of any visible item view in the window (the grid, or the table)."""
    from PySide6.QtWidgets import QAbstractItemView

    best = 0
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None:
            best = max(best, model.rowCount())
    return best


def run_window_selftest(screenshot: str | os.PathLike | None = None, *, timeout: float = 180.0,
                        settle: float = 2.0, size: tuple[int, int] = (1280, 800),
                        workdir: str | os.PathLike | None = None) -> int:
    """See the module's doc. ``workdir`` (or ``$MEDIADESK_SELFTEST_DIR``) keeps the demo catalog
    there, so a second run skips the drawing; default: a temporary folder, removed afterwards."""
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")  # no codec chatter in CI logs
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.monotonic()
    tmp = None
    workdir = workdir or os.environ.get("MEDIADESK_SELFTEST_DIR") or None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="mediadesk-selftest-")
        workdir = tmp.name
    try:
        return _run(Path(workdir), Path(screenshot) if screenshot else None, timeout, settle, size, started)
    except Exception as exc:  # report, never a bare traceback only
        traceback.print_exc()
        _say(f"FAILED: {type(exc).__name__}: {exc}")
        return EXIT_FAILED
    finally:
        if tmp is not None:
            tmp.cleanup()


def _run(workdir: Path, screenshot: Path | None, timeout: float, settle: float,
         size: tuple[int, int], started: float) -> int:
    from mediadesk.catalog import open_catalog
    from mediadesk.demo import build_demo_library

    catalog_path = workdir / "catalog.mediadesk"
    catalog = open_catalog(catalog_path)
    try:
        report = build_demo_library(catalog)
        assets = catalog.assets.count()
    finally:
        catalog.close()
    failed = getattr(report, "failed", 0)
    _say(f"demo library: {assets} assets, {failed} failed, in {time.monotonic() - started:.1f} s")
    if not assets:
        _say("FAILED: the demo library is empty")
        return EXIT_FAILED

    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from mediadesk.app import create_main_window

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "mediadesk"])
    window = create_main_window(catalog_path)
    window.resize(*size)
    window.show()
    deadline = time.monotonic() + timeout
    rows = 0
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        rows = _visible_rows(window)
        if rows:
            break
        time.sleep(0.02)
    if not rows:
        _say(f"FAILED: no assets shown in the window after {timeout:.0f} s")
        window.close()
        return EXIT_TIMEOUT
    shown_at = time.monotonic() - started
    settle_until = time.monotonic() + settle   # thumbnails load in the background
    while time.monotonic() < settle_until:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(screenshot)):
            _say(f"FAILED: could not save the screenshot {screenshot}")
            window.close()
            return EXIT_FAILED
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, 0)
    app.processEvents()
    _say(f"ok: the window showed {rows} assets after {shown_at:.1f} s"
         + (f"; screenshot {screenshot}" if screenshot else ""))
    return EXIT_OK
