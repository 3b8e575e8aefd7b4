"""Atomic, verified file writes: temp file in the same folder, fsync, rename, fsync the folder.

tempfile and hashlib are imported by the functions that use them: the catalog imports this module
on every open, and a command-line search writes no file (issue 18's start-up budget)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(path: str | os.PathLike) -> None:
    try:
        fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, verify: bool = True,
                       keep_mode_of: str | os.PathLike | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one.

    The bytes go to a temporary file beside ``path``, are flushed and fsynced, optionally read back
    and compared, then renamed over ``path``; the folder is fsynced so the rename survives a crash.
    """
    import tempfile

    target = Path(path)
    folder = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".mdtmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_mode_of is not None:
            try:
                os.chmod(tmp, os.stat(keep_mode_of).st_mode & 0o7777)
            except OSError:
                pass
        if verify:
            with open(tmp, "rb") as fh:
                if fh.read() != data:
                    raise OSError(f"verification failed after writing {target}")
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()
