"""Task functions for tests/core/test_worker_pool.py: top-level, so a worker process can import them."""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

from mediadesk.domain.errors import MediaError
from mediadesk.workers.lifeline import PR_SET_PDEATHSIG


def echo(value):
    return value


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def fail(message: str):
    raise MediaError(message)


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def crash_unless_retried(flag_path: str) -> str:
    """Crashes the first time (leaves a flag file), succeeds in the fresh worker of the retry."""
    if not os.path.exists(flag_path):
        with open(flag_path, "w"):
            pass
        crash()
    return "second try"


def unpicklable():
    return threading.Lock()


def without_death_signal() -> int:
    """Disarm prctl's parent-death signal in this worker (test of the portable watcher)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl failed")
    return os.getpid()


def death_signal() -> int:
    """The parent-death signal set in this worker (prctl PR_GET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    value = ctypes.c_int(0)
    if libc.prctl(2, ctypes.byref(value), 0, 0, 0) != 0:   # PR_GET_PDEATHSIG
        raise OSError(ctypes.get_errno(), "prctl failed")
    return value.value
