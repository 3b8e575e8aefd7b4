"""An unexpected exception in the window is logged and shown, instead of vanishing.

``install_excepthook(log_path)`` replaces ``sys.excepthook`` (exceptions in slots and event
handlers end there in PySide6) and ``threading.excepthook`` (worker threads). Each exception:

1. is written to the log with its traceback (always, whatever happens next) and to stderr;
2. asks the GUI thread, through a queued signal, to show a critical message box with the error,
   the log's location and the reassurance that the catalog is safe.

Only one box is shown at a time: exceptions that arrive while it is open (or that the box itself
raises) are logged and counted, never shown in a second box, so a paint handler that fails on
every frame cannot bury the user in dialogs or recurse. ``KeyboardInterrupt`` keeps Python's
default behaviour.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("mediadesk.crash")

TITLE = "mediadesk: unexpected error"
REASSURANCE = "The catalog is safe; your last saved changes are kept."


def _describe(exc: BaseException | None, exc_type: type[BaseException]) -> str:
    text = str(exc) if exc is not None else ""
    return f"{exc_type.__name__}: {text}" if text else exc_type.__name__


def _logs_to_stderr() -> bool:
    return any(isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is sys.stderr
               for h in logging.getLogger().handlers)


class CrashReporter(QObject):
    """Lives in the GUI thread; ``report`` may be called from any thread."""

    show_requested = Signal(str, str)   # summary, traceback text

    def __init__(self, log_path: Path | None, *, show: Callable[[QMessageBox], object] | None = None) -> None:
        super().__init__()
        self.log_path = log_path
        self.show = show or (lambda box: box.exec())
        self.showing = False
        self.suppressed = 0      # exceptions that came while a box was open
        self.reported = 0
        self._lock = threading.Lock()
        self.previous_excepthook = sys.excepthook
        self.previous_threading_hook = threading.excepthook
        self.show_requested.connect(self._show_box, Qt.ConnectionType.QueuedConnection)

    # -- entry points ---------------------------------------------------------------------------
    def excepthook(self, exc_type: type[BaseException], exc: BaseException | None,
                   tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)  # type: ignore[arg-type]
            return
        self.report(exc_type, exc, tb, thread=threading.current_thread().name)

    def threading_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.report(args.exc_type, args.exc_value, args.exc_traceback,
                    thread=args.thread.name if args.thread else "?")

    # -- work -----------------------------------------------------------------------------------
    def report(self, exc_type: type[BaseException], exc: BaseException | None,
               tb: TracebackType | None, *, thread: str = "MainThread") -> None:
        try:
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            if exc is not None:
                log.critical("unexpected error in thread %s", thread, exc_info=(exc_type, exc, tb))
            else:
                log.critical("unexpected error in thread %s: %s", thread, exc_type.__name__)
            if not _logs_to_stderr():
                try:
                    sys.stderr.write(details)
                except (OSError, ValueError, AttributeError):  # no console (frozen, windowed)
                    pass
            with self._lock:
                self.reported += 1
                if self.showing:
                    self.suppressed += 1
                    return
                self.showing = True
            if QApplication.instance() is None:
                with self._lock:
                    self.showing = False
                return
            self.show_requested.emit(_describe(exc, exc_type), details)
        except Exception:  # the reporter itself must never raise (and never recurse)
            try:
                sys.__excepthook__(exc_type, exc, tb)  # type: ignore[arg-type]
            except Exception:
                pass

    def message_box(self, summary: str, details: str) -> QMessageBox:
        parent = QApplication.activeWindow()
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(TITLE)
        box.setText(f"Something went wrong:\n{summary}")
        where = f"The details were written to the log:\n{self.log_path}" if self.log_path else \
            "The details could not be written to a log file."
        box.setInformativeText(f"{where}\n\n{REASSURANCE}\n\nIf this happens again, please send "
                               "the log file with a note of what you were doing.")
        box.setDetailedText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        if self.log_path is not None:
            button = box.addButton("Open Log Folder", QMessageBox.ButtonRole.ActionRole)
            folder = QUrl.fromLocalFile(str(Path(self.log_path).parent))
            button.clicked.connect(lambda: QDesktopServices.openUrl(folder))
        return box

    @Slot(str, str)
    def _show_box(self, summary: str, details: str) -> None:
        try:
            self.show(self.message_box(summary, details))
        except Exception:
            log.exception("could not show the error dialog")
        finally:
            with self._lock:
                self.showing = False
                if self.suppressed:
                    log.warning("%d more error(s) came while the error dialog was open (see above)",
                                self.suppressed)
                    self.suppressed = 0

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self.previous_excepthook
        if threading.excepthook == self.threading_hook:
            threading.excepthook = self.previous_threading_hook


_installed: CrashReporter | None = None


def install_excepthook(log_path: Path | str | None, *,
                       show: Callable[[QMessageBox], object] | None = None) -> CrashReporter:
    """Log and show unexpected exceptions (call once, after the QApplication exists).

    ``show`` displays the box (default ``box.exec()``; tests pass a non-blocking one). Installing
    again replaces the previous reporter.
    """
    global _installed
    if _installed is not None:
        _installed.uninstall()
    reporter = CrashReporter(Path(log_path) if log_path else None, show=show)
    app = QApplication.instance()
    if app is not None:
        reporter.moveToThread(app.thread())
        reporter.setParent(app)   # kept alive as long as the application
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.threading_hook
    _installed = reporter
    return reporter
