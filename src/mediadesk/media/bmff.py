"""Locating XMP and the display rotation in MP4/MOV (ISO BMFF / QuickTime) box structure.

Only box headers are walked (seek, read 8-16 bytes), so multi-GB files cost a few reads; the
``moov`` box (metadata, usually KBs) is read whole up to a cap. Nothing here decodes media.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from typing import BinaryIO

XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
MAX_MOOV = 64 * 1024 * 1024
MAX_XMP = 16 * 1024 * 1024
CONTAINERS = {b"moov", b"trak", b"udta", b"mdia", b"meta"}


def ftyp_brand(head: bytes) -> str | None:
    """The major brand of a file's ``ftyp`` box ("heic", "qt  ", "isom"...), or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return head[8:12].decode("latin-1")
    return None


def boxes(buf: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, header start, body start, end) of each box in ``buf[start:end]``; stops at a box
    whose size does not fit (a size of 0 means "to the end")."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", buf[pos:pos + 8])
        header = 8
        if size == 1 and pos + 16 <= end:
            (size,) = struct.unpack(">Q", buf[pos + 8:pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos, pos + header, pos + size
        pos += size


def _tkhd_rotation(body: bytes) -> int | None:
    if len(body) < 84:
        return None
    version = body[0]
    off = 4 + (32 if version == 1 else 20) + 8 + 8  # times/ids/duration, reserved, layer..volume
    if len(body) < off + 36 + 8:
        return None
    a, b, _u, c, d = struct.unpack(">iiiii", body[off:off + 20])
    width = struct.unpack(">I", body[off + 36:off + 40])[0] >> 16
    if width == 0:
        return None  # audio/metadata track
    angle = round(math.degrees(math.atan2(b / 65536.0, a / 65536.0))) % 360
    return angle if angle in (0, 90, 180, 270) else None


def _mvhd_duration(body: bytes) -> float | None:
    """Movie duration in seconds as the header declares it (what exiftool reports)."""
    if len(body) < 20:
        return None
    if body[0] == 1:
        if len(body) < 32:
            return None
        timescale, duration = struct.unpack(">IQ", body[20:32])
        unknown = duration == 0xFFFFFFFFFFFFFFFF
    else:
        timescale, duration = struct.unpack(">II", body[12:20])
        unknown = duration == 0xFFFFFFFF
    if not timescale or unknown:
        return None
    return float(duration / timescale)


# QuickTime user-data text atoms (moov/udta/©xxx) -> catalog field; first listed wins
UDTA_TEXT: dict[bytes, str] = {
    b"\xa9nam": "title", b"\xa9des": "caption", b"\xa9cmt": "caption", b"\xa9ART": "creator",
    b"\xa9aut": "creator", b"\xa9cpy": "copyright", b"\xa9day": "date_created",
}
_UDTA_ORDER = list(UDTA_TEXT)


def _decode_intl(raw: bytes, lang: int) -> str:
    """QuickTime "international text": UTF-16 with a BOM, Mac Roman under a Macintosh language
    code (< 0x400, or 0x7FFF unspecified), UTF-8 under an ISO 639 packed code."""
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return raw.decode("utf-16", errors="replace")
    if lang < 0x400 or lang == 0x7FFF:
        return raw.decode("mac_roman")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("mac_roman")


def udta_text(body: bytes) -> str | None:
    """The first text of a ©xxx user-data atom: the short layout (16-bit size, 16-bit language,
    text; repeated per language) or an iTunes-style ``data`` atom inside it."""
    if len(body) >= 16 and body[4:8] == b"data":
        size = struct.unpack(">I", body[:4])[0]
        data = body[16:min(size, len(body))]
        return data.decode("utf-8", errors="replace").replace("\x00", " ").strip() or None
    pos = 0
    while pos + 4 <= len(body):
        size, lang = struct.unpack(">HH", body[pos:pos + 4])
        raw = body[pos + 4:pos + 4 + size]
        if size == 0 or pos + 4 + size > len(body):
            break
        text = _decode_intl(raw, lang).replace("\x00", " ").strip()
        if text:
            return text
        pos += 4 + size
    return None


def _walk_moov(moov: bytes, found: dict[str, object]) -> None:
    def visit(start: int, end: int, depth: int, path: tuple[bytes, ...]) -> None:
        if depth > 8:
            return
        for kind, _h, s, e in boxes(moov, start, end):
            if kind == b"XMP_" and b"udta" in path and "xmp" not in found:
                found["xmp"] = moov[s:e]
            elif kind == b"uuid" and moov[s:s + 16] == XMP_UUID and "xmp" not in found:
                found["xmp"] = moov[s + 16:e]
            elif kind == b"mvhd" and "duration" not in found:
                dur = _mvhd_duration(moov[s:e])
                if dur is not None:
                    found["duration"] = dur
            elif kind in UDTA_TEXT and path[-1:] == (b"udta",):
                texts = found.setdefault("udta", {})
                level = 0 if len(path) == 1 else 1   # the movie's own udta before a track's
                text = udta_text(moov[s:e])
                if text and isinstance(texts, dict):
                    texts.setdefault((level, _UDTA_ORDER.index(kind)), (kind, text))
            elif kind == b"tkhd" and "rotation" not in found:
                rot = _tkhd_rotation(moov[s:e])
                if rot is not None:
                    found["rotation"] = rot
            elif kind in CONTAINERS:
                # MP4 'meta' is a full box (4 bytes version/flags), QuickTime's is not
                inner = s + 4 if kind == b"meta" and moov[s:s + 4] == b"\x00\x00\x00\x00" else s
                visit(inner, e, depth + 1, path + (kind,))

    visit(0, len(moov), 0, ())
    texts = found.pop("udta", None)
    if isinstance(texts, dict) and texts:
        fields: dict[str, tuple[bytes, str]] = {}
        for key in sorted(texts):
            kind, text = texts[key]
            fields.setdefault(UDTA_TEXT[kind], (kind, text))
        found["udta"] = fields


def scan_bmff(fh: BinaryIO, file_size: int) -> dict[str, object]:
    """{"xmp": packet bytes, "rotation": degrees, "duration": seconds, "udta": {field: (atom,
    text)}} where present."""
    found: dict[str, object] = {}
    pos = 0
    for _ in range(10_000):
        if pos + 8 > file_size:
            break
        fh.seek(pos)
        head = fh.read(16)
        if len(head) < 8:
            break
        size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if size == 1 and len(head) >= 16:
            (size,) = struct.unpack(">Q", head[8:16])
            header = 16
        elif size == 0:
            size = file_size - pos
        if size < header:
            break
        if kind == b"uuid" and size - header <= MAX_XMP + 16 and "xmp" not in found:
            body = fh.read(size - header) if header == 16 else head[8:16] + fh.read(size - 16)
            if body[:16] == XMP_UUID:
                found["xmp"] = body[16:]
        elif kind == b"moov" and size - header <= MAX_MOOV:
            fh.seek(pos + header)
            _walk_moov(fh.read(size - header), found)
        pos += size
    return found
