"""The header of a Matroska/WebM file (EBML): Segment Info, Tracks and Tags, read without FFmpeg.

FFmpeg refuses a header-only or damaged Matroska file as a whole ("element exceeds containing
master element"), although its header still says the title, the recording date, the duration
and the picture size; exiftool reads them. This reader walks the Segment's top-level elements
in order (and those its SeekHead points to, for Tags written after the clusters), parses only
Info, Tracks and Tags, skips clusters by their size, and clips every element to the bytes the
file really has. Every read is bounded (MAX_ELEMENT bytes, MAX_ELEMENTS elements).

Element ids and meanings: the Matroska specification (RFC 9559) and its tag names
(TITLE, DATE_RECORDED, ARTIST, DESCRIPTION, COMMENT, COPYRIGHT, KEYWORDS, ...).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

EBML = 0x1A45DFA3
SEGMENT = 0x18538067
SEEKHEAD, SEEK, SEEK_ID, SEEK_POS = 0x114D9B74, 0x4DBB, 0x53AB, 0x53AC
INFO, TIMECODE_SCALE, DURATION, DATE_UTC, TITLE = 0x1549A966, 0x2AD7B1, 0x4489, 0x4461, 0x7BA9
TRACKS, TRACK_ENTRY, TRACK_TYPE, CODEC_ID, DEFAULT_DURATION = 0x1654AE6B, 0xAE, 0x83, 0x86, 0x23E383
VIDEO, PIXEL_WIDTH, PIXEL_HEIGHT = 0xE0, 0xB0, 0xBA
TAGS, TAG, TARGETS, TARGET_TYPE_VALUE = 0x1254C367, 0x7373, 0x63C0, 0x68CA
TAG_TRACK_UID, SIMPLE_TAG, TAG_NAME, TAG_STRING = 0x63C5, 0x67C8, 0x45A3, 0x4487
CLUSTER, CUES = 0x1F43B675, 0x1C53BB6B
MAX_ELEMENT = 16 * 1024 * 1024
MAX_ELEMENTS = 100_000
_EPOCH = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)

# tag name -> catalog field; earlier names win
TAG_FIELDS: tuple[tuple[str, str], ...] = (
    ("TITLE", "title"), ("DESCRIPTION", "caption"), ("SUMMARY", "caption"),
    ("SYNOPSIS", "caption"), ("COMMENT", "caption"), ("ARTIST", "creator"),
    ("AUTHOR", "creator"), ("COPYRIGHT", "copyright"), ("KEYWORDS", "keywords"),
    ("DATE_RECORDED", "date_created"),
)
CODECS = {"V_MPEG4/ISO/AVC": "h264", "V_MPEGH/ISO/HEVC": "hevc", "V_VP8": "vp8", "V_VP9": "vp9",
          "V_AV1": "av1", "V_MPEG4/ISO/ASP": "mpeg4", "V_MPEG2": "mpeg2video", "V_MJPEG": "mjpeg",
          "A_AAC": "aac", "A_OPUS": "opus", "A_VORBIS": "vorbis", "A_MPEG/L3": "mp3",
          "A_FLAC": "flac", "A_AC3": "ac3", "A_PCM/INT/LIT": "pcm_s16le"}


class EbmlError(ValueError):
    """Not a Matroska/WebM file this reader can use."""


@dataclass
class MatroskaHeader:
    title: str | None = None
    date_utc: str | None = None          # ISO 8601, "+00:00"
    duration: float | None = None        # seconds
    width: int | None = None
    height: int | None = None
    codec: str | None = None
    frame_rate: float | None = None
    has_video: bool = False
    tags: dict[str, str] = field(default_factory=dict)   # global tags, upper-case names


def _vint(buf: bytes, pos: int, keep_marker: bool) -> tuple[int, int]:
    """(value, length) of an EBML variable-size integer at ``pos``."""
    if pos >= len(buf):
        raise EbmlError("the file ends inside an element header")
    first = buf[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(buf):
        raise EbmlError("malformed element header")
    value = first if keep_marker else first & (0xFF >> length)
    for b in buf[pos + 1:pos + length]:
        value = (value << 8) | b
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = -1  # unknown size
    return value, length


def elements(buf: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(id, body start, body end) of each element in ``buf[start:end]``; a body that runs past
    ``end`` is clipped to it (the damage this reader exists for)."""
    pos, count = start, 0
    while pos < end and count < MAX_ELEMENTS:
        count += 1
        try:
            eid, n1 = _vint(buf, pos, True)
            size, n2 = _vint(buf, pos + n1, False)
        except EbmlError:
            return
        body = pos + n1 + n2
        stop = end if size < 0 else min(end, body + size)
        yield eid, body, stop
        if size < 0 or body + size > end:
            return
        pos = body + size


