"""GIF: the first frame is the thumbnail; XMP (an application extension) found by its markers.

exiv2 does not write GIF, so its metadata travels in a sidecar."""

from __future__ import annotations

from .base import MetadataLayout, Sniffed
from .registry import register
from .still import StillImage


@register
class Gif(StillImage):
    family = "GIF"
    extensions = {".gif": "GIF"}
    formats = ("GIF",)
    layout = MetadataLayout(loose_packet=True)
    pillow_decoders = ("GIF",)

    def sniff(self, head: bytes) -> Sniffed | None:
        return Sniffed("GIF") if head[:6] in (b"GIF87a", b"GIF89a") else None
