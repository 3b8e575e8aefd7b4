"""The window keeps its catalog locks while file dialogs open and another program writes (issue 17).

Runs the real main window (offscreen) on a catalog whose folder also holds media, and for
``--minutes``:

- the window opens every file dialog the application has (``ui.file_dialogs.PURPOSES``) on the
  folder that holds the catalog, types the catalog's path into it, lets it list the folder with
  icons and types, and closes it; it imports that folder (catalog, -wal and -shm beside the media),
  drops the catalog file on itself, and edits a caption through its own write queue;
- a second program writes to the same catalog at the same time: ``mediadesk tag add``,
  ``mediadesk caption replace`` and ``mediadesk import`` of new photos, one after the other;
- after every step it checks in /proc/locks that the window's process still holds its SQLite
  locks (the catalog's SHARED range and the -shm's dead-man byte).

An error is: a lock gone, a failed command (exit status not 0), a window read or write that
failed ("file is not a database"), an import that failed, or a final ``PRAGMA integrity_check``
other than ok. The run exits 0 with a tally when there were none.

    python stress/window_locks.py --minutes 10          # the stress run
    python stress/window_locks.py --minutes 0.5 --keep /tmp/locks   # short, keep the files

Library use (tests/ui/test_ui_catalog_locks.py): ``populate(dialog, folder)`` drives a file dialog,
``run_stress(minutes, workdir)`` returns a Tally.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.multimedia.ffmpeg*=false")

from PIL import Image

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QLineEdit,
)

from proc_locks import catalog_locks

EDITORIAL_NOTE = ("This media asset is free for editorial broadcast, print, online and radio use. "
                  "It is restricted for use for other purposes.")


# -- driving the window --------------------------------------------------------------------------
def wait_until(condition, timeout_s: float = 20.0, what: str = "condition") -> None:
    """Run the event loop until ``condition()`` holds (the wait ends on the event, not a sleep)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.002)


def populate(dialog: QFileDialog, folder: str | os.PathLike, timeout_s: float = 20.0) -> None:
    """Show ``dialog`` on ``folder`` as a person would and wait until it has listed it.

    Detail view (so the Type column is asked for), the folder's path typed into the file name box
    (the completer lists it as well), then wait for the file system model to report the folder
    loaded and to hold an icon and a type for every entry it shows."""
    folder = os.path.abspath(os.fspath(folder))
    model = dialog.findChild(QFileSystemModel)
    assert model is not None, f"the dialog {dialog.objectName()} has no file system model (not Qt's widgets dialog)"
    loaded: set[str] = set()
    model.directoryLoaded.connect(lambda path: loaded.add(os.path.abspath(path)))
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()
    dialog.setDirectory(folder)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    if edit is not None:
        edit.clear()
        QTest.keyClicks(edit, folder + os.sep)

    def listed() -> bool:
        if folder not in loaded:
            return False
        root = model.index(folder)
        rows = model.rowCount(root)
        for row in range(rows):
            index = model.index(row, 0, root)
            if not model.type(index) or model.data(index, Qt.ItemDataRole.DecorationRole) is None:
                return False
        return rows > 0

    wait_until(listed, timeout_s, f"the dialog {dialog.objectName()} to list {folder}")
    if edit is not None:   # leave the dialog as a person finds it after typing: nothing chosen yet
        edit.clear()
    for view in dialog.findChildren(QAbstractItemView):
        if view.selectionModel() is not None:
            view.clearSelection()


def choose(dialog: QFileDialog, paths: list[str]) -> int:
    """Pick ``paths`` in a shown dialog as a person would and accept; returns the result code.

    Files (of one folder) are pasted into the file name box as the dialog quotes them, with the
    "All files" filter chosen; a folder
    is entered and accepted as it is. A save dialog overwrites without asking (as if the person
    answered Yes)."""
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert edit is not None, f"the dialog {dialog.objectName()} has no file name box"
    if len(paths) == 1 and os.path.isdir(paths[0]):
        dialog.setDirectory(paths[0])
        edit.clear()
    else:
        every = [f for f in dialog.nameFilters() if f.endswith("(*)")]
        if every:   # the person shows all files first: a name the filter hides cannot be selected
            dialog.selectNameFilter(every[0])
        dialog.setDirectory(os.path.dirname(os.path.abspath(paths[0])))
        names = [os.path.basename(p) for p in paths]
        if dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen:
            model = dialog.findChild(QFileSystemModel)
            assert model is not None
            wait_until(lambda: all(model.index(p).isValid() for p in paths), 10,
                       f"{dialog.objectName()} to show {names}")
        edit.setFocus()
        edit.setText(names[0] if len(names) == 1 else " ".join(f'"{n}"' for n in names))   # pasted
        wanted = {os.path.abspath(p) for p in paths}
        wait_until(lambda: {os.path.abspath(p) for p in dialog.selectedFiles()} == wanted, 10,
                   f"{dialog.objectName()} to select {sorted(wanted)}")
    dialog.accept()
    if dialog.result() != QDialog.DialogCode.Accepted:   # the dialog refused the name: leave it closed
        dialog.reject()
    return dialog.result()


