"""AVI (RIFF): read by FFmpeg; the metadata travels in a sidecar."""

from __future__ import annotations

from mediadesk.domain.asset import AssetKind

from .audiovisual import AudioVisual
from .base import Sniffed
from .registry import register


@register
class Avi(AudioVisual):
    family = "AVI"
    kind = AssetKind.VIDEO
    extensions = {".avi": "AVI"}
    formats = ("AVI",)

    def sniff(self, head: bytes) -> Sniffed | None:
        return Sniffed("AVI") if head[:4] == b"RIFF" and head[8:12] == b"AVI " else None
