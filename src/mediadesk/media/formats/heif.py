"""HEIF and AVIF: metadata read from the image's Exif and XMP items; the container rotates.

mediadesk does not rewrite HEIF/AVIF files (their item locations are absolute offsets), so
their metadata travels in a sidecar. The orientation in their Exif is advisory: the container's
``irot``/``imir`` properties turn the picture, and the decoders apply them.
"""

from __future__ import annotations

from typing import BinaryIO

from ..bmff import ftyp_brand
from ..c2pa import in_bmff_boxes
from .base import MetadataLayout, Sniffed
from .registry import register
from .still import StillImage

_HEIF_BRANDS = frozenset({"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"})
_AVIF_BRANDS = frozenset({"avif", "avis"})


@register
class Heif(StillImage):
    family = "HEIF/AVIF"
    extensions = {".heic": "HEIF", ".heif": "HEIF", ".hif": "HEIF", ".avif": "AVIF"}
    formats = ("HEIF", "AVIF")
    layout = MetadataLayout(heif_items=True)
    container_oriented = True
    pillow_decoders = ("HEIF", "AVIF")

    def sniff(self, head: bytes) -> Sniffed | None:
        brand = (ftyp_brand(head) or "").lower()
        if brand in _HEIF_BRANDS:
            return Sniffed("HEIF")
        if brand in _AVIF_BRANDS:
            return Sniffed("AVIF")
        return None

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_bmff_boxes(fh, size)
