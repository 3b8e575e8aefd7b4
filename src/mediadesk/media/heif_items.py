"""Exif and XMP items of a HEIF/AVIF file, found through its ``meta`` box (iinf, iloc, idat).

exiv2's BMFF reader only finds items whose ``iloc`` entries all have 4-byte offsets and lengths
and exactly one extent each (and 16-bit item ids); a file written with 8-byte offsets, an item
in two extents, data in ``idat`` (construction method 1) or ``infe`` version 3 keeps its
creator, copyright, keywords and date where exiv2 does not look, and exiv2 says nothing. This
reader follows ISO/IEC 14496-12 (iloc versions 0-2, infe versions 0-3) and ISO/IEC 23008-12
(Exif items start with the offset of the TIFF header) over the bytes already in memory.
Every size is checked against the file; nothing is decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from .bmff import boxes

MAX_ITEM_BYTES = 16 * 1024 * 1024
MAX_ITEMS = 10_000
XMP_TYPES = ("application/rdf+xml", "application/xmp+xml", "text/xml")


@dataclass
class HeifItems:
    """Payloads of the metadata items, in item order."""

    exif: list[bytes] = field(default_factory=list)
    xmp: list[bytes] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, buf: bytes, pos: int, end: int) -> None:
        self.buf, self.pos, self.end = buf, pos, end

    def uint(self, size: int) -> int:
        if size == 0:
            return 0
        if size > 8 or self.pos + size > self.end:
            raise ValueError("box ends early")
        value = int.from_bytes(self.buf[self.pos:self.pos + size], "big")
        self.pos += size
        return value

    def cstring(self) -> str:
        nul = self.buf.find(b"\x00", self.pos, self.end)
        stop = self.end if nul < 0 else nul
        text = self.buf[self.pos:stop].decode("utf-8", errors="replace")
        self.pos = min(self.end, stop + 1)
        return text


def _item_kinds(buf: bytes, start: int, end: int) -> dict[int, str]:
    """item id -> "exif" | "xmp" from the ``iinf`` box body."""
    r = _Reader(buf, start, end)
    version = r.uint(1)
    r.uint(3)
    r.uint(2 if version == 0 else 4)  # entry count: the infe boxes say it better
    kinds: dict[int, str] = {}
    for kind, _h, s, e in boxes(buf, r.pos, end):
        if kind != b"infe" or len(kinds) >= MAX_ITEMS:
            continue
        ir = _Reader(buf, s, e)
        try:
            v = ir.uint(1)
            ir.uint(3)
            if v >= 2:
                item_id = ir.uint(2 if v == 2 else 4)
                ir.uint(2)  # protection index
                item_type = buf[ir.pos:ir.pos + 4]
                ir.pos += 4
                ir.cstring()  # item name
                if item_type == b"Exif":
                    kinds[item_id] = "exif"
                elif item_type == b"mime" and ir.cstring().strip().lower() in XMP_TYPES:
                    kinds[item_id] = "xmp"
            else:
                item_id = ir.uint(2)
                ir.uint(2)
                ir.cstring()
                if ir.cstring().strip().lower() in XMP_TYPES:
                    kinds[item_id] = "xmp"
        except ValueError:
            continue
    return kinds


def _item_extents(buf: bytes, start: int, end: int) -> dict[int, tuple[int, int, list[tuple[int, int]]]]:
    """item id -> (construction method, base offset, [(offset, length), ...]) from ``iloc``."""
    r = _Reader(buf, start, end)
    version = r.uint(1)
    r.uint(3)
    sizes = r.uint(1)
    offset_size, length_size = sizes >> 4, sizes & 0xF
    sizes2 = r.uint(1)
    base_size = sizes2 >> 4
    index_size = (sizes2 & 0xF) if version in (1, 2) else 0
    count = r.uint(2 if version < 2 else 4)
    out: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}
    for _ in range(min(count, MAX_ITEMS)):
        item_id = r.uint(2 if version < 2 else 4)
        method = r.uint(2) & 0xF if version in (1, 2) else 0
        r.uint(2)  # data reference index
        base = r.uint(base_size)
        extents = []
        for _e in range(r.uint(2)):
            if index_size:
                r.uint(index_size)
            extents.append((r.uint(offset_size), r.uint(length_size)))
        out[item_id] = (method, base, extents)
    return out


def _payload(data: bytes, idat: tuple[int, int] | None, method: int, base: int,
             extents: list[tuple[int, int]]) -> bytes | None:
    if method == 1:
        if idat is None:
            return None
        origin, limit = idat[0], idat[1]
    elif method == 0:
        origin, limit = 0, len(data)
    else:
        return None  # construction method 2 (from other items): never used for metadata
    parts = []
    total = 0
    for offset, length in extents:
        begin = origin + base + offset
        stop = limit if length == 0 else begin + length
        if begin > limit or stop > limit or stop - begin + total > MAX_ITEM_BYTES:
            return None
        parts.append(data[begin:stop])
        total += stop - begin
    return b"".join(parts)


def exif_tiff(payload: bytes) -> bytes | None:
    """The TIFF-structured Exif of an Exif item (4-byte header offset, then e.g. "Exif\\0\\0")."""
    if len(payload) < 8:
        return None
    (skip,) = struct.unpack(">I", payload[:4])
    tiff = payload[4 + skip:] if 4 + skip < len(payload) else b""
    if tiff[:4] in (b"II*\x00", b"MM\x00*"):
        return tiff
    for magic in (b"II*\x00", b"MM\x00*"):
        at = payload.find(magic, 0, 64)
        if at >= 0:
            return payload[at:]
    return None


def read_heif_items(data: bytes) -> HeifItems:
    """Exif and XMP payloads of the file's primary ``meta`` box."""
    found = HeifItems()
    meta = next(((s, e) for kind, _h, s, e in boxes(data, 0, len(data)) if kind == b"meta"), None)
    if meta is None:
        return found
    start, end = meta[0] + 4, meta[1]  # a full box: version and flags first
    kinds: dict[int, str] = {}
    extents: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}
    idat: tuple[int, int] | None = None
    for kind, _h, s, e in boxes(data, start, end):
        try:
            if kind == b"iinf":
                kinds = _item_kinds(data, s, e)
            elif kind == b"iloc":
                extents = _item_extents(data, s, e)
            elif kind == b"idat":
                idat = (s, e)
        except ValueError as exc:
            found.problems.append(f"{kind.decode('latin-1')} box is damaged ({exc})")
    for item_id, what in kinds.items():
        loc = extents.get(item_id)
        payload = _payload(data, idat, *loc) if loc else None
        if payload is None:
            found.problems.append(f"the {what.title() if what == 'exif' else 'XMP'} item "
                                  f"{item_id} points outside the file")
            continue
        if what == "exif":
            tiff = exif_tiff(payload)
            if tiff is None:
                found.problems.append(f"the Exif item {item_id} holds no TIFF header")
            else:
                found.exif.append(tiff)
        else:
            found.xmp.append(payload)
    return found


def exif_as_jpeg(tiff: bytes) -> bytes | None:
    """A minimal JPEG carrying only this Exif, for exiv2 to read (one reader for every Exif)."""
    payload = b"Exif\x00\x00" + tiff
    if len(payload) + 2 > 0xFFFF:
        return None
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + b"\xff\xd9"
