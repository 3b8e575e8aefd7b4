"""Rating, pick and colour label of many assets at once: one keystroke, one undoable operation.

The window's 0-5, P/X/U/T and 6-9 keys and the ``rate``, ``pick`` and ``label`` commands call
these. Each is one operation in the edit history (``mediadesk undo`` or Ctrl+Z takes the whole
keystroke back, on every asset it touched). The toggles (T for the pick, a colour key pressed
again) read the current marks inside the write transaction, so two programs toggling at once
never lose one another's change.
"""

from __future__ import annotations

from collections.abc import Sequence

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import read_fields
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.marks import PICKED, normalise_label, normalise_pick, normalise_rating, pick_word
from mediadesk.services.edits import EditResult, apply_edits


def _ids(asset_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in asset_ids))
    if not ids:
        raise InvalidInput("the selection is empty: no assets to mark")
    return ids


def _count(ids: Sequence[int]) -> str:
    return f"{len(ids):,} asset" + ("" if len(ids) == 1 else "s")


def set_rating(catalog: Catalog, asset_ids: Sequence[int], stars: int | str | None) -> EditResult:
    """0-5 stars on every asset (0 or None: not rated)."""
    ids = _ids(asset_ids)
    rating = normalise_rating(stars)
    what = f"Rate {'★' * rating}" if rating else "Clear rating"
    return apply_edits(catalog, {i: {"rating": rating} for i in ids}, kind="mark",
                       description=f"{what} ({_count(ids)})")


def set_pick(catalog: Catalog, asset_ids: Sequence[int], pick: int | str | None) -> EditResult:
    """Picked (1), rejected (-1) or neither (None) on every asset."""
    ids = _ids(asset_ids)
    value = normalise_pick(pick)
    what = {"picked": "Pick", "rejected": "Reject", "none": "Clear pick"}[pick_word(value)]
    return apply_edits(catalog, {i: {"pick": value} for i in ids}, kind="mark",
                       description=f"{what} ({_count(ids)})")


def toggle_pick(catalog: Catalog, asset_ids: Sequence[int]) -> EditResult:
    """Photo Mechanic's T: pick them all, or, when every one is picked already, clear the pick."""
    ids = _ids(asset_ids)
    with catalog.transaction():
        current = read_fields(catalog, ids, ["pick"])
        all_picked = bool(current) and all(row["pick"] == PICKED for row in current.values())
        return set_pick(catalog, ids, None if all_picked else PICKED)


def set_label(catalog: Catalog, asset_ids: Sequence[int], label: str | None) -> EditResult:
    """The colour label on every asset (None or "none": no label)."""
    ids = _ids(asset_ids)
    value = normalise_label(label)
    what = f"Label {value}" if value else "Clear colour label"
    return apply_edits(catalog, {i: {"label": value} for i in ids}, kind="mark",
                       description=f"{what} ({_count(ids)})")


def toggle_label(catalog: Catalog, asset_ids: Sequence[int], label: str) -> EditResult:
    """A colour key: give the assets the label, or take it off when all of them have it."""
    ids = _ids(asset_ids)
    value = normalise_label(label)
    with catalog.transaction():
        current = read_fields(catalog, ids, ["label"])
        all_have = bool(current) and all(row["label"] == value for row in current.values())
        return set_label(catalog, ids, None if all_have else value)
