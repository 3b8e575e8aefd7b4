"""Camera raw: metadata read by exiv2; the thumbnail from the embedded preview JPEG.

Raw sensor data needs demosaicing that mediadesk does not do, so no rendition or web page is
made of a raw file, and its metadata travels in a sidecar (rewriting a maker's raw container is
not safe). Most raw formats are TIFF inside (CR2, DNG, NEF, ARW...): a TIFF-headed file whose
name says raw is raw. CR3 is ISO BMFF (brand ``crx``).
"""

from __future__ import annotations

from typing import BinaryIO

from ..bmff import ftyp_brand
from ..c2pa import in_bmff_boxes
from .base import Sniffed
from .registry import register
from .still import StillImage

_TIFF_HEADERS = (b"II*\x00", b"MM\x00*")


@register
class CameraRaw(StillImage):
    family = "camera raw"
    extensions = {
        ".cr2": "CR2", ".cr3": "CR3", ".crw": "CRW", ".nef": "NEF", ".nrw": "NRW", ".arw": "ARW",
        ".srf": "SRF", ".sr2": "SR2", ".dng": "DNG", ".orf": "ORF", ".rw2": "RW2", ".raf": "RAF",
        ".pef": "PEF", ".srw": "SRW", ".3fr": "3FR", ".mrw": "MRW", ".x3f": "X3F",
    }
    formats = ("CR2", "CR3", "CRW", "NEF", "NRW", "ARW", "SRF", "SR2", "DNG", "ORF", "RW2", "RAF",
               "PEF", "SRW", "3FR", "MRW", "X3F")
    camera_raw = True
    pillow_pixels = False
    embedded_preview = True

    def sniff(self, head: bytes) -> Sniffed | None:
        if head[:4] in _TIFF_HEADERS and head[8:10] == b"CR":
            return Sniffed("CR2")
        if head[:4] == b"IIRO":
            return Sniffed("ORF")
        if head[:4] == b"IIU\x00":
            return Sniffed("RW2")
        if head.startswith(b"FUJIFILMCCD-RAW"):
            return Sniffed("RAF")
        if (ftyp_brand(head) or "").lower().startswith("crx"):
            return Sniffed("CR3")
        return None

    def claims(self, sniffed: str, ext_format: str) -> bool:
        return sniffed == "TIFF"   # DNG, NEF, ARW... are TIFF-structured

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_bmff_boxes(fh, size) if fmt == "CR3" else None
