"""MP4, QuickTime (MOV) and 3GP: ISO BMFF / QuickTime boxes; XMP appended as a box on export.

The boxes are walked for XMP (a top-level uuid box or ``moov/udta/XMP_``), the display rotation,
the declared duration and QuickTime user-data text; FFmpeg gives the streams and the poster
frame. An export copy gets its XMP as a box appended after the last one (chunk offsets are
absolute, so no media byte moves; media/bmff_xmp.py) plus a sidecar. A file of this family that
holds only sound is audio (an ``.mp4`` of a radio interview is an M4A).
"""

from __future__ import annotations

from typing import BinaryIO

from mediadesk.domain.asset import AssetKind

from ..bmff import ftyp_brand
from ..c2pa import in_bmff_boxes
from ..video import VideoInfo
from .audiovisual import AudioVisual
from .base import Carrier, Sniffed
from .registry import register

_LEGACY_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip")   # QuickTime files older than ftyp


@register
class Mp4(AudioVisual):
    family = "MP4/QuickTime"
    kind = AssetKind.VIDEO
    extensions = {".mp4": "MP4", ".m4v": "MP4", ".mov": "MOV", ".qt": "MOV", ".3gp": "3GP", ".3g2": "3GP"}
    formats = ("MP4", "MOV", "3GP")
    carrier = Carrier.BOX_AND_SIDECAR

    def sniff(self, head: bytes) -> Sniffed | None:
        brand = ftyp_brand(head)
        if brand is not None:
            b = brand.lower()
            if b.startswith("qt"):
                return Sniffed("MOV")
            if b.startswith("3g"):
                return Sniffed("3GP")
            # any other brand: an MP4, unless a surer family knows the brand (heic, crx, M4A...)
            return Sniffed("MP4", score=50)
        if len(head) >= 8 and head[4:8] in _LEGACY_ATOMS:
            return Sniffed("MOV", score=60)
        return None

    def claims(self, sniffed: str, ext_format: str) -> bool:
        return sniffed == "MP4"   # a generic brand (isom, mp42) in a file named .mov or .3gp

    def in_boxes(self, fmt: str) -> bool:
        return True

    def settle(self, kind: AssetKind, fmt: str, info: VideoInfo) -> tuple[AssetKind, str]:
        if not info.has_video and info.codec:   # sound only
            return AssetKind.AUDIO, ("M4A" if fmt == "MP4" else fmt)
        return kind, fmt

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_bmff_boxes(fh, size)
