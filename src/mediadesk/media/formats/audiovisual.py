"""AudioVisual: what the video and audio families share (FFmpeg through PyAV, opened by path).

Header facts, container tags and embedded XMP come from media/video.py; the poster frame is the
thumbnail. A family says whether its files are ISO BMFF / QuickTime (whose boxes are walked for
XMP, rotation and user-data text), what to do with a file FFmpeg refuses, and what a probed file
turns out to be (an MP4 holding only sound is an M4A).
"""

from __future__ import annotations

import os
from typing import ClassVar

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import MediaError
from mediadesk.domain.timed_text import ChapterList, close_chapters
from mediadesk.domain.words import Words

from ..reconcile import reconcile
from ..sidecar import read_sidecar_fields, sidecar_candidates
from ..thumbnails import write_thumbnail
from ..timedtext import beside, read_chapter_file, read_embedded, read_track
from ..video import Refused, VideoInfo, probe_av
from ..xmp_tracks import chapters_from_packet
from .base import MediaFormat, ProbeResult

MAX_XMP_SIDECAR_BYTES = 16 * 1024 * 1024


def _sidecar_chapters(path: str) -> ChapterList | None:
    """Chapters an XMP sidecar carries as xmpDM:Tracks markers (what mediadesk exports)."""
    for candidate in sidecar_candidates(path):
        try:
            if os.path.getsize(candidate) > MAX_XMP_SIDECAR_BYTES:
                continue
            with open(candidate, "rb") as fh:
                text = fh.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        found = chapters_from_packet(text)
        if found:
            return ChapterList(chapters=found, origin=os.path.basename(candidate))
    return None


def timed_words(path: str, duration: float | None) -> Words:
    """A video's subtitle tracks and chapters: text streams and chapters inside the file, then
    the SRT/WebVTT files beside it (``name.pl.srt``, ``name.en.vtt``) and its chapters file
    (``name.chapters.vtt``), which wins over the XMP sidecar's markers and the file's own
    chapters, as a sidecar wins over what is inside (media/reconcile.py)."""
    words = Words()
    warnings: list[str] = []
    try:
        words.tracks, words.chapters, warnings = read_embedded(path)
    except MediaError:
        pass   # the probe has said why FFmpeg cannot open it
    chapter_file = False
    for entry in beside(path):
        name = os.path.basename(entry.path)
        try:
            if entry.chapters:
                chapter_file = True
                found = read_chapter_file(entry)
                if found.chapters:
                    words.chapters = found
                warnings += [f"{name}: {w}" for w in found.warnings]
            else:
                track = read_track(entry)
                if track.cues or track.warnings:
                    words.tracks.append(track)
        except MediaError as exc:
            warnings.append(f"{name}: {exc}")
    if not chapter_file:
        from_xmp = _sidecar_chapters(path)
        if from_xmp is not None:
            words.chapters = from_xmp
    if words.chapters is not None:
        words.chapters.chapters = close_chapters(words.chapters.chapters, duration)
    for track in words.tracks:
        warnings += [f"{track.origin}: {w}" for w in track.warnings]
    words.tracks = [t for t in words.tracks if t.cues]
    words.tracks.sort(key=lambda t: (t.origin.startswith("stream"), t.language or "", t.origin))
    words.warnings = warnings
    return words


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
        if kind == AssetKind.VIDEO:
            words = timed_words(path, result.duration)
            result.warnings += words.warnings
            if words.tracks or words.chapters is not None:
                result.words = words
        return result
