"""Video and audio probing with PyAV (FFmpeg in-process: ~14 ms per file, no ffprobe process).

Reads the header only for duration/size/codec/rate, QuickTime/FFmpeg text tags for metadata,
embedded XMP (MP4/MOV uuid box, QuickTime XMP_ atom, or an xpacket found in small files),
and decodes one keyframe near 1 s (or 10% in, for short clips) as the poster thumbnail.
Files stripped of media data (test files, damaged copies) still give what the header has.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import av
from PIL import Image

from mediadesk.domain.errors import MediaError

from .bmff import scan_bmff
from .dates import from_iso
from .thumbnails import THUMB_QUALITY, THUMB_SIZE
from .xmp import fields_from_xmp, find_packet, read_packet

av.logging.set_level(av.logging.PANIC)

_SCAN_WHOLE_LIMIT = 8 * 1024 * 1024
_ROTATE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
           270: Image.Transpose.ROTATE_90}

# ffmpeg tag name (lower-case) -> catalog field; first match wins
_TAGS: tuple[tuple[str, str], ...] = (
    ("title", "title"), ("com.apple.quicktime.title", "title"),
    ("description", "caption"), ("comment", "caption"), ("com.apple.quicktime.description", "caption"),
    ("synopsis", "caption"),
    ("artist", "creator"), ("author", "creator"), ("com.apple.quicktime.author", "creator"),
    ("com.apple.quicktime.artist", "creator"),
    ("copyright", "copyright"), ("com.apple.quicktime.copyright", "copyright"),
    ("keywords", "keywords"), ("com.apple.quicktime.keywords", "keywords"),
)


@dataclass
class VideoInfo:
    format_name: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    codec: str | None = None
    frame_rate: float | None = None
    has_video: bool = False
    quicktime: dict[str, object] = field(default_factory=dict)
    xmp: dict[str, object] = field(default_factory=dict)
    poster: bytes | None = None
    rotation: int = 0  # clockwise degrees the picture must be turned for display
    udta: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # field -> (atom, text)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)  # (store, field) -> note
    warnings: list[str] = field(default_factory=list)


def _tag_fields(meta: dict[str, str]) -> dict[str, object]:
    lower = {k.lower(): v for k, v in meta.items()}
    out: dict[str, object] = {}
    for tag, name in _TAGS:
        value = lower.get(tag)
        if name in out or not value or not value.strip():
            continue
        value = value.replace("\x00", " ").strip()
        if name == "keywords":
            items = [k.strip() for k in value.replace(";", ",").split(",") if k.strip()]
            if items:
                out[name] = items
        else:
            out[name] = value
    # Apple's local time with offset, then the (c)day content date, then the UTC header time
    date = lower.get("com.apple.quicktime.creationdate") or lower.get("date") \
        or lower.get("date_recorded") or lower.get("creation_time")
    iso = from_iso(date) if date else None
    if iso and not iso.startswith(("1904", "1970", "0000")):
        out["date_created"] = iso
    return out


def _embedded_xmp(path: str, bmff: bool, info: VideoInfo, size: int) -> dict[str, object]:
    try:
        with open(path, "rb") as fh:
            packet: bytes | None = None
            if bmff:
                found = scan_bmff(fh, size)
                packet = found.get("xmp")  # type: ignore[assignment]
                rot = found.get("rotation")
                if isinstance(rot, int):
                    info.rotation = rot
                dur = found.get("duration")
                if isinstance(dur, float):
                    info.duration = dur
                udta = found.get("udta")
                if isinstance(udta, dict):
                    info.udta = udta
            elif size <= _SCAN_WHOLE_LIMIT:
                packet = find_packet(fh.read())
    except OSError as exc:
        info.warnings.append(f"embedded XMP could not be read ({exc})")
        return {}
    if not packet:
        return {}
    parsed, problems = read_packet(packet)
    info.warnings += [f"embedded {p}" if p.startswith("XMP") else f"embedded XMP: {p}" for p in problems]
    return fields_from_xmp(parsed)


def _garbled(text: object) -> bool:
    return isinstance(text, str) and ("\ufffd" in text or any(ord(c) < 32 and c not in "\t\n\r"
                                                               for c in text))


def _fill_from_udta(info: VideoInfo) -> None:
    """QuickTime user-data text (©nam, ©day, ©ART, ©cmt, ©des, ...) read by the box walker
    where FFmpeg gave nothing for the field, or gave it garbled (UTF-16 text, which FFmpeg
    reads as UTF-8)."""
    for name, (atom, text) in info.udta.items():
        if name in info.quicktime and not _garbled(info.quicktime[name]):
            continue
        if name == "date_created":
            iso = from_iso(text)
            if not iso or iso.startswith(("1904", "1970", "0000")):
                continue
            text = iso
        info.quicktime[name] = text
        info.notes[("quicktime", name)] = f"read from the user-data atom {atom.decode('latin-1')}"


def _poster(container: av.container.InputContainer, stream: av.VideoStream, duration: float | None,
            rotation: int) -> bytes | None:
    if stream.codec_context is None:   # a codec FFmpeg cannot decode (or a damaged sample entry)
        return None
    target = 1.0
    if duration:
        target = min(1.0, duration * 0.1)
    try:
        if target > 0 and stream.time_base:
            container.seek(int(target / stream.time_base), stream=stream, backward=True,
                           any_frame=False)
    except (av.error.FFmpegError, OSError, ValueError):
        try:
            container.seek(0)
        except (av.error.FFmpegError, OSError, ValueError):
            pass
    stream.codec_context.skip_frame = "NONKEY"
    try:
        frame = next(container.decode(stream), None)
    except (av.error.FFmpegError, OSError, ValueError):
        frame = None
    if frame is None:
        return None
    im: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]  # PyAV 18's stub leaves it untyped
    im.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.BILINEAR)
    step = _ROTATE.get(rotation)
    if step is not None:
        im = im.transpose(step)
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=THUMB_QUALITY)
    return buf.getvalue()


# what a format family does with a file FFmpeg refuses: (path, size, info so far, FFmpeg's error)
Refused = Callable[[str, int, VideoInfo, Exception], VideoInfo]


def probe_av(path: str, fmt: str, *, want_poster: bool, bmff: bool = False,
             when_refused: Refused | None = None) -> VideoInfo:
    """Header facts, tags, embedded XMP and (optionally) a poster JPEG for a video/audio file.

    ``bmff``: an ISO BMFF / QuickTime file, whose boxes are walked for XMP, rotation, duration
    and user-data text; others get an XMP packet found by its markers (small files only).
    ``when_refused``: what to make of a file FFmpeg cannot open (default: a MediaError)."""
    info = VideoInfo(format_name=fmt)
    size = os.path.getsize(path)
    info.xmp = _embedded_xmp(path, bmff, info, size)
    try:
        container = av.open(path, metadata_errors="replace")
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        if when_refused is not None:
            return when_refused(path, size, info, exc)
        raise MediaError(f"video/audio file cannot be opened by FFmpeg ({exc})") from None
    try:
        # the movie header's declared duration (mvhd) wins; FFmpeg's estimate otherwise
        if info.duration is None and container.duration is not None and container.duration >= 0:
            info.duration = container.duration / av.time_base
        vstream = next((s for s in container.streams.video
                        if not (s.disposition & av.stream.Disposition.attached_pic)), None)
        astream = next(iter(container.streams.audio), None)
        if info.duration is None:
            for s in (vstream, astream):
                if s is not None and s.duration and s.time_base:
                    info.duration = float(s.duration * s.time_base)
                    break
        meta = dict(container.metadata)
        rotation = info.rotation
        if vstream is not None:
            info.has_video = True
            cc = vstream.codec_context
            if cc is not None:  # a stream of a codec FFmpeg does not know has no context
                info.codec = cc.name
                info.width, info.height = (cc.width or None), (cc.height or None)
            rate = vstream.average_rate or vstream.guessed_rate or vstream.base_rate
            if rate and isinstance(rate, Fraction) and rate > 0 and rate < 1000:
                info.frame_rate = round(float(rate), 3)
            for k, v in vstream.metadata.items():
                meta.setdefault(k, v)
            try:
                rotation = int(vstream.metadata.get("rotate", rotation)) % 360
            except ValueError:
                pass
            info.rotation = rotation
            if rotation in (90, 270) and info.width and info.height:
                info.width, info.height = info.height, info.width
            if want_poster:
                info.poster = _poster(container, vstream, info.duration, rotation)
                if info.poster is None:
                    info.warnings.append("no video frame could be decoded for the poster")
        elif astream is not None:
            if astream.codec_context is not None:
                info.codec = astream.codec_context.name
            for k, v in astream.metadata.items():
                meta.setdefault(k, v)
        info.quicktime = _tag_fields(meta)
        _fill_from_udta(info)
    finally:
        container.close()
    return info
