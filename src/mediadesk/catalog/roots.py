"""Storage roots: the shared folders a team catalog's files live in, mapped per desk.

A team catalog never stores an absolute path. It stores a root (``press``) and a path inside it
(``2025/03/IMG_0001.jpg``: NFC, "/"-separated), and each desk maps the root to its own mount
point: ``/mnt/press`` on Linux, ``/Volumes/press`` on a Mac, ``P:\\`` on Windows. The mapping is
this desk's, kept in ``roots.json`` in the config folder, per catalog id.

Each root holds a marker file, ``.mediadesk-root``, with the root's id (a random marker the
catalog keeps) and the catalog's id: mapping a folder whose marker names another root (or no
marker at all) is refused, so a wrong mount (``/mnt/archive`` for ``press``) is caught before any
file is looked for under it. A mapped root whose folder or marker cannot be read is offline: its
assets show with their thumbnails and metadata, and only what needs the file waits for it.

Names as shares return them: a Mac over SMB may list decomposed (NFD) names; :func:`resolve`
finds the file under either form.
"""

from __future__ import annotations

import json
import os
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import CatalogError, InvalidInput, NotFound
from mediadesk.fsutil import atomic_write_bytes

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

MARKER_NAME = ".mediadesk-root"
MOUNTS_FILE = "roots.json"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


@dataclass(frozen=True)
class StorageRoot:
    id: int
    name: str
    marker: str
    note: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "marker": self.marker, "note": self.note}


def check_name(name: str) -> str:
    if not name or len(name) > 64 or not set(name) <= _NAME_CHARS or name[0] in "._-":
        raise InvalidInput(f"{name!r} cannot name a storage root: use 1-64 letters, digits, '.', '_' "
                           "or '-', starting with a letter or digit (e.g. press, archive-2024)")
    return name


def relative_text(parts: tuple[str, ...]) -> str:
    """The stored form of a path inside a root: NFC components joined with "/"."""
    return "/".join(unicodedata.normalize("NFC", p) for p in parts)


def _key(path: Path) -> tuple[str, ...]:
    """Components compared as the platform compares names (case-insensitively on Windows), NFC."""
    return tuple(os.path.normcase(unicodedata.normalize("NFC", p)) for p in Path(os.path.abspath(path)).parts)


def split(path: str | os.PathLike, mounts: Mapping[str, Path]) -> tuple[str, str] | None:
    """(root name, path inside it) of an absolute path, by the deepest root mounted above it;
    None when no mapped root holds it."""
    target = Path(os.path.abspath(path))
    key = _key(target)
    best: tuple[int, str] | None = None
    for name, mount in mounts.items():
        mkey = _key(mount)
        if key[:len(mkey)] == mkey and len(key) > len(mkey) and (best is None or len(mkey) > best[0]):
            best = (len(mkey), name)
    if best is None:
        return None
    depth, name = best
    return name, relative_text(target.parts[depth:])


def _check_relative(rel: str) -> tuple[str, ...]:
    parts = tuple(PurePosixPath(rel).parts)
    if not parts or PurePosixPath(rel).is_absolute() or any(p in ("..", ".") for p in parts) or "\\" in rel:
        raise CatalogError(f"the catalog holds a file path that is not inside its root: {rel!r}")
    return parts


def local_path(mount: Path, rel: str) -> Path:
    """Where a stored path is on this desk (NFC, as stored; :func:`resolve` also tries NFD)."""
    return Path(mount, *_check_relative(rel))


def resolve(mount: Path, rel: str) -> Path | None:
    """The existing file for a stored path under ``mount``: as stored (NFC), all NFD, or, for
    each folder level, the entry whose NFC name is the stored one; None when there is none."""
    parts = _check_relative(rel)
    direct = Path(mount, *parts)
    if direct.exists():
        return direct
    nfd = Path(mount, *(unicodedata.normalize("NFD", p) for p in parts))
    if nfd.exists():
        return nfd
    here = Path(mount)
    for part in parts:
        step = here / part
        if not step.exists():
            try:
                names = os.listdir(here)
            except OSError:
                return None
            match = [n for n in names if unicodedata.normalize("NFC", n) == part]
            if not match:
                return None
            step = here / match[0]
        here = step
    return here


# -- markers -----------------------------------------------------------------------------------
def marker_path(folder: Path) -> Path:
    return Path(folder) / MARKER_NAME


