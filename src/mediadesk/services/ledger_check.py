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

import hashlib
import json
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.ledger import PUBLISH_FAILED, LedgerEntry, LedgerStore
from mediadesk.fsutil import atomic_write_bytes
from mediadesk.paths import state_dir

RECEIPT_NAME = "LEDGER.json"
RECEIPT_FORMAT = "mediadesk-ledger-receipt/1"
RECEIPT_KEYS = ("format", "entry_id", "chain_hash", "manifest_sha256", "catalog_id")
MANIFEST_NAME = "manifest.json"
MAX_RECEIPT_BYTES = 64 << 10
MAX_MANIFEST_BYTES = 1 << 30
HEADS_FILE = "ledger-heads.json"
HEADS_FORMAT = "mediadesk-ledger-heads/1"
MAX_HEADS_BYTES = 4 << 20
_CHUNK = 1 << 20
_HEX = frozenset("0123456789abcdef")


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
                         "seen_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
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


def _read_folder_member(folder: Path, name: str, cap: int, hash_only: bool) -> bytes | str:
    path = folder / name
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"{name} is not a regular file")
    if st.st_size > cap:
        raise ValueError(f"{name} is {st.st_size:,} bytes, more than a mediadesk bundle holds")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        return _consume(fh, cap, hash_only, name)


def _consume(fh, cap: int, hash_only: bool, name: str) -> bytes | str:
    h = hashlib.sha256()
    kept = bytearray()
    total = 0
    while True:
        block = fh.read(min(_CHUNK, cap + 1 - total))
        if not block:
            break
        total += len(block)
        if total > cap:
            raise ValueError(f"{name} holds more than a mediadesk bundle allows")
        h.update(block)
        if not hash_only:
            kept += block
    return h.hexdigest() if hash_only else bytes(kept)


def _read_zip_member(zf: zipfile.ZipFile, name: str, cap: int, hash_only: bool) -> bytes | str:
    infos = [i for i in zf.infolist() if i.filename == name]
    if not infos:
        raise FileNotFoundError(name)
    if len(infos) > 1:
        raise ValueError(f"{name} appears {len(infos)} times in the zip")
    info = infos[0]
    if info.flag_bits & 0x1:
        raise ValueError(f"{name} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{name} uses a compression method mediadesk never writes ({info.compress_type})")
    if info.file_size > cap:
        raise ValueError(f"{name} declares {info.file_size:,} bytes, more than a mediadesk bundle holds")
    with zf.open(info) as fh:
        return _consume(fh, min(cap, info.file_size), hash_only, name)


def _read_bundle(path: Path) -> tuple[bytes, str]:
    """(LEDGER.json bytes, SHA-256 of manifest.json) of a bundle folder or zip, bounded."""
    if path.is_dir():
        receipt = _read_folder_member(path, RECEIPT_NAME, MAX_RECEIPT_BYTES, False)
        manifest = _read_folder_member(path, MANIFEST_NAME, MAX_MANIFEST_BYTES, True)
    else:
        with zipfile.ZipFile(path) as zf:
            receipt = _read_zip_member(zf, RECEIPT_NAME, MAX_RECEIPT_BYTES, False)
            manifest = _read_zip_member(zf, MANIFEST_NAME, MAX_MANIFEST_BYTES, True)
    return receipt, manifest   # type: ignore[return-value]


def parse_receipt(data: bytes) -> dict[str, Any]:
    """The receipt's fields; ValueError says what is wrong."""
    try:
        receipt = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValueError(f"{RECEIPT_NAME} is not readable JSON") from None
    if not isinstance(receipt, dict) or receipt.get("format") != RECEIPT_FORMAT:
        raise ValueError(f"{RECEIPT_NAME} is not a mediadesk ledger receipt ({RECEIPT_FORMAT})")
    if sorted(receipt) != sorted(RECEIPT_KEYS):
        raise ValueError(f"{RECEIPT_NAME} has other fields than {', '.join(RECEIPT_KEYS)}")
    entry_id = receipt["entry_id"]
    if type(entry_id) is not int or not 1 <= entry_id < 2**63:
        raise ValueError(f"{RECEIPT_NAME}: entry_id is not a ledger entry id")
    for key in ("chain_hash", "manifest_sha256"):
        value = receipt[key]
        if not isinstance(value, str) or len(value) != 64 or not set(value) <= _HEX:
            raise ValueError(f"{RECEIPT_NAME}: {key} is not a SHA-256 in hex")
    if not isinstance(receipt["catalog_id"], str) or not 0 < len(receipt["catalog_id"]) <= 64:
        raise ValueError(f"{RECEIPT_NAME}: catalog_id is not a catalog id")
    return receipt


def check_receipt(catalog: Catalog, bundle: str | os.PathLike) -> ReceiptCheck:
    """Does this catalog's ledger still hold the entry the bundle's LEDGER.json names, with the
    same chain hash, and is the bundle's manifest.json the one that entry records?"""
    path = Path(bundle)
    check = ReceiptCheck(str(path))
    try:
        data, manifest_sha256 = _read_bundle(path)
        receipt = check.receipt = parse_receipt(data)
    except FileNotFoundError as exc:
        missing = Path(str(exc.filename or exc)).name if exc.filename else str(exc)
        check.problems.append(f"{path}: {missing or 'the bundle'} not found: not a bundle mediadesk "
                              "published with a ledger receipt")
        return check
    except (ValueError, OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
            NotImplementedError) as exc:
        check.problems.append(f"{path}: {exc}")
        return check
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
