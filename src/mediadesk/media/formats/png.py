"""PNG: Exif (eXIf), IPTC-IIM and XMP (iTXt) written in place by exiv2; C2PA in a caBX chunk."""

from __future__ import annotations

from typing import BinaryIO

from ..c2pa import in_png_chunks
from .base import Carrier, Sniffed
from .registry import register
from .still import StillImage


@register
class Png(StillImage):
    family = "PNG"
    extensions = {".png": "PNG"}
    formats = ("PNG",)
    carrier = Carrier.EMBEDDED
    embedded_stores = ("exif", "iim", "xmp")
    pillow_decoders = ("PNG",)

    def sniff(self, head: bytes) -> Sniffed | None:
        return Sniffed("PNG") if head.startswith(b"\x89PNG\r\n\x1a\n") else None

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_png_chunks(fh, size)
