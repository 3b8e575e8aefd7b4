"""Windows Media Video and Flash Video: read by FFmpeg, recognised by name only; the metadata
travels in a sidecar."""

from __future__ import annotations

from mediadesk.domain.asset import AssetKind

from .audiovisual import AudioVisual
from .registry import register


@register
class WindowsMediaFlash(AudioVisual):
    family = "Windows Media/Flash Video"
    kind = AssetKind.VIDEO
    extensions = {".wmv": "WMV", ".flv": "FLV"}
    formats = ("WMV", "FLV")
