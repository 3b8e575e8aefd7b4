"""The export bundle's format: building its documents, and checking a bundle someone received.

A bundle (a folder or a zip) holds flat files: the exported media (and ``name.ext.xmp`` sidecars for formats that
cannot carry metadata inside), ``RIGHTS.txt``, ``manifest.json``, ``manifest.csv`` and, from exports that
record it, ``LEDGER.json`` (the export's ledger entry id and chain hash; not listed in the manifest).
:func:`verify_bundle` checks: the manifest is present, within bounds and of the types mediadesk writes;
every listed file is present with its SHA-256 and size; nothing unlisted is there; RIGHTS.txt is present,
unchanged and holds every rights note; manifest.csv says what manifest.json says; every file that is a
photo, video, audio file or document (by its bytes, whatever its manifest role) is listed as media and
carries the rights note (embedded XMP usage terms, or its sidecar) equal to the manifest's, with the
caption, credit and copyright the manifest lists; a video the manifest marks ``embedded_xmp`` must carry
the same values in its own XMP box too; the ledger receipt, if any, belongs to this manifest.
Reading is bounded throughout (:mod:`.bundle_reader`, :mod:`.bounded_json`): a hostile bundle is a list
of findings, never a hang, a memory blow-up or a traceback.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.rights import RightsProfile
from mediadesk.media import read_metadata_bytes
from mediadesk.media.bmff import scan_bmff
from mediadesk.media.c2pa import manifest_in
from mediadesk.media.xmp import fields_from_xmp, parse_packet
from mediadesk.rights.policy import format_moment
from mediadesk.services.bundle_content import HEAD_BYTES, needs_rights_note, what_is
from mediadesk.services.bundle_manifest import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    LEDGER_JSON,
    MAX_LEDGER_BYTES,
    LedgerReceipt,
    Manifest,
    parse_manifest,
    parse_receipt,
)
from mediadesk.services.bundle_reader import BundleSource, BundleUnreadable, MemberError, safe_member_name

__all__ = ["BUNDLE_FORMAT", "BUNDLE_VERSION", "VerifyReport", "build_documents", "manifest_csv_bytes",
           "safe_member_name", "verify_bundle"]

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
RIGHTS_TXT = "RIGHTS.txt"
DOCUMENTS = (MANIFEST_JSON, MANIFEST_CSV, RIGHTS_TXT, LEDGER_JSON)
CHECKED_FIELDS = ("usage_terms", "caption", "credit", "copyright")
CSV_COLUMNS = ("file", "role", "asset_id", "sha256", "size", "caption", "credit", "copyright",
               "usage_terms", "decision", "purpose", "rights_profile")
# What verify reads into memory, per kind of member (a received bundle is untrusted: a member
# that declares more is refused unread; streaming checksums have no cap).
MAX_EMBEDDED_BYTES = 1 << 30      # a photo whose embedded metadata is read (its whole file)
# manifest.json and RIGHTS.txt: 8 MiB (~7,000 files' entries), or a quarter of the bytes the
# bundle's other files really occupy, up to 64 MiB. Parsed, a document takes up to 9x its size
# in memory, so a small hostile bundle cannot make verify need more than ~100 MB for them.
MAX_MANIFEST_BYTES = 8 << 20
MAX_DOCUMENT_BYTES = 64 << 20
MAX_SIDECAR_BYTES = 2 << 20       # mediadesk's sidecars are a few KB (a 200,000-character caption: ~600 KB)
MAX_PROBLEMS_SHOWN = 100
log = logging.getLogger(__name__)
_WHITESPACE = re.compile(r"\s+")
_BYTES_WHITESPACE = re.compile(rb"\s+")


def _csv_safe(value: Any) -> str:
    """Spreadsheet-safe cell: text that starts like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def manifest_csv_bytes(manifest: dict[str, Any]) -> bytes:
    """manifest.csv for a manifest: one row per file, UTF-8 with BOM (opens right in Excel)."""
    return b"".join(manifest_csv_rows(manifest))


