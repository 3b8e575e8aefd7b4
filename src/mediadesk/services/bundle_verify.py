"""The export bundle's format: building its documents, and checking a bundle someone received.

A bundle (a folder or a zip) holds flat files: the exported media (and ``name.ext.xmp`` sidecars for formats that
cannot carry metadata inside), ``RIGHTS.txt``, ``manifest.json`` and ``manifest.csv``.
:func:`verify_bundle` checks: the manifest is present and readable; every listed file is present
with its SHA-256 and size; nothing unlisted is there; RIGHTS.txt is present, unchanged and
holds every rights note; manifest.csv says what manifest.json says; and every media file carries
the rights note (embedded XMP usage terms, or its sidecar) equal to the manifest's, with the
caption, credit and copyright the manifest lists; a video the manifest marks ``embedded_xmp``
must carry the same values in its own XMP box too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mediadesk.domain.rights import RightsProfile
from mediadesk.media import read_metadata_bytes
from mediadesk.media.bmff import scan_bmff
from mediadesk.media.xmp import fields_from_xmp, parse_packet
from mediadesk.rights.policy import format_moment

BUNDLE_FORMAT = "mediadesk-bundle"
BUNDLE_VERSION = 1
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
RIGHTS_TXT = "RIGHTS.txt"
DOCUMENTS = (MANIFEST_JSON, MANIFEST_CSV, RIGHTS_TXT, "LEDGER.json")  # LEDGER.json: the ledger receipt (services/ledger_check.py)
CHECKED_FIELDS = ("usage_terms", "caption", "credit", "copyright")
CSV_COLUMNS = ("file", "role", "asset_id", "sha256", "size", "caption", "credit", "copyright",
               "usage_terms", "decision", "purpose", "rights_profile")
MAX_EMBEDDED_BYTES = 1 << 30
_CHUNK = 1 << 20
# A received zip is untrusted: a member read into memory must not declare more than this
# (a zip bomb declares gigabytes in a few kilobytes).
MAX_MEMBER_READ = 1 << 30


def _csv_safe(value: Any) -> str:
    """Spreadsheet-safe cell: text that starts like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def manifest_csv_bytes(manifest: dict[str, Any]) -> bytes:
    """manifest.csv for a manifest: one row per file, UTF-8 with BOM (opens right in Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in manifest.get("files", []):
        row = dict(entry, purpose=manifest.get("purpose"),
                   decision=(entry.get("decision") or {}).get("code", ""))
        writer.writerow([_csv_safe(row.get(c)) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


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
        "created_at": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_by": who, "generator": f"mediadesk {version}", "purpose": purpose,
        "recipient": recipient, "mode": mode, "rendition": rendition,
        "rights_file": {"file": RIGHTS_TXT, "sha256": hashlib.sha256(rights).hexdigest()},
        "files": entries,
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    documents = [(RIGHTS_TXT, rights), (MANIFEST_JSON, manifest_bytes),
                 (MANIFEST_CSV, manifest_csv_bytes(manifest))]
    return hashlib.sha256(manifest_bytes).hexdigest(), documents


def safe_member_name(name: str) -> bool:
    """A bundle member is a plain file name: no folders, no '..', nothing absolute or hidden-trick."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\x00" not in name and not name.startswith(".") and ":" not in name)


def _norm(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return " ".join(str(value or "").split())


@dataclass
class VerifyReport:
    bundle: str
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    purpose: str | None = None
    recipient: str | None = None
    created_at: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"bundle": self.bundle, "ok": self.ok, "problems": self.problems,
                "files_checked": self.files_checked, "purpose": self.purpose,
                "recipient": self.recipient, "created_at": self.created_at}


