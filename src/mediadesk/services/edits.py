"""Editing catalog metadata with history: every change is recorded and can be undone as one step.

An operation holds field changes of assets (``apply_edits``) and changes of whole objects: a
gallery, a rights profile or a saved search before and after (``record_objects``, used by
services/galleries.py, services/rights.py and services/saved_searches.py). ``undo`` and ``redo``
take back either kind; a value changed again since is kept, and the skipped list says so.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import MEMBERS
from mediadesk.catalog.history import (
    CHAPTERS,
    LINKS,
    MEMBERSHIP,
    HistoryStore,
    ObjectChange,
    Operation,
    read_fields,
    write_fields,
)
from mediadesk.catalog.rows import encode_value
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.fields import LIST_FIELDS, METADATA_FIELDS

log = logging.getLogger(__name__)
EDITABLE = frozenset(METADATA_FIELDS) | {"rights_profile_id", MEMBERSHIP, CHAPTERS, LINKS}
BATCH_LOG_FROM = 2        # an operation on this many assets or more is a batch edit (one INFO line)
ObjectRow = tuple[str, int, Mapping[str, Any] | None, Mapping[str, Any] | None]


class _ObjectStore(Protocol):
    def record(self, object_id: int) -> dict[str, Any] | None: ...

    def restore_unrecorded(self, object_id: int, record: Mapping[str, Any] | None) -> None: ...


@dataclass(frozen=True)
class Conflict:
    """A typed value not saved: someone changed the field since this desk read it."""
    asset_id: int
    field: str
    mine: Any         # what was typed here
    theirs: Any       # what the catalog holds now
    read: Any         # what this desk showed when the typing began
    by: str = ""      # who and when, from the edit history

    def describe(self) -> str:
        return (f"asset {self.asset_id} {self.field} was changed {self.by or 'elsewhere'} after you "
                f"began typing: it is {_shown(self.theirs)} now; yours, {_shown(self.mine)}, was not saved")

    def to_json(self) -> dict[str, Any]:
        return {"asset_id": self.asset_id, "field": self.field, "mine": _jsonable(self.mine),
                "theirs": _jsonable(self.theirs), "read": _jsonable(self.read), "by": self.by}


def _shown(value: Any) -> str:
    if value in (None, (), ""):
        return "empty"
    text = "; ".join(value) if isinstance(value, tuple) else str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


@dataclass(frozen=True)
class EditResult:
    operation_id: int | None
    changed: list[tuple[int, str, Any, Any]] = field(default_factory=list)  # (asset, field, old, new)
    skipped: list[str] = field(default_factory=list)                      # undo conflicts
    changes: Changes = Changes()
    object_id: int | None = None     # the gallery, profile or saved search the operation is about
    conflicts: list[Conflict] = field(default_factory=list)               # typed values not saved

    @property
    def count(self) -> int:
        return len(self.changed)


def normalise(name: str, value: Any) -> Any:
    """The canonical in-memory form of a field value (lists as tuples, blank text as None)."""
    if name in (MEMBERSHIP, LINKS):   # gallery ids, linked asset ids: a sorted tuple
        try:
            return tuple(sorted({int(v) for v in value or ()}))
        except (TypeError, ValueError):
            raise InvalidInput(f"ids must be whole numbers, not {value!r}") from None
    if name == CHAPTERS:   # ((start, end, title), ...) in time order
        try:
            return tuple(sorted((float(s), None if e is None else float(e), str(t)) for s, e, t in value or ()))
        except (TypeError, ValueError):
            raise InvalidInput(f"chapters must be (start, end, title), not {value!r}") from None
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
    return bool(encode_value(name, normalise(name, a)) == encode_value(name, normalise(name, b)))


def apply_edits(catalog: Catalog, edits: Mapping[int, Mapping[str, Any]], *, kind: str = "edit",
                description: str = "Edit", objects: Sequence[ObjectRow] = (),
                expected: Mapping[int, Mapping[str, Any]] | None = None) -> EditResult:
    """Set fields on assets in one transaction and one undoable operation.

    ``edits`` maps asset id -> {field: new value}. Values equal to the current one are not
    recorded. Returns what changed; an edit that changes nothing creates no operation.
    Reads and writes are batched (one query per 500 assets, one statement per field set).
    ``objects``: changes of galleries, profiles or saved searches the caller made in the same
    transaction, recorded in the same operation (object, id, record before, record after).
    ``expected``: asset id -> {field: the value shown when the person began typing}. A field
    whose value differs from it now (another desk, another program changed it meanwhile) is not
    written: it comes back as a :class:`Conflict` with both values, never a silent overwrite.
    """
    started = time.monotonic()
    names: dict[str, None] = {}
    for fields_ in edits.values():
        unknown = set(fields_) - EDITABLE
        if unknown:
            raise InvalidInput(f"not editable field(s): {', '.join(sorted(unknown))}")
        names.update(dict.fromkeys(fields_))
    history = catalog.history
    changed: list[tuple[int, str, Any, Any]] = []
    conflicts: list[Conflict] = []
    updates: dict[int, dict[str, Any]] = {}
    with catalog.transaction():
        current_all = read_fields(catalog, list(edits), names)
        missing = [aid for aid in edits if aid not in current_all]
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
            raise NotFound(f"no asset with id {shown} in this catalog")
        # A person chose the rights profile (even the one it had): what a re-read of the file
        # flagged for review is settled (services/rights_reread.py).
        reviewed = [aid for aid, values in edits.items() if "rights_profile_id" in values]
        cleared = catalog.assets.clear_rights_review(reviewed) if reviewed else 0
        for asset_id, values in edits.items():
            current = current_all[asset_id]
            read = (expected or {}).get(asset_id, {})
            for name, new in values.items():
                new = normalise(name, new)
                old = normalise(name, current.get(name))
                if name in read and not _same(name, read[name], old):
                    if not _same(name, old, new):   # typed what is there now: no conflict
                        last = history.last_change(asset_id, name)
                        conflicts.append(Conflict(asset_id, name, new, old, normalise(name, read[name]),
                                                  last.describe() if last else ""))
                    continue
                if not _same(name, old, new):
                    updates.setdefault(asset_id, {})[name] = new
                    changed.append((asset_id, name, old, new))
        objects = [row for row in objects if dict(row[2] or {}) != dict(row[3] or {}) or
                   (row[2] is None) != (row[3] is None)]
        if not changed and not objects:
            return EditResult(None, changes=Changes(assets=frozenset(reviewed), rights=True)
                              if cleared else Changes(), conflicts=conflicts)
        op = history.start(kind, description)
        write_fields(catalog, updates)
        history.record_many(op, changed)
        history.record_objects(op, objects)
    changes = _changes_for(changed) | _object_changes(row[0] for row in objects) | Changes(history=True)
    result = EditResult(op, changed, changes=changes, conflicts=conflicts)
    _log_batch(description, result, time.monotonic() - started)
    return result


def _log_batch(description: str, result: EditResult, seconds: float) -> None:
    assets = len({c[0] for c in result.changed})
    if assets >= BATCH_LOG_FROM:
        log.info("batch edit: %s: %d field changes on %d assets in %.2f s (operation %s; "
                 "`mediadesk history` lists it, `mediadesk undo` takes it back)",
                 description, len(result.changed), assets, seconds, result.operation_id)


def _changes_for(changed: list[tuple[int, str, Any, Any]]) -> Changes:
    fields_ = frozenset(c[1] for c in changed)
    membership = MEMBERSHIP in fields_
    return Changes(
        assets=frozenset(c[0] for c in changed),
        fields=fields_ | {"galleries"} if membership else fields_, history=True,
        rights="rights_profile_id" in fields_, galleries=membership,
    )


def _object_changes(kinds: Iterator[str] | Sequence[str]) -> Changes:
    out = Changes()
    for kind in set(kinds):
        if kind == "gallery":
            out = out | Changes(galleries=True, added=True)   # gallery names show in every view
        elif kind == "rights_profile":
            out = out | Changes(rights=True, added=True)      # badges and rights: filters change
        else:
            out = out | Changes(galleries=True)               # the sidebar lists saved searches
    return out


def _object_store(catalog: Catalog, kind: str) -> _ObjectStore:
    stores: dict[str, _ObjectStore] = {"gallery": catalog.galleries, "rights_profile": catalog.rights,
                                       "saved_search": catalog.searches}
    return stores[kind]


_WHAT = {"gallery": "gallery", "rights_profile": "rights profile", "saved_search": "saved search"}


def _label(change: ObjectChange) -> str:
    record = change.new or change.old or {}
    name = record.get("title") or record.get("name") or change.object_id
    return f'{_WHAT.get(change.object, change.object)} "{name}"'


def _revert_objects(catalog: Catalog, changes: Sequence[ObjectChange], *, to_old: bool,
                    skipped: list[str]) -> list[str]:
    """Put each object back as it was before (``to_old``) or after the operation; returns the
    kinds that changed. An object changed again since is kept, and ``skipped`` says why."""
    touched: list[str] = []
    for ch in changes:
        expected, target = (ch.new, ch.old) if to_old else (ch.old, ch.new)
        store = _object_store(catalog, ch.object)
        current = store.record(ch.object_id)
        wanted = None if expected is None else {k: v for k, v in expected.items() if k != MEMBERS}
        if current != wanted:
            skipped.append(f"{_label(ch)} was changed since; it was kept as it is now")
            continue
        problem = _restore_problem(catalog, ch, expected, target)
        if problem:
            skipped.append(problem)
            continue
        store.restore_unrecorded(ch.object_id, target)
        touched.append(ch.object)
    return touched


def _restore_problem(catalog: Catalog, ch: ObjectChange, expected: Mapping[str, Any] | None,
                     target: Mapping[str, Any] | None) -> str | None:
    """Why the object cannot be made ``target`` now (a name taken since, users that would lose
    it), or None."""
    if target is None:
        if ch.object == "rights_profile" and catalog.rights.users(ch.object_id):
            return (f"{_label(ch)} is given to assets or galleries now; it was kept (assign them "
                    "another profile first)")
        if ch.object == "gallery":
            known = {member[0] for member in (expected or {}).get(MEMBERS) or ()}
            if set(catalog.galleries.asset_ids(ch.object_id)) - known:
                return f"{_label(ch)} holds assets that were put there since; it was kept"
        return None
    name_key = "title" if ch.object == "gallery" else "name"
    name = str(target.get(name_key) or "")
    if ch.object == "gallery":
        other = catalog.galleries.find(name)
        taken = other is not None and other.id != ch.object_id
    elif ch.object == "rights_profile":
        found = catalog.rights.find(name)
        taken = found is not None and found.id != ch.object_id
    else:
        search = catalog.searches.find(name)
        taken = search is not None and search.id != ch.object_id
    return f'another {_WHAT[ch.object]} is called "{name}" now; {_label(ch)} was not put back' if taken else None


def record_objects(catalog: Catalog, rows: Sequence[ObjectRow], *, kind: str, description: str) -> EditResult:
    """One undoable operation for changes the caller made to galleries, rights profiles or saved
    searches in the current transaction (object, id, record before, record after)."""
    return apply_edits(catalog, {}, kind=kind, description=description, objects=rows)


def _revert(catalog: Catalog, pick: Callable[[HistoryStore], Operation | None], *,
            to_old: bool) -> EditResult | None:
    """Undo (``to_old``) or redo the operation ``pick(history)`` chooses. It is chosen inside the
    write transaction: two ``undo`` at once then take two operations one after the other, never
    the same one twice (chosen before the lock, both would revert it)."""
    history = catalog.history
    applied: list[tuple[int, str, Any, Any]] = []
    skipped: list[str] = []
    objects_touched: list[str] = []
    with catalog.transaction():
        op = pick(history)
        if op is None:
            return None
        op_id = op.id
        objects = history.object_changes_of(op_id)
        if not to_old:   # redo: a gallery comes back before assets go into it
            objects_touched += _revert_objects(catalog, objects, to_old=False, skipped=skipped)
        rows = history.changes_of(op_id)
        if to_old:
            rows.reverse()
        names = dict.fromkeys(ch.field for ch in rows)
        current_all = read_fields(catalog, list(dict.fromkeys(ch.asset_id for ch in rows)), names)
        updates: dict[int, dict[str, Any]] = {}
        existing_galleries: set[int] | None = None
        for ch in rows:
            current_row = current_all.get(ch.asset_id)
            if current_row is None:
                skipped.append(f"asset {ch.asset_id} was removed from the catalog")
                continue
            expected, target = (ch.new, ch.old) if to_old else (ch.old, ch.new)
            current = current_row[ch.field]
            if not _same(ch.field, current, expected):
                last = history.last_change(ch.asset_id, ch.field, after=op_id)
                by = f" {last.describe()}" if last else " (by a re-read of the file)"
                skipped.append(
                    f"asset {ch.asset_id} {ch.field}: changed again since{by}, kept the newer value"
                )
                continue
            target = normalise(ch.field, target)
            if ch.field == MEMBERSHIP:
                if existing_galleries is None:
                    existing_galleries = catalog.galleries.ids()
                gone = [g for g in target if g not in existing_galleries]
                if gone:
                    skipped.append(f"asset {ch.asset_id}: gallery {', '.join(map(str, gone))} was deleted "
                                   "since; it cannot be put back there")
                    target = tuple(g for g in target if g in existing_galleries)
                    if _same(ch.field, current, target):
                        continue
            updates.setdefault(ch.asset_id, {})[ch.field] = target
            current_row[ch.field] = target  # a later row of the same field sees this value
            applied.append((ch.asset_id, ch.field, current, target))
        write_fields(catalog, updates)
        if to_old:       # undo: assets leave a gallery before it goes
            objects_touched += _revert_objects(catalog, list(reversed(objects)), to_old=True, skipped=skipped)
        history.set_undone(op_id, to_old)
    return EditResult(op_id, applied, skipped,
                      _changes_for(applied) | _object_changes(objects_touched) | Changes(history=True))


def undo(catalog: Catalog) -> EditResult | None:
    """Undo the most recent live operation (survives restarts: history is in the catalog)."""
    return _revert(catalog, HistoryStore.last_undoable, to_old=True)


def redo(catalog: Catalog) -> EditResult | None:
    return _revert(catalog, HistoryStore.next_redoable, to_old=False)


# -- batch changes with a preview ----------------------------------------------------------

@dataclass(frozen=True)
class BatchResult:
    """What a batch change would do (``preview``) and, unless it was a dry run, what it did.

    ``preview`` lists every (asset id, field, old value, new value) that differs from the
    catalog; ``operation_id`` is the undoable operation (None for a dry run or no change);
    ``problems`` are per-asset or per-row messages (nothing was guessed for them)."""

    preview: list[tuple[int, str, Any, Any]] = field(default_factory=list)
    operation_id: int | None = None
    dry_run: bool = False
    changes: Changes = Changes()
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return self.operation_id is not None

    @property
    def assets(self) -> list[int]:
        return list(dict.fromkeys(p[0] for p in self.preview))

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run, "operation_id": self.operation_id,
            "changed_assets": len(self.assets), "changed_fields": len(self.preview),
            "changes": [{"asset_id": a, "field": f, "old": _jsonable(o), "new": _jsonable(n)}
                        for a, f, o, n in self.preview],
            "problems": list(self.problems), "warnings": list(self.warnings),
        }


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def preview_edits(catalog: Catalog, edits: Mapping[int, Mapping[str, Any]]) -> list[tuple[int, str, Any, Any]]:
    """The (asset, field, old, new) changes ``apply_edits`` would record, without writing."""
    names: dict[str, None] = {}
    for fields_ in edits.values():
        unknown = set(fields_) - EDITABLE
        if unknown:
            raise InvalidInput(f"not editable field(s): {', '.join(sorted(unknown))}")
        names.update(dict.fromkeys(fields_))
    current_all = read_fields(catalog, list(edits), names)
    out: list[tuple[int, str, Any, Any]] = []
    for asset_id, values in edits.items():
        current = current_all.get(asset_id)
        if current is None:
            continue
        for name, new in values.items():
            new = normalise(name, new)
            old = normalise(name, current.get(name))
            if not _same(name, old, new):
                out.append((asset_id, name, old, new))
    return out


@contextlib.contextmanager
def batch_scope(catalog: Catalog, *, dry_run: bool) -> Iterator[None]:
    """Hold the catalog's write lock while a batch reads current values and writes new ones.

    Tagging, templates and find-and-replace compute each new value from the current one. Read
    outside the write transaction, another program's commit between the read and the write
    would be overwritten (a lost update: two ``tag add`` runs at once kept only one keyword).
    A dry run writes nothing and takes no lock."""
    if dry_run:
        yield
        return
    with catalog.transaction():
        yield


def run_batch(catalog: Catalog, edits: Mapping[int, Mapping[str, Any]], *, kind: str,
              description: str, dry_run: bool = False, problems: list[str] | None = None,
              warnings: list[str] | None = None) -> BatchResult:
    """Preview ``edits`` (dry run) or apply them as one undoable operation."""
    problems = list(problems or [])
    warnings = list(warnings or [])
    if dry_run:
        preview = preview_edits(catalog, edits)
        return BatchResult(preview, None, True, Changes(), problems, warnings)
    result = apply_edits(catalog, edits, kind=kind, description=description)
    return BatchResult(list(result.changed), result.operation_id, False, result.changes,
                       problems, warnings)
