"""Which POSIX locks a process holds, read from /proc/locks (Linux).

SQLite in WAL mode keeps, for as long as a connection is open, a shared (READ) lock on the
database file (bytes 1073741826-1073742335, its SHARED range) and a READ lock on byte 128 of the
-shm file (the "dead man switch" that tells other connections someone still uses the WAL index).
If the process closes any other descriptor of those files, the kernel drops the locks: that is
what ``catalog_locks`` detects. Used by tests/ui/test_ui_catalog_locks.py and stress/window_locks.py.
"""

from __future__ import annotations

import os


def held_locks(pid: int | None = None) -> set[tuple[int, int, int]]:
    """(device major, device minor, inode) of every file ``pid`` holds a POSIX lock on."""
    pid = os.getpid() if pid is None else pid
    held: set[tuple[int, int, int]] = set()
    with open("/proc/locks", encoding="ascii", errors="replace") as fh:
        for line in fh:
            parts = line.replace("->", " ").split()
            # "1: POSIX  ADVISORY  READ 10308 fe:00:2205170 128 128"
            if len(parts) < 6 or parts[1] != "POSIX" or parts[4] != str(pid):
                continue
            major, minor, inode = parts[5].split(":")
            held.add((int(major, 16), int(minor, 16), int(inode)))
    return held


def _key(path: str | os.PathLike) -> tuple[int, int, int]:
    st = os.stat(path)
    return os.major(st.st_dev), os.minor(st.st_dev), st.st_ino


def catalog_locks(catalog_path: str | os.PathLike, pid: int | None = None) -> dict[str, bool]:
    """{"catalog": held, "-shm": held}: the locks an open WAL catalog keeps in process ``pid``."""
    held = held_locks(pid)
    result = {}
    for part, path in (("catalog", os.fspath(catalog_path)), ("-shm", os.fspath(catalog_path) + "-shm")):
        try:
            result[part] = _key(path) in held
        except FileNotFoundError:
            result[part] = False
    return result
