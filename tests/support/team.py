"""Helpers of the team-catalog tests (the fixtures are in tests/conftest.py)."""

from __future__ import annotations


def add_root(conn, name: str, folder, mounts=None):
    """A storage root in the team catalog on ``conn``, its marker in ``folder`` (made if need be)
    and this desk's mapping of it; returns the root's id."""
    import secrets
    from pathlib import Path

    from mediadesk.catalog.roots import MountTable, StorageRoot, write_marker

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = secrets.token_hex(16)
    root_id = conn.execute("INSERT INTO mediadesk.storage_roots (name, marker, created_at)"
                           " VALUES (%s, %s, now()::text) RETURNING id", (name, marker)).fetchone()[0]
    catalog_id = conn.execute("SELECT value FROM mediadesk.settings WHERE key = 'catalog.id'").fetchone()[0]
    write_marker(folder, StorageRoot(root_id, name, marker), catalog_id)
    (mounts or MountTable()).set(catalog_id, name, folder)
    return root_id