def drop(widget, paths: list[str]) -> None:
    """Drop files or folders on ``widget`` as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
    pos = QPoint(widget.width() // 2, widget.height() // 2)
    QApplication.sendEvent(widget, QDragEnterEvent(pos, *_copy_with(mime)))
    QApplication.sendEvent(widget, QDropEvent(QPointF(pos), *_copy_with(mime)))


# -- the stress run ------------------------------------------------------------------------------
@dataclass
class Tally:
    seconds: float = 0.0
    steps: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"window_locks: {self.seconds / 60:.1f} min, {len(self.errors)} error(s)"]
        lines += [f"  {name}: {count}" for name, count in sorted(self.steps.items())]
        lines += [f"  ERROR {e}" for e in self.errors[:50]]
        return "\n".join(lines)


class _ErrorLog(logging.Handler):
    """Errors the window logged, and exceptions raised in its slots, count as errors of the run."""

    def __init__(self, tally: Tally) -> None:
        super().__init__(logging.ERROR)
        self.tally = tally

    def emit(self, record: logging.LogRecord) -> None:
        self.tally.errors.append(f"logged: {record.getMessage()[:300]}")

    def excepthook(self, kind, value, tb) -> None:
        self.tally.errors.append(f"exception in the window: {kind.__name__}: {value}")


def make_photo(path: Path, caption: str, colour=(30, 90, 160)) -> Path:
    import io

    from mediadesk.media import embed_metadata  # the project's own writer: real IPTC/XMP
    buf = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buf, "JPEG", quality=80)
    data, _ = embed_metadata(buf.getvalue(), {"caption": caption, "usage_terms": EDITORIAL_NOTE})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _cli(catalog: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(catalog), *args],
                          capture_output=True, text=True, timeout=timeout)


class SecondProgram(threading.Thread):
    """Writes to the catalog from other processes (the command line) until stopped."""

    def __init__(self, catalog: Path, incoming: Path, tally: Tally) -> None:
        super().__init__(daemon=True)
        self.catalog, self.incoming, self.tally = catalog, incoming, tally
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            step = n % 3
            args: tuple[str, ...]
            if step == 0:
                args = ("tag", "add", "--keyword", f"stress-{n}", "--query", "kind:photo")
                name = "cli tag add"
            elif step == 1:
                old, new = ("Round", "Lap") if n % 2 else ("Lap", "Round")
                args = ("caption", "replace", "--find", old, "--replace", new, "--field", "caption",
                        "--query", "kind:photo")
                name = "cli caption replace"
            else:
                make_photo(self.incoming / f"cli_{n:05d}.jpg", f"Round {n}: photo from the second program",
                           colour=(n * 7 % 255, 40, 90))
                args = ("import", str(self.incoming))
                name = "cli import"
            try:
                proc = _cli(self.catalog, *args)
            except subprocess.TimeoutExpired:
                self._error(f"{name}: timed out")
                continue
            with self.lock:
                self.tally.steps[name] += 1
            if proc.returncode not in (0, 3):
                self._error(f"{name}: exit {proc.returncode}: {proc.stderr.strip()[-300:]}")

    def _error(self, text: str) -> None:
        with self.lock:
            self.tally.errors.append(text)


def build_fixture(workdir: Path) -> Path:
    """A catalog in a folder that also holds photos, a file without extension and a sub-folder."""
    from mediadesk.catalog.connection import Catalog
    from mediadesk.services.importer import import_paths
    workdir.mkdir(parents=True, exist_ok=True)
    for n in range(6):
        make_photo(workdir / f"desk_{n}.jpg", f"Round 0: photo {n} beside the catalog", colour=(n * 30, 120, 60))
    for n in range(4):
        make_photo(workdir / "shoot" / f"shoot_{n}.jpg", f"Round 0: shoot photo {n}", colour=(200, n * 40, 60))
    (workdir / "README").write_text("a file without an extension: its type is guessed from its bytes\n")
    catalog = workdir / "catalog.mediadesk"
    with Catalog(catalog) as cat:
        import_paths(cat, [str(workdir)], workers=0)
    return catalog


def run_stress(minutes: float, workdir: Path, *, dialog_every_s: float = 2.0, import_every_s: float = 15.0,
               log=print) -> Tally:
    from mediadesk.app import create_main_window

    from mediadesk.ui.file_dialogs import CODES_EXPORT, CODES_IMPORT, PURPOSES
    tally = Tally()
    catalog = build_fixture(workdir)
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(catalog, settings)
    window.confirm_stop_import = lambda: True  # type: ignore[method-assign]  # the window asks a person
    window.file_dialogs.warn = lambda *args: tally.steps.update(["catalog file refused"])
    window.show()

    def failed(kind):
        return lambda message: tally.errors.append(f"window {kind}: {message}")

    window.reader.failed.connect(failed("read"))
    window.writer.failed.connect(failed("write"))
    window.rows.failed.connect(failed("rows"))
    window.counter.failed.connect(failed("counts"))
    window.importer.failed.connect(failed("import"))
    def message(text: str) -> None:
        if text.startswith("Not saved"):
            tally.errors.append(text)

    window.history.message.connect(message)
    errors = _ErrorLog(tally)
    logging.getLogger().addHandler(errors)
    previous_hook, sys.excepthook = sys.excepthook, errors.excepthook

    def check(step: str) -> None:
        tally.steps[step] += 1
        held = catalog_locks(catalog)
        if not all(held.values()):
            tally.errors.append(f"after {step}: the window lost its locks {held}")

    second = SecondProgram(catalog, workdir / "incoming", tally)
    started = time.monotonic()
    end = started + minutes * 60
    second.start()
    next_import = started
    n = 0
    try:
        wait_until(lambda: window.sidebar_data is not None, 30, "the window to show the catalog")
        while time.monotonic() < end:
            n += 1
            purpose = PURPOSES[n % len(PURPOSES)]
            if purpose in (CODES_IMPORT, CODES_EXPORT):   # what a hurried person might pick
                def pick_the_catalog(d: QFileDialog) -> int:
                    populate(d, workdir)
                    return choose(d, [str(catalog)])

                window.file_dialogs.execute = pick_the_catalog
                window.file_dialogs.ask(purpose, window)
                window.file_dialogs.execute = lambda d: d.exec()
                check(f"dialog {purpose.key}, the catalog chosen")
            else:
                dialog = window.file_dialogs.build(purpose, window)
                populate(dialog, workdir)
                check(f"dialog {purpose.key}")
                dialog.reject()
                dialog.deleteLater()
            if time.monotonic() >= next_import and not window.importer.running:
                next_import = time.monotonic() + import_every_s
                if n % 2:
                    window.import_paths([str(workdir)])
                    name = "window import of the catalog's folder"
                else:
                    drop(window, [str(catalog), str(catalog) + "-wal", str(workdir / "README")])
                    name = "window drop of the catalog file"
                wait_until(lambda: not window.importer.running, 300, name)
                check(name)
            ids = list(window.model.ids())[:1]
            if ids:
                window.history.apply({ids[0]: {"headline": f"Round {n}: edited in the window"}},
                                     "Edit headline")
                wait_until(lambda: not window.writer.busy, 60, "the window's edit")
                check("window edit")
            wait_until(lambda: not window.reader.busy, 60, "the window's reads")
            deadline = time.monotonic() + dialog_every_s
            wait_until(lambda deadline=deadline: time.monotonic() >= deadline, dialog_every_s + 5, "the next round")
            if n % 10 == 0:
                log(f"  {(time.monotonic() - started) / 60:.1f} min: {sum(tally.steps.values())} steps, "
                    f"{len(tally.errors)} error(s)")
    finally:
        second.stop.set()
        second.join(timeout=300)
        check("end of the run")
        window.shutdown()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        logging.getLogger().removeHandler(errors)
        sys.excepthook = previous_hook
    tally.seconds = time.monotonic() - started
    try:
        with sqlite3.connect(catalog) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        tally.errors.append(f"integrity_check: {result}")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication(sys.argv)
    if args.keep:
        tally = run_stress(args.minutes, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="window_locks_") as tmp:
            tally = run_stress(args.minutes, Path(tmp))
    print(tally.report())
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())


def _copy_with(mime: QMimeData) -> tuple:
    """A plain drag: copy ``mime`` with the left button and no modifier key."""
    return Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
