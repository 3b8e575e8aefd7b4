"""The loop of one worker process: one task at a time, from the pool's pipe, back over the same.

Protocol (pickled over a ``multiprocessing`` Pipe): the worker first sends ``READY``; then it
receives ``(function, args)`` and answers ``("ok", value)`` or ``("raised", exception,
traceback_text)``; ``None`` or end-of-file on the pipe ends it. Functions travel by reference
(module and name), so they must be top-level functions of an importable module.

This module imports only the standard library and ``lifeline``, so the parent-death tie is set
before anything heavy (Pillow, exiv2, PyAV) is loaded.
"""

from __future__ import annotations

import importlib
import signal
import traceback
import warnings
from multiprocessing.reduction import ForkingPickler
from typing import Any

try:
    import resource
except ImportError:  # Windows: no address-space limit; the time limit still applies
    resource = None  # type: ignore[assignment]

from mediadesk.workers.lifeline import bind_to_parent

READY = "ready"   # a worker's first message: it is up, and its task's clock starts now


class TaskFailed(RuntimeError):
    """A task's exception or result could not be sent back as it was (not picklable)."""


def limit_memory(memory_limit: int | None) -> None:
    """Cap this process's address space, so a file that makes a decoder allocate without end
    fails with MemoryError ("not enough memory") instead of swapping the machine to a halt."""
    if not memory_limit or resource is None:
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass  # e.g. a sandbox that forbids it: run without the cap rather than not at all


def _send(conn: Any, message: tuple) -> bool:
    """Send one answer; an answer that cannot be pickled becomes a TaskFailed. False: the
    parent's end is closed (it stopped or died), so the worker ends."""
    try:
        conn.send(message)
        return True
    except (EOFError, OSError):
        return False
    except MemoryError:
        fallback: tuple = ("raised", MemoryError("not enough memory to send the result back"), "")
    except Exception as exc:
        what = "result" if message[0] == "ok" else f"error ({type(message[1]).__name__}: {message[1]})"
        fallback = ("raised", TaskFailed(f"the worker's {what} could not be sent back: "
                                         f"{type(exc).__name__}: {exc}"), "")
    try:
        conn.send(fallback)
        return True
    except (OSError, EOFError, MemoryError):
        return False


def worker_main(conn: Any, parent_pid: int, memory_limit: int | None = None,
                preload: tuple[str, ...] = ()) -> None:
    """Entry of a worker process (the ``target`` the pool gives ``multiprocessing``)."""
    bind_to_parent(parent_pid)          # first: die with the parent (workers/lifeline.py)
    # Ctrl-C in a terminal reaches the whole process group: only the main process handles it
    # (it stops the job cleanly and closes the pool).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory(memory_limit)
    # Pillow warns on stderr about every odd tag in a damaged file ("Corrupt EXIF data", ...);
    # in a worker nobody reads that, and what matters reaches the report as the file's error or
    # warnings. (DecompressionBombWarning is a RuntimeWarning and stays an error.)
    warnings.filterwarnings("ignore", category=UserWarning)
    for name in preload:                # the modules the tasks need, loaded before READY so
        module = importlib.import_module(name)   # their import time does not count against a task;
        warm_up = getattr(module, "warm_up", None)   # and what they load at first use (a module's
        if callable(warm_up):                        # warm_up(): plug-ins, adapters, tables)
            warm_up()
    try:
        conn.send(READY)
    except OSError:
        return
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            task = ForkingPickler.loads(raw)
            if task is None:
                return
            function, args = task
            message: tuple = ("ok", function(*args))
        except Exception as exc:
            message = ("raised", exc, traceback.format_exc())
        if not _send(conn, message):
            return
