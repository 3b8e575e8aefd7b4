"""TIFF: Exif, IPTC-IIM and XMP written in place by exiv2 (pixels proven unchanged by decoding).

Camera raw formats built on TIFF (CR2, DNG, NEF...) share its header; they belong to the camera
raw family (raw.py), which claims a TIFF-headed file whose name says raw.
"""

from __future__ import annotations

from .base import Carrier, Sniffed
from .registry import register
from .still import StillImage


@register
class Tiff(StillImage):
    family = "TIFF"
    extensions = {".tif": "TIFF", ".tiff": "TIFF"}
    formats = ("TIFF",)
    carrier = Carrier.EMBEDDED
    embedded_stores = ("exif", "iim", "xmp")
    pillow_decoders = ("TIFF",)

    def sniff(self, head: bytes) -> Sniffed | None:
        if head[:4] in (b"II*\x00", b"MM\x00*") and head[8:10] != b"CR":   # "CR": a Canon CR2
            return Sniffed("TIFF")
        return None