class _Source:
    """Uniform read access to a bundle folder or zip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.problems: list[str] = []
        if path.is_dir():
            self.names = []
            for entry in sorted(os.scandir(path), key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    self.problems.append(f"{entry.name}/: unexpected folder in the bundle")
                elif entry.is_symlink():
                    self.problems.append(f"{entry.name}: is a symbolic link, not a file")
                else:
                    self.names.append(entry.name)
        else:
            self.zip = zipfile.ZipFile(path)
            self.names = []
            seen: set[str] = set()
            for info in self.zip.infolist():
                name = info.filename
                if info.is_dir():
                    self.problems.append(f"{name}: unexpected folder in the bundle")
                elif not safe_member_name(name):
                    self.problems.append(f"{name!r}: unsafe file name in the zip (path or '..')")
                elif name in seen:
                    self.problems.append(f"{name}: appears twice in the zip")
                else:
                    seen.add(name)
                    self.names.append(name)

    def open(self, name: str):
        if self.zip is not None:
            return self.zip.open(name)
        return open(self.path / name, "rb")

    def size(self, name: str) -> int:
        if self.zip is not None:
            return self.zip.getinfo(name).file_size
        return (self.path / name).stat().st_size

    def read(self, name: str) -> bytes:
        size = self.size(name)
        if size > MAX_MEMBER_READ:
            raise OSError(f"{name} declares {size / 2**30:.1f} GiB, more than mediadesk reads into memory "
                          f"({MAX_MEMBER_READ / 2**30:.0f} GiB); the bundle may be a zip bomb")
        with self.open(name) as fh:
            return fh.read(MAX_MEMBER_READ + 1)

    def sha256(self, name: str) -> str:
        h = hashlib.sha256()
        with self.open(name) as fh:
            for block in iter(lambda: fh.read(_CHUNK), b""):
                h.update(block)
        return h.hexdigest()

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _load_manifest(src: _Source, report: VerifyReport) -> dict[str, Any] | None:
    if MANIFEST_JSON not in src.names:
        report.problems.append(f"{MANIFEST_JSON} is missing: this is not a complete mediadesk bundle")
        return None
    try:
        manifest = json.loads(src.read(MANIFEST_JSON).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        report.problems.append(f"{MANIFEST_JSON} cannot be read ({exc})")
        return None
    if (not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT
            or not isinstance(manifest.get("files"), list)):
        report.problems.append(f"{MANIFEST_JSON} is not a mediadesk bundle manifest")
        return None
    if manifest.get("version") != BUNDLE_VERSION:
        report.problems.append(f"{MANIFEST_JSON} has bundle version {manifest.get('version')!r}; "
                               f"this mediadesk reads version {BUNDLE_VERSION}")
        return None
    report.purpose = manifest.get("purpose")
    report.recipient = manifest.get("recipient")
    report.created_at = manifest.get("created_at")
    return manifest


def _embedded_fields(src: _Source, name: str) -> dict[str, Any]:
    if src.size(name) > MAX_EMBEDDED_BYTES:
        raise ValueError("file too large to read its metadata")
    return read_metadata_bytes(src.read(name))


def _sidecar_fields(src: _Source, name: str) -> dict[str, Any]:
    return fields_from_xmp(parse_packet(src.read(name)))


def _check_notes(src: _Source, entry: dict[str, Any], listed: dict[str, dict], report: VerifyReport) -> None:
    name = entry["file"]
    if not _norm(entry.get("usage_terms")):
        report.problems.append(f"{name}: the manifest gives no rights note (usage terms) for it")
        return
    carrier = entry.get("carrier")
    try:
        if carrier == "embedded":
            found = _embedded_fields(src, name)
            where = "embedded metadata"
        elif carrier == "sidecar":
            sidecar = entry.get("sidecar")
            if not sidecar or sidecar not in listed or sidecar not in src.names:
                report.problems.append(f"{name}: its XMP sidecar {sidecar!r} is missing")
                return
            found = _sidecar_fields(src, sidecar)
            where = f"sidecar {sidecar}"
        else:
            report.problems.append(f"{name}: unknown metadata carrier {carrier!r} in the manifest")
            return
    except Exception as exc:  # any parse failure of a received file is a finding, not a crash
        report.problems.append(f"{name}: metadata cannot be read ({exc})")
        return
    _compare(name, entry, found, where, report)
    if carrier == "sidecar" and entry.get("embedded_xmp") is True:   # a video that carries it inside too
        try:
            with src.open(name) as fh:
                packet = scan_bmff(fh, src.size(name)).get("xmp")
            if not packet:
                report.problems.append(f"{name}: the manifest says it carries XMP inside, but it has none")
                return
            inside = fields_from_xmp(parse_packet(packet))
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


def _entries(manifest: dict[str, Any], report: VerifyReport) -> Iterator[dict[str, Any]]:
    for n, entry in enumerate(manifest["files"], 1):
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not safe_member_name(name):
            report.problems.append(f"manifest entry {n}: unsafe or missing file name {name!r}")
            continue
        yield entry


def verify_bundle(path: str | os.PathLike, *, deep: bool = True) -> VerifyReport:
    """Every problem found in the bundle at ``path`` (folder or zip); ``report.ok`` when none.

    ``deep=False`` skips re-reading the media files (checksums and notes) and checks the rest:
    the export uses it on its staged bundle, whose files it hashed and read back in memory."""
    bundle = Path(path)
    report = VerifyReport(str(bundle))
    if not bundle.exists():
        report.problems.append(f"{bundle} does not exist")
        return report
    try:
        src = _Source(bundle)
    except (zipfile.BadZipFile, OSError) as exc:
        report.problems.append(f"{bundle} is neither a bundle folder nor a readable zip ({exc})")
        return report
    try:
        report.problems.extend(src.problems)
        manifest = _load_manifest(src, report)
        if manifest is None:
            return report
        entries = list(_entries(manifest, report))
        listed = {e["file"]: e for e in entries}
        present = set(src.names)
        for entry in entries:
            name = entry["file"]
            if name not in present:
                report.problems.append(f"{name}: listed in the manifest but missing from the bundle")
                continue
            if src.size(name) != entry.get("size"):
                report.problems.append(f"{name}: size {src.size(name)} bytes, manifest says {entry.get('size')}")
            if not deep:
                pass
            elif src.sha256(name) != entry.get("sha256"):
                report.problems.append(f"{name}: SHA-256 does not match the manifest (file changed or damaged)")
            elif entry.get("role") == "media":
                _check_notes(src, entry, listed, report)
            report.files_checked += 1
        for name in sorted(present - set(listed) - set(DOCUMENTS)):
            report.problems.append(f"{name}: in the bundle but not listed in the manifest")
        _check_documents(src, manifest, entries, report)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(f"{bundle}: could not be read to the end ({exc})")
    finally:
        src.close()
    return report


def _check_documents(src: _Source, manifest: dict[str, Any], entries: list[dict[str, Any]],
                     report: VerifyReport) -> None:
    rights = manifest.get("rights_file") or {}
    if RIGHTS_TXT not in src.names:
        report.problems.append(f"{RIGHTS_TXT} is missing")
    else:
        text = src.read(RIGHTS_TXT)
        if hashlib.sha256(text).hexdigest() != rights.get("sha256"):
            report.problems.append(f"{RIGHTS_TXT}: SHA-256 does not match the manifest (edited?)")
        flat = _norm(text.decode("utf-8", errors="replace"))
        for note in sorted({_norm(e.get("usage_terms")) for e in entries if e.get("role") == "media"}):
            if note and note not in flat:
                report.problems.append(f"{RIGHTS_TXT} does not state the rights note {note[:60]!r}")
    if MANIFEST_CSV not in src.names:
        report.problems.append(f"{MANIFEST_CSV} is missing")
    elif src.read(MANIFEST_CSV) != manifest_csv_bytes(manifest):
        report.problems.append(f"{MANIFEST_CSV} does not match {MANIFEST_JSON} (edited?)")
