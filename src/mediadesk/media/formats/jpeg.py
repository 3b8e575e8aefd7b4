"""JPEG: Exif, IPTC-IIM and XMP written in place; the image data never moves.

What is JPEG's own: every metadata segment stands before the first SOS marker, so a write hands
exiv2 only that head and copies the entropy-coded data as it is (a 24 MP write costs what a
50 KB write costs); Exif is one 64 KB segment, so over-long Exif text is left to XMP; XMP over
one segment's 64 KB goes to Extended XMP; Photoshop's IPTC digest is updated so readers trust
the new IIM; the image data (SOS to the last EOI) is compared in place to prove a write
lossless; Pillow decodes it at 1/2..1/8 scale; content credentials sit in APP11 segments.
"""

from __future__ import annotations

import hashlib
import struct
from typing import BinaryIO

from mediadesk.domain.errors import MediaError

from ..c2pa import in_jpeg_segments
from ..images import EXIF_KEYS
from ..jpeg import extended_xmp, patch_iptc_digest, scan_jpeg
from ..jpeg_xmp_ext import fit_main_packet, replace_extension
from .base import Carrier, MetadataLayout, Sniffed
from .registry import register
from .still import StillImage

# A JPEG's Exif is one segment of 64 KB in all: longer Exif text is left to XMP
EXIF_TEXT_LIMIT_JPEG = 16000


def _split(data: bytes) -> tuple[bytes, memoryview] | None:
    """(metadata head + stub scan, image data) of a JPEG, or None when it cannot be split.

    Every metadata segment of a JPEG stands before the first SOS marker; what follows is the
    entropy-coded image data, which a metadata write must copy unchanged. Handing exiv2 only the
    head (with the SOS header and an empty scan, so it still parses as a JPEG) makes a write of a
    24 MP file cost what a write of a 50 KB file costs, instead of three rewrites of 7 MB."""
    sos = scan_jpeg(data).sos_offset
    if sos is None or sos + 4 > len(data):
        return None
    (length,) = struct.unpack(">H", data[sos + 2:sos + 4])
    scan_header_end = sos + 2 + length
    if scan_header_end > len(data):
        return None
    return data[:scan_header_end] + b"\x00\xff\xd9", memoryview(data)[sos:]  # a view: no 8 MB copy


def _image_span(data: bytes) -> tuple[int, int]:
    """Where a JPEG's image data is: from the first SOS marker to the last EOI."""
    sos = scan_jpeg(data).sos_offset
    if sos is None:
        raise MediaError("JPEG has no image data (no SOS marker)")
    eoi = data.rfind(b"\xff\xd9")
    return sos, (eoi + 2 if eoi > sos else len(data))


@register
class Jpeg(StillImage):
    family = "JPEG"
    extensions = {".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG"}
    formats = ("JPEG",)
    carrier = Carrier.EMBEDDED
    embedded_stores = ("exif", "iim", "xmp")
    layout = MetadataLayout(jpeg_segments=True)
    pillow_decoders = ("JPEG",)   # not "MPO": Pillow's multi-picture reader neither drafts nor cleans
    draft_decode = True
    clean_download = True

    def sniff(self, head: bytes) -> Sniffed | None:
        return Sniffed("JPEG") if head.startswith(b"\xff\xd8\xff") else None

    def embed(self, data: bytes, fields: dict[str, object], fmt: str) -> tuple[bytes, list[str]]:
        split = _split(data)
        if split is not None:
            head, image_data = split
            new_head, warnings = super().embed(head, fields, fmt)
            new_sos = scan_jpeg(new_head).sos_offset
            if new_sos is not None:
                return new_head[:new_sos] + image_data, warnings
        return super().embed(data, fields, fmt)

    def limit_exif(self, changes: dict[str, object], warnings: list[str]) -> None:
        """Exif text too long for a JPEG's Exif segment is removed there (with a warning) rather
        than failing the write: Exif would otherwise win over the full text in XMP on reading."""
        for name, key in EXIF_KEYS.items():
            value = changes.get(key)
            if isinstance(value, str) and len(value.encode("utf-8")) > EXIF_TEXT_LIMIT_JPEG:
                changes[key] = None
                warnings.append(f"{name}: {len(value.encode('utf-8'))} bytes is too long for a JPEG's "
                                f"Exif; it is written to XMP (and cut for IIM) and removed from Exif")

    def fit_xmp(self, data: bytes, packet: str,
                changes: dict[str, object]) -> tuple[str, bytes | None, list[str]]:
        return fit_main_packet(packet, changes, extended_xmp(scan_jpeg(data)))

    def finish_embed(self, out: bytes, extension: bytes | None, xmp_written: bool) -> bytes:
        out = patch_iptc_digest(out)
        return replace_extension(out, extension) if xmp_written else out

    def image_fingerprint(self, data: bytes, fmt: str) -> str:
        start, end = _image_span(data)
        return hashlib.sha256(memoryview(data)[start:end]).hexdigest()

    def same_image_data(self, before: bytes, after: bytes, fmt: str) -> bool:
        a_start, a_end = _image_span(before)
        b_start, b_end = _image_span(after)
        return (a_end - a_start == b_end - b_start
                and after.startswith(memoryview(before)[a_start:a_end], b_start))

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_jpeg_segments(fh, size)
