"""A small JPEG segment walker: locates (never interprets pixels or tags) the parts exiv2 does not
hand back to us: the Photoshop IRB with the IPTC digest (needed for the MWG reconcile rule), the
Extended XMP chunks, and the start of the entropy-coded data (for the image-data fingerprint).

It walks marker headers only, up to the first SOS, so it costs microseconds even for 24 MP files.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

_XMP_STD = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXT = b"http://ns.adobe.com/xmp/extension/\x00"
_PS = b"Photoshop 3.0\x00"
_IRB_IPTC = 0x0404
_IRB_DIGEST = 0x0425


@dataclass
class JpegLayout:
    """Where things are in a JPEG, as found by :func:`scan_jpeg`."""

    sos_offset: int | None = None
    app13: list[bytes] = field(default_factory=list)
    xmp_standard: bytes | None = None
    xmp_extended: dict[bytes, tuple[int, dict[int, bytes]]] = field(default_factory=dict)


def scan_jpeg(data: bytes) -> JpegLayout:
    """Walk the marker segments of a JPEG up to the first SOS; tolerant of garbage."""
    out = JpegLayout()
    n = len(data)
    if not data.startswith(b"\xff\xd8"):
        return out
    pos = 2
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            # not a marker where one should be: resynchronise on the next 0xFF
            nxt = data.find(b"\xff", pos)
            if nxt < 0:
                break
            pos = nxt
            continue
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker == 0xD9:
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if marker == 0xDA:
            out.sos_offset = pos
            break
        payload = data[pos + 4:pos + 2 + length]
        if marker == 0xE1:
            if payload.startswith(_XMP_STD) and out.xmp_standard is None:
                out.xmp_standard = payload[len(_XMP_STD):]
            elif payload.startswith(_XMP_EXT) and len(payload) >= len(_XMP_EXT) + 40:
                body = payload[len(_XMP_EXT):]
                guid = body[:32]
                total, offset = struct.unpack(">II", body[32:40])
                entry = out.xmp_extended.setdefault(guid, (total, {}))
                entry[1][offset] = body[40:]
        elif marker == 0xED and payload.startswith(_PS):
            out.app13.append(payload[len(_PS):])
        if length < 2:
            break
        pos += 2 + length
    return out


def parse_irb(block: bytes) -> list[tuple[int, bytes]]:
    """Photoshop image resource blocks ("8BIM", id, Pascal name, size, data) in file order."""
    res: list[tuple[int, bytes]] = []
    pos = 0
    n = len(block)
    while pos + 12 <= n and block[pos:pos + 4] in (b"8BIM", b"PHUT", b"AgHg", b"DCSR"):
        (rid,) = struct.unpack(">H", block[pos + 4:pos + 6])
        name_len = block[pos + 6]
        pos += 6 + ((name_len + 2) & ~1)  # Pascal string padded to even length
        if pos + 4 > n:
            break
        (size,) = struct.unpack(">I", block[pos:pos + 4])
        pos += 4
        res.append((rid, block[pos:pos + size]))
        pos += size + (size & 1)
    return res


def iptc_digests(layout: JpegLayout) -> tuple[str | None, str | None]:
    """(current, stored): MD5 of the IIM block as it is now, and the IPTCDigest (0x0425) a
    Photoshop-compatible writer stored when it last synchronised IIM with XMP."""
    current = stored = None
    for block in layout.app13:
        for rid, payload in parse_irb(block):
            if rid == _IRB_IPTC and current is None:
                current = hashlib.md5(payload).hexdigest()
            elif rid == _IRB_DIGEST and stored is None and len(payload) == 16:
                stored = payload.hex()
    return current, stored


def extended_xmp(layout: JpegLayout) -> bytes | None:
    """Reassemble an Extended XMP packet (split over several APP1 segments) when complete.

    The total length is the file's word: a packet is only assembled when the chunks present add
    up to it, so a fake header claiming gigabytes allocates nothing."""
    for guid, (total, chunks) in layout.xmp_extended.items():
        if not total or total > sum(len(chunk) for chunk in chunks.values()):
            continue   # incomplete, or a length the bytes present cannot fill
        buf = bytearray(total)
        got = 0
        for offset, chunk in chunks.items():
            if offset + len(chunk) <= total:
                buf[offset:offset + len(chunk)] = chunk
                got += len(chunk)
        if got >= total and total and (layout.xmp_standard is None or guid in layout.xmp_standard):
            return bytes(buf)
    return None


def patch_iptc_digest(data: bytes) -> bytes:
    """Make a stored IPTCDigest (IRB 0x0425) match the IIM block again, in place.

    exiv2 rewrites IIM but leaves the old digest, which would tell MWG readers that a legacy tool
    edited IIM behind the XMP's back (so IIM, possibly byte-truncated, would win). The digest is
    16 bytes; patching it changes no length and no other byte. No digest present: unchanged."""
    layout_pos = 2
    n = len(data)
    iim_md5: bytes | None = None
    digest_at: int | None = None
    while layout_pos + 4 <= n and data[layout_pos] == 0xFF:
        marker = data[layout_pos + 1]
        if marker == 0xDA or marker == 0xD9:
            break
        (length,) = struct.unpack(">H", data[layout_pos + 2:layout_pos + 4])
        start = layout_pos + 4
        if marker == 0xED and data[start:start + len(_PS)] == _PS:
            pos = start + len(_PS)
            end = layout_pos + 2 + length
            while pos + 12 <= end and data[pos:pos + 4] == b"8BIM":
                (rid,) = struct.unpack(">H", data[pos + 4:pos + 6])
                name_len = data[pos + 6]
                pos += 6 + ((name_len + 2) & ~1)
                (size,) = struct.unpack(">I", data[pos:pos + 4])
                pos += 4
                if rid == _IRB_IPTC and iim_md5 is None:
                    iim_md5 = hashlib.md5(data[pos:pos + size]).digest()
                elif rid == _IRB_DIGEST and size == 16 and digest_at is None:
                    digest_at = pos
                pos += size + (size & 1)
        if length < 2:
            break
        layout_pos += 2 + length
    if digest_at is None or iim_md5 is None or data[digest_at:digest_at + 16] == iim_md5:
        return data
    return data[:digest_at] + iim_md5 + data[digest_at + 16:]
