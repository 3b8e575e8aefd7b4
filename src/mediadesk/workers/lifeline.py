"""A worker process's tie to its parent: when mediadesk dies, its workers die with it (issue 19).

Called first thing in every worker (``workers/worker.py``), in three layers:

1. Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` through ctypes. The kernel kills the worker the
   moment the thread that started it ends, however mediadesk ended (SIGKILL, a crash, the
   out-of-memory killer, a logout). SIGKILL, not SIGTERM: a worker stuck in a decoder that holds
   the GIL never runs a Python signal handler, and the default action of an unhandled SIGTERM is
   no gentler. What the kernel does not release (a half-written ``.mdtmp`` beside an original, a
   staging folder) is what a crash of mediadesk itself leaves, and the next run removes it.
2. The race: the parent may have died before prctl ran (the worker was still starting Python).
   Then ``os.getppid()`` is no longer the pid the pool recorded, and the worker exits at once.
3. Portable: a daemon thread waits on the sentinel ``multiprocessing`` gives every spawned child
   (POSIX: the read end of a pipe only the parent holds the write end of, so it reads end-of-file
   when the parent's process is gone; Windows: the parent's process handle) and exits. Without
   prctl (macOS, Windows, a sandbox that forbids it) this is the mechanism; on Linux it is a
   second line. When no sentinel exists (not started by multiprocessing), it polls getppid().
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import wait as mp_wait

PR_SET_PDEATHSIG = 1            # <linux/prctl.h>
EXIT_PARENT_GONE = 70           # exit status of a worker that ended because its parent died
POLL_SECONDS = 0.5              # the getppid() fallback's interval


def set_parent_death_signal(signum: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent thread ends.

    Returns False where that is not available (not Linux, no libc symbol, refused)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return bool(prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0)


def parent_is_gone(parent_pid: int) -> bool:
    """The process that started this one is no longer our parent (it died; we were reparented)."""
    return os.getppid() != parent_pid


def _exit_parent_gone() -> None:
    os._exit(EXIT_PARENT_GONE)


def _watch_sentinel(sentinel: int) -> None:
    try:
        mp_wait([sentinel])
    except (OSError, ValueError):
        pass   # the sentinel itself is gone: so is the parent's end of it
    _exit_parent_gone()


def _poll_parent(parent_pid: int) -> None:
    while not parent_is_gone(parent_pid):
        time.sleep(POLL_SECONDS)
    _exit_parent_gone()


def _parent_sentinel() -> object | None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return None
    try:
        return parent.sentinel
    except ValueError:   # "process not started": no sentinel was handed over
        return None


def bind_to_parent(parent_pid: int) -> bool:
    """Make this process end when ``parent_pid`` ends; returns whether prctl took (Linux).

    Must be called first in the worker, before it opens any file."""
    armed = set_parent_death_signal(signal.SIGKILL)
    if parent_is_gone(parent_pid):
        _exit_parent_gone()
    sentinel = _parent_sentinel()
    if sentinel is not None:
        watcher = threading.Thread(target=_watch_sentinel, args=(sentinel,), daemon=True,
                                   name="mediadesk-parent-watch")
    else:
        watcher = threading.Thread(target=_poll_parent, args=(parent_pid,), daemon=True,
                                   name="mediadesk-parent-poll")
    watcher.start()
    return armed