def write_marker(folder: Path, root: StorageRoot, catalog_id: str) -> None:
    """Put the root's marker into ``folder`` (atomically; the folder must exist and be writable)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder this desk can reach; mount the share first")
    body = {"mediadesk": "storage-root", "root": root.name, "marker": root.marker, "catalog": catalog_id}
    try:
        atomic_write_bytes(marker_path(folder), (json.dumps(body, indent=2) + "\n").encode())
    except OSError as exc:
        raise InvalidInput(f"cannot write the root's marker file into {folder} ({exc.strerror or exc}); "
                           "a storage root must be writable once, when it is added") from None


def read_marker(folder: Path) -> dict | None:
    try:
        with open(marker_path(folder), "rb") as fh:
            data = json.loads(fh.read(4096))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def marker_problem(folder: Path, root: StorageRoot, catalog_id: str | None) -> str | None:
    """Why ``folder`` is not (or not reachable as) this root; None when its marker matches."""
    folder = Path(folder)
    try:
        if not folder.is_dir():
            return f"{folder} is not reachable (not mounted?)"
    except OSError as exc:
        return f"{folder} is not reachable ({exc.strerror or exc})"
    data = read_marker(folder)
    if data is None:
        return (f"{folder} has no storage-root marker ({MARKER_NAME}); it is not the root "
                f"{root.name!r} (or the share is not mounted there)")
    if data.get("marker") != root.marker:
        other = data.get("root")
        return (f"{folder} is the storage root {other!r}" + (" of another catalog" if catalog_id and
                data.get("catalog") not in (None, catalog_id) else "") + f", not {root.name!r}")
    return None


# -- this desk's mount points ---------------------------------------------------------------------
class MountTable:
    """This desk's mount point for each root, per catalog id (``roots.json`` in the config folder)."""

    def __init__(self, file: Path | None = None) -> None:
        if file is None:
            from mediadesk.paths import config_dir
            file = config_dir() / MOUNTS_FILE
        self.file = Path(file)

    def _load(self) -> dict:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise CatalogError(f"cannot read this desk's storage-root mapping {self.file} ({exc}); "
                               "fix or remove it and map the roots again") from None
        return data if isinstance(data, dict) else {}

    def mounts(self, catalog_id: str) -> dict[str, Path]:
        entry = self._load().get(catalog_id) or {}
        return {str(k): Path(v) for k, v in entry.items() if isinstance(v, str)}

    def set(self, catalog_id: str, name: str, folder: Path) -> None:
        data = self._load()
        data.setdefault(catalog_id, {})[name] = os.path.abspath(folder)
        self.file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.file, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())

    def remove(self, catalog_id: str, name: str) -> None:
        data = self._load()
        if data.get(catalog_id, {}).pop(name, None) is not None:
            atomic_write_bytes(self.file, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


def _is_under(path: str, folder: Path) -> bool:
    prefix = str(folder).rstrip("/\\")
    return path == prefix or path.startswith(prefix + os.sep) or path.startswith(prefix + "/")


def _has_entries(folder: Path) -> bool:
    """A root made without a marker (a read-only share) is online when its folder lists
    something (an unmounted mount point is an empty folder)."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is not None
    except OSError:
        return False


# -- how a team catalog's stores read and write file paths (a desk catalog's: desk_paths.py) ------
UNMAPPED = "<{name}>"   # the path of a file whose root this desk has not mapped: "<press>/2025/a.jpg"


OFFLINE_CHECK_S = 5.0     # how long an answer of "is this root reachable" is trusted
PROBE_PATIENCE_S = 2.0    # a background check that has not answered by then: "not answering"


def root_problem(name: str, mount: Path) -> str | None:
    """Why the mapped root ``name`` cannot be reached at ``mount`` now (None: it can). Reads the
    share: on a hung NFS or SMB mount this can wait for minutes."""
    if read_marker(mount) is not None or _has_entries(mount):
        return None
    return f"the storage root {name!r} is offline: {mount} is not mounted or cannot be read"


class TeamPaths:
    """A team catalog stores a root and a path inside it; this desk's mount table makes it a
    path here (``<root>/...`` when the root is not mapped on this desk, which no file has)."""

    extra = ", root_id"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._roots: dict[int, str] = {}
        self._ids: dict[str, int] = {}
        self._mounts: dict[str, Path] = {}
        self._reachable: dict[str, tuple[float, str | None]] = {}
        self._probing: dict[str, float] = {}      # root -> when its background check started
        self._lock = threading.Lock()
        self._background = False                  # check_in_background() was called
        self._on_change: Callable[[], None] = _nobody
        self.refresh()

    def check_in_background(self, on_change: Callable[[], None] | None) -> None:
        """From now on :meth:`offline` never reads a share itself: it answers what the last
        check found (a root not checked yet counts as online) and starts a check on a thread of
        its own when that answer is older than OFFLINE_CHECK_S. A check that has not answered
        within PROBE_PATIENCE_S makes the root "not answering". ``on_change`` is called, from
        that thread, whenever an answer changes. The window asks this way: it asks while it
        paints, and a hung network mount must not freeze it. (One check per root at a time;
        the threads are daemons, since one stuck in a hung mount may never come back.) None:
        answers are no longer announced (the window is closing), checks stay in the background."""
        self._background = True
        self._on_change = on_change if on_change is not None else _nobody

    def refresh(self) -> None:
        """Read the roots and this desk's mapping again (after ``roots add`` or ``roots map``)."""
        rows = self.catalog.execute("SELECT id, name FROM storage_roots").fetchall()
        self._roots = {int(r[0]): str(r[1]) for r in rows}
        self._ids = {name: rid for rid, name in self._roots.items()}
        self._mounts = MountTable().mounts(self.catalog.catalog_id)

    @property
    def mounts(self) -> dict[str, Path]:
        return {name: path for name, path in self._mounts.items() if name in self._ids}

    def offline(self, path: str) -> str | None:
        """Why the file at ``path`` (as :meth:`local` gave it) cannot be reached now: its root is
        not mapped on this desk, or the share is not mounted (its marker cannot be read); None
        when its root is online. Checked at most every few seconds per root (the grid asks for
        every asset it paints)."""
        if path.startswith("<") and ">" in path:
            name = path[1:path.index(">")]
            return (f"the storage root {name!r} is not mapped on this desk "
                    f"(mediadesk roots map {name} FOLDER)")
        for name, mount in self._mounts.items():
            if name in self._ids and _is_under(path, mount):
                return self._mount_problem(name, mount)
        return None

    def _mount_problem(self, name: str, mount: Path) -> str | None:
        now = time.monotonic()
        known = self._reachable.get(name)
        if known is not None and now - known[0] < OFFLINE_CHECK_S:
            return known[1]
        if not self._background:              # the command line: it may wait for the share
            problem = root_problem(name, mount)
            self._reachable[name] = (now, problem)
            return problem
        started = self._probing.get(name)
        if started is None:
            self._start_check(name, mount)
        elif now - started >= PROBE_PATIENCE_S:
            return _not_answering(name, mount)
        return known[1] if known is not None else None

    def recheck(self) -> None:
        """Start a background check of every mapped root whose answer is older than
        OFFLINE_CHECK_S (the window calls this on a timer, so a share that comes back or goes
        away is noticed while nothing is painted)."""
        now = time.monotonic()
        for name, mount in self.mounts.items():
            known = self._reachable.get(name)
            if known is None or now - known[0] >= OFFLINE_CHECK_S:
                self._start_check(name, mount)

    def _start_check(self, name: str, mount: Path) -> None:
        with self._lock:
            if name in self._probing:
                return
            self._probing[name] = time.monotonic()

        def check() -> None:
            problem = root_problem(name, mount)
            with self._lock:
                before = self._reachable.get(name)
                self._reachable[name] = (time.monotonic(), problem)
                late = time.monotonic() - self._probing.pop(name) >= PROBE_PATIENCE_S
            shown_before = _not_answering(name, mount) if late else (before[1] if before else None)
            if problem != shown_before:
                self._on_change()

        def impatient() -> None:   # still waiting for the share: say so
            if name in self._probing:
                self._on_change()

        threading.Thread(target=check, name=f"mediadesk root check {name}", daemon=True).start()
        timer = threading.Timer(PROBE_PATIENCE_S, impatient)
        timer.daemon = True
        timer.start()

    def local(self, path: str, root_id: object = None) -> str:
        name = self._roots.get(root_id) if isinstance(root_id, int) else None
        if name is None:
            self.refresh()    # a root another desk added since
            name = self._roots.get(root_id, f"#{root_id}") if isinstance(root_id, int) else "?"
        mount = self._mounts.get(name)
        if mount is None:
            return UNMAPPED.format(name=name) + "/" + path
        return str(local_path(mount, path))

    def stored(self, path: str) -> dict[str, object]:
        found = split(path, self.mounts)
        if found is None:
            self.refresh()
            found = split(path, self.mounts)
        if found is None:
            mapped = ", ".join(f"{k} = {v}" for k, v in self.mounts.items()) or "none"
            raise InvalidInput(
                f"{path} is not inside a storage root of this team catalog (mapped on this desk: "
                f"{mapped}); a team catalog keeps files on shared storage: add the share as a root "
                "(mediadesk roots add NAME FOLDER) or map one (mediadesk roots map NAME FOLDER)")
        name, rel = found
        return {"path": rel, "root_id": self._ids[name]}


def _nobody() -> None:
    return None


def _not_answering(name: str, mount: Path) -> str:
    return (f"the storage root {name!r} is not answering: {mount} did not respond within "
            f"{PROBE_PATIENCE_S:g} s (a network share that hangs)")


class RootStore:
    """The team catalog's storage roots (a desk catalog has none: it stores absolute paths)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @property
    def supported(self) -> bool:
        return self.catalog.url is not None

    def list(self) -> list[StorageRoot]:
        if not self.supported:
            return []
        return [StorageRoot(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in self.catalog.execute(
            "SELECT id, name, marker, note FROM storage_roots ORDER BY name")]

    def get(self, name: str) -> StorageRoot:
        for root in self.list():
            if root.name == name:
                return root
        known = ", ".join(r.name for r in self.list()) or "none yet"
        raise NotFound(f"this team catalog has no storage root named {name!r} (roots: {known})")

    def counts(self) -> dict[int, int]:
        """root id -> how many assets it holds."""
        if not self.supported:
            return {}
        return {int(r[0]): int(r[1]) for r in self.catalog.execute(
            "SELECT root_id, count(*) FROM assets GROUP BY root_id")}

    # -- writes: the roots service's tools (inside catalog.transaction()) -------------------
    @store_writer
    def add_unrecorded(self, name: str, marker: str, note: str | None = None) -> int:
        return int(self.catalog.insert(
            "INSERT INTO storage_roots (name, marker, note, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (name, marker, note, now_iso())))
