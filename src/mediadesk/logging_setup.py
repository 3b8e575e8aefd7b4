"""Logging for the command line and the window: one rotating log file, nothing on stdout.

``configure_logging("cli")`` keeps warnings and errors in the log file only (stdout carries the
command's output and stderr its messages, so scripts see no noise); ``configure_logging("gui")``
also keeps informational lines (start, catalog opened, imports) and mirrors warnings to stderr
for whoever started the window from a terminal. The file is ``paths.log_file()``: 1 MB, then it
rotates to ``mediadesk.log.1`` ... ``.5``. ``$MEDIADESK_LOG_LEVEL`` (DEBUG, INFO, ...) overrides
the level. If the log folder cannot be written, the file goes to the temporary folder instead.

No Qt here; the window's crash dialog is in ``mediadesk.ui.crash_dialog``.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mediadesk import __version__
from mediadesk.paths import LOG_FILE, log_file
from mediadesk.terminal_text import for_terminal, for_terminal_lines

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Literal

MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LEVEL_ENV = "MEDIADESK_LOG_LEVEL"
FORMAT = "%(asctime)s %(levelname)-8s %(process)d %(threadName)s %(name)s: %(message)s"
_MARK = "_mediadesk_handler"

log = logging.getLogger("mediadesk")


class SafeFormatter(logging.Formatter):
    """Log lines with control characters escaped: a file name or caption in a message cannot
    forge a log line or drive the terminal the log is read on (``cat``, ``tail -f``, stderr).
    The message stays on one line; a traceback keeps its lines."""

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text      # another handler may have cached it unescaped
        if cached:
            record.exc_text = for_terminal_lines(cached)
        try:
            return super().format(record)
        finally:
            if cached:
                record.exc_text = cached

    def formatMessage(self, record: logging.LogRecord) -> str:
        return for_terminal(super().formatMessage(record))

    def formatException(self, ei) -> str:
        return for_terminal_lines(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return for_terminal_lines(super().formatStack(stack_info))


def _open_handler(path: Path) -> logging.Handler:
    import logging.handlers  # (socket, pickle, queue: only when a log line is written)

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    return handler


def _fallback_path() -> Path:
    import tempfile  # (only when the log folder cannot be written: tempfile loads random and shutil)

    return Path(tempfile.gettempdir()) / f"mediadesk-{os.getuid() if hasattr(os, 'getuid') else 'user'}" / LOG_FILE


def _file_handler() -> logging.Handler:
    try:
        return _open_handler(log_file())
    except OSError:
        return _open_handler(_fallback_path())


class DeferredLogFile(logging.Handler):
    """The rotating log file of the command line, opened at its first record.

    A command logs warnings and errors only, so most runs write nothing: they neither open the
    file nor import ``logging.handlers`` (which brings socket, pickle and queue), milliseconds
    at every start. The folder is made (or the temporary folder chosen) at once, so the path
    ``configure_logging`` returns is where the lines will go."""

    def __init__(self, path: Path, level: int) -> None:
        super().__init__(level)
        self.baseFilename = str(path)       # as logging.FileHandler names it
        self.maxBytes = MAX_BYTES
        self.backupCount = BACKUP_COUNT
        self.file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.file is None:
            try:
                try:
                    self.file = _open_handler(Path(self.baseFilename))
                except OSError:
                    self.file = _open_handler(_fallback_path())
                    self.baseFilename = self.file.baseFilename   # type: ignore[attr-defined]  # a FileHandler
            except Exception:
                self.handleError(record)
                return
            self.file.setFormatter(self.formatter)
        self.file.emit(record)

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        super().setFormatter(fmt)
        if self.file is not None:
            self.file.setFormatter(fmt)

    def flush(self) -> None:
        if self.file is not None:
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()


def _deferred_file_handler(level: int) -> DeferredLogFile:
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK):
            raise PermissionError(path.parent)
    except OSError:
        path = _fallback_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    return DeferredLogFile(path, level)


def _level(default: int) -> int:
    name = os.environ.get(LEVEL_ENV, "").strip().upper()
    value = logging.getLevelName(name) if name else default
    return value if isinstance(value, int) else default


def configure_logging(kind: Literal["cli", "gui"] = "cli") -> Path:
    """Send mediadesk's logging to the rotating log file; returns the file's path.

    Calling it again replaces the handlers it added before (the level may change between
    ``cli`` and ``gui``); handlers others added to the root logger are left alone.
    """
    if kind not in ("cli", "gui"):
        raise ValueError(f"kind must be 'cli' or 'gui', not {kind!r}")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()

    level = _level(logging.WARNING if kind == "cli" else logging.INFO)
    # the window logs at once (its start line); a command most often never
    file_handler = _file_handler() if kind == "gui" else _deferred_file_handler(level)
    file_handler.setFormatter(SafeFormatter(FORMAT))
    file_handler.setLevel(level)
    setattr(file_handler, _MARK, True)
    root.addHandler(file_handler)
    if kind == "gui":
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(SafeFormatter("mediadesk: %(levelname)s: %(name)s: %(message)s"))
        setattr(console, _MARK, True)
        root.addHandler(console)
    root.setLevel(min(level, root.level) if root.level != logging.NOTSET else level)
    logging.captureWarnings(True)  # warnings.warn(...) goes to the log, not the terminal
    path = Path(file_handler.baseFilename)   # type: ignore[attr-defined]  # FileHandler or DeferredLogFile
    if log.isEnabledFor(logging.INFO):   # (platform.platform() reads files: not for nothing)
        import platform

        log.info("mediadesk %s (%s) on Python %s, %s%s; log %s", __version__, kind,
                 platform.python_version(), platform.platform(terse=True),
                 ", frozen" if getattr(sys, "frozen", False) else "", path)
    return path


def log_path() -> Path | None:
    """The file configure_logging writes to, or None if it was not called."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _MARK, False) and getattr(handler, "baseFilename", None):
            return Path(handler.baseFilename)   # type: ignore[attr-defined]  # (checked above)
    return None
