"""Audio files: read by FFmpeg (tags, duration, codec); no thumbnail; a sidecar carries the
metadata. M4A is ISO BMFF, walked for XMP like an MP4 (and an MP4 holding only sound becomes one,
see mp4.py); other formats get an XMP packet found by its markers."""

from __future__ import annotations

from typing import BinaryIO

from mediadesk.domain.asset import AssetKind

from ..bmff import ftyp_brand
from ..c2pa import in_bmff_boxes
from .audiovisual import AudioVisual
from .base import Sniffed
from .registry import register

_M4A_BRANDS = frozenset({"m4a ", "m4b ", "m4p "})


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header (11 sync bits, a valid layer): MP3 without an ID3 tag."""
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and bool(head[1] & 0x06)


@register
class Audio(AudioVisual):
    family = "audio"
    kind = AssetKind.AUDIO
    extensions = {".m4a": "M4A", ".mp3": "MP3", ".wav": "WAV", ".aac": "AAC", ".flac": "FLAC",
                  ".ogg": "OGG", ".oga": "OGG", ".opus": "OPUS", ".aif": "AIFF", ".aiff": "AIFF",
                  ".wma": "WMA"}
    formats = ("M4A", "MP3", "WAV", "AAC", "FLAC", "OGG", "OPUS", "AIFF", "WMA")
    posters = False

    def sniff(self, head: bytes) -> Sniffed | None:
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            return Sniffed("WAV")
        if (ftyp_brand(head) or "").lower() in _M4A_BRANDS:
            return Sniffed("M4A")
        if head.startswith(b"ID3"):
            return Sniffed("MP3")
        if head.startswith(b"fLaC"):
            return Sniffed("FLAC")
        if head.startswith(b"OggS"):
            return Sniffed("OGG")
        if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
            return Sniffed("AIFF")
        if _mpeg_audio_frame(head):
            return Sniffed("MP3", score=20)   # two bytes of frame sync: the loosest test of all
        return None

    def claims(self, sniffed: str, ext_format: str) -> bool:
        return sniffed == "MP4" and ext_format == "M4A"

    def in_boxes(self, fmt: str) -> bool:
        return fmt == "M4A"

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        return in_bmff_boxes(fh, size) if fmt == "M4A" else None
