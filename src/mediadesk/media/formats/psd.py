"""Photoshop documents: Exif, IPTC-IIM and XMP read by exiv2 from the image resources; the
composite picture decoded by Pillow. mediadesk does not rewrite PSD: a sidecar carries it."""

from __future__ import annotations

from .base import Sniffed
from .registry import register
from .still import StillImage


@register
class Psd(StillImage):
    family = "Photoshop"
    extensions = {".psd": "PSD"}
    formats = ("PSD",)
    pillow_decoders = ("PSD",)

    def sniff(self, head: bytes) -> Sniffed | None:
        return Sniffed("PSD") if head.startswith(b"8BPS") else None
