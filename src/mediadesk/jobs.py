"""Long work: progress, cancellation, and a sink that reports to whoever watches (CLI or window).

Workers are plain functions that take a Job; they call ``job.advance()`` and
``job.check_cancelled()`` at safe points (between batches), never touch widgets, and leave the
catalog consistent when they stop. The window polls ``job.snapshot()`` on a timer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised by check_cancelled(); the work stops at a safe point, committed work stays."""


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None
    label: str
    elapsed: float
    rate: float | None      # items per second
    eta: float | None       # seconds
    cancelled: bool


class Job:
    def __init__(self, label: str = "", total: int | None = None,
                 on_progress: Callable[[Progress], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._label = label
        self._total = total
        self._done = 0
        self._started = time.monotonic()
        self._on_progress = on_progress

    # -- worker side ------------------------------------------------------------------------
    def set_total(self, total: int | None) -> None:
        with self._lock:
            self._total = total
        self._notify()

    def set_label(self, label: str) -> None:
        with self._lock:
            self._label = label
        self._notify()

    def advance(self, n: int = 1, label: str | None = None) -> None:
        with self._lock:
            self._done += n
            if label is not None:
                self._label = label
        self._notify()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    # -- watcher side -------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def snapshot(self) -> Progress:
        with self._lock:
            done, total, label = self._done, self._total, self._label
        elapsed = time.monotonic() - self._started
        rate = done / elapsed if elapsed > 0.2 and done else None
        eta = (total - done) / rate if rate and total is not None and total >= done else None
        return Progress(done, total, label, elapsed, rate, eta, self._cancel.is_set())

    def _notify(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.snapshot())
