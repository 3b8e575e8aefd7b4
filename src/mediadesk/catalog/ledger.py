"""The export ledger: one entry per export, chained by hashes so edits and deletions show.

Each entry's hash is the SHA-256 of a canonical JSON of the entry (every column but the hash
itself, including ``prev_hash``, the previous entry's hash; ``event`` and ``detail`` only when
set, so entries written before schema 3 keep their hashes). Changing any stored value breaks
that entry's hash; deleting an entry breaks the next entry's ``prev_hash``; deleting the newest
entries is caught by the head (last id and hash) kept in ``settings``. A table whose columns were
dropped or retyped, or values of the wrong type, are reported as tampering, never a crash.

Someone who can write the catalog can still recompute the whole chain; the anchors outside the
catalog are the bundle receipts (LEDGER.json: entry id and chain hash) and the newest head this
machine saw (services/ledger_check.py).
"""

from __future__ import annotations

import builtins
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import InvalidInput

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

GENESIS = "0" * 64
HEAD_KEY = "export_ledger.head"
CATALOG_ID_KEY = "catalog.id"
PUBLISH_FAILED = "publish-failed"
# column -> declared type, as the migrations make the table (event/detail from schema 3)
COLUMNS: dict[str, str] = {
    "id": "INTEGER", "at": "TEXT", "who": "TEXT", "purpose": "TEXT", "recipient": "TEXT",
    "bundle": "TEXT", "assets": "TEXT", "blocked": "TEXT", "manifest_sha256": "TEXT",
    "prev_hash": "TEXT", "entry_hash": "TEXT", "event": "TEXT", "detail": "TEXT",
}
LATER_COLUMNS = {"event": 3, "detail": 3}     # column -> schema version that added it
_NULLABLE = frozenset({"recipient", "event", "detail"})


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    at: str
    who: str
    purpose: str
    recipient: str | None
    bundle: str
    assets: list[int]
    blocked: list[dict[str, Any]]
    manifest_sha256: str
    prev_hash: str
    entry_hash: str
    event: str | None = None          # None: an export; "publish-failed": see detail
    detail: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at, "who": self.who, "user": self.who, "purpose": self.purpose,
            "recipient": self.recipient, "bundle": self.bundle, "assets": self.assets,
            "blocked": self.blocked, "manifest_sha256": self.manifest_sha256,
            "prev_hash": self.prev_hash, "entry_hash": self.entry_hash, "event": self.event,
            "detail": self.detail,
        }


def _canonical(entry_id: int, at: str, who: str, purpose: str, recipient: str | None, bundle: str,
               assets_json: str, blocked_json: str, manifest_sha256: str, prev_hash: str,
               event: str | None = None, detail_json: str | None = None) -> bytes:
    """The bytes an entry hash covers; the JSON columns enter as their stored text."""
    body = {
        "id": entry_id, "at": at, "who": who, "purpose": purpose, "recipient": recipient,
        "bundle": bundle, "assets": assets_json, "blocked": blocked_json,
        "manifest_sha256": manifest_sha256, "prev_hash": prev_hash,
    }
    if event is not None:
        body["event"] = event
    if detail_json is not None:
        body["detail"] = detail_json
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _columns(row: Any) -> list[str]:
    """The column names of a row (``in row`` would look among a database row's values)."""
    return list(row.keys())


def _get(row: Any, name: str) -> Any:
    return row[name] if name in _columns(row) else None


def _hash_row(row: Any) -> str:
    return hashlib.sha256(_canonical(
        row["id"], row["at"], row["who"], row["purpose"], row["recipient"], row["bundle"],
        row["assets"], row["blocked"], row["manifest_sha256"], row["prev_hash"],
        _get(row, "event"), _get(row, "detail"),
    )).hexdigest()


