"""Closing the window while work is in flight never reaches a closed catalog (issue 11).

Each round opens the real main window (offscreen) on a fresh catalog, imports a folder of small
photos through it (the drop path), and closes the window at one of these moments, chosen in turn:

- ``queued``: the import's job has ended and its last Changes and its report are queued for the
  GUI thread, not delivered yet (the race of ``test_dropping_files_on_the_window_imports_them``);
- ``running``: while the import is still committing batches;
- ``delivered``: just after the import finished and the window began to refresh (result sets,
  counts, thumbnails, inspector on their lanes);
- ``edit``: with an edit and an undo queued on the writer lane.

Then it delivers whatever is left in the event queue. An error is: an exception in a slot (the
"Cannot operate on a closed database" the issue names), an error in the log, a Qt warning that a
thread was destroyed while running, a window that did not close its connections, or a catalog
whose ``PRAGMA integrity_check`` is not ok afterwards. Exit 0 with a tally when there were none.

    python stress/teardown_race.py --rounds 500                 # the stress run
    python stress/teardown_race.py --rounds 20 --keep /tmp/race  # short, keep the catalogs
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.multimedia.ffmpeg*=false")

from PIL import Image

from PySide6.QtCore import QCoreApplication, QSettings, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

MOMENTS = ("queued", "running", "delivered", "edit")


@dataclass
class Tally:
    rounds: int = 0
    moments: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        spread = ", ".join(f"{k} {v}" for k, v in sorted(self.moments.items()))
        return (f"{self.rounds} rounds ({spread}) in {self.seconds:.0f} s: "
                f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}")


class _Catcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def make_photos(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        Image.new("RGB", (160, 120), (30 + 5 * n, 90, 160)).save(folder / f"photo_{n:03d}.jpg", quality=80)
    return folder


def _pump(app: QCoreApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)


def _wait(app: QCoreApplication, condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        app.processEvents()
        time.sleep(0.002)


def one_round(app: QCoreApplication, workdir: Path, moment: str, photos: Path) -> list[str]:
    """Open, import, close at ``moment``, deliver the rest; the problems found."""
    from mediadesk.app import create_main_window

    problems: list[str] = []
    catalog_path = workdir / "race.mediadesk"
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(catalog_path, settings)
    window.importer.workers = 0
    window.confirm_stop_import = lambda: True  # type: ignore[method-assign]  # the window asks a person
    window.show()
    _wait(app, lambda: window.sidebar_data is not None, 20, "the window's first screen")
    window.import_paths([str(photos)])
    running = window.runner.jobs[0]
    if moment == "queued":
        running._thread.wait(60_000)          # ended; its last signals are queued, not delivered
    elif moment == "running":
        _wait(app, lambda: running.job.snapshot().done >= 1 or not running.running, 30, "the first file")
    elif moment == "delivered":
        _wait(app, lambda: not window.importer.running, 60, "the import's end")
    else:
        _wait(app, lambda: not window.importer.running and window.model.rowCount() > 0, 60, "the rows")
        ids = list(window.model.ids())[:2]
        window.history.apply({i: {"caption": "closing now"} for i in ids}, "Edit caption")
        window.history.undo()
    window.close()
    if not (window.runner.stopped and window.catalog.closed):
        problems.append(f"{moment}: the window closed without stopping its runner")
    _pump(app, 0.05)                           # deliver whatever was still queued
    window.deleteLater()
    _pump(app, 0.01)
    try:
        conn = sqlite3.connect(catalog_path)
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
        if verdict != "ok":
            problems.append(f"{moment}: integrity_check says {verdict}")
    except sqlite3.Error as exc:
        problems.append(f"{moment}: the catalog cannot be checked ({exc})")
    return problems


def run_rounds(rounds: int, workdir: Path, *, keep: bool = False) -> Tally:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tally = Tally()
    caught: list[str] = []
    qt_warnings: list[str] = []

    def hook(kind, value, tb) -> None:
        caught.append("".join(traceback.format_exception(kind, value, tb)).strip().splitlines()[-1])

    def on_message(kind, _context, message) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) and (
                "QThread" in message or "closed database" in message):
            qt_warnings.append(message)

    catcher = _Catcher()
    logging.getLogger().addHandler(catcher)
    previous_hook = sys.excepthook
    sys.excepthook = hook
    previous_handler = qInstallMessageHandler(on_message)
    photos = make_photos(workdir / "photos", 6)
    started = time.monotonic()
    try:
        for n in range(rounds):
            moment = MOMENTS[n % len(MOMENTS)]
            folder = workdir / f"round-{n:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            before = (len(caught), len(catcher.records), len(qt_warnings))
            try:
                problems = one_round(app, folder, moment, photos)
            except Exception as exc:
                problems = [f"{moment}: {type(exc).__name__}: {exc}"]
            problems += [f"{moment}: exception in the event loop: {e}" for e in caught[before[0]:]]
            problems += [f"{moment}: logged: {r}" for r in catcher.records[before[1]:]]
            problems += [f"{moment}: Qt: {m}" for m in qt_warnings[before[2]:]]
            tally.rounds += 1
            tally.moments[moment] += 1
            tally.errors += [f"round {n}: {p}" for p in problems]
            if not keep and not problems:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        tally.seconds = time.monotonic() - started
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)
        logging.getLogger().removeHandler(catcher)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--keep", metavar="DIR", help="keep the catalogs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mediadesk-race-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        tally = run_rounds(args.rounds, workdir, keep=bool(args.keep))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    for error in tally.errors[:20]:
        print(error)
    print(tally.line())
    return 0 if not tally.errors else 1


if __name__ == "__main__":
    sys.exit(main())
