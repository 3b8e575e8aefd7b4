"""Creating, renaming, changing and deleting galleries, as undoable operations.

Each is one operation in the edit history holding the gallery's record before and after
(services/edits.py), so Edit > Undo and ``mediadesk undo`` take back a deleted gallery (with its
assets, in their order) the way they take back a caption edit. Putting assets into a gallery and
taking them out: services/gallery_membership.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import MEMBERS, OBJECT
from mediadesk.catalog.history import MEMBERSHIP, read_fields
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.edits import EditResult, apply_edits, record_objects


def _plural(n: int) -> str:
    return f"{n:,} asset" + ("" if n == 1 else "s")


def create_gallery(catalog: Catalog, title: str, *, asset_ids: Sequence[int] = (),
                   date: str | None = None, end_date: str | None = None, place: str | None = None,
                   description: str | None = None) -> EditResult:
    """A new gallery (with ``asset_ids`` in it, if given): one undoable operation.
    ``result.object_id`` is the new gallery's id."""
    with catalog.transaction():
        store = catalog.galleries
        gallery_id = store.create_unrecorded(title, date=date, end_date=end_date, place=place,
                                             description=description)
        record = store.record(gallery_id)
        ids = list(dict.fromkeys(asset_ids))
        current = read_fields(catalog, ids, [MEMBERSHIP]) if ids else {}
        edits = {aid: {MEMBERSHIP: sorted({*current[aid][MEMBERSHIP], gallery_id})}
                 for aid in ids if aid in current}
        name = record["title"] if record else title
        what = f'Create gallery "{name}"' + (f" with {_plural(len(edits))}" if edits else "")
        result = apply_edits(catalog, edits, kind="gallery", description=what,
                             objects=[(OBJECT, gallery_id, None, record)])
    return EditResult(result.operation_id, result.changed, result.skipped, result.changes,
                      object_id=gallery_id)


def update_gallery(catalog: Catalog, gallery_id: int, **values: Any) -> EditResult:
    """Change the gallery's title, date, end date, place, description or rights profile."""
    if not values:
        raise InvalidInput("nothing to change")
    with catalog.transaction():
        store = catalog.galleries
        before = store.record(gallery_id)
        if before is None:
            store.get(gallery_id)   # NotFound names the id
        store.update_unrecorded(gallery_id, **values)
        after = store.record(gallery_id)
        what = (f'Rename gallery "{before["title"]}" to "{after["title"]}"'
                if before and after and set(values) == {"title"} else
                f'Change gallery "{after["title"] if after else gallery_id}"')
        result = record_objects(catalog, [(OBJECT, gallery_id, before, after)], kind="gallery",
                                description=what)
    return EditResult(result.operation_id, result.changed, result.skipped, result.changes,
                      object_id=gallery_id)


def rename_gallery(catalog: Catalog, gallery_id: int, title: str) -> EditResult:
    return update_gallery(catalog, gallery_id, title=title)


def delete_gallery(catalog: Catalog, gallery_id: int) -> EditResult:
    """Delete the gallery; its assets stay in the catalog. Undo puts it back with its assets."""
    with catalog.transaction():
        store = catalog.galleries
        gallery = store.get(gallery_id)   # NotFound names the id
        before = store.record(gallery_id)
        if before is not None:
            before[MEMBERS] = store.members(gallery_id)
        store.delete_unrecorded(gallery_id)
        what = f'Delete gallery "{gallery.title}"' + (f" ({_plural(gallery.count)} stay in the catalog)"
                                                      if gallery.count else "")
        result = record_objects(catalog, [(OBJECT, gallery_id, before, None)], kind="gallery",
                                description=what)
    return EditResult(result.operation_id, result.changed, result.skipped, result.changes,
                      object_id=gallery_id)
