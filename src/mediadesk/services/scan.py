"""Walking the folders to import: what is there, what is supported, and what cannot be read.

Every problem becomes one line (path, what is wrong) and the walk goes on: broken symlinks,
symlink loops, unreadable folders, names that are not valid UTF-8.

Symbolic links (see SECURITY.md): a link to a *file* is followed wherever it points (photo desks
keep "selects" folders of links), but when the target lies outside the folders being imported the
import report says so, with the target, so a planted link to someone's private file does not slip
into the catalog (and from there into an export) unnoticed. A link to a *folder* outside the
folders being imported is not followed and is reported: importing a folder never walks into the
rest of the disk. Links between places inside the imported folders are followed silently
(a folder reached twice is walked once).

Subtitle and chapter files (``talk.pl.srt``, ``talk.chapters.vtt``) belong to the video of their
name: they are read with it, not imported on their own. One with no video of its name beside it
is reported as skipped; one named as a root stands for its video (importing ``talk.pl.srt`` reads
``talk.mp4`` again with it).

Catalogs (``catalog.files``): the catalog in use, any ``*.mediadesk`` and their -wal, -shm and
-journal files are reported as skipped *before* anything opens them: reading them to guess their
type would drop the SQLite locks of this process on the catalog.
"""

from __future__ import annotations

import os
import stat as stat_mod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mediadesk.catalog.files import CatalogFiles, thumbnail_cache_reason
from mediadesk.domain.asset import AssetKind
from mediadesk.media import kind_for_path, sniff_kind
from mediadesk.media.timedtext import TIMED_TEXT_EXTENSIONS, describe

SIDECAR_EXTENSIONS = (".xmp", ".xmp.xml")  # matched in lower case: NAME.XMP too
IGNORED_NAMES = frozenset({"Thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class Candidate:
    path: str
    kind: str
    size: int
    mtime: float
    note: str | None = None   # a warning for the import report (e.g. a link leading outside)


@dataclass(frozen=True)
class Problem:
    path: str
    error: str


@dataclass(frozen=True)
class Unsupported:
    path: str


@dataclass(frozen=True)
class Skipped:
    """Left alone on purpose, never opened (a catalog file); ``reason`` says why."""
    path: str
    reason: str


def _display(path: str) -> str:
    """A printable form of a path whose bytes are not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _valid_name(path: str) -> bool:
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _classify(path: str, st: os.stat_result, catalogs: CatalogFiles) -> Candidate | Unsupported | Problem | Skipped:
    reason = catalogs.reason(path, st)
    if reason is not None:
        return Skipped(path, reason)   # before any open: see the module docstring
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


def _timed_text(name: str) -> bool:
    return name.lower().endswith(TIMED_TEXT_EXTENSIONS)


def _videos_for(name: str, names: list[str]) -> list[str]:
    """The names among ``names`` of videos this subtitle or chapter file belongs to."""
    return [other for other in names
            if not _timed_text(other) and kind_for_path(other) == AssetKind.VIDEO
            and describe(name, *os.path.splitext(other)) is not None]


def _video_of(path: str, catalogs: CatalogFiles) -> Iterator[Candidate | Unsupported | Problem | Skipped]:
    folder, name = os.path.split(path)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError as exc:
        yield Problem(path, f"its folder cannot be read: {exc.strerror or exc}")
        return
    videos = _videos_for(name, names)
    if not videos:
        yield Skipped(path, NO_VIDEO)
        return
    for video in videos:
        video_path = os.path.join(folder, video)
        try:
            yield _classify(video_path, os.stat(video_path), catalogs)
        except OSError as exc:
            yield Problem(video_path, f"cannot be read: {exc.strerror or exc}")


NO_VIDEO = ("subtitles or chapters with no video of the same name beside them (talk.pl.srt and "
            "talk.chapters.vtt belong to talk.mp4); not imported")


def _inside(real: str, real_roots: list[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in real_roots)


def scan(roots: Iterable[str], *, skip_dirs: Iterable[str] = (),
         catalog: str | os.PathLike | None = None) -> Iterator[Candidate | Unsupported | Problem | Skipped]:
    """Walk ``roots``; ``catalog``: the catalog in use, skipped by identity as well as by name."""
    skip = {os.path.realpath(d) for d in skip_dirs}
    catalogs = CatalogFiles(catalog)
    seen_dirs: set[tuple[int, int]] = set()
    roots = [os.path.abspath(os.fspath(r)) for r in roots]
    # What "inside the import" means for symlinks: the roots as given and as resolved.
    real_roots: list[str] = []
    for root in roots:
        if _valid_name(root):
            real_roots.extend(dict.fromkeys([root, os.path.realpath(root)]))
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
            yield from _walk(root, seen_dirs, skip, real_roots, catalogs)
        elif stat_mod.S_ISREG(st.st_mode) and _timed_text(root):
            yield from _video_of(root, catalogs)
        elif stat_mod.S_ISREG(st.st_mode):
            yield _classify(root, st, catalogs)
        else:
            yield Problem(root, "not a regular file (device, pipe or socket); skipped")


def _walk(folder: str, seen: set[tuple[int, int]], skip: set[str], real_roots: list[str],
          catalogs: CatalogFiles) -> Iterator[Candidate | Unsupported | Problem | Skipped]:
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
    names = [e.name for e in entries]
    for entry in entries:
        name = entry.name
        path = entry.path
        if _timed_text(name) and _valid_name(name) and not name.startswith("."):
            if not _videos_for(name, names):   # read with its video, or reported
                yield Skipped(path, NO_VIDEO)
            continue
        if not _valid_name(name):
            yield Problem(_display(path), "file name is not valid UTF-8; rename it (e.g. with convmv -f latin1 "
                                          "-t utf8) and import again")
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
        outside: str | None = None
        try:
            is_link = entry.is_symlink()
        except OSError:
            is_link = False
        if is_link:
            target = os.path.realpath(path)
            if not _inside(target, real_roots):
                outside = target
        if stat_mod.S_ISDIR(st.st_mode):
            if outside is not None:
                yield Problem(path, f"symbolic link to a folder outside the folders being imported "
                                    f"({_display(outside)}); not followed — import that folder "
                                    "itself if you want it")
                continue
            cache = thumbnail_cache_reason(name)
            if cache is not None:
                if os.path.realpath(path) not in skip:   # the catalog in use's cache: silently
                    yield Skipped(path, cache)
                continue
            subdirs.append(path)
        elif stat_mod.S_ISREG(st.st_mode):
            found = _classify(path, st, catalogs)
            if outside is not None and isinstance(found, Candidate):
                found = Candidate(found.path, found.kind, found.size, found.mtime,
                                  note=f"symbolic link to a file outside the folders being imported "
                                       f"({_display(outside)}); imported from there — check that "
                                       "this file was meant to be included")
            yield found
        else:
            yield Problem(path, "not a regular file (device, pipe or socket); skipped")
    for sub in subdirs:
        yield from _walk(sub, seen, skip, real_roots, catalogs)
