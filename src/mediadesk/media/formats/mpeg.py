"""MPEG transport streams (camcorder AVCHD .mts/.m2ts, broadcast .ts) and program streams
(.mpg): read by FFmpeg; the metadata travels in a sidecar."""

from __future__ import annotations

from mediadesk.domain.asset import AssetKind

from .audiovisual import AudioVisual
from .base import Sniffed
from .registry import register


@register
class MpegStream(AudioVisual):
    family = "MPEG stream"
    kind = AssetKind.VIDEO
    extensions = {".mts": "M2TS", ".m2ts": "M2TS", ".ts": "M2TS", ".mpg": "MPEG", ".mpeg": "MPEG"}
    formats = ("M2TS", "MPEG")

    def sniff(self, head: bytes) -> Sniffed | None:
        # a sync byte 0x47 at two packet starts is a loose test: any surer signature wins
        if len(head) >= 197 and head[4] == 0x47 and head[196] == 0x47:
            return Sniffed("M2TS", score=30)   # 192-byte packets: 4-byte timestamp + 0x47 sync
        if len(head) >= 189 and head[0] == 0x47 and head[188] == 0x47:
            return Sniffed("M2TS", score=30)   # plain MPEG transport stream
        if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
            return Sniffed("MPEG")
        return None
