"""Anchoring the export ledger outside the catalog (issue 10, class 9).

The hash chain in the catalog shows edits to a ledger, but whoever can write the catalog file can
delete the newest entries and fix up the head, or rebuild the whole chain. Two anchors live
outside the catalog:

* **Bundle receipts.** Every bundle carries ``LEDGER.json`` (``mediadesk-ledger-receipt/1``): the
  ledger entry id, that entry's chain hash, the SHA-256 of the bundle's manifest.json and the
  catalog's id. ``ledger --verify --bundle PATH`` proves the entry is still in the ledger with that
  hash and that the bundle's manifest is the one it records.
* **The newest head this machine saw**, per catalog id, in the user's state folder
  (``ledger-heads.json``): ``ledger --verify`` reports a ledger that now ends before it, or whose
  entry at that id has a different hash.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.ledger import PUBLISH_FAILED, LedgerEntry, LedgerStore
from mediadesk.fsutil import atomic_write_bytes
from mediadesk.paths import state_dir
from mediadesk.services.bundle_manifest import LEDGER_FORMAT, ReceiptRefused, read_receipt
from mediadesk.services.bundle_reader import BundleSource, BundleUnreadable, MemberError, Refusal

RECEIPT_NAME = "LEDGER.json"
RECEIPT_FORMAT = LEDGER_FORMAT
MANIFEST_NAME = "manifest.json"
MAX_RECEIPT_BYTES = 64 << 10
MAX_MANIFEST_BYTES = 1 << 30
HEADS_FILE = "ledger-heads.json"
HEADS_FORMAT = "mediadesk-ledger-heads/1"
MAX_HEADS_BYTES = 4 << 20


def receipt_bytes(entry: LedgerEntry, catalog_id: str) -> bytes:
    """LEDGER.json for a bundle whose ledger entry is ``entry``."""
    return (json.dumps({"format": RECEIPT_FORMAT, "entry_id": entry.id, "chain_hash": entry.entry_hash,
                        "manifest_sha256": entry.manifest_sha256, "catalog_id": catalog_id},
                       indent=2) + "\n").encode("utf-8")


# -- the heads this machine saw -----------------------------------------------------------------

def _heads_path() -> Path:
    return state_dir() / HEADS_FILE


def _load_heads() -> dict[str, dict[str, Any]]:
    path = _heads_path()
    try:
        if path.stat().st_size > MAX_HEADS_BYTES:
            return {}
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    heads = data.get("catalogs") if isinstance(data, dict) and data.get("format") == HEADS_FORMAT else None
    return {k: v for k, v in heads.items() if isinstance(v, dict)} if isinstance(heads, dict) else {}


def remember_head(catalog_id: str | None, entry_id: int, chain_hash: str, catalog_path: str) -> None:
    """Note the newest entry of a catalog's ledger as seen on this machine (never lowered)."""
    if not catalog_id:
        return
    heads = _load_heads()
    seen = heads.get(catalog_id) or {}
    if isinstance(seen.get("entry_id"), int) and seen["entry_id"] > entry_id:
        return
    heads[catalog_id] = {"entry_id": entry_id, "chain_hash": chain_hash, "catalog": catalog_path,
                         "seen_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    path = _heads_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps({"format": HEADS_FORMAT, "catalogs": heads},
                                            indent=1, sort_keys=True).encode("utf-8"))
    except OSError:
        pass   # the anchor is a second line of defence; an unwritable state folder must not stop work


def head_problems(store: LedgerStore, catalog_id: str | None) -> list[str]:
    """The ledger compared with the newest head this machine saw for this catalog."""
    seen = _load_heads().get(catalog_id or "")
    if not seen or not isinstance(seen.get("entry_id"), int) or not isinstance(seen.get("chain_hash"), str):
        return []
    seen_id, seen_hash, when = seen["entry_id"], seen["chain_hash"], seen.get("seen_at", "?")
    head = store.head()
    last_id = head[0] if head and isinstance(head[0], int) else 0
    if last_id < seen_id:
        return [f"the ledger goes backwards: this machine saw entry {seen_id} (chain hash "
                f"{seen_hash[:16]}…) on {when}, but the ledger now ends at entry {last_id}: entries "
                "were removed, or an older copy of the catalog was put back"]
    entry = store.get(seen_id)
    if entry is None or entry.entry_hash != seen_hash:
        return [f"ledger entry {seen_id} is not the one this machine saw on {when} (chain hash "
                f"{seen_hash[:16]}…): the ledger was rewritten"]
    return []


