"""The files a catalog is made of, recognised without opening them: only SQLite opens them.

SQLite's locks are POSIX advisory locks, and a POSIX lock belongs to a process and a file: when
the process closes *any* descriptor of that file, every lock it holds on the file is gone
(SQLite's "How To Corrupt An SQLite Database File", section 2.2). A type sniff that reads the
first bytes of the catalog, an import that reads it as "maybe a photo", a copy made in the same
process: each leaves a running window without its locks, and the next program on the catalog
believes it is alone and checkpoints and deletes the window's WAL. So whatever lists or opens
files on a user's behalf (the import scan, the window's file dialogs) asks here first and leaves
these files alone.

Recognised:
- by name, any catalog: ``*.mediadesk`` and its companions ``-wal``, ``-shm``, ``-journal``;
- by identity, the catalog in use and its companions whatever they are called or linked as:
  the same (st_dev, st_ino) is the same file (a hard link or a symbolic link to the catalog is
  the catalog), and the companions' names beside it (``press.db-wal`` for ``--catalog press.db``).
"""

from __future__ import annotations

import os
from pathlib import Path

CATALOG_SUFFIX = ".mediadesk"
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
THUMBS_SUFFIX = ".thumbs"     # <catalog>.thumbs/: the thumbnail cache beside a catalog
_WHAT = {
    "": "a mediadesk catalog",
    "-wal": "the write-ahead log of a mediadesk catalog",
    "-shm": "the shared-memory index of a mediadesk catalog",
    "-journal": "the rollback journal of a mediadesk catalog",
}
IN_USE = " (the catalog in use)"
WHY = "catalogs are never imported or opened as files, so the catalog keeps its locks"


def companion_paths(catalog_path: str | os.PathLike) -> list[Path]:
    """The catalog file and the files SQLite keeps beside it."""
    path = Path(os.path.abspath(os.fspath(catalog_path)))
    return [path] + [path.with_name(path.name + suffix) for suffix in COMPANION_SUFFIXES]


def catalog_part(name: str) -> str | None:
    """"" for a catalog's name, "-wal"/"-shm"/"-journal" for its companions; None otherwise."""
    lower = name.lower()
    if lower.endswith(CATALOG_SUFFIX):
        return ""
    for suffix in COMPANION_SUFFIXES:
        if lower.endswith(CATALOG_SUFFIX + suffix):
            return suffix
    return None


def thumbnail_cache_reason(folder_name: str) -> str | None:
    """Why a folder is skipped when it is a catalog's thumbnail cache (``x.mediadesk.thumbs``)."""
    if folder_name.lower().endswith(CATALOG_SUFFIX + THUMBS_SUFFIX):
        return "the thumbnail cache of a mediadesk catalog: thumbnails are not imported"
    return None


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


class CatalogFiles:
    """Tells whether a path is a catalog file, by its name and by the identity of the catalog in use.

    ``catalog_path`` is the catalog in use (None or ":memory:": names only). The companions come
    and go (SQLite deletes the -wal and -shm when the last connection closes), so their identities
    are read again by :meth:`refresh`; their names beside the catalog are always recognised.
    """

    def __init__(self, catalog_path: str | os.PathLike | None) -> None:
        self._paths: dict[Path, str] = {}
        if catalog_path is not None and os.fspath(catalog_path) != ":memory:":
            for path, suffix in zip(companion_paths(catalog_path), ("", *COMPANION_SUFFIXES), strict=True):
                self._paths[path] = suffix
        self._folder = (os.path.realpath(next(iter(self._paths)).parent) if self._paths else None)
        self._names = {path.name: suffix for path, suffix in self._paths.items()}
        self._identities: dict[tuple[int, int], str] = {}
        self.refresh()

    def refresh(self) -> None:
        """Read the identities of the catalog and of the companions that exist now (stat only)."""
        self._identities.clear()
        for path, suffix in self._paths.items():
            try:
                self._identities[_identity(os.stat(path))] = suffix
            except OSError:
                continue

    def part(self, path: str | os.PathLike, st: os.stat_result | None = None) -> tuple[str, bool] | None:
        """(catalog part, in use) for a catalog file, else None; ``st``: the path's stat if known."""
        path = os.fspath(path)
        name = os.path.basename(path)
        if (self._folder is not None and name in self._names
                and os.path.realpath(os.path.dirname(os.path.abspath(path))) == self._folder):
            return self._names[name], True
        if st is None:
            try:
                st = os.stat(path)
            except OSError:
                st = None
        if st is not None and _identity(st) in self._identities:
            return self._identities[_identity(st)], True
        suffix = catalog_part(name)
        return (suffix, False) if suffix is not None else None

    def what(self, path: str | os.PathLike, st: os.stat_result | None = None) -> str | None:
        """"a mediadesk catalog (the catalog in use)", "the write-ahead log of ...", or None."""
        found = self.part(path, st)
        if found is None:
            return None
        suffix, in_use = found
        return _WHAT[suffix] + (IN_USE if in_use else "")

    def reason(self, path: str | os.PathLike, st: os.stat_result | None = None) -> str | None:
        """Why an import leaves ``path`` unopened ("a mediadesk catalog (...): catalogs are ..."), or None."""
        what = self.what(path, st)
        return f"{what}: {WHY}" if what else None
