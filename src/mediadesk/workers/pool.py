"""The one process pool of mediadesk: import, export and write-back (and what comes next) use it.

Each worker holds one task at a time, so the pool always knows which task a worker has and
since when: a worker past the time limit is killed and replaced, a worker that dies names the
task it died on (retried if the caller wants, else ``WorkerCrashed``), and the other workers go
on. Workers are started with *spawn* (never fork: the window's process has Qt and threads), get
only their own end of one pipe, and end with mediadesk however it ends (``lifeline.py``).

Usage::

    with WorkerPool(2, label="export") as pool:
        tasks = [pool.submit(render, asset) for asset in assets]   # queued, sent as workers free up
        for task in tasks:
            value = task.result()       # in order; raises what the function raised, or
                                        # WorkerCrashed / TaskTimedOut
    # or, in any order: ``for task in pool.completed(timeout=0.25): ...`` while ``pool.pending``

One thread owns the pool: the one that made it starts every worker, because on Linux a
worker's parent-death signal follows the *thread* that started it. Keep the pool inside one
function call (``with``), as the services do; ``close`` may come from any thread.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait as mp_wait
from multiprocessing.reduction import ForkingPickler
from typing import Any

from mediadesk.domain.errors import MediadeskError
from mediadesk.workers.worker import READY, worker_main

STARTUP_GRACE = 60.0       # extra time a worker gets to start (imports) before its first task
MAX_STARTUP_FAILURES = 3   # workers in a row that die before READY: they cannot start at all
STOP_SECONDS = 5.0         # a stopping worker's time to exit before it is killed
MAX_WAIT = 1.0             # the longest single wait for answers (deadlines are checked between)


class WorkerCrashed(Exception):
    """The worker process died while it held this task: a native crash, the memory cap, or
    the system's out-of-memory killer (``exit_code`` -9)."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(f"the worker process died (exit code {exit_code})")
        self.exit_code = exit_code


class TaskTimedOut(Exception):
    """The task ran past the pool's time limit; its worker was killed and replaced."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the task took longer than {seconds:g} s")
        self.seconds = seconds


class PoolClosed(Exception):
    """The pool was closed before this task ran."""


class WorkersCannotStart(MediadeskError):
    """Worker processes die before they are ready (a broken installation, a memory cap too low)."""

    def __init__(self, label: str, exit_code: int | None) -> None:
        super().__init__(f"{label} worker processes could not start (exit code {exit_code}); "
                         "check the installation")
        self.exit_code = exit_code


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker (set as its ``__cause__``)."""

    def __str__(self) -> str:
        return "\n" + (self.args[0] if self.args else "")


class Task:
    """One call of a function in a worker; ``tag`` is the caller's (e.g. the file it is about)."""

    def __init__(self, pool: WorkerPool, function: Callable[..., Any], args: tuple, tag: Any) -> None:
        self.function, self.args, self.tag = function, args, tag
        self.crashes = 0
        self._pool = pool
        self._done = False
        self._value: Any = None
        self._error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self._done

    def result(self) -> Any:
        """The function's return value, once it is there (this keeps the pool working while it
        waits); raises what the function raised, WorkerCrashed, TaskTimedOut or PoolClosed."""
        while not self._done:
            self._pool._pump(None)
        if self._error is not None:
            raise self._error
        return self._value

    def _finish(self, value: Any = None, error: BaseException | None = None) -> None:
        self._value, self._error, self._done = value, error, True


class _Worker:
    """One worker process, its end of the pipe, and the task it holds."""

    def __init__(self, pool: WorkerPool) -> None:
        parent_end, child_end = pool._ctx.Pipe()
        self.process = pool._ctx.Process(
            target=worker_main, args=(child_end, os.getpid(), pool.memory_limit, pool.preload),
            daemon=True, name=f"mediadesk-{pool.label}-worker")
        try:
            self.process.start()
        except BaseException:
            parent_end.close()
            raise
        finally:
            child_end.close()   # only the worker holds its end: the parent's death reads as EOF there
        self.conn = parent_end
        self.task: Task | None = None
        self.started = 0.0
        self.ready = False
        self.exit_code: int | None = None

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass

    def stop(self, *, kill: bool) -> None:
        """End the process (killed, or after ``ask_to_stop``) and release its pipe and handles."""
        if kill:
            try:
                self.process.kill()
            except (OSError, ValueError):
                pass
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(STOP_SECONDS)
        self.exit_code = self.process.exitcode
        self.conn.close()
        try:
            self.process.close()
        except ValueError:   # still running after two joins: the finalizer closes it later
            pass


