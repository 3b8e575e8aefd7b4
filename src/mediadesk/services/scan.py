"""Walking the folders to import: what is there, what is supported, and what cannot be read.

Every problem becomes one line (path, what is wrong) and the walk goes on: broken symlinks,
symlink loops, unreadable folders, names that are not valid UTF-8.
"""

from __future__ import annotations

import os
import stat as stat_mod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mediadesk.media import kind_for_path, sniff_kind

SIDECAR_EXTENSIONS = (".xmp",)
IGNORED_NAMES = frozenset({"Thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class Candidate:
    path: str
    kind: str
    size: int
    mtime: float


@dataclass(frozen=True)
class Problem:
    path: str
    error: str


@dataclass(frozen=True)
class Unsupported:
    path: str


def _display(path: str) -> str:
    """A printable form of a path whose bytes are not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _valid_name(path: str) -> bool:
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _classify(path: str, st: os.stat_result) -> Candidate | Unsupported | Problem:
    if st.st_size == 0:
        return Problem(path, "file is empty (0 bytes); it may be an interrupted copy — copy it again")
    kind = kind_for_path(path)
    if kind is None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(64)
        except OSError as exc:
            return Problem(path, f"cannot be read: {exc.strerror or exc}; check its permissions")
        kind = sniff_kind(head)
        if kind is None:
            return Unsupported(path)
    return Candidate(path, kind, st.st_size, st.st_mtime)


def scan(roots: Iterable[str], *, skip_dirs: Iterable[str] = ()) -> Iterator[Candidate | Unsupported | Problem]:
    skip = {os.path.realpath(d) for d in skip_dirs}
    seen_dirs: set[tuple[int, int]] = set()
    for root in roots:
        root = os.path.abspath(os.fspath(root))
        if not _valid_name(root):
            yield Problem(_display(root), "file name is not valid UTF-8; rename it (e.g. with convmv) and import again")
            continue
        try:
            st = os.stat(root)
        except FileNotFoundError:
            if os.path.islink(root):
                yield Problem(root, "broken symbolic link: its target does not exist")
            else:
                yield Problem(root, "no such file or folder")
            continue
        except OSError as exc:
            yield Problem(root, f"cannot be read: {exc.strerror or exc}")
            continue
        if stat_mod.S_ISDIR(st.st_mode):
            yield from _walk(root, seen_dirs, skip)
        elif stat_mod.S_ISREG(st.st_mode):
            yield _classify(root, st)
        else:
            yield Problem(root, "not a regular file (device, pipe or socket); skipped")


def _walk(folder: str, seen: set[tuple[int, int]], skip: set[str]) -> Iterator[Candidate | Unsupported | Problem]:
    try:
        st = os.stat(folder)
    except OSError as exc:
        yield Problem(folder, f"folder cannot be read: {exc.strerror or exc}")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Problem(folder, "symbolic link loop: this folder was already imported through another path")
        return
    seen.add(key)
    if os.path.realpath(folder) in skip:
        return
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Problem(folder, f"folder cannot be read: {exc.strerror or exc}; check its permissions")
        return
    subdirs: list[str] = []
    for entry in entries:
        name = entry.name
        path = entry.path
        if not _valid_name(name):
            yield Problem(_display(path), "file name is not valid UTF-8; rename it (e.g. with convmv -f latin1 -t utf8) and import again")
            continue
        if name.startswith(".") or name in IGNORED_NAMES or name.lower().endswith(SIDECAR_EXTENSIONS):
            continue
        try:
            st = entry.stat(follow_symlinks=True)
        except FileNotFoundError:
            yield Problem(path, "broken symbolic link: its target does not exist")
            continue
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                yield Problem(path, "symbolic link loop")
            else:
                yield Problem(path, f"cannot be read: {exc.strerror or exc}")
            continue
        if stat_mod.S_ISDIR(st.st_mode):
            subdirs.append(path)
        elif stat_mod.S_ISREG(st.st_mode):
            yield _classify(path, st)
    for sub in subdirs:
        yield from _walk(sub, seen, skip)
