"""The export ledger: one entry per export, chained by hashes so edits and deletions show.

Each entry's hash is the SHA-256 of a canonical JSON of the entry (every column but the hash
itself, including ``prev_hash``, the previous entry's hash). Changing any stored value breaks
that entry's hash; deleting an entry breaks the next entry's ``prev_hash``; deleting the newest
entries is caught by the head (last id and hash) kept in ``settings``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from mediadesk.catalog.assets import now_iso
from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import InvalidInput

GENESIS = "0" * 64
HEAD_KEY = "export_ledger.head"


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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at, "who": self.who, "purpose": self.purpose,
            "recipient": self.recipient, "bundle": self.bundle, "assets": self.assets,
            "blocked": self.blocked, "manifest_sha256": self.manifest_sha256,
            "prev_hash": self.prev_hash, "entry_hash": self.entry_hash,
        }


def _canonical(entry_id: int, at: str, who: str, purpose: str, recipient: str | None, bundle: str,
               assets_json: str, blocked_json: str, manifest_sha256: str, prev_hash: str) -> bytes:
    """The bytes an entry hash covers; the JSON columns enter as their stored text."""
    body = {
        "id": entry_id, "at": at, "who": who, "purpose": purpose, "recipient": recipient,
        "bundle": bundle, "assets": assets_json, "blocked": blocked_json,
        "manifest_sha256": manifest_sha256, "prev_hash": prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _hash_row(row) -> str:
    return hashlib.sha256(_canonical(
        row["id"], row["at"], row["who"], row["purpose"], row["recipient"], row["bundle"],
        row["assets"], row["blocked"], row["manifest_sha256"], row["prev_hash"],
    )).hexdigest()


def _entry(row) -> LedgerEntry:
    def load(text: str, fallback: Any) -> Any:
        try:
            return json.loads(text)
        except (TypeError, ValueError):
            return fallback
    return LedgerEntry(
        id=row["id"], at=row["at"], who=row["who"], purpose=row["purpose"],
        recipient=row["recipient"], bundle=row["bundle"], assets=load(row["assets"], []),
        blocked=load(row["blocked"], []), manifest_sha256=row["manifest_sha256"],
        prev_hash=row["prev_hash"], entry_hash=row["entry_hash"],
    )


class LedgerStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def list(self, limit: int | None = None) -> list[LedgerEntry]:
        sql = "SELECT * FROM export_ledger ORDER BY id"
        params: tuple = ()
        if limit is not None:
            sql = f"SELECT * FROM ({sql} DESC LIMIT ?) ORDER BY id"
            params = (limit,)
        return [_entry(r) for r in self.catalog.query(sql, params)]

    def get(self, entry_id: int) -> LedgerEntry | None:
        rows = self.catalog.query("SELECT * FROM export_ledger WHERE id = ?", (entry_id,))
        return _entry(rows[0]) if rows else None

    def append(self, *, who: str, purpose: str, recipient: str | None, bundle: str,
               assets: list[int], blocked: list[dict[str, Any]], manifest_sha256: str,
               at: str | None = None) -> LedgerEntry:
        """Add an entry chained to the newest one (one transaction with the head update)."""
        if not who or not purpose or not bundle or len(manifest_sha256) != 64:
            raise InvalidInput("a ledger entry needs who, purpose, bundle and a SHA-256 manifest checksum")
        at = at or now_iso()
        assets_json = json.dumps([int(a) for a in assets])
        blocked_json = json.dumps(blocked, ensure_ascii=False, sort_keys=True)
        with self.catalog.transaction() as conn:
            last = conn.execute(
                "SELECT id, entry_hash FROM export_ledger ORDER BY id DESC LIMIT 1").fetchone()
            entry_id = (last[0] + 1) if last else 1
            prev_hash = last[1] if last else GENESIS
            entry_hash = hashlib.sha256(_canonical(
                entry_id, at, who, purpose, recipient, bundle, assets_json, blocked_json,
                manifest_sha256, prev_hash)).hexdigest()
            conn.execute(
                "INSERT INTO export_ledger (id, at, who, purpose, recipient, bundle, assets, blocked,"
                " manifest_sha256, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry_id, at, who, purpose, recipient, bundle, assets_json, blocked_json,
                 manifest_sha256, prev_hash, entry_hash),
            )
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (HEAD_KEY, f"{entry_id}:{entry_hash}"),
            )
        return self.get(entry_id)

    def verify(self) -> list[str]:
        """Every problem found in the chain, each naming the entry; [] when intact."""
        problems: list[str] = []
        prev_hash = GENESIS
        expected_id = 1
        last_id, last_hash = 0, GENESIS
        for row in self.catalog.query("SELECT * FROM export_ledger ORDER BY id"):
            entry_id = row["id"]
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
