"""Matroska and WebM: read by FFmpeg; a file FFmpeg refuses (an unknown codec, a damaged
cluster) is still catalogued from its EBML header (title, date, duration, size). The metadata
travels in a sidecar."""

from __future__ import annotations

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import MediaError

from ..dates import from_iso
from ..ebml import EbmlError, header_fields, read_header
from ..video import Refused, VideoInfo
from .audiovisual import AudioVisual
from .base import Sniffed
from .registry import register


def _from_header(path: str, size: int, info: VideoInfo, exc: Exception) -> VideoInfo:
    """A Matroska/WebM file FFmpeg refuses, catalogued from what its header says."""
    try:
        with open(path, "rb") as fh:
            header = read_header(fh, size)
    except (OSError, EbmlError) as err:
        raise MediaError(f"video file cannot be opened by FFmpeg ({exc}) and its Matroska header "
                         f"cannot be read either ({err})") from None
    info.duration = info.duration or header.duration
    info.width, info.height, info.codec = header.width, header.height, header.codec
    info.frame_rate, info.has_video = header.frame_rate, header.has_video
    fields = header_fields(header)
    date = fields.get("date_created")
    if isinstance(date, str):
        iso = from_iso(date)
        if iso:
            fields["date_created"] = iso
        else:
            fields.pop("date_created")
    info.quicktime = fields
    for name in fields:
        info.notes[("quicktime", name)] = "read from the Matroska header; FFmpeg refused the file"
    reason = str(exc).split("; last error log:")[-1].strip() or str(exc)
    info.warnings.append(f"FFmpeg cannot open this file ({reason[:160]}); it was catalogued from "
                         "its Matroska header (title, date, duration, size); no poster frame")
    return info


@register
class Matroska(AudioVisual):
    family = "Matroska/WebM"
    kind = AssetKind.VIDEO
    extensions = {".mkv": "MKV", ".webm": "WEBM"}
    formats = ("MKV", "WEBM")

    def sniff(self, head: bytes) -> Sniffed | None:
        if head.startswith(b"\x1a\x45\xdf\xa3"):
            return Sniffed("WEBM" if b"webm" in head[:64] else "MKV")
        return None

    def refused(self) -> Refused | None:
        return _from_header
