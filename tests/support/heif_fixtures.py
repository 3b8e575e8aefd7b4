"""HEIC files for the tests: written by pillow-heif, then (optionally) with their item
locations rewritten the way some cameras and phone apps write them (8-byte offsets and
lengths, iloc version 1), which exiv2's BMFF reader silently skips."""

from __future__ import annotations

import io
import struct

import pillow_heif
from PIL import Image

from mediadesk.media.bmff import boxes


def heic_bytes(*, exif: bytes | None = None, xmp: bytes | None = None, size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    kwargs = {}
    if exif is not None:
        kwargs["exif"] = exif
    if xmp is not None:
        kwargs["xmp"] = xmp
    pillow_heif.from_pillow(Image.new("RGB", size, (20, 110, 190))).save(buf, quality=40, **kwargs)
    return buf.getvalue()


def _parse_iloc(body: bytes) -> tuple[int, list[tuple[int, int, int, int, list[tuple[int, int]]]]]:
    version = body[0]
    off_size, len_size = body[4] >> 4, body[4] & 0xF
    base_size = body[5] >> 4
    pos = 6
    count = struct.unpack(">H", body[pos:pos + 2])[0] if version < 2 else struct.unpack(">I", body[pos:pos + 4])[0]
    pos += 2 if version < 2 else 4
    items = []
    for _ in range(count):
        if version < 2:
            item_id = struct.unpack(">H", body[pos:pos + 2])[0]
            pos += 2
        else:
            item_id = struct.unpack(">I", body[pos:pos + 4])[0]
            pos += 4
        method = 0
        if version in (1, 2):
            method = struct.unpack(">H", body[pos:pos + 2])[0] & 0xF
            pos += 2
        dref = struct.unpack(">H", body[pos:pos + 2])[0]
        pos += 2
        base = int.from_bytes(body[pos:pos + base_size], "big")
        pos += base_size
        n = struct.unpack(">H", body[pos:pos + 2])[0]
        pos += 2
        extents = []
        for _e in range(n):
            o = int.from_bytes(body[pos:pos + off_size], "big")
            pos += off_size
            ln = int.from_bytes(body[pos:pos + len_size], "big")
            pos += len_size
            extents.append((o, ln))
        items.append((item_id, method, dref, base, extents))
    return version, items


def with_wide_iloc(data: bytes) -> bytes:
    """The same HEIC with its iloc rewritten as version 1 with 8-byte offsets and lengths; every
    file offset is moved by the growth of the meta box."""
    top = list(boxes(data, 0, len(data)))
    meta = next(b for b in top if b[0] == b"meta")
    _k, mh, ms, me = meta
    children = list(boxes(data, ms + 4, me))
    iloc = next(c for c in children if c[0] == b"iloc")
    _v, items = _parse_iloc(data[iloc[2]:iloc[3]])

    def build(delta: int) -> bytes:
        body = bytearray(b"\x01\x00\x00\x00" + bytes([0x88, 0x00]) + struct.pack(">H", len(items)))
        for item_id, method, dref, base, extents in items:
            body += struct.pack(">HHH", item_id, method, dref)
            body += struct.pack(">H", len(extents))
            for o, ln in extents:
                body += struct.pack(">QQ", base + o + (delta if method == 0 else 0), ln)
        return struct.pack(">I4s", 8 + len(body), b"iloc") + bytes(body)

    old_len = iloc[3] - iloc[1]
    delta = len(build(0)) - old_len
    new_iloc = build(delta)
    new_meta_body = data[ms:iloc[1]] + new_iloc + data[iloc[3]:me]
    new_meta = struct.pack(">I4s", 8 + len(new_meta_body), b"meta") + new_meta_body
    return data[:mh] + new_meta + data[me:]
