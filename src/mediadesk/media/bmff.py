"""Locating XMP and the display rotation in MP4/MOV (ISO BMFF / QuickTime) box structure.

Only box headers are walked (seek, read 8-16 bytes), so multi-GB files cost a few reads; the
``moov`` box (metadata, usually KBs) is read whole up to a cap. Nothing here decodes media.
"""

from __future__ import annotations

import math
import struct
from typing import BinaryIO

XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
MAX_MOOV = 64 * 1024 * 1024
MAX_XMP = 16 * 1024 * 1024
CONTAINERS = {b"moov", b"trak", b"udta", b"mdia", b"meta"}


def boxes(buf: bytes, start: int, end: int):
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
    return duration / timescale


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
            elif kind == b"tkhd" and "rotation" not in found:
                rot = _tkhd_rotation(moov[s:e])
                if rot is not None:
                    found["rotation"] = rot
            elif kind in CONTAINERS:
                # MP4 'meta' is a full box (4 bytes version/flags), QuickTime's is not
                inner = s + 4 if kind == b"meta" and moov[s:s + 4] == b"\x00\x00\x00\x00" else s
                visit(inner, e, depth + 1, path + (kind,))

    visit(0, len(moov), 0, ())


def scan_bmff(fh: BinaryIO, file_size: int) -> dict[str, object]:
    """{"xmp": packet bytes, "rotation": degrees, "duration": seconds} where present."""
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
