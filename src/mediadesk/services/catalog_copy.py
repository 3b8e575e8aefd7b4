"""``mediadesk catalog copy SRC DST``: a desk catalog into a team catalog, or back.

Everything moves, ids kept, and is verified (catalog/transfer.py). Going to a team catalog, the
destination is made if its database is empty (by its owner), and each file's path must lie in a
storage root mapped on this desk: ``roots`` ([(name, folder)], ``--root NAME=FOLDER``) adds the
missing ones (marker written) or maps existing ones (marker checked) first. The copy keeps the
source catalog's id (bundle receipts name it), so this desk's root mapping moves to it.
Interrupted, the copy leaves the destination as it was: run it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.dialect import is_team_url
from mediadesk.catalog.roots import MountTable, marker_problem, write_marker
from mediadesk.catalog.transfer import CopyReport, postgres_to_sqlite, sqlite_to_postgres
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.roots import add_root, map_root

log = logging.getLogger(__name__)


def copy_catalog(source: str | Path, destination: str | Path, *, roots: Sequence[tuple[str, str]] = (),
                 progress: Callable[[str, int], None] | None = None) -> CopyReport:
    to_team, from_team = is_team_url(destination), is_team_url(source)
    if to_team == from_team:
        raise InvalidInput("catalog copy goes from a catalog file to a team catalog (postgresql://...) or "
                           "back; copy a catalog file with the file manager, a team catalog with pg_dump")
    started = time.monotonic()
    if to_team:
        report = _to_team(Path(source), str(destination), roots, progress)
    else:
        if roots:
            raise InvalidInput("--root is for copies into a team catalog; coming back, each root is "
                               "found where this desk maps it (mediadesk roots map)")
        report = _to_desk(str(source), Path(destination), progress)
    log.info("catalog copy %s -> %s: %s assets, %s ledger entries, %s thumbnails, %.1f s",
             report.source, report.destination, report.counts.get("assets"), report.ledger_entries,
             report.thumbnails, time.monotonic() - started)
    return report


def _to_team(source: Path, url: str, roots: Sequence[tuple[str, str]],
             progress: Callable[[str, int], None] | None) -> CopyReport:
    with Catalog(source, create=False) as src, Catalog(url) as dst:   # (an older file is upgraded, as by any command)
        known = {r.name for r in dst.roots.list()}
        for name, folder in roots:
            if name in known:
                map_root(dst, name, folder)
            else:
                add_root(dst, name, folder)
        old_id = dst.catalog_id
        mounts = MountTable().mounts(old_id)
        report = sqlite_to_postgres(src, dst.conn, mounts=mounts, destination_name=dst.location,
                                    progress=progress)
        new_id = str(dst.ledger.catalog_id())
        if new_id != old_id:
            _move_mounts(dst, old_id, new_id)
        return report


def _move_mounts(dst: Catalog, old_id: str, new_id: str) -> None:
    """The team catalog now bears the source's id: this desk's mapping follows it, and each
    mapped root's marker is rewritten to name it (where the share lets us)."""
    table = MountTable()
    mounts = table.mounts(old_id)
    dst.catalog_id = new_id
    for name, folder in mounts.items():
        table.set(new_id, name, folder)
        table.remove(old_id, name)
    for root in dst.roots.list():
        mount = mounts.get(root.name)
        if mount is not None and marker_problem(mount, root, None) is None:
            try:
                write_marker(mount, root, new_id)
            except InvalidInput:
                pass   # a read-only share keeps the old name in its marker: only messages use it
    dst.paths.refresh()


def _to_desk(url: str, destination: Path, progress: Callable[[str, int], None] | None) -> CopyReport:
    with Catalog(url, readonly=True, create=False) as src:
        mounts = MountTable().mounts(src.catalog_id)
        return postgres_to_sqlite(src.conn, destination, mounts=mounts, source_name=src.location,
                                  progress=progress)