def manifest_csv_rows(manifest: dict[str, Any]) -> Iterator[bytes]:
    """manifest.csv in pieces (the BOM and header, then a row per file): verify compares a
    received manifest.csv piece by piece instead of building it whole."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield out.getvalue().encode("utf-8-sig")
    for entry in manifest.get("files", []):
        row = dict(entry, purpose=manifest.get("purpose"),
                   decision=(entry.get("decision") or {}).get("code", ""))
        out.seek(0)
        out.truncate()
        writer.writerow([_csv_safe(row.get(c)) for c in CSV_COLUMNS])
        yield out.getvalue().encode("utf-8")


def _rights_text(entries: list[dict[str, Any]], profiles: list[RightsProfile], *, purpose: str,
                 recipient: str | None, at: datetime, who: str, version: str) -> bytes:
    media = [e for e in entries if e["role"] == "media"]
    lines = [
        "RIGHTS AND USAGE TERMS", "======================", "",
        f"Purpose declared: {purpose}",
        f"Recipient:        {recipient or '(not given)'}",
        f"Date:             {at.strftime('%Y-%m-%d %H:%M:%S %Z').strip()}",
        f"Exported by:      {who} with mediadesk {version}",
        f"Files:            {len(media)}", "",
    ]
    by_note: dict[str, list[dict[str, Any]]] = {}
    for entry in media:
        by_note.setdefault(entry["usage_terms"], []).append(entry)
    named = {p.name: p for p in profiles}
    for note, group in by_note.items():
        lines += [f"Rights note ({len(group)} file{'s' if len(group) != 1 else ''}):", f"  {note}"]
        profile = named.get(group[0].get("rights_profile") or "")
        if profile is not None:
            allowed = ", ".join(sorted(p.value for p in profile.allowed_purposes)) or "none"
            lines.append(f"  Allowed purposes: {allowed}")
            if profile.embargo_until:
                lines.append(f"  Embargoed until: {format_moment(profile.embargo_until)}")
            if profile.expires_at:
                lines.append(f"  Not to be used after: {format_moment(profile.expires_at)}")
            if profile.credit_required:
                lines.append(f"  Credit line required: {group[0].get('credit') or profile.credit_line}")
        lines.append("  Files: " + ", ".join(e["file"] for e in group))
        lines.append("")
    lines += [
        "Every file carries its rights note and caption inside (XMP xmpRights:UsageTerms,",
        "dc:rights, dc:description, photoshop:Credit, photoshop:Instructions and the IPTC-IIM",
        "equivalents), or in its XMP sidecar (name.ext.xmp) when the format cannot hold them.",
        "Videos have the sidecar; MP4 and MOV videos also carry the same XMP inside.",
        "manifest.json and manifest.csv list every file with its SHA-256.",
        "Check this bundle with:  mediadesk verify <bundle>", "",
    ]
    return "\n".join(lines).encode("utf-8")


def build_documents(entries: list[dict[str, Any]], profiles: list[RightsProfile], *, purpose: str,
                    recipient: str | None, mode: str, rendition: dict[str, Any] | None,
                    at: datetime, who: str, version: str) -> tuple[str, list[tuple[str, bytes]]]:
    """(SHA-256 of manifest.json, [(name, bytes)] of RIGHTS.txt, manifest.json, manifest.csv)."""
    rights = _rights_text(entries, profiles, purpose=purpose, recipient=recipient, at=at, who=who,
                          version=version)
    manifest = {
        "format": BUNDLE_FORMAT, "version": BUNDLE_VERSION,
        "created_at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_by": who, "generator": f"mediadesk {version}", "purpose": purpose,
        "recipient": recipient, "mode": mode, "rendition": rendition,
        "rights_file": {"file": RIGHTS_TXT, "sha256": hashlib.sha256(rights).hexdigest()},
        "files": entries,
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    documents = [(RIGHTS_TXT, rights), (MANIFEST_JSON, manifest_bytes),
                 (MANIFEST_CSV, manifest_csv_bytes(manifest))]
    return hashlib.sha256(manifest_bytes).hexdigest(), documents




def _norm(value: Any) -> str:
    """Whitespace runs as one space (a regex, not split/join: RIGHTS.txt may be megabytes)."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return _WHITESPACE.sub(" ", str(value or "")).strip()


