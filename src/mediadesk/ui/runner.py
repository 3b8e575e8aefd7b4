"""The one way work leaves the GUI thread: lanes for catalog work, threads for long jobs.

``CatalogRunner`` belongs to a window (or to a dialog opened on its own) and owns, for one
catalog:

- ``catalog``: the GUI thread's connection, opened read-only (the engine refuses every write on
  it: SQLite ``mode=ro`` and ``query_only``), for the small reads a view makes while it paints;
- lanes (:class:`CatalogLane`): threads with their own connection that run ``fn(catalog)`` in
  order and deliver the answer on the GUI thread. ``writer`` runs every write the window asks for
  (edits, undo, galleries, saved searches, batch captions, find and replace, codes); the
  readers (``reader``, ``rows``, ``counts``) run result sets, pages of rows, counts and
  previews. Jobs submitted under a ``key`` supersede each other (typing fast never queues
  stale searches);
- jobs (:class:`RunningJob`): long work (import, demo library, export, publishing) on a thread of
  its own with its own connection, a :class:`mediadesk.jobs.Job` for progress and Cancel, the
  Changes it commits on the way, and its result or the message of its failure.

Shutdown is guarded: :meth:`CatalogRunner.stop` cancels the jobs, waits for every thread to
leave the catalog consistent and close its connection, and from that moment no answer, change
or progress is delivered: a signal already queued by a worker thread is dropped at the runner,
so nothing reaches a window whose catalog is closed.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import CatalogError, MediadeskError
from mediadesk.jobs import Job

log = logging.getLogger(__name__)
_STOP = object()
PROGRESS_MS = 100
OPEN_TIMEOUT_S = 120      # the writer's first open migrates the catalog; a big one takes a while

# work of a job: fn(catalog, job, report_changes) -> result
JobWork = Callable[[Catalog, Job, Callable[[Changes], None]], Any]


def _stop_with(owner: QObject, thread: QThread, ask: Callable[[], None]) -> None:
    """When ``owner`` is destroyed without being stopped (a dialog collected before it was
    closed), ask its thread to stop and wait for it: a QThread must never die running, and the
    connection must be closed on the thread that opened it. The closure keeps the thread alive
    until then."""
    def stop(*_args: object) -> None:
        if shiboken6.isValid(thread) and thread.isRunning():
            ask()
            thread.wait()
    owner.destroyed.connect(stop)


def _message(exc: BaseException, subject: str) -> str:
    """What a person reads when a job stops: ``subject`` names the work ("the bundle at ...")."""
    if isinstance(exc, MediadeskError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{subject} could not be written: {exc.strerror or exc}"
    return f"{subject} stopped on an unexpected error ({type(exc).__name__}: {exc})"


class _LaneThread(QThread):
    finished_job = Signal(int, object, object)  # job number, result, error message or None

    def __init__(self, catalog_path: str, jobs: queue.Queue[Any], is_stale: Callable[[int, str | None], bool],
                 cache_mb: int) -> None:
        super().__init__()
        self._path = catalog_path
        self._jobs = jobs
        self._is_stale = is_stale
        self._cache_mb = cache_mb
        self.opened = threading.Event()
        self.open_error: BaseException | None = None

    def run(self) -> None:
        try:
            catalog = Catalog(self._path, cache_mb=self._cache_mb)
        except BaseException as exc:  # the runner reports it to whoever opened the window
            self.open_error = exc
            self.opened.set()
            return
        self.opened.set()
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
                except Exception as exc:  # report, never kill the lane
                    log.exception("catalog work failed")
                    result, error = None, f"{type(exc).__name__}: {exc}"
                self.finished_job.emit(number, result, error)
        finally:
            catalog.close()


class CatalogLane(QObject):
    """Runs ``fn(catalog)`` in order on a thread with its own connection; ``done(result)`` runs on
    the GUI thread. The lane's connection writes (a write lane) or only reads (reader lanes take
    no write lock: their functions never open a transaction)."""

    failed = Signal(str)  # error message of a job submitted without on_error
    busy_changed = Signal(bool)

    def __init__(self, catalog_path: str, name: str = "catalog", parent: QObject | None = None, *,
                 cache_mb: int = 8) -> None:   # several lane connections: keep their caches small
        super().__init__(parent)
        self.name = name
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._numbers = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._callbacks: dict[int, tuple[str | None, Callable[[Any], None] | None,
                                         Callable[[str], object] | None]] = {}
        self._thread = _LaneThread(catalog_path, self._jobs, self._stale, cache_mb)
        self._thread.setObjectName(f"mediadesk-{name}")
        self._thread.finished_job.connect(self._on_finished)
        self._stopped = False
        jobs = self._jobs
        _stop_with(self, self._thread, lambda: jobs.put(_STOP))
        self._thread.start()

    def wait_open(self, timeout: float = OPEN_TIMEOUT_S) -> None:
        """Block until the lane's connection is open; raise what stopped it from opening."""
        if not self._thread.opened.wait(timeout):
            raise CatalogError(f"the catalog did not open within {timeout:.0f} s")
        if self._thread.open_error is not None:
            raise self._thread.open_error

    def _stale(self, number: int, key: str | None) -> bool:
        return key is not None and self._latest.get(key, number) != number

    def submit(self, fn: Callable[[Catalog], Any], done: Callable[[Any], None] | None = None, *,
               key: str | None = None, on_error: Callable[[str], object] | None = None) -> int:
        if self._stopped:
            return 0     # the window is closing: nothing new starts
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
        """Finish the job in hand, close the connection; nothing is delivered from now on."""
        self._stopped = True
        self._callbacks.clear()
        if self._thread.isRunning():
            self._jobs.put(_STOP)
            self._thread.wait()
        try:
            self._thread.finished_job.disconnect(self._on_finished)
        except (RuntimeError, TypeError):
            pass


