"""C2PA content credentials: finding a manifest in a file, and checking it.

Where C2PA (Content Credentials, specification 2.x) puts its manifest store: a JUMBF box
("jumb" with a "c2pa" description) in JPEG APP11 segments; a ``uuid`` box with the C2PA UUID
(or, in early writers, a ``c2pa`` box) at the top level of ISO BMFF files (HEIF/AVIF, MP4,
MOV); a ``caBX`` chunk in PNG; a ``C2PA`` chunk in WebP. Finding it only walks segment and box
headers (a few reads). Checking it (signature, hashes of the content, who signed) is done by
c2pa-python, the Content Authenticity Initiative's own library, fully offline: remote manifests
and OCSP are not fetched, and no trust list is loaded, so a good signature reads "valid" (the
signer is named, not vouched for) and a file whose bytes changed since signing reads "invalid".

Embedding metadata changes the bytes the manifest hashes, so it always breaks the credentials;
export and write-back use :func:`has_manifest` to warn and to offer the untouched original with
an XMP sidecar instead.
"""

from __future__ import annotations

import importlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

from .formats.registry import sniff

C2PA_UUID = bytes.fromhex("D8FEC3D61B0E483C92975828877EC481")
_MAX_SEGMENTS = 2000
_MAX_BOXES = 10_000


@dataclass(frozen=True)
class Credentials:
    """What a file's C2PA manifest says: who signed, and whether the file is as signed."""

    where: str                 # "JPEG APP11", "BMFF uuid box", ...
    signed_by: str | None = None
    state: str = "not checked"  # "valid", "trusted", "invalid", "not checked"
    detail: str = ""

    def summary(self) -> str:
        who = f"signed by {self.signed_by}" if self.signed_by else "signer unknown"
        state = self.state + (f" ({self.detail})" if self.detail else "")
        return f"{who}, {state}"


def _jpeg_manifest(fh: BinaryIO) -> bool:
    fh.seek(2)
    for _ in range(_MAX_SEGMENTS):
        head = fh.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return False
        marker = head[1]
        if marker == 0xFF:
            fh.seek(-3, os.SEEK_CUR)
            continue
        if marker in (0xDA, 0xD9):
            return False
        (length,) = struct.unpack(">H", head[2:4])
        if length < 2:
            return False
        if marker == 0xEB:  # APP11: JPEG-XT box: "JP", instance, sequence, then the JUMBF box
            payload = fh.read(min(length - 2, 96))
            if payload[:2] == b"JP" and b"jumb" in payload and b"c2pa" in payload:
                return True
            fh.seek(length - 2 - len(payload), os.SEEK_CUR)
        else:
            fh.seek(length - 2, os.SEEK_CUR)
    return False


def _bmff_manifest(fh: BinaryIO, size: int) -> bool:
    pos = 0
    for _ in range(_MAX_BOXES):
        if pos + 8 > size:
            return False
        fh.seek(pos)
        head = fh.read(32)
        box_size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if box_size == 1 and len(head) >= 16:
            (box_size,) = struct.unpack(">Q", head[8:16])
            header = 16
        elif box_size == 0:
            box_size = size - pos
        if kind == b"c2pa" or (kind == b"uuid" and head[header:header + 16] == C2PA_UUID):
            return True
        if box_size < header:
            return False
        pos += box_size
    return False


def _chunks_manifest(fh: BinaryIO, size: int, start: int, name: bytes, big_endian: bool) -> bool:
    pos = start
    for _ in range(_MAX_BOXES):
        if pos + 8 > size:
            return False
        fh.seek(pos)
        head = fh.read(8)
        if big_endian:  # PNG: length, type, data, CRC
            length, kind = struct.unpack(">I4s", head)
            nxt = pos + 12 + length
        else:           # RIFF: type, length, data, pad byte
            kind, length = struct.unpack("<4sI", head)
            nxt = pos + 8 + length + (length & 1)
        if kind == name:
            return True
        pos = nxt
    return False


def in_jpeg_segments(fh: BinaryIO, size: int) -> str | None:
    return "JPEG APP11" if _jpeg_manifest(fh) else None


def in_bmff_boxes(fh: BinaryIO, size: int) -> str | None:
    return "BMFF uuid box" if _bmff_manifest(fh, size) else None


def in_png_chunks(fh: BinaryIO, size: int) -> str | None:
    return "PNG caBX chunk" if _chunks_manifest(fh, size, 8, b"caBX", True) else None


def in_webp_chunks(fh: BinaryIO, size: int) -> str | None:
    return "WebP C2PA chunk" if _chunks_manifest(fh, size, 12, b"C2PA", False) else None


def manifest_in(fh: BinaryIO, size: int) -> str | None:
    """Where an open file keeps a C2PA manifest ("JPEG APP11", ...), or None. Reads headers only;
    the file's format family says where to look (media/formats/)."""
    try:
        fh.seek(0)
        found = sniff(fh.read(512))
        if found is None:
            return None
        return found.adapter.c2pa_manifest(fh, size, found.format)
    except (OSError, struct.error):
        return None


def find_manifest(path: str) -> str | None:
    """Where the file at ``path`` keeps a C2PA manifest, or None (see :func:`manifest_in`)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            return manifest_in(fh, size)
    except OSError:
        return None


def has_manifest(path: str) -> bool:
    return find_manifest(path) is not None


def _library() -> Any | None:
    """c2pa-python, loaded on first use: its native library is 50 MB, and most imports never
    meet a signed file. None when it is not installed (the manifest is then reported unchecked)."""
    try:
        return importlib.import_module("c2pa")
    except (ImportError, OSError):  # not installed, or its native library cannot be loaded
        return None


_OFFLINE = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}


def _state(report: dict[str, Any]) -> tuple[str, str]:
    state = str(report.get("validation_state") or "").lower()
    problems = [s for s in report.get("validation_status") or []
                if isinstance(s, dict) and s.get("code") != "signingCredential.untrusted"]
    if state == "trusted":
        return "valid", "signer on a trust list"
    if state == "valid":
        return "valid", "signer not checked against a trust list"
    if state == "invalid" or problems:
        first = problems[0] if problems else {}
        return "invalid", str(first.get("explanation") or first.get("code") or "")[:160]
    return "not checked", ""


def check_credentials(path: str) -> Credentials | None:
    """The file's credentials (None: no manifest). Never raises for a damaged manifest."""
    where = find_manifest(path)
    if where is None:
        return None
    lib = _library()
    if lib is None:
        return Credentials(where, state="not checked", detail="c2pa-python is not installed")
    try:
        context = lib.Context(lib.Settings.from_json(json.dumps(_OFFLINE)))
        reader = lib.Reader(path, context=context)
        try:
            report = json.loads(reader.json())
        finally:
            reader.close()
    except Exception as exc:  # c2pa raises its own error types for every kind of damage
        return Credentials(where, state="invalid", detail=f"the manifest cannot be read: {exc}"[:160])
    manifest = (report.get("manifests") or {}).get(report.get("active_manifest") or "", {})
    info = manifest.get("signature_info") or {}
    name, issuer = info.get("common_name"), info.get("issuer")
    signer = name or issuer
    if name and issuer and issuer != name:
        signer = f"{name} ({issuer})"
    state, detail = _state(report)
    return Credentials(where, signed_by=signer, state=state, detail=detail)
