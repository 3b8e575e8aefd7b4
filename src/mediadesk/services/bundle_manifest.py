"""A received bundle's manifest.json and LEDGER.json: parsed within bounds, every value checked
for the type mediadesk writes, every role one that mediadesk writes.

The manifest is the attacker's text as much as any file in the bundle: a wrong type must become
a finding ("entry 3: 'size' should be a whole number, not text"), never a crash further on, and a
role such as "preview" must not excuse a file from the rights check. The writer is
:func:`mediadesk.services.bundle_verify.build_documents` and ``services/export.py``
(``_manifest_entries``); this module knows what they write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mediadesk.services.bounded_json import JsonRefused, load_bounded_json

BUNDLE_FORMAT = "mediadesk-bundle"
BUNDLE_VERSION = 1
ROLES = ("media", "sidecar", "chapters")   # export.py writes exactly these
MEDIA_KINDS = ("photo", "video", "audio", "document")
CARRIERS = ("embedded", "sidecar")
MAX_DEPTH = 20                          # mediadesk's manifests nest 4 deep
VALUES_PER_MEMBER = 128                 # a media entry holds ~30 values
CONTAINERS_PER_MEMBER = 8               # an entry and its decision: 2

LEDGER_JSON = "LEDGER.json"
LEDGER_FORMAT = "mediadesk-ledger-receipt/1"
MAX_LEDGER_BYTES = 64 * 1024

MAX_TEXT = 1 << 20                      # characters of one manifest value (captions: ~200,000)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TEXT, _INT, _BOOL, _DICT, _LIST = "text", "a whole number", "true or false", "an object", "a list"
_OPTIONAL = object()


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


def _is(value: Any, kind: str) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _DICT:
        return isinstance(value, dict)
    return isinstance(value, list)


# field -> (type, may be null)
_TOP: dict[str, tuple[str, bool]] = {
    "format": (_TEXT, False), "version": (_INT, False), "files": (_LIST, False),
    "purpose": (_TEXT, False), "recipient": (_TEXT, True), "created_at": (_TEXT, False),
    "created_by": (_TEXT, True), "generator": (_TEXT, True), "mode": (_TEXT, True),
    "rendition": (_DICT, True), "rights_file": (_DICT, False),
}
_COMMON: dict[str, tuple[str, bool]] = {
    "file": (_TEXT, False), "role": (_TEXT, False), "sha256": (_TEXT, False), "size": (_INT, False),
    "asset_id": (_INT, True), "caption": (_TEXT, True), "credit": (_TEXT, True),
    "copyright": (_TEXT, True), "usage_terms": (_TEXT, True), "rights_profile": (_TEXT, True),
    "decision": (_DICT, True),
}
_MEDIA: dict[str, tuple[str, bool]] = {
    "kind": (_TEXT, False), "carrier": (_TEXT, False), "sidecar": (_TEXT, True),
    "embedded_xmp": (_BOOL, True), "pixels": (_TEXT, True), "width": (_INT, True),
    "height": (_INT, True), "title": (_TEXT, True), "source_file": (_TEXT, True),
    "source_sha256": (_TEXT, True),
}
_SIDECAR: dict[str, tuple[str, bool]] = {"for": (_TEXT, False)}
_DECISION: dict[str, tuple[str, bool]] = {
    "code": (_TEXT, True), "allowed": (_BOOL, True), "reason": (_TEXT, True), "purpose": (_TEXT, True),
}


def _type_problems(obj: dict[str, Any], spec: dict[str, tuple[str, bool]], where: str) -> list[str]:
    out = []
    for key, (kind, nullable) in spec.items():
        if key not in obj:
            if not nullable:
                out.append(f"{where}: '{key}' is missing")
            continue
        value = obj[key]
        if value is None and nullable:
            continue
        if not _is(value, kind):
            out.append(f"{where}: '{key}' should be {kind}, not {_type_name(value)}")
        elif kind == _TEXT and len(value) > MAX_TEXT:
            out.append(f"{where}: '{key}' is {len(value):,} characters long, more than the "
                       f"{MAX_TEXT:,} mediadesk writes")
    return out


@dataclass
class Manifest:
    """A manifest whose top level is sound; ``entries`` are the file entries that are, and
    ``named`` every file name an entry gives (sound or not), so that none is called unlisted."""

    data: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)
    named: set[str] = field(default_factory=set)
    complete: bool = True               # every entry is sound (manifest.csv can be compared)


def parse_manifest(data: bytes, *, members: int, max_bytes: int, problems: list[str],
                   safe_name: Callable[[str], bool]) -> Manifest | None:
    """The manifest of a bundle with ``members`` entries, or None when it cannot be used at all;
    every finding is appended to ``problems``. ``safe_name`` tells plain member names."""
    try:
        value = load_bounded_json(
            data, what="manifest.json", max_bytes=max_bytes, max_depth=MAX_DEPTH,
            max_values=VALUES_PER_MEMBER * (members + 1) + 10_000,
            max_containers=CONTAINERS_PER_MEMBER * (members + 1) + 100)
    except JsonRefused as exc:
        problems.append(f"{exc}; it was not used")
        return None
    if not isinstance(value, dict) or value.get("format") != BUNDLE_FORMAT:
        problems.append("manifest.json is not a mediadesk bundle manifest")
        return None
    if value.get("version") != BUNDLE_VERSION:
        version = value.get("version")
        shown = repr(version)[:40] if isinstance(version, (int, str)) else _type_name(version)
        problems.append(f"manifest.json has bundle version {shown}; this mediadesk reads version "
                        f"{BUNDLE_VERSION}")
        return None
    top = _type_problems(value, _TOP, "manifest.json")
    if isinstance(value.get("rights_file"), dict):
        top += _type_problems(value["rights_file"], {"file": (_TEXT, False), "sha256": (_TEXT, False)},
                              "manifest.json rights_file")
    problems.extend(top)
    if not isinstance(value.get("files"), list):
        return None
    manifest = Manifest(value, complete=not top)
    seen: set[str] = set()
    for n, entry in enumerate(value["files"], 1):
        entry_problems = _entry_problems(entry, n, safe_name)
        name = entry.get("file") if isinstance(entry, dict) else None
        if isinstance(name, str) and safe_name(name):
            if name in seen:
                entry_problems.append(f"{name}: listed twice in the manifest")
            seen.add(name)
            manifest.named.add(name)
        if entry_problems:
            problems.extend(entry_problems)
            manifest.complete = False
        else:
            manifest.entries.append(entry)
    return manifest


def _entry_problems(entry: Any, n: int, safe_name: Callable[[str], bool]) -> list[str]:
    if not isinstance(entry, dict):
        return [f"manifest entry {n}: should be an object, not {_type_name(entry)}"]
    name = entry.get("file")
    if not isinstance(name, str) or not safe_name(name):
        shown = repr(name)[:80] if isinstance(name, str) else _type_name(name)
        return [f"manifest entry {n}: unsafe or missing file name {shown}"]
    where = f"manifest entry {n} ({name})"
    out = _type_problems(entry, _COMMON, where)
    role = entry.get("role")
    if isinstance(role, str) and role not in ROLES:
        out.append(f"{name}: role {role[:40]!r} is not one mediadesk writes ({', '.join(ROLES)}); "
                   "a manifest cannot excuse a file from the rights check")
    elif role == "media":
        out += _type_problems(entry, _MEDIA, where)
        if isinstance(entry.get("kind"), str) and entry["kind"] not in MEDIA_KINDS:
            out.append(f"{where}: kind {entry['kind'][:40]!r} is not one mediadesk exports "
                       f"({', '.join(MEDIA_KINDS)})")
        if isinstance(entry.get("carrier"), str) and entry["carrier"] not in CARRIERS:
            out.append(f"{name}: unknown metadata carrier {entry['carrier'][:40]!r} in the manifest")
    elif role in ("sidecar", "chapters"):   # a chapters file names its video in "for" too
        out += _type_problems(entry, _SIDECAR, where)
    if isinstance(entry.get("sha256"), str) and not _HEX64.fullmatch(entry["sha256"]):
        out.append(f"{where}: 'sha256' is not a SHA-256 (64 hex digits)")
    if _is(entry.get("size"), _INT) and entry["size"] < 0:
        out.append(f"{where}: 'size' is negative")
    if isinstance(entry.get("decision"), dict):
        out += _type_problems(entry["decision"], _DECISION, f"{where} decision")
    return out


@dataclass(frozen=True)
class LedgerReceipt:
    entry_id: int
    chain_hash: str
    manifest_sha256: str
    catalog_id: str

    def to_json(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "chain_hash": self.chain_hash,
                "manifest_sha256": self.manifest_sha256, "catalog_id": self.catalog_id}


class ReceiptRefused(ValueError):
    """LEDGER.json is not a receipt mediadesk can use; ``findings`` say why, ``unreadable``:
    it is not JSON within the bounds (too big, too deep, not UTF-8, not JSON)."""

    def __init__(self, findings: list[str], *, unreadable: bool = False) -> None:
        super().__init__("; ".join(findings))
        self.findings = findings
        self.unreadable = unreadable


def read_receipt(data: bytes) -> LedgerReceipt:
    """The receipt's fields, read within bounds and checked (the one receipt parser: ``verify``
    and ``ledger --verify --bundle`` both use it); ReceiptRefused says what is wrong."""
    try:
        value = load_bounded_json(data, what=LEDGER_JSON, max_bytes=MAX_LEDGER_BYTES, max_depth=4,
                                  max_values=64, max_containers=8)
    except JsonRefused as exc:
        raise ReceiptRefused([str(exc)], unreadable=True) from None
    if not isinstance(value, dict) or value.get("format") != LEDGER_FORMAT:
        raise ReceiptRefused([f"{LEDGER_JSON} is not a mediadesk ledger receipt ({LEDGER_FORMAT})"])
    spec = {"entry_id": (_INT, False), "chain_hash": (_TEXT, False),
            "manifest_sha256": (_TEXT, False), "catalog_id": (_TEXT, False)}
    found = _type_problems(value, spec, LEDGER_JSON)
    if not found:
        if value["entry_id"] < 1:
            found.append(f"{LEDGER_JSON}: 'entry_id' must be 1 or more")
        elif value["entry_id"] >= 2**63:
            found.append(f"{LEDGER_JSON}: 'entry_id' is larger than any ledger entry id")
        for key in ("chain_hash", "manifest_sha256"):
            if not _HEX64.fullmatch(value[key]):
                found.append(f"{LEDGER_JSON}: '{key}' is not a SHA-256 (64 hex digits)")
        if not 0 < len(value["catalog_id"]) <= 200:
            found.append(f"{LEDGER_JSON}: 'catalog_id' is not a catalog id")
    if found:
        raise ReceiptRefused(found)
    return LedgerReceipt(value["entry_id"], value["chain_hash"], value["manifest_sha256"],
                         value["catalog_id"])


def parse_receipt(data: bytes, manifest_sha256: str, problems: list[str]) -> LedgerReceipt | None:
    """The bundle's ledger receipt (LEDGER.json: the export's ledger entry id and chain hash),
    checked against the manifest it was written for; findings go to ``problems``."""
    try:
        receipt = read_receipt(data)
    except ReceiptRefused as exc:
        if exc.unreadable:
            problems.append(f"{exc}; the ledger receipt was not used")
        else:
            problems.extend(exc.findings)
        return None
    if receipt.manifest_sha256 != manifest_sha256:
        problems.append(f"{LEDGER_JSON} was written for another manifest (its manifest_sha256 is not "
                        "manifest.json's): the receipt does not belong to this bundle")
        return None
    return receipt
