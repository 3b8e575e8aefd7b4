"""A JPEG with its private metadata taken out and its image data left byte for byte as it was.

Published files go to anyone who opens a web page, so the camera's own metadata must not travel
with them: GPS position, camera and lens serial numbers, maker notes, owner names, the editing
history and the creator's contact details all live in Exif, XMP, IIM, Photoshop resources,
comments and vendor segments. :func:`clean_jpeg` rebuilds the header from the segments a decoder
needs (quantisation and Huffman tables, frame header, restart interval, JFIF, the colour profile
and Adobe's colour transform), adds an Exif block holding the orientation only (so the picture
still shows upright), and joins the primary image's entropy-coded data unchanged. Whatever
follows the primary image (MPF secondary pictures, gain maps, trailers with their own Exif) is
left out. The caller embeds the fields it wants afterwards (media.embed_metadata).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from PIL import Image

from mediadesk.domain.errors import MediaError

_KEEP_APP = {
    0xE0: (b"JFIF\x00", b"JFXX\x00"),
    0xE2: (b"ICC_PROFILE\x00",),
    0xEE: (b"Adobe",),
}
# a marker inside entropy-coded data: 0xFF followed by anything but a stuffed 0x00, RSTn or fill
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
ORIENTATION_TAG = 0x0112


def _segments(data: bytes) -> Iterator[tuple[int, int, int | None]]:
    """(marker, start, end) of each segment before the first SOS, then ('SOS', start, None)."""
    if not data.startswith(b"\xff\xd8"):
        raise MediaError("not a JPEG file")
    pos, n = 2, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            raise MediaError(f"damaged JPEG header at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:
            yield marker, pos, None
            return
        if marker in (0xD8, 0xD9) or 0xD0 <= marker <= 0xD7:
            raise MediaError(f"damaged JPEG header at byte {pos}")
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2 or pos + 2 + length > n:
            raise MediaError(f"damaged JPEG segment at byte {pos}")
        yield marker, pos, pos + 2 + length
        pos += 2 + length
    raise MediaError("the JPEG has no image data (no SOS marker)")


def primary_image_end(data: bytes, sos: int) -> int:
    """The offset just after the EOI that ends the primary image (scans and the segments
    between progressive scans walked properly, so table bytes are never mistaken for EOI)."""
    pos, n = sos, len(data)
    while pos + 4 <= n:
        marker = data[pos + 1]
        if marker == 0xD9:
            return pos + 2
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        pos += 2 + length
        if marker != 0xDA:
            continue          # DHT, DQT, DRI, COM ... between scans
        found = _MARKER_IN_SCAN.search(data, pos)
        if found is None:
            break
        pos = found.start()
    return n                  # truncated file: everything that is there


def _orientation_app1(orientation: int | None) -> bytes:
    if not orientation or orientation == 1:
        return b""
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = int(orientation)
    body = exif.tobytes()
    if not body.startswith(b"Exif\x00\x00"):
        body = b"Exif\x00\x00" + body
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def clean_jpeg(data: bytes, orientation: int | None = None) -> tuple[bytes, slice]:
    """(the cleaned JPEG, where its image data is) for ``data``; MediaError if it is not a JPEG
    whose structure can be trusted. ``orientation`` (Exif 1-8) is kept when given."""
    head = [b"\xff\xd8"]
    sos = None
    for marker, start, end in _segments(data):
        if end is None:
            sos = start
            break
        if 0xE0 <= marker <= 0xEF:
            prefixes = _KEEP_APP.get(marker, ())
            if any(data.startswith(p, start + 4) for p in prefixes):
                head.append(data[start:end])
                if marker == 0xE0:
                    head.append(_orientation_app1(orientation))
            continue
        if marker == 0xFE:    # comments: free text, often a camera's or an editor's note
            continue
        head.append(data[start:end])
    if not any(part.startswith(b"\xff\xe0") for part in head):
        head.insert(1, _orientation_app1(orientation))
    assert sos is not None
    end = primary_image_end(data, sos)
    out_head = b"".join(head)
    cleaned = out_head + data[sos:end]
    return cleaned, slice(len(out_head), len(cleaned))


def image_data_span(data: bytes) -> slice:
    """Where the primary image's data (first SOS to its EOI) is in a JPEG."""
    sos = None
    for _marker, start, end in _segments(data):
        if end is None:
            sos = start
    assert sos is not None
    return slice(sos, primary_image_end(data, sos))
