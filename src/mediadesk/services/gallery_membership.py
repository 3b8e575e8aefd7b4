"""Putting assets into galleries and taking them out, as undoable operations.

Membership changes are recorded in the edit history like field edits (the pseudo-field
``gallery_ids``: the sorted ids of the galleries an asset is in), so Edit > Undo and
``mediadesk undo`` take back a drop on a gallery or a "Remove from gallery" the same way
they take back a caption edit, even after a restart. Creating, renaming and deleting a
gallery: services/galleries.py (in the history too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import MEMBERSHIP, read_fields
from mediadesk.services.edits import EditResult, apply_edits


def _plural(n: int) -> str:
    return f"{n:,} asset" + ("" if n == 1 else "s")


def add_to_gallery(catalog: Catalog, gallery_id: int, asset_ids: Sequence[int]) -> EditResult:
    """Add the assets to the gallery (those already in it stay where they are)."""
    return _change(catalog, gallery_id, asset_ids, add=True)


def remove_from_gallery(catalog: Catalog, gallery_id: int, asset_ids: Sequence[int]) -> EditResult:
    """Take the assets out of the gallery; they stay in the catalog and in their other galleries."""
    return _change(catalog, gallery_id, asset_ids, add=False)


def _change(catalog: Catalog, gallery_id: int, asset_ids: Sequence[int], *, add: bool) -> EditResult:
    ids = list(dict.fromkeys(asset_ids))
    with catalog.transaction():   # read and write under one lock: nothing another program did is lost
        title = catalog.galleries.get(gallery_id).title   # NotFound names the id
        current = read_fields(catalog, ids, [MEMBERSHIP])
        edits: dict[int, dict[str, Any]] = {}
        for asset_id in ids:
            if asset_id not in current:
                continue   # apply_edits would refuse the whole batch; an asset deleted since is skipped
            now = set(current[asset_id][MEMBERSHIP])
            target = now | {gallery_id} if add else now - {gallery_id}
            if target != now:
                edits[asset_id] = {MEMBERSHIP: sorted(target)}
        verb = f'Add {_plural(len(edits))} to "{title}"' if add else \
            f'Remove {_plural(len(edits))} from "{title}"'
        return apply_edits(catalog, edits, kind="gallery", description=verb)
