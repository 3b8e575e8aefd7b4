"""BMP: pixels only (the format has no metadata store); the metadata travels in a sidecar."""

from __future__ import annotations

from .base import Sniffed
from .registry import register
from .still import StillImage


@register
class Bmp(StillImage):
    family = "BMP"
    extensions = {".bmp": "BMP"}
    formats = ("BMP",)
    pillow_decoders = ("BMP", "DIB")

    def sniff(self, head: bytes) -> Sniffed | None:
        # two letters only: less sure than a real signature (an MPEG-TS sync byte is weaker still)
        return Sniffed("BMP", score=80) if head.startswith(b"BM") and len(head) >= 14 else None