def _document_cap(src: BundleSource) -> int:
    return max(MAX_MANIFEST_BYTES, min(MAX_DOCUMENT_BYTES, src.stored_bytes(skip=DOCUMENTS) // 4))


@dataclass
class VerifyReport:
    bundle: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_checked: int = 0
    purpose: str | None = None
    recipient: str | None = None
    created_at: str | None = None
    ledger: LedgerReceipt | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"bundle": self.bundle, "ok": self.ok, "problems": self.problems, "notes": self.notes,
                "files_checked": self.files_checked, "purpose": self.purpose,
                "recipient": self.recipient, "created_at": self.created_at,
                "ledger_receipt": self.ledger.to_json() if self.ledger else None}


def verify_bundle(path: str | os.PathLike, *, deep: bool = True) -> VerifyReport:
    """Every problem found in the bundle at ``path`` (folder or zip); ``report.ok`` when none.

    ``deep=False`` skips reading the media files (content, checksums and notes) and checks the
    rest: the export uses it on its staged bundle, whose files it hashed and read back in memory."""
    bundle = Path(path)
    report = VerifyReport(str(bundle))
    if not os.path.lexists(bundle):
        report.problems.append(f"{bundle} does not exist")
        return report
    try:
        src = BundleSource(bundle)
    except BundleUnreadable as exc:
        report.problems.append(str(exc))
        return report
    try:
        report.problems.extend(src.problems)
        reported = len(src.problems)
        cap = _document_cap(src)
        manifest_bytes = _read_document(src, MANIFEST_JSON, cap, report)
        manifest = None
        if manifest_bytes is not None:
            manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
            manifest = parse_manifest(manifest_bytes, members=len(src.members) + len(src.refused),
                                      max_bytes=cap, problems=report.problems,
                                      safe_name=safe_member_name)
            del manifest_bytes
        if manifest is not None:
            _describe(manifest.data, report)
            _check_files(src, manifest, report, deep)
            _check_documents(src, manifest, report, cap)
            _check_receipt(src, manifest_sha256, report)
        report.problems.extend(src.problems[reported:])   # found while reading (inflate budget)
    except Exception as exc:  # a received bundle is untrusted: a path no check foresaw is a finding
        log.exception("verify stopped on an unexpected error in %s", bundle)
        report.problems.append(f"verify stopped on an unexpected error ({type(exc).__name__}: {exc}); "
                               "the bundle cannot be vouched for (details in the log)")
    finally:
        src.close()
    return report


def _read_document(src: BundleSource, name: str, cap: int, report: VerifyReport) -> bytes | None:
    if name not in src.members:
        if name not in src.refused:
            report.problems.append(f"{name} is missing" + (": this is not a complete mediadesk bundle"
                                                          if name == MANIFEST_JSON else ""))
        return None
    try:
        return src.read(name, cap, what=name)
    except MemberError as exc:
        report.problems.append(str(exc))
        return None


def _describe(manifest: dict[str, Any], report: VerifyReport) -> None:
    for key in ("purpose", "recipient", "created_at"):
        value = manifest.get(key)
        setattr(report, key, value if isinstance(value, str) else None)


def _check_files(src: BundleSource, manifest: Manifest, report: VerifyReport, deep: bool) -> None:
    listed = {e["file"]: e for e in manifest.entries}
    for entry in manifest.entries:
        name = entry["file"]
        if name in src.refused:
            continue                          # already reported with the reason it was refused
        if name not in src.members:
            report.problems.append(f"{name}: listed in the manifest but missing from the bundle")
            continue
        if src.size(name) != entry["size"]:
            report.problems.append(f"{name}: size {src.size(name)} bytes, manifest says {entry['size']}")
        if entry["role"] == "sidecar":
            _check_sidecar_link(entry, listed, report)
        if deep:
            try:
                _check_content(src, entry, listed, report)
            except MemberError as exc:
                report.problems.append(str(exc))
        report.files_checked += 1
    for name in sorted(set(src.members) - manifest.named - set(DOCUMENTS)):
        report.problems.append(f"{name}: in the bundle but not listed in the manifest")


def _check_sidecar_link(entry: dict[str, Any], listed: dict[str, dict], report: VerifyReport) -> None:
    owner = listed.get(entry["for"])
    if owner is None or owner.get("role") != "media" or owner.get("sidecar") != entry["file"]:
        report.problems.append(f"{entry['file']}: listed as the sidecar of {entry['for'][:80]!r}, "
                               "but no media entry names it as its sidecar")


def _check_content(src: BundleSource, entry: dict[str, Any], listed: dict[str, dict],
                   report: VerifyReport) -> None:
    """What the file is decides what it must carry, not the role its manifest entry gives it."""
    name, role = entry["file"], entry["role"]
    found = what_is(src.head(name, HEAD_BYTES))
    kind, fmt = found if found else (None, None)
    if role == "sidecar" and kind != "xmp":
        if needs_rights_note(kind):
            report.problems.append(f"{name}: is a {kind} ({fmt}), but the manifest calls it a sidecar; "
                                   "every photo, video, audio file or document in a bundle must be "
                                   "listed as media and carry the rights note")
        else:
            report.problems.append(f"{name}: listed as an XMP sidecar, but it is not an XMP packet")
        return
    if role == "chapters" and not src.head(name, 16).removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        report.problems.append(f"{name}: listed as a chapters file, but it is not WebVTT"
                               + (f" (it is a {kind}, {fmt}, and would need the rights note)"
                                  if needs_rights_note(kind) else ""))
        return
    if role == "media" and kind in _NOT_MEDIA:
        report.problems.append(f"{name}: is {_NOT_MEDIA[kind]} ({fmt}); mediadesk exports photos, "
                               "videos, audio files and documents only")
        return
    listed_as = entry.get("kind")
    if role == "media" and (kind == AssetKind.DOCUMENT) != (listed_as == AssetKind.DOCUMENT) \
            and (kind is not None or listed_as != AssetKind.DOCUMENT):
        report.problems.append(f"{name}: the manifest calls it a {listed_as}, but it is a "
                               f"{kind or 'file of unknown type'}" + (f" ({fmt})" if fmt else ""))
        return
    if role == "media" and src.members[name].compressed:
        report.problems.append(f"{name}: is compressed in the zip; mediadesk stores media files "
                               "uncompressed, so it was not read (this zip was not written by mediadesk)")
        return
    if src.sha256(name) != entry["sha256"]:
        report.problems.append(f"{name}: SHA-256 does not match the manifest (file changed or damaged)")
    elif role == "media":
        _check_notes(src, entry, listed, report, kind)


def _signed(src: BundleSource, name: str) -> bool:
    with src.open(name) as fh:
        return manifest_in(fh, src.size(name)) is not None


_NOT_MEDIA = {"archive": "an archive", "xmp": "an XMP packet"}


def _check_notes(src: BundleSource, entry: dict[str, Any], listed: dict[str, dict],
                 report: VerifyReport, kind: str | None) -> None:
    name = entry["file"]
    if not _norm(entry.get("usage_terms")):
        report.problems.append(f"{name}: the manifest gives no rights note (usage terms) for it")
        return
    carrier = entry["carrier"]
    if carrier != "embedded" and kind == AssetKind.PHOTO and not _signed(src, name):
        # mediadesk embeds the note in every photo; the one exception is a photo with content
        # credentials (C2PA), which embedding would break: it travels untouched with a sidecar
        report.problems.append(f"{name}: a photo must carry the rights note inside; only a photo with "
                               "content credentials (C2PA) may carry it in a sidecar alone, and this "
                               "one has none")
        return
    try:
        if carrier == "embedded":
            found = read_metadata_bytes(src.read(name, MAX_EMBEDDED_BYTES, what="its embedded metadata"))
            where = "embedded metadata"
        else:
            sidecar = entry.get("sidecar")
            if not sidecar or sidecar not in listed or sidecar not in src.members:
                report.problems.append(f"{name}: its XMP sidecar {sidecar!r} is missing")
                return
            found = fields_from_xmp(parse_packet(src.read(sidecar, MAX_SIDECAR_BYTES, what="a sidecar")))
            where = f"sidecar {sidecar}"
    except MemberError as exc:
        report.problems.append(str(exc))
        return
    except Exception as exc:  # any parse failure of a received file is a finding, not a crash
        report.problems.append(f"{name}: metadata cannot be read ({exc})")
        return
    _compare(name, entry, found, where, report)
    if carrier == "sidecar" and entry.get("embedded_xmp") is True:   # a video that carries it inside too
        try:
            with src.open(name) as fh:
                packet = scan_bmff(fh, src.size(name)).get("xmp")
            if not isinstance(packet, bytes) or not packet:
                report.problems.append(f"{name}: the manifest says it carries XMP inside, but it has none")
                return
            inside = fields_from_xmp(parse_packet(packet))
        except MemberError as exc:
            report.problems.append(str(exc))
            return
        except Exception as exc:  # a received file that cannot be parsed is a finding
            report.problems.append(f"{name}: its embedded XMP cannot be read ({exc})")
            return
        _compare(name, entry, inside, "embedded XMP", report)


def _compare(name: str, entry: dict[str, Any], found: dict[str, Any], where: str,
             report: VerifyReport) -> None:
    for field_name in CHECKED_FIELDS:
        expected = _norm(entry.get(field_name))
        if not expected and field_name != "usage_terms":
            continue
        actual = _norm(found.get(field_name))
        if not actual:
            what = "rights note (usage terms)" if field_name == "usage_terms" else field_name
            report.problems.append(f"{name}: the {what} is missing from its {where}")
        elif actual != expected:
            report.problems.append(f"{name}: {field_name} in its {where} differs from the manifest "
                                   f"({actual[:60]!r} vs {expected[:60]!r})")


def _check_documents(src: BundleSource, manifest: Manifest, report: VerifyReport, cap: int) -> None:
    found = manifest.data.get("rights_file")
    rights: dict[str, Any] = found if isinstance(found, dict) else {}
    text = _read_document(src, RIGHTS_TXT, cap, report)
    if text is not None:
        if hashlib.sha256(text).hexdigest() != rights.get("sha256"):
            report.problems.append(f"{RIGHTS_TXT}: SHA-256 does not match the manifest (edited?)")
        if not _is_utf8(text) or needs_rights_note((what_is(text[:HEAD_BYTES]) or (None,))[0]):
            report.problems.append(f"{RIGHTS_TXT} is not UTF-8 text")
        flat = _flatten(text)
        del text
        notes = {_norm(e.get("usage_terms")) for e in manifest.entries if e["role"] == "media"}
        for note in sorted(notes):
            if note and _flatten(note.encode("utf-8")) not in flat:
                report.problems.append(f"{RIGHTS_TXT} does not state the rights note {note[:60]!r}")
    if MANIFEST_CSV not in src.members:
        if MANIFEST_CSV not in src.refused:
            report.problems.append(f"{MANIFEST_CSV} is missing")
        return
    if manifest.complete:           # else the manifest is already reported; no CSV can match it
        try:
            same = _same_bytes(src, MANIFEST_CSV, manifest_csv_rows(manifest.data))
        except MemberError as exc:
            report.problems.append(str(exc))
            return
        if not same:
            report.problems.append(f"{MANIFEST_CSV} does not match {MANIFEST_JSON} (edited?)")


def _flatten(data: bytes) -> bytes:
    """``data`` with every whitespace run made one space, in 64 KiB steps: compared as bytes (a
    str of a large RIGHTS.txt with one emoji in it takes four times its size), and one regex
    substitution over megabytes of one-letter words would hold a piece per word."""
    out = bytearray()
    for start in range(0, len(data), 1 << 16):
        piece = _BYTES_WHITESPACE.sub(b" ", data[start:start + (1 << 16)])
        if out.endswith(b" ") and piece.startswith(b" "):
            piece = piece[1:]
        out += piece
    return bytes(out.strip())


def _is_utf8(data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _same_bytes(src: BundleSource, name: str, expected: Iterator[bytes]) -> bool:
    """True when the member holds exactly the concatenated ``expected`` pieces (read as they
    are compared: nothing is held whole)."""
    pending = b""
    stream = src.chunks(name)
    for piece in expected:
        while len(pending) < len(piece):
            block = next(stream, b"")
            if not block:
                return False
            pending += block
        if pending[:len(piece)] != piece:
            return False
        pending = pending[len(piece):]
    return not pending and next(stream, b"") == b""


def _check_receipt(src: BundleSource, manifest_sha256: str, report: VerifyReport) -> None:
    if LEDGER_JSON not in src.members:
        if LEDGER_JSON not in src.refused:
            report.notes.append(f"no ledger receipt ({LEDGER_JSON}): the bundle does not say which "
                                "ledger entry recorded its export (exported by an older mediadesk?)")
        return
    data = _read_document(src, LEDGER_JSON, MAX_LEDGER_BYTES, report)
    if data is not None:
        report.ledger = parse_receipt(data, manifest_sha256, report.problems)
