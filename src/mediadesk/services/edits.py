"""Editing catalog metadata with history: every change is recorded and can be undone as one step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import HistoryStore
from mediadesk.catalog.rows import encode_value
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.fields import LIST_FIELDS, METADATA_FIELDS

EDITABLE = frozenset(METADATA_FIELDS) | {"rights_profile_id"}


@dataclass(frozen=True)
class EditResult:
    operation_id: int | None
    changed: list[tuple[int, str, Any, Any]] = field(default_factory=list)  # (asset, field, old, new)
    skipped: list[str] = field(default_factory=list)                      # undo conflicts
    changes: Changes = Changes()

    @property
    def count(self) -> int:
        return len(self.changed)


def normalise(name: str, value: Any) -> Any:
    """The canonical in-memory form of a field value (lists as tuples, blank text as None)."""
    if name in LIST_FIELDS:
        items = [value] if isinstance(value, str) else list(value or [])
        out: list[str] = []
        for item in items:
            text = str(item).strip()
            if text and text not in out:
                out.append(text)
        return tuple(out)
    if name == "rating" or name == "rights_profile_id":
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"{name} must be a whole number, not {value!r}") from None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _same(name: str, a: Any, b: Any) -> bool:
    return encode_value(name, normalise(name, a)) == encode_value(name, normalise(name, b))


def apply_edits(catalog: Catalog, edits: Mapping[int, Mapping[str, Any]], *, kind: str = "edit",
                description: str = "Edit") -> EditResult:
    """Set fields on assets in one transaction and one undoable operation.

    ``edits`` maps asset id -> {field: new value}. Values equal to the current one are not
    recorded. Returns what changed; an edit that changes nothing creates no operation.
    """
    for fields_ in edits.values():
        unknown = set(fields_) - EDITABLE
        if unknown:
            raise InvalidInput(f"not editable field(s): {', '.join(sorted(unknown))}")
    assets = AssetStore(catalog)
    history = HistoryStore(catalog)
    changed: list[tuple[int, str, Any, Any]] = []
    with catalog.transaction():
        op = history.start(kind, description)
        for asset_id, values in edits.items():
            current = assets.field_values(asset_id, values.keys())
            updates = {}
            for name, new in values.items():
                new = normalise(name, new)
                old = normalise(name, current.get(name))
                if not _same(name, old, new):
                    updates[name] = new
                    changed.append((asset_id, name, old, new))
            if updates:
                assets.set_fields(asset_id, updates)
        if not changed:
            history.discard_if_empty(op)
            return EditResult(None)
        history.record_many(op, changed)
    return EditResult(op, changed, changes=_changes_for(changed))


def _changes_for(changed: list[tuple[int, str, Any, Any]]) -> Changes:
    fields_ = frozenset(c[1] for c in changed)
    return Changes(
        assets=frozenset(c[0] for c in changed), fields=fields_, history=True,
        rights="rights_profile_id" in fields_,
    )


def _revert(catalog: Catalog, op_id: int, *, to_old: bool) -> EditResult:
    assets = AssetStore(catalog)
    history = HistoryStore(catalog)
    rows = history.changes_of(op_id)
    if not to_old:
        rows = list(rows)
    else:
        rows = list(reversed(rows))
    applied: list[tuple[int, str, Any, Any]] = []
    skipped: list[str] = []
    with catalog.transaction():
        for ch in rows:
            if not assets.exists(ch.asset_id):
                skipped.append(f"asset {ch.asset_id} was removed from the catalog")
                continue
            expected, target = (ch.new, ch.old) if to_old else (ch.old, ch.new)
            current = assets.field_values(ch.asset_id, [ch.field])[ch.field]
            if not _same(ch.field, current, expected):
                skipped.append(
                    f"asset {ch.asset_id} {ch.field}: changed again since, kept the newer value"
                )
                continue
            assets.set_fields(ch.asset_id, {ch.field: normalise(ch.field, target)})
            applied.append((ch.asset_id, ch.field, current, target))
        history.set_undone(op_id, to_old)
    return EditResult(op_id, applied, skipped, _changes_for(applied) | Changes(history=True))


def undo(catalog: Catalog) -> EditResult | None:
    """Undo the most recent live operation (survives restarts: history is in the catalog)."""
    op = HistoryStore(catalog).last_undoable()
    return _revert(catalog, op.id, to_old=True) if op else None


def redo(catalog: Catalog) -> EditResult | None:
    op = HistoryStore(catalog).next_redoable()
    return _revert(catalog, op.id, to_old=False) if op else None
