"""WebP: Exif and XMP chunks written in place by exiv2 (WebP has no IPTC-IIM); C2PA chunk."""

from __future__ import annotations

from typing import BinaryIO

from ..c2pa import in_webp_chunks
from .base import Carrier, Sniffed
from .registry import register
from .still import StillImage


@register
class WebP(StillImage):
    family = "WebP"
    extensions = {".webp": "WEBP"}
    formats = ("WEBP",)
    carrier = Carrier.EMBEDDED
    embedded_stores = ("exif", "xmp")
    pillow_decoders = ("WEBP",)

    def sniff(self, head: bytes) -> Sniffed | None:
        return Sniffed("WEBP") if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else None

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_webp_chunks(fh, size)
