"""probe(): one call per file for the importer: kind, format, size, duration, reconciled
catalog fields with their sources and conflicts, warnings, and optionally a thumbnail.

Images are read once (the caller may pass the bytes it already read to hash them); exiv2 and
Pillow both work on those bytes in memory. Video/audio are opened by path (they can be GBs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from mediadesk.domain.credentials import credentials_warning
from mediadesk.domain.errors import MediaError

from .c2pa import check_credentials
from .images import read_image_stores
from .reconcile import reconcile
from .registry import RAW_FORMATS, format_for_path, kind_for_path, sniff_format
from .sidecar import read_sidecar_fields
from .thumbnails import (CONTAINER_ORIENTED, displayed_size, make_thumbnail, open_image,
                         thumbnail_from_preview, write_thumbnail)
from .video import probe_av

_HEAD = 512
_NO_PILLOW = frozenset(RAW_FORMATS.values()) | {"JXL", "CR3", "SVG"}


@dataclass
class ProbeResult:
    """What probe() learned about one file (see the module docstring of mediadesk.media)."""

    kind: str
    format: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    codec: str | None = None
    frame_rate: float | None = None
    fields: dict[str, object] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    thumbnail_written: bool = False


def _identify(path: str, head: bytes) -> tuple[str, str]:
    sniffed = sniff_format(head)
    by_ext = kind_for_path(path)
    ext_fmt = format_for_path(path)
    if sniffed is None:
        if by_ext is None or ext_fmt is None:
            raise MediaError("not a supported photo, video or audio file "
                             "(unknown extension and unrecognised content)")
        return by_ext, ext_fmt
    kind, fmt = sniffed
    if fmt == "TIFF" and ext_fmt in RAW_FORMATS.values():
        fmt = ext_fmt  # DNG/NEF/ARW... are TIFF-structured
    elif fmt == "MP4" and ext_fmt in ("MOV", "M4A", "3GP"):
        fmt = ext_fmt
        kind = by_ext or kind
    return kind, fmt


def probe(path: str, *, data: bytes | None = None, thumbnail_to: str | None = None) -> ProbeResult:
    """Probe one file. Raises MediaError (message for a person) when it cannot be used."""
    if data is None:
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None
        if size == 0:
            raise MediaError("file is empty (0 bytes)")
        try:
            with open(path, "rb") as fh:
                head = fh.read(_HEAD)
        except OSError as exc:
            raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None
    else:
        if len(data) == 0:
            raise MediaError("file is empty (0 bytes)")
        head = data[:_HEAD]
    kind, fmt = _identify(path, head)
    if kind == "photo":
        if data is None:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None
        result = _probe_photo(path, data, fmt, thumbnail_to)
    else:
        result = _probe_av(path, kind, fmt, thumbnail_to)
    credentials = check_credentials(path)
    if credentials is not None:
        result.warnings.append(credentials_warning(credentials.summary()))
    return result


def _probe_photo(path: str, data: bytes, fmt: str, thumbnail_to: str | None) -> ProbeResult:
    raw = fmt in RAW_FORMATS.values() or fmt == "CR3"
    stores = read_image_stores(data, fmt, want_preview=raw and thumbnail_to is not None)
    result = ProbeResult(kind="photo", format=fmt, warnings=list(stores.warnings))
    sidecar, side_warn = read_sidecar_fields(path)
    result.warnings += side_warn
    result.fields, result.sources, result.conflicts = reconcile(
        exif=stores.exif, iim=stores.iim, xmp=stores.xmp, sidecar=sidecar,
        digest_current=stores.digest_current, digest_stored=stores.digest_stored,
        weak=stores.weak, notes=stores.notes)
    orientation = None if fmt in CONTAINER_ORIENTED else stores.orientation
    size: tuple[int, int] | None = None
    pillow_ok = fmt not in _NO_PILLOW
    if pillow_ok:
        try:
            with open_image(data, stores.size) as im:
                size = im.size
        except MediaError as exc:
            if raw or "limit" in str(exc):
                raise
            # not decodable but exiv2 read it: keep metadata, say why there is no picture
            if not stores.size or not any((stores.exif, stores.iim, stores.xmp)):
                raise
            result.warnings.append(f"pixels cannot be decoded: {exc}")
            pillow_ok = False
    if size is None and stores.size and all(stores.size):
        size = stores.size
    if size:
        result.width, result.height = displayed_size(size, orientation)
    if thumbnail_to is not None:
        thumb: bytes | None = None
        if pillow_ok:
            try:
                thumb, warns = make_thumbnail(data, orientation, fmt, stores.size)
                result.warnings += warns
            except MediaError as exc:
                # pixels undecodable: still useful if the metadata was read, else unusable
                if "limit" in str(exc) or not result.fields:
                    raise
                result.warnings.append(f"pixels cannot be decoded: {exc}")
        elif stores.preview:
            thumb = thumbnail_from_preview(stores.preview, orientation)
        if thumb is None:
            result.warnings.append(f"no thumbnail: {fmt} pixels cannot be decoded here "
                                   "and the file has no usable embedded preview")
        else:
            write_thumbnail(thumbnail_to, thumb)
            result.thumbnail_written = True
    return result


def _probe_av(path: str, kind: str, fmt: str, thumbnail_to: str | None) -> ProbeResult:
    info = probe_av(path, fmt, want_poster=thumbnail_to is not None)
    if kind == "video" and not info.has_video and fmt in ("MP4", "M4A", "3GP") and info.codec:
        kind = "audio"  # an .mp4 that holds only sound
    if fmt == "MP4" and kind == "audio":
        fmt = "M4A"
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