def _uint(b: bytes) -> int:
    return int.from_bytes(b[:8], "big") if b else 0


def _float(b: bytes) -> float | None:
    if len(b) == 4:
        return float(struct.unpack(">f", b)[0])
    if len(b) == 8:
        return float(struct.unpack(">d", b)[0])
    return None


def _text(b: bytes) -> str:
    return b.decode("utf-8", errors="replace").replace("\x00", " ").strip()


def _read_info(buf: bytes, s: int, e: int, out: MatroskaHeader) -> None:
    scale, duration = 1_000_000, None
    for eid, bs, be in elements(buf, s, e):
        data = buf[bs:be]
        if eid == TIMECODE_SCALE:
            scale = _uint(data) or scale
        elif eid == DURATION:
            duration = _float(data)
        elif eid == DATE_UTC and len(data) == 8:
            ns = struct.unpack(">q", data)[0]
            try:
                when = _EPOCH + dt.timedelta(microseconds=ns // 1000)
            except OverflowError:
                continue
            out.date_utc = when.replace(microsecond=0).isoformat()
        elif eid == TITLE:
            out.title = _text(data) or None
    if duration is not None and duration > 0:
        out.duration = duration * scale / 1e9


def _read_tracks(buf: bytes, s: int, e: int, out: MatroskaHeader) -> None:
    for eid, bs, be in elements(buf, s, e):
        if eid != TRACK_ENTRY:
            continue
        kind, codec, per_frame, width, height = 0, None, None, None, None
        for cid, cs, ce in elements(buf, bs, be):
            if cid == TRACK_TYPE:
                kind = _uint(buf[cs:ce])
            elif cid == CODEC_ID:
                codec = _text(buf[cs:ce])
            elif cid == DEFAULT_DURATION:
                per_frame = _uint(buf[cs:ce])
            elif cid == VIDEO:
                for vid, vs, ve in elements(buf, cs, ce):
                    if vid == PIXEL_WIDTH:
                        width = _uint(buf[vs:ve]) or None
                    elif vid == PIXEL_HEIGHT:
                        height = _uint(buf[vs:ve]) or None
        if kind == 1 and not out.has_video:
            out.has_video = True
            out.width, out.height = width, height
            out.codec = CODECS.get(codec or "", (codec or "").lower() or None)
            if per_frame:
                out.frame_rate = round(1e9 / per_frame, 3)
        elif kind == 2 and out.codec is None and not out.has_video:
            out.codec = CODECS.get(codec or "", (codec or "").lower() or None)


def _read_simple(buf: bytes, s: int, e: int, out: dict[str, str]) -> None:
    name = value = None
    for eid, bs, be in elements(buf, s, e):
        if eid == TAG_NAME:
            name = _text(buf[bs:be]).upper()
        elif eid == TAG_STRING:
            value = _text(buf[bs:be])
    if name and value and name not in out:
        out[name] = value


def _read_tags(buf: bytes, s: int, e: int, out: MatroskaHeader) -> None:
    for eid, bs, be in elements(buf, s, e):
        if eid != TAG:
            continue
        whole_file = True
        simple: dict[str, str] = {}
        for cid, cs, ce in elements(buf, bs, be):
            if cid == TARGETS:
                for tid, ts, te in elements(buf, cs, ce):
                    if tid == TAG_TRACK_UID and _uint(buf[ts:te]):
                        whole_file = False  # a track's tags, not the file's
            elif cid == SIMPLE_TAG:
                _read_simple(buf, cs, ce, simple)
        if whole_file:
            for k, v in simple.items():
                out.tags.setdefault(k, v)


_READERS = {INFO: _read_info, TRACKS: _read_tracks, TAGS: _read_tags}


def read_header(fh: BinaryIO, file_size: int) -> MatroskaHeader:
    """What the Matroska/WebM header says. Raises EbmlError when it is not such a file."""
    head = fh.read(min(file_size, 64 * 1024))
    first = next(elements(head, 0, len(head)), None)
    if first is None or first[0] != EBML:
        raise EbmlError("not a Matroska/WebM file (no EBML header)")
    pos = first[2]
    try:
        seg_id, n1 = _vint(head, pos, True)
        _size, n2 = _vint(head, pos + n1, False)
    except EbmlError:
        raise EbmlError("the file ends before its Segment") from None
    if seg_id != SEGMENT:
        raise EbmlError("no Matroska Segment after the EBML header")
    seg_start = pos + n1 + n2
    out = MatroskaHeader()
    seen: set[int] = set()
    targets: list[int] = []
    at, count = seg_start, 0
    while at < file_size and count < MAX_ELEMENTS:
        count += 1
        fh.seek(at)
        hdr = fh.read(12)
        try:
            eid, n1 = _vint(hdr, 0, True)
            size, n2 = _vint(hdr, n1, False)
        except EbmlError:
            break
        body = at + n1 + n2
        stop = file_size if size < 0 else min(file_size, body + size)
        if eid in _READERS and eid not in seen and stop - body <= MAX_ELEMENT:
            fh.seek(body)
            data = fh.read(stop - body)
            _READERS[eid](data, 0, len(data), out)
            seen.add(eid)
        elif eid == SEEKHEAD and stop - body <= MAX_ELEMENT:
            fh.seek(body)
            data = fh.read(stop - body)
            for sid, ss, se in elements(data, 0, len(data)):
                if sid != SEEK:
                    continue
                which = where = None
                for cid, cs, ce in elements(data, ss, se):
                    if cid == SEEK_ID:
                        which = _uint(data[cs:ce])
                    elif cid == SEEK_POS:
                        where = _uint(data[cs:ce])
                if which in _READERS and where is not None:
                    targets.append(seg_start + where)
        if size < 0 or eid in (CLUSTER, CUES) and body + size > file_size:
            break
        at = body + size
    for target in targets:  # elements after the clusters (Tags at the end of a long file)
        if target >= file_size:
            continue
        fh.seek(target)
        hdr = fh.read(12)
        try:
            eid, n1 = _vint(hdr, 0, True)
            size, n2 = _vint(hdr, n1, False)
        except EbmlError:
            continue
        if eid in _READERS and eid not in seen and 0 <= size <= MAX_ELEMENT:
            fh.seek(target + n1 + n2)
            data = fh.read(size)
            _READERS[eid](data, 0, len(data), out)
            seen.add(eid)
    if not seen:
        raise EbmlError("no Segment Info, Tracks or Tags could be read")
    return out


def header_fields(header: MatroskaHeader) -> dict[str, object]:
    """Catalog fields from the header's title, tags and date (DATE_RECORDED, else DateUTC)."""
    out: dict[str, object] = {}
    for tag, name in TAG_FIELDS:
        value = header.tags.get(tag)
        if value and name not in out:
            out[name] = ([k.strip() for k in value.replace(";", ",").split(",") if k.strip()]
                         if name == "keywords" else value)
    if header.title and "title" not in out:
        out["title"] = header.title
    if "date_created" not in out and header.date_utc:
        out["date_created"] = header.date_utc
    return out