# -- bundle receipts -----------------------------------------------------------------------------

@dataclass
class ReceiptCheck:
    bundle: str
    receipt: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"bundle": self.bundle, "receipt": self.receipt, "ok": not self.problems,
                "problems": self.problems, "notes": self.notes}


_REFUSED = {
    "special": "{name} is not a regular file ({detail}); it was not opened",
    "method": "{name} uses a compression method mediadesk never writes ({detail}); it was not read",
    "duplicate": "{name} appears {detail} times in the zip",
    "encrypted": "{name} is encrypted; mediadesk never encrypts a bundle",
}


def _refused(name: str, refusal: Refusal, problems: list[str]) -> str:
    text = _REFUSED.get(refusal.code)
    if text:
        return text.format(name=name, detail=refusal.detail)
    return next((p for p in problems if p.startswith(name)), f"{name} cannot be read")


def _read_bundle(source: BundleSource) -> tuple[bytes, str]:
    """(LEDGER.json bytes, SHA-256 of manifest.json), read within bounds (services/bundle_reader.py);
    ValueError or MemberError says what stood in the way."""
    for name in (RECEIPT_NAME, MANIFEST_NAME):
        refusal = source.refusals.get(name)
        if refusal is not None:
            raise ValueError(_refused(name, refusal, source.problems))
        if name not in source.members:
            raise FileNotFoundError(name)
    if source.size(MANIFEST_NAME) > MAX_MANIFEST_BYTES:
        raise ValueError(f"{MANIFEST_NAME} is {source.size(MANIFEST_NAME):,} bytes, more than a mediadesk "
                         "bundle holds")
    return source.read(RECEIPT_NAME, MAX_RECEIPT_BYTES, what="the ledger receipt"), source.sha256(MANIFEST_NAME)


def check_receipt(catalog: Catalog, bundle: str | os.PathLike) -> ReceiptCheck:
    """Does this catalog's ledger still hold the entry the bundle's LEDGER.json names, with the
    same chain hash, and is the bundle's manifest.json the one that entry records?"""
    path = Path(bundle)
    check = ReceiptCheck(str(path))
    try:
        source = BundleSource(path)
    except BundleUnreadable as exc:
        check.problems.append(f"{path}: {exc}")
        return check
    try:
        data, manifest_sha256 = _read_bundle(source)
        found = read_receipt(data)
    except FileNotFoundError as exc:
        check.problems.append(f"{path}: {exc.args[0]} not found: not a bundle mediadesk published with a "
                              "ledger receipt")
        return check
    except ReceiptRefused as exc:
        check.problems.append(f"{path}: {RECEIPT_NAME} is not readable JSON within mediadesk's bounds ({exc})"
                              if exc.unreadable else f"{path}: {exc}")
        return check
    except (ValueError, MemberError) as exc:
        check.problems.append(f"{path}: {exc}")
        return check
    finally:
        source.close()
    receipt = check.receipt = {"format": RECEIPT_FORMAT, **found.to_json()}
    store = catalog.ledger
    own_id = store.catalog_id()
    if receipt["catalog_id"] != own_id:
        check.problems.append(f"the bundle's receipt names catalog {receipt['catalog_id']}, this is "
                              f"catalog {own_id or '(without an id)'}: check it against the catalog "
                              "that exported it")
        return check
    entry = store.get(receipt["entry_id"])
    if entry is None:
        check.problems.append(f"ledger entry {receipt['entry_id']} named by the bundle is not in the "
                              "ledger: it was deleted")
        return check
    if entry.entry_hash != receipt["chain_hash"]:
        check.problems.append(f"ledger entry {entry.id} has another chain hash than the bundle's "
                              "receipt records: the ledger was rewritten")
    if entry.manifest_sha256 != receipt["manifest_sha256"]:
        check.problems.append(f"ledger entry {entry.id} records another manifest than the bundle's "
                              "receipt: the ledger or the receipt was changed")
    if manifest_sha256 != receipt["manifest_sha256"]:
        check.problems.append(f"the bundle's {MANIFEST_NAME} is not the one ledger entry {entry.id} "
                              "records: the bundle was changed")
    for later in store.list():
        if (later.event == PUBLISH_FAILED and isinstance(later.detail, dict)
                and later.detail.get("entry") == entry.id):
            check.notes.append(f"ledger entry {later.id} records that publishing this bundle failed: "
                               f"{later.detail.get('reason', '?')}")
    return check
