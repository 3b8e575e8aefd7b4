"""Edit history: every field change with old and new value, grouped in operations.

Linear undo over a permanent record: undoing marks an operation undone (the rows stay, for the
audit trail); a new operation makes older undone operations no longer redoable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mediadesk.catalog.assets import now_iso
from mediadesk.catalog.connection import Catalog


@dataclass(frozen=True)
class Operation:
    id: int
    at: str
    kind: str
    description: str
    undone: bool
    count: int = 0


@dataclass(frozen=True)
class FieldChange:
    operation_id: int
    asset_id: int
    field: str
    old: Any
    new: Any
    at: str = ""
    kind: str = ""
    description: str = ""
    undone: bool = False


def _dump(value: Any) -> str:
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


class HistoryStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def start(self, kind: str, description: str) -> int:
        cur = self.catalog.conn.execute(
            "INSERT INTO edit_operations (at, kind, description) VALUES (?, ?, ?)",
            (now_iso(), kind, description),
        )
        return cur.lastrowid

    def record_many(self, operation_id: int, rows: list[tuple[int, str, Any, Any]]) -> None:
        self.catalog.conn.executemany(
            "INSERT INTO edit_history (operation_id, asset_id, field, old_value, new_value)"
            " VALUES (?, ?, ?, ?, ?)",
            [(operation_id, aid, f, _dump(old), _dump(new)) for aid, f, old, new in rows],
        )

    def discard_if_empty(self, operation_id: int) -> bool:
        if self.catalog.scalar("SELECT 1 FROM edit_history WHERE operation_id = ? LIMIT 1", (operation_id,)):
            return False
        self.catalog.conn.execute("DELETE FROM edit_operations WHERE id = ?", (operation_id,))
        return True

    def changes_of(self, operation_id: int) -> list[FieldChange]:
        rows = self.catalog.conn.execute(
            "SELECT operation_id, asset_id, field, old_value, new_value FROM edit_history"
            " WHERE operation_id = ? ORDER BY id", (operation_id,)
        )
        return [FieldChange(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4])) for r in rows]

    def set_undone(self, operation_id: int, undone: bool) -> None:
        self.catalog.conn.execute(
            "UPDATE edit_operations SET undone = ? WHERE id = ?", (1 if undone else 0, operation_id)
        )

    def get(self, operation_id: int) -> Operation | None:
        row = self.catalog.conn.execute(
            "SELECT o.id, o.at, o.kind, o.description, o.undone,"
            " (SELECT count(*) FROM edit_history h WHERE h.operation_id = o.id)"
            " FROM edit_operations o WHERE o.id = ?", (operation_id,)
        ).fetchone()
        return Operation(row[0], row[1], row[2], row[3], bool(row[4]), row[5]) if row else None

    def last_undoable(self) -> Operation | None:
        op_id = self.catalog.scalar("SELECT max(id) FROM edit_operations WHERE undone = 0")
        return self.get(op_id) if op_id else None

    def next_redoable(self) -> Operation | None:
        """The oldest undone operation newer than every live one."""
        op_id = self.catalog.scalar(
            "SELECT min(id) FROM edit_operations WHERE undone = 1"
            " AND id > coalesce((SELECT max(id) FROM edit_operations WHERE undone = 0), 0)"
        )
        return self.get(op_id) if op_id else None

    def operations(self, limit: int = 50) -> list[Operation]:
        rows = self.catalog.conn.execute(
            "SELECT o.id, o.at, o.kind, o.description, o.undone,"
            " (SELECT count(*) FROM edit_history h WHERE h.operation_id = o.id)"
            " FROM edit_operations o ORDER BY o.id DESC LIMIT ?", (limit,)
        )
        return [Operation(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    def for_asset(self, asset_id: int, field: str | None = None) -> list[FieldChange]:
        sql = (
            "SELECT h.operation_id, h.asset_id, h.field, h.old_value, h.new_value, o.at, o.kind,"
            " o.description, o.undone FROM edit_history h JOIN edit_operations o ON o.id = h.operation_id"
            " WHERE h.asset_id = ?"
        )
        params: list = [asset_id]
        if field:
            sql += " AND h.field = ?"
            params.append(field)
        rows = self.catalog.conn.execute(sql + " ORDER BY h.id", params)
        return [FieldChange(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6], r[7],
                            bool(r[8])) for r in rows]
