"""Storage roots of a team catalog: add a shared folder, map it on this desk, list them.

``roots add NAME FOLDER`` names a shared folder as a root of the team catalog, writes the root's
marker file into it and maps it on this desk; ``roots map NAME FOLDER`` maps an existing root on
another desk after checking the marker there (a wrong mount is refused, not used);
``roots list`` shows every root with this desk's mount point, whether it is online and how many
assets it holds. See catalog/roots.py for paths, markers and the mount table.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.roots import MountTable, StorageRoot, check_name, marker_problem, write_marker
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import InvalidInput


@dataclass(frozen=True)
class RootStatus:
    root: StorageRoot
    mount: Path | None           # this desk's mount point; None: not mapped here
    problem: str | None          # why it is offline (None: online)
    assets: int

    @property
    def online(self) -> bool:
        return self.mount is not None and self.problem is None

    def to_json(self) -> dict:
        return {**self.root.to_json(), "mount": None if self.mount is None else str(self.mount),
                "online": self.online, "problem": self.problem, "assets": self.assets}


def require_team(catalog: Catalog) -> None:
    if catalog.url is None:
        raise InvalidInput(f"{catalog.location} is a desk catalog: it keeps each file's full path, and "
                           "storage roots belong to team catalogs (--catalog postgresql://...)")


def add_root(catalog: Catalog, name: str, folder: str | Path, *, note: str | None = None,
             marker: bool = True) -> StorageRoot:
    """Name ``folder`` (a shared folder as this desk mounts it) a root of the team catalog, put
    the marker into it and map it here. ``marker`` False: a root whose folder cannot hold the
    marker (read-only share); every desk must then map it by hand, unchecked."""
    require_team(catalog)
    check_name(name)
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder this desk can reach; mount the share first")
    if any(r.name == name for r in catalog.roots.list()):
        raise InvalidInput(f"the team catalog already has a root named {name!r}; map it here with "
                           f"'mediadesk roots map {name} {folder}'")
    token = secrets.token_hex(16)
    with catalog.transaction():
        root_id = catalog.roots.add_unrecorded(name, token, note)
        root = StorageRoot(root_id, name, token, note)
        if marker:
            write_marker(folder, root, catalog.catalog_id)   # a failure here leaves no root behind
    MountTable().set(catalog.catalog_id, name, folder)
    catalog.paths.refresh()
    return root


def map_root(catalog: Catalog, name: str, folder: str | Path, *, unchecked: bool = False) -> RootStatus:
    """Map the root on this desk at ``folder``, after checking its marker (``unchecked``: a
    root made without one)."""
    require_team(catalog)
    root = catalog.roots.get(name)
    folder = Path(folder).expanduser()
    problem = None if unchecked else marker_problem(folder, root, catalog.catalog_id)
    if problem:
        raise InvalidInput(f"not mapped: {problem}")
    MountTable().set(catalog.catalog_id, name, folder)
    catalog.paths.refresh()
    return root_status(catalog)[name]


def root_status(catalog: Catalog) -> dict[str, RootStatus]:
    """Every root with this desk's mount, whether it is online, and its asset count."""
    if catalog.url is None:
        return {}
    mounts = MountTable().mounts(catalog.catalog_id)
    counts = catalog.roots.counts()
    out: dict[str, RootStatus] = {}
    for root in catalog.roots.list():
        mount = mounts.get(root.name)
        problem = ("not mapped on this desk (mediadesk roots map "
                   f"{root.name} FOLDER)") if mount is None else marker_problem(mount, root, catalog.catalog_id)
        out[root.name] = RootStatus(root, mount, problem, counts.get(root.id, 0))
    return out


def roots_changed() -> Changes:
    return Changes(extra={"roots": True})