def _load(text: Any, fallback: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return fallback


def _entry(row: Any) -> LedgerEntry:
    return LedgerEntry(
        id=row["id"], at=row["at"], who=row["who"], purpose=row["purpose"],
        recipient=row["recipient"], bundle=row["bundle"], assets=_load(row["assets"], []),
        blocked=_load(row["blocked"], []), manifest_sha256=row["manifest_sha256"],
        prev_hash=row["prev_hash"], entry_hash=row["entry_hash"], event=_get(row, "event"),
        detail=_load(_get(row, "detail"), None),
    )


def _type_name(value: Any) -> str:
    return {int: "a number", float: "a number", bytes: "binary data (BLOB)", str: "text",
            type(None): "nothing (NULL)"}.get(type(value), type(value).__name__)


class LedgerStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def _kind(self) -> str | None:
        return self.catalog.dialect.object_kind(self.catalog.conn, "export_ledger")

    def _is_table(self) -> bool:
        return self._kind() == "table"

    def _select(self) -> str:
        have = set(self._table_columns())
        return ", ".join(c for c in COLUMNS if c in have) or "*"

    def list(self, limit: int | None = None) -> builtins.list[LedgerEntry]:
        """The entries (oldest first); rows whose values have the wrong types are left out
        (``verify`` names them)."""
        if not self._is_table():
            return []
        sql = f"SELECT {self._select()} FROM export_ledger ORDER BY id"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql = (f"SELECT * FROM (SELECT {self._select()} FROM export_ledger ORDER BY id DESC LIMIT ?)"
                   " AS newest ORDER BY id")
            params = (limit,)
        return [_entry(r) for r in self.catalog.query(sql, params) if not self._bad_values(r)]

    def get(self, entry_id: int) -> LedgerEntry | None:
        if not self._is_table():
            return None
        rows = self.catalog.query(f"SELECT {self._select()} FROM export_ledger WHERE id = ?", (entry_id,))
        return _entry(rows[0]) if rows and not self._bad_values(rows[0]) else None

    def catalog_id(self) -> str | None:
        """The random id that names this catalog in bundle receipts (made by migration 3)."""
        value = self.catalog.scalar("SELECT value FROM settings WHERE key = ?", (CATALOG_ID_KEY,))
        return value if isinstance(value, str) and value else None

    def head(self) -> tuple[int, str] | None:
        """(id, entry hash) of the newest entry."""
        row = self.catalog.execute(
            "SELECT id, entry_hash FROM export_ledger ORDER BY id DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else None

    @store_writer
    def append(self, *, who: str, purpose: str, recipient: str | None, bundle: str,
               assets: builtins.list[int], blocked: builtins.list[dict[str, Any]], manifest_sha256: str,
               at: str | None = None, event: str | None = None,
               detail: dict[str, Any] | None = None) -> LedgerEntry:
        """Add an entry chained to the newest one (one transaction with the head update; inside
        an outer transaction it joins it, so a caller can decide and record atomically)."""
        if not who or not purpose or not bundle or len(manifest_sha256) != 64:
            raise InvalidInput("a ledger entry needs who, purpose, bundle and a SHA-256 manifest checksum")
        at = at or now_iso()
        assets_json = json.dumps([int(a) for a in assets])
        blocked_json = json.dumps(blocked, ensure_ascii=False, sort_keys=True)
        detail_json = None if detail is None else json.dumps(detail, ensure_ascii=False, sort_keys=True)
        catalog = self.catalog
        if catalog.url is not None:
            # a team catalog: the server's function appends, stamping the login and its clock
            with catalog.transaction():
                row = catalog.execute(
                    "SELECT entry_id, prev_hash, entry_hash FROM mediadesk.ledger_append("
                    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (at, who, purpose, recipient, bundle, assets_json, blocked_json, manifest_sha256,
                     event, detail_json)).fetchone()
                stamped = catalog.execute("SELECT at, who FROM export_ledger WHERE id = ?", (row[0],)).fetchone()
            return _entry({"id": row[0], "at": stamped[0], "who": stamped[1], "purpose": purpose,
                           "recipient": recipient, "bundle": bundle, "assets": assets_json,
                           "blocked": blocked_json, "manifest_sha256": manifest_sha256,
                           "prev_hash": row[1], "entry_hash": row[2], "event": event,
                           "detail": detail_json})
        with catalog.transaction():
            last = catalog.execute(
                "SELECT id, entry_hash FROM export_ledger ORDER BY id DESC LIMIT 1").fetchone()
            entry_id = (last[0] + 1) if last else 1
            prev_hash = last[1] if last else GENESIS
            entry_hash = hashlib.sha256(_canonical(
                entry_id, at, who, purpose, recipient, bundle, assets_json, blocked_json,
                manifest_sha256, prev_hash, event, detail_json)).hexdigest()
            catalog.execute(
                "INSERT INTO export_ledger (id, at, who, purpose, recipient, bundle, assets, blocked,"
                " manifest_sha256, prev_hash, entry_hash, event, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry_id, at, who, purpose, recipient, bundle, assets_json, blocked_json,
                 manifest_sha256, prev_hash, entry_hash, event, detail_json),
            )
            catalog.execute(catalog.dialect.upsert("settings", ("key", "value"), ("key",)),
                            (HEAD_KEY, f"{entry_id}:{entry_hash}"))
            return _entry({"id": entry_id, "at": at, "who": who, "purpose": purpose,
                           "recipient": recipient, "bundle": bundle, "assets": assets_json,
                           "blocked": blocked_json, "manifest_sha256": manifest_sha256,
                           "prev_hash": prev_hash, "entry_hash": entry_hash, "event": event,
                           "detail": detail_json})

    # -- checking --------------------------------------------------------------------------
    def _table_columns(self) -> dict[str, str]:
        return self.catalog.dialect.table_columns(self.catalog.conn, "export_ledger")

    def structure_problems(self) -> builtins.list[str]:
        """The ledger table compared with the one mediadesk makes: dropped, retyped or added
        columns are tampering (a retyped column can hold values the hash never covered)."""
        kind = self._kind()
        if kind is None:
            return ["the ledger table (export_ledger) is missing: the ledger was removed outside mediadesk"]
        if kind != "table":
            return [f"the ledger (export_ledger) was replaced by a {kind}: tampering"]
        have = self._table_columns()
        version = self.catalog.schema_version()
        problems = []
        for name, declared in COLUMNS.items():
            if LATER_COLUMNS.get(name, 0) > version:
                continue
            if name not in have:
                problems.append(f"ledger column {name!r} was dropped: the ledger was altered outside mediadesk")
            elif have[name] != declared:
                problems.append(f"ledger column {name!r} was retyped from {declared} to "
                                f"{have[name] or 'no type'}: the ledger was altered outside mediadesk")
        for name in have:
            if name not in COLUMNS:
                problems.append(f"ledger column {name!r} was added: the ledger was altered outside mediadesk")
        return problems

    def _bad_values(self, row: Any) -> builtins.list[str]:
        """Columns of a row whose values are not of the type mediadesk writes."""
        bad = []
        for name in _columns(row):
            if name not in COLUMNS:
                continue
            value = row[name]
            wanted = int if name == "id" else str
            if value is None and name in _NULLABLE:
                continue
            if type(value) is not wanted:
                bad.append(f"{name} holds {_type_name(value)}")
        keys = set(_columns(row))
        missing = [c for c in COLUMNS if c not in keys and c not in _NULLABLE]
        return bad + [f"{c} is missing" for c in missing]

    def verify(self) -> builtins.list[str]:
        """Every problem found in the chain, each naming the entry; [] when intact."""
        problems = self.structure_problems()
        if not self._is_table():
            return problems   # a view would run its query: never read it
        prev_hash = GENESIS
        expected_id = 1
        last_id, last_hash = 0, GENESIS
        for row in self.catalog.query(f"SELECT {self._select()} FROM export_ledger ORDER BY id"):
            entry_id = row["id"] if "id" in _columns(row) else None
            bad = self._bad_values(row)
            if bad or not isinstance(entry_id, int):
                problems.append(f"ledger entry {entry_id!r}: {', '.join(bad) or 'no id'} (not what "
                                "mediadesk writes): the ledger was altered outside mediadesk")
                if isinstance(entry_id, int):
                    expected_id = entry_id + 1
                    last_id = entry_id
                entry_hash = row["entry_hash"] if "entry_hash" in _columns(row) else None
                prev_hash = last_hash = entry_hash if isinstance(entry_hash, str) else "?"
                continue
            if entry_id != expected_id:
                missing = (f"entry {expected_id}" if entry_id == expected_id + 1
                           else f"entries {expected_id}-{entry_id - 1}")
                problems.append(f"ledger {missing} missing (deleted?) before entry {entry_id}")
            if row["prev_hash"] != prev_hash:
                problems.append(f"ledger entry {entry_id}: does not follow the entry before it "
                                "(prev_hash differs: an entry before it was edited or deleted)")
            if _hash_row(row) != row["entry_hash"]:
                problems.append(f"ledger entry {entry_id}: its contents were changed after it was "
                                "written (hash does not match)")
            prev_hash = row["entry_hash"]
            expected_id = entry_id + 1
            last_id, last_hash = entry_id, row["entry_hash"]
        head = self.catalog.scalar("SELECT value FROM settings WHERE key = ?", (HEAD_KEY,))
        if head is None:
            if last_id:
                problems.append("ledger head record is missing: the ledger was altered outside mediadesk")
        else:
            head_id, _, head_hash = str(head).partition(":")
            if not head_id.isdigit() or int(head_id) != last_id or head_hash != last_hash:
                if head_id.isdigit() and int(head_id) > last_id:
                    problems.append(f"ledger entries after {last_id} up to {head_id} are missing "
                                    "(the newest entries were deleted)")
                else:
                    problems.append(f"ledger head (entry {head_id}) does not match the newest entry "
                                    f"{last_id}: the ledger was altered outside mediadesk")
        return problems