class WorkerPool:
    """Up to ``size`` worker processes, started as tasks need them.

    ``time_limit``: seconds a task may run (None: no limit); ``memory_limit``: address space of
    each worker in bytes (None: no cap); ``crash_retries``: how often a task whose worker died is
    tried again in a fresh worker; ``kill_running_on_close``: on close, kill workers that are
    still running a task (import) instead of letting them finish it (export, write-back: a write
    in progress completes); ``preload``: modules every worker imports before it is ready.
    """

    def __init__(self, size: int, *, label: str, time_limit: float | None = None,
                 memory_limit: int | None = None, crash_retries: int = 0,
                 kill_running_on_close: bool = False, preload: tuple[str, ...] = (),
                 startup_grace: float = STARTUP_GRACE) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size = size
        self.label = label
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.crash_retries = crash_retries
        self.kill_running_on_close = kill_running_on_close
        self.preload = tuple(preload)
        self.startup_grace = startup_grace
        self._ctx = multiprocessing.get_context("spawn")
        self._owner = threading.get_ident()
        self._queue: deque[Task] = deque()
        self._workers: list[_Worker] = []
        self._startup_failures = 0
        self._closed = False

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the caller's side ---------------------------------------------------------------------
    def submit(self, function: Callable[..., Any], *args: Any, tag: Any = None) -> Task:
        """Queue ``function(*args)``; it is sent to a worker as soon as one is free."""
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        self._check_owner()
        task = Task(self, function, args, tag)
        self._queue.append(task)
        self._dispatch()
        return task

    @property
    def pending(self) -> int:
        """Tasks queued or running."""
        return len(self._queue) + sum(1 for w in self._workers if w.task is not None)

    def worker_pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def completed(self, timeout: float | None = None) -> list[Task]:
        """Wait up to ``timeout`` seconds; returns the tasks that finished meanwhile."""
        return self._pump(timeout)

    def close(self, *, kill_running: bool | None = None) -> None:
        """Drop queued tasks (PoolClosed), end the running ones (finished or killed, see
        ``kill_running_on_close``), stop every worker and release its pipe."""
        if self._closed:
            return
        self._closed = True
        kill = self.kill_running_on_close if kill_running is None else kill_running
        while self._queue:
            self._queue.popleft()._finish(error=PoolClosed("the worker pool was closed"))
        try:
            while not kill and any(w.task is not None for w in self._workers):
                self._pump(None)   # let a write in progress complete (its answer stays on its task)
        finally:
            for worker in self._workers:
                if worker.task is None:
                    worker.ask_to_stop()
            for worker in self._workers:
                worker.stop(kill=worker.task is not None)
                if worker.task is not None:
                    worker.task._finish(error=PoolClosed("the worker pool was closed while this task ran"))
            self._workers.clear()

    # -- the pool's work ---------------------------------------------------------------------
    def _check_owner(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("a worker pool takes tasks only from the thread that made it: its "
                               "workers are started there, and on Linux they die with that thread")

    def _spawn(self) -> _Worker:
        self._check_owner()
        worker = _Worker(self)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> int | None:
        self._workers.remove(worker)
        worker.stop(kill=True)
        return worker.exit_code

    def _requeue(self, task: Task) -> None:
        if self._closed:
            task._finish(error=PoolClosed("the worker pool was closed"))
        else:
            self._queue.appendleft(task)

    def _dispatch(self) -> None:
        while self._queue and not self._closed:
            worker = next((w for w in self._workers if w.task is None), None)
            if worker is None:
                if len(self._workers) >= self.size:
                    return
                worker = self._spawn()
            task = self._queue.popleft()
            try:
                data = ForkingPickler.dumps((task.function, task.args))
            except Exception as exc:
                task._finish(error=exc)
                continue
            try:
                worker.conn.send_bytes(data)
            except (OSError, ValueError):   # the worker died while idle
                self._queue.appendleft(task)
                self._retire(worker)
                continue
            worker.task, worker.started = task, time.monotonic()

    def _deadline(self, worker: _Worker) -> float | None:
        if self.time_limit is None:
            return None
        return worker.started + self.time_limit + (0.0 if worker.ready else self.startup_grace)

    def _pump(self, timeout: float | None) -> list[Task]:
        self._dispatch()
        busy = [w for w in self._workers if w.task is not None]
        if not busy:
            return []
        wait = MAX_WAIT if timeout is None else min(timeout, MAX_WAIT)
        deadlines = [d for d in (self._deadline(w) for w in busy) if d is not None]
        if deadlines:
            wait = max(0.0, min(wait, min(deadlines) - time.monotonic()))
        ready = set(mp_wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait))
        finished: list[Task] = []
        for worker in busy:
            task = worker.task
            assert task is not None
            exited = worker.process.sentinel in ready
            answer = None
            if worker.conn in ready or exited:
                answer, broken = self._read(worker)
                exited = exited or broken
            if answer is not None:
                worker.task = None
                _settle(task, answer)
                finished.append(task)
                if exited:
                    self._retire(worker)
            elif exited:
                code = self._retire(worker)
                if not worker.ready:
                    # It died before it could start: not this task's fault. A few in a row mean
                    # workers cannot start at all (broken install, memory cap too low).
                    self._requeue(task)
                    self._startup_failures += 1
                    if self._startup_failures >= MAX_STARTUP_FAILURES:
                        raise WorkersCannotStart(self.label, code)
                elif task.crashes < self.crash_retries:
                    task.crashes += 1
                    self._requeue(task)
                else:
                    task._finish(error=WorkerCrashed(code))
                    finished.append(task)
            else:
                deadline = self._deadline(worker)
                if deadline is not None and time.monotonic() > deadline:
                    self._retire(worker)
                    task._finish(error=TaskTimedOut(self.time_limit or 0.0))
                    finished.append(task)
        self._dispatch()
        return finished

    def _read(self, worker: _Worker) -> tuple[tuple | None, bool]:
        """(the task's answer or None, whether the pipe is broken). READY starts the clock."""
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if isinstance(message, str) and message == READY:
                    worker.ready = True
                    worker.started = time.monotonic()
                    self._startup_failures = 0
                else:
                    return message, False
        except (EOFError, OSError):
            return None, True
        except Exception as exc:
            return ("raised", RuntimeError(f"the worker's answer could not be read: "
                                           f"{type(exc).__name__}: {exc}"), ""), False
        return None, False


def _settle(task: Task, answer: tuple) -> None:
    if answer[0] == "ok":
        task._finish(value=answer[1])
        return
    error = answer[1]
    if len(answer) > 2 and answer[2]:
        error.__cause__ = RemoteTraceback(answer[2])
    task._finish(error=error)
