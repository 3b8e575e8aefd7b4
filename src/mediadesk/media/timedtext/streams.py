"""Subtitle streams and chapters inside MP4/MOV and Matroska/WebM files (PyAV).

Text streams (SubRip, WebVTT, SSA/ASS, MP4 ``mov_text``/tx3g) are decoded into cues with the
stream's language (``pol`` -> ``pl``) and title; picture-based subtitles (DVD, Blu-ray PGS, DVB)
hold no text to search and are named in a warning. Chapters come from the container (Matroska
``Chapters``, QuickTime chapter tracks, Nero ``chpl``), with their titles.

Reading the streams means demuxing the file (the other streams' packets are skipped, not
decoded); a file with no subtitle stream is not read past its header.
"""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from typing import Any

import av

from mediadesk.domain.errors import MediaError
from mediadesk.domain.languages import normalise_language
from mediadesk.domain.timed_text import Chapter, ChapterList, Cue, TextTrack

from ..text_decode import clean_text
from .cues import MAX_CUES, cue_text, finish

_TEXT_CODECS = frozenset({"subrip", "srt", "webvtt", "ass", "ssa", "mov_text", "text", "microdvd",
                          "subviewer", "subviewer1", "sami", "realtext", "jacosub", "mpl2", "pjs",
                          "stl", "vplayer", "eia_608", "ttml"})
_BITMAP_CODECS = {"dvd_subtitle": "DVD", "dvdsub": "DVD", "hdmv_pgs_subtitle": "Blu-ray PGS",
                  "pgssub": "Blu-ray PGS", "dvb_subtitle": "DVB", "dvbsub": "DVB", "xsub": "DivX XSUB"}


def _seconds(value: int | None, time_base: Fraction | None) -> float | None:
    if value is None or time_base is None:
        return None
    return float(value * time_base)


def read_chapters(container: Any, origin: str = "chapters in the file") -> ChapterList | None:
    """The container's chapters, or None when it has none."""
    try:
        raw = container.chapters()
    except (av.FFmpegError, AttributeError, ValueError):
        return None
    if not raw:
        return None
    chapters: list[Chapter] = []
    warnings: list[str] = []
    for n, item in enumerate(raw, 1):
        start = _seconds(item.get("start"), item.get("time_base"))
        end = _seconds(item.get("end"), item.get("time_base"))
        if start is None or start < 0:
            continue
        title = " ".join(str((item.get("metadata") or {}).get("title") or "").split())
        if not title:
            title = f"Chapter {n}"
            warnings.append(f"chapter {n} has no title; called \u201c{title}\u201d")
        chapters.append(Chapter(start, end if end is not None and end > start else None,
                                unicodedata.normalize("NFC", clean_text(title))))
    if not chapters:
        return None
    chapters.sort(key=lambda c: c.start)
    return ChapterList(chapters=chapters, origin=origin, warnings=warnings)


def _dialogue_text(sub: Any) -> str:
    """The words of one decoded subtitle (an SSA dialogue line or plain text)."""
    raw = getattr(sub, "dialogue", None)
    if raw is None:
        raw = getattr(sub, "text", b"")
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw or "")
    text = text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ")
    return cue_text(text.split("\n"))


def read_subtitle_streams(container: Any) -> tuple[list[TextTrack], list[str]]:
    """(one track per text subtitle stream, warnings about streams that could not be read)."""
    warnings: list[str] = []
    text_streams = []
    for stream in container.streams.subtitles:
        codec = (stream.codec_context.name or "").lower() if stream.codec_context else ""
        if codec in _BITMAP_CODECS:
            warnings.append(f"subtitle stream {stream.index} holds pictures ({_BITMAP_CODECS[codec]}), "
                            "not text: it is not searchable (add an SRT or WebVTT file beside the video)")
        elif codec in _TEXT_CODECS:
            text_streams.append(stream)
        else:
            warnings.append(f"subtitle stream {stream.index} ({codec or 'unknown codec'}) cannot be read "
                            "as text")
    if not text_streams:
        return [], warnings
    cues: dict[int, list[Cue]] = {s.index: [] for s in text_streams}
    try:
        for packet in container.demux(text_streams):
            if packet.size == 0 or packet.pts is None:
                continue
            bucket = cues[packet.stream.index]
            if len(bucket) > MAX_CUES:
                continue
            start = _seconds(packet.pts, packet.time_base) or 0.0
            length = _seconds(packet.duration, packet.time_base) or 0.0
            for sub in packet.decode():
                words = _dialogue_text(sub)
                if words:
                    bucket.append(Cue(start, start + max(length, 0.0), words))
    except (av.FFmpegError, ValueError, UnicodeDecodeError) as exc:
        warnings.append(f"the subtitle streams are damaged; what was read before that is kept ({exc})")
    tracks: list[TextTrack] = []
    for stream in text_streams:
        meta = {k.lower(): v for k, v in (stream.metadata or {}).items()}
        track_warnings: list[str] = []
        found = finish(cues[stream.index], [], track_warnings, "subtitle")
        if not found:
            continue
        tracks.append(TextTrack(cues=found, language=normalise_language(meta.get("language")),
                                origin=f"stream {stream.index}", label=meta.get("title") or None,
                                warnings=track_warnings))
    return tracks, warnings


def read_embedded(path: str) -> tuple[list[TextTrack], ChapterList | None, list[str]]:
    """Subtitle tracks, chapters and warnings of a video file. Raises MediaError when the file
    cannot be opened."""
    try:
        container = av.open(path, metadata_errors="replace")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(f"cannot be opened to read its subtitles and chapters ({exc})") from None
    with container:
        chapters = read_chapters(container)
        tracks, warnings = read_subtitle_streams(container)
    return tracks, chapters, warnings