class _JobThread(QThread):
    changed = Signal(object)          # Changes committed by the work so far
    done = Signal(object, object)     # result, error message or None

    def __init__(self, catalog_path: str, subject: str, work: JobWork, job: Job) -> None:
        super().__init__()
        self._path, self._subject, self._work, self.job = catalog_path, subject, work, job

    def run(self) -> None:
        try:
            with Catalog(self._path) as catalog:
                result = self._work(catalog, self.job, self.changed.emit)
        except BaseException as exc:  # a person reads the message; the log keeps the details
            if not isinstance(exc, (MediadeskError, OSError)):
                log.exception("%s failed", self._subject)
            self.done.emit(None, _message(exc, self._subject))
        else:
            self.done.emit(result, None)


class RunningJob(QObject):
    """A long job on its own thread: progress every 100 ms, Cancel, its Changes and its end."""

    progress = Signal(object)   # mediadesk.jobs.Progress
    changed = Signal(object)    # Changes, as parts of the work commit
    finished = Signal(object)   # the work's result
    failed = Signal(str)        # why the work stopped, for a person
    ended = Signal()            # after finished or failed (the thread is gone)

    def __init__(self, runner: CatalogRunner, label: str, work: JobWork, job: Job, subject: str) -> None:
        super().__init__(runner)
        self.label = label
        self.job = job
        self._runner = runner
        self._thread = _JobThread(runner.catalog_path, subject, work, job)
        self._thread.setObjectName("mediadesk-job")
        self._thread.changed.connect(self._on_changed)
        self._thread.done.connect(self._on_done)
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_MS)
        self._timer.timeout.connect(self._tick)
        self.running = True
        self._stopped = False
        _stop_with(self, self._thread, job.cancel)

    def start(self) -> None:
        self._timer.start()
        self._thread.start()

    def cancel(self) -> None:
        self.job.cancel()

    def _tick(self) -> None:
        if not self._runner.stopped:
            self.progress.emit(self.job.snapshot())

    def _on_changed(self, changes: Changes) -> None:
        if not self._runner.stopped and not self._stopped:
            self.changed.emit(changes)

    def _on_done(self, result: Any, error: str | None) -> None:
        if self._stopped:
            return
        self._finish()
        if self._runner.stopped:
            return
        self.progress.emit(self.job.snapshot())
        if error is None:
            self.finished.emit(result)
        else:
            self.failed.emit(error)
        self.ended.emit()

    def _finish(self) -> None:
        self._timer.stop()
        self._thread.wait()
        self.running = False
        self._runner._forget(self)

    def stop(self) -> None:
        """Cancel and wait for the work to leave the catalog consistent (nothing is delivered;
        idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self.job.cancel()
        self._timer.stop()
        if self._thread.isRunning():
            self._thread.wait()
        self._thread.changed.disconnect(self._on_changed)
        self._thread.done.disconnect(self._on_done)
        self.running = False
        self._runner._forget(self)


class CatalogRunner(QObject):
    """The GUI's read-only connection, the lanes and the jobs of one catalog (see the module)."""

    busy_changed = Signal(bool)   # a write or a job is running (or no longer)

    def __init__(self, catalog_path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog_path = str(catalog_path)
        self.stopped = False
        self._lanes: dict[str, CatalogLane] = {}
        self._jobs: list[RunningJob] = []
        # The writer opens the catalog first (and upgrades it if it must); then the GUI thread
        # opens it read-only: the window never writes from its own thread.
        writer = self.lane("writer")
        try:
            writer.wait_open()
            self.catalog = Catalog(self.catalog_path, readonly=True)
        except BaseException:
            self.stop()
            raise
        writer.busy_changed.connect(lambda _busy: self.busy_changed.emit(self.busy))

    # -- lanes -----------------------------------------------------------------------------
    def lane(self, name: str) -> CatalogLane:
        if self.stopped:
            raise CatalogError("the window is closing: no new catalog work")
        found = self._lanes.get(name)
        if found is None:
            found = self._lanes[name] = CatalogLane(self.catalog_path, name, self)
        return found

    @property
    def writer(self) -> CatalogLane:
        return self.lane("writer")

    @property
    def reader(self) -> CatalogLane:
        return self.lane("reader")

    def submit(self, fn: Callable[[Catalog], Any], done: Callable[[Any], None] | None = None, *,
               lane: str = "writer", key: str | None = None,
               on_error: Callable[[str], object] | None = None) -> int:
        """Run ``fn(catalog)`` on a lane (the writer unless told otherwise)."""
        if self.stopped:
            return 0
        return self.lane(lane).submit(fn, done, key=key, on_error=on_error)

    # -- jobs ------------------------------------------------------------------------------
    def start_job(self, label: str, work: JobWork, *, total: int | None = None,
                  subject: str | None = None) -> RunningJob:
        """Start ``work(catalog, job, report_changes)`` on a thread of its own. ``subject``
        names the work in a failure message ("the bundle at PATH"; default: the label)."""
        if self.stopped:
            raise CatalogError("the window is closing: no new work starts")
        running = RunningJob(self, label, work, Job(label, total=total), subject or label)
        self._jobs.append(running)
        running.start()
        self.busy_changed.emit(True)
        return running

    def _forget(self, running: RunningJob) -> None:
        if running in self._jobs:
            self._jobs.remove(running)
            if not self.stopped:
                self.busy_changed.emit(self.busy)

    @property
    def jobs(self) -> list[RunningJob]:
        return list(self._jobs)

    @property
    def busy(self) -> bool:
        """A write or a job is running: their commits are announced by their own Changes."""
        writer = self._lanes.get("writer")
        return bool(self._jobs) or (writer is not None and writer.busy)

    # -- shutdown --------------------------------------------------------------------------
    def stop(self) -> None:
        """Cancel the jobs, finish and close every thread's connection, then the GUI's; from now
        on nothing is delivered (idempotent)."""
        if self.stopped:
            return
        self.stopped = True
        for running in list(self._jobs):
            running.stop()
        self._jobs.clear()
        for lane in self._lanes.values():
            lane.stop()
        catalog = getattr(self, "catalog", None)
        if catalog is not None:
            catalog.close()
