"""A thread with its own catalog connection that runs catalog work for the window.

The window keeps two: a reader (result sets, counts, inspector summaries over many assets) and
the one writer (edits, undo, gallery changes). Work is a plain function ``fn(catalog) -> value``;
the answer is delivered on the GUI thread. Jobs submitted under a ``key`` supersede each other:
an older job with the same key is skipped if it has not started, and its answer is dropped if
it has (the generation rule), so typing fast never queues stale searches.
"""

from __future__ import annotations

import itertools
import logging
import queue
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import MediadeskError

log = logging.getLogger(__name__)
_STOP = object()


class _Thread(QThread):
    finished_job = Signal(int, object, object)  # job number, result, error message or None

    def __init__(self, catalog_path: str, jobs: "queue.Queue", is_stale: Callable[[int, str | None], bool]):
        super().__init__()
        self._path = catalog_path
        self._jobs = jobs
        self._is_stale = is_stale

    def run(self) -> None:
        catalog = Catalog(self._path, cache_mb=8)  # several worker connections: keep their caches small
        try:
            while True:
                item = self._jobs.get()
                if item is _STOP:
                    return
                number, key, fn = item
                if self._is_stale(number, key):
                    continue
                try:
                    result, error = fn(catalog), None
                except MediadeskError as exc:
                    result, error = None, str(exc)
                except Exception as exc:  # report, never kill the worker
                    log.exception("catalog work failed")
                    result, error = None, f"{type(exc).__name__}: {exc}"
                self.finished_job.emit(number, result, error)
        finally:
            catalog.close()


class CatalogWorker(QObject):
    """Runs ``fn(catalog)`` on a worker thread; ``done(result)`` runs on the GUI thread."""

    failed = Signal(str)  # error message of a job submitted without on_error
    busy_changed = Signal(bool)

    def __init__(self, catalog_path: str, name: str = "catalog", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue = queue.Queue()
        self._numbers = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._callbacks: dict[int, tuple[str | None, Callable | None, Callable | None]] = {}
        self._thread = _Thread(catalog_path, self._jobs, self._stale)
        self._thread.setObjectName(f"mediadesk-{name}")
        self._thread.finished_job.connect(self._on_finished)
        self._stopped = False
        self._thread.start()

    def _stale(self, number: int, key: str | None) -> bool:
        return key is not None and self._latest.get(key, number) != number

    def submit(self, fn: Callable[[Catalog], Any], done: Callable[[Any], None] | None = None, *,
               key: str | None = None, on_error: Callable[[str], None] | None = None) -> int:
        number = next(self._numbers)
        if key is not None:
            self._latest[key] = number
        was_idle = not self._callbacks
        self._callbacks[number] = (key, done, on_error)
        self._jobs.put((number, key, fn))
        if was_idle:
            self.busy_changed.emit(True)
        return number

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def _on_finished(self, number: int, result: Any, error: str | None) -> None:
        if self._stopped:
            return  # the window is closing: nobody is waiting for answers any more
        key, done, on_error = self._callbacks.pop(number, (None, None, None))
        # skipped stale jobs never report; forget their callbacks once a newer one answers
        for stale in [n for n, (k, _, _) in self._callbacks.items() if k == key and key and n < number]:
            del self._callbacks[stale]
        if not self._stale(number, key):
            if error is not None:
                (on_error or self.failed.emit)(error)
            elif done is not None:
                done(result)
        if not self._callbacks:
            self.busy_changed.emit(False)

    def stop(self) -> None:
        self._stopped = True
        self._callbacks.clear()
        if self._thread.isRunning():
            self._jobs.put(_STOP)
            self._thread.wait()
