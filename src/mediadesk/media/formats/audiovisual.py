"""AudioVisual: what the video and audio families share (FFmpeg through PyAV, opened by path).

Header facts, container tags and embedded XMP come from media/video.py; the poster frame is the
thumbnail. A family says whether its files are ISO BMFF / QuickTime (whose boxes are walked for
XMP, rotation and user-data text), what to do with a file FFmpeg refuses, and what a probed file
turns out to be (an MP4 holding only sound is an M4A).
"""

from __future__ import annotations

from typing import ClassVar

from mediadesk.domain.asset import AssetKind

from ..reconcile import reconcile
from ..sidecar import read_sidecar_fields
from ..thumbnails import write_thumbnail
from ..video import Refused, VideoInfo, probe_av
from .base import MediaFormat, ProbeResult


class AudioVisual(MediaFormat):
    posters: ClassVar[bool] = True   # a frame of the picture becomes the thumbnail

    def in_boxes(self, fmt: str) -> bool:
        """True when files of ``fmt`` are ISO BMFF / QuickTime."""
        return False

    def refused(self) -> Refused | None:
        """What makes a file FFmpeg refuses usable (None: it is reported unusable)."""
        return None

    def settle(self, kind: AssetKind, fmt: str, info: VideoInfo) -> tuple[AssetKind, str]:
        """The kind and format a probed file turns out to have."""
        return kind, fmt

    def probe(self, path: str, data: bytes | None, fmt: str, thumbnail_to: str | None) -> ProbeResult:
        want_poster = self.posters and thumbnail_to is not None
        info = probe_av(path, fmt, want_poster=want_poster, bmff=self.in_boxes(fmt),
                        when_refused=self.refused())
        kind, fmt = self.settle(self.kind, fmt, info)
        result = ProbeResult(kind=kind, format=fmt, width=info.width, height=info.height,
                             duration=info.duration, codec=info.codec, frame_rate=info.frame_rate,
                             warnings=list(info.warnings))
        sidecar, side_warn = read_sidecar_fields(path)
        result.warnings += side_warn
        result.fields, result.sources, result.conflicts = reconcile(
            xmp=info.xmp, sidecar=sidecar, quicktime=info.quicktime, notes=info.notes)
        if thumbnail_to is not None and info.poster is not None:
            write_thumbnail(thumbnail_to, info.poster)
            result.thumbnail_written = True
        return result
