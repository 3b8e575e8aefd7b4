"""JPEG XL: metadata read by exiv2 and from XMP boxes found by their markers. Pillow does not
decode JPEG XL here, so there is no thumbnail; the metadata travels in a sidecar."""

from __future__ import annotations

from .base import MetadataLayout, Sniffed
from .registry import register
from .still import StillImage


@register
class JpegXl(StillImage):
    family = "JPEG XL"
    extensions = {".jxl": "JXL"}
    formats = ("JXL",)
    layout = MetadataLayout(loose_packet=True)
    pillow_pixels = False

    def sniff(self, head: bytes) -> Sniffed | None:
        if head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):   # the ISO BMFF-style container
            return Sniffed("JXL")
        if head.startswith(b"\xff\x0a"):                          # a bare codestream: two bytes
            return Sniffed("JXL", score=80)
        return None
