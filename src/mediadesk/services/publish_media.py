"""The files a published asset needs, made in a worker process (no catalog, plain values back).

Photo: one decode (at reduced size through JPEG DCT scaling when only web sizes are needed),
turned upright, then each web width resized from the next larger one (never from the full
picture again) and encoded once; the download is the original JPEG with its private metadata
taken out (media.clean_jpeg: image data byte for byte) or, for other formats, a full-size JPEG.
Video: H.264/AAC in MP4 is remuxed without re-encoding (the container's own tags, where phones
put the GPS position, stay behind; the index goes first so playback starts at once); any other
codec is transcoded to H.264/AAC with PyAV; if that fails the original is offered as a download
only. Every file a visitor can save carries the rights note, caption, credit and copyright
embedded as in export bundles (XMP and IIM in JPEGs, an XMP box in MP4, a sidecar otherwise),
each read back before it may be published.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import shutil
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import av
from PIL import Image, ImageOps

from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.errors import MediaError
from mediadesk.fsutil import sha256_file
from mediadesk.media import embed_metadata, xmp_sidecar_bytes
from mediadesk.media.bmff_xmp import xmp_box
from mediadesk.media.clean_jpeg import clean_jpeg, image_data_span
from mediadesk.media.formats import for_decoder
from mediadesk.services.renditions import (
    _to_rgb,
    check_packet_read_back,
    check_read_back,
    read_source,
)

WEB_WIDTHS = (480, 960, 1600)
WEB_QUALITY = 82
DOWNLOAD_QUALITY = 92
POSTER_QUALITY = 85
WEB_VIDEO_CODECS = {"h264"}
WEB_AUDIO_CODECS = {"aac"}
WEB_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}
MP4_FORMATS = {"mov,mp4,m4a,3gp,3g2,mj2", "mp4", "mov"}


@dataclass(frozen=True)
class MadeFile:
    name: str                 # file name inside the gallery's media folder
    role: str                 # web | download | poster | video | sidecar
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class MadeMedia:
    asset_id: int
    files: tuple[MadeFile, ...]
    warnings: tuple[str, ...] = ()
    playable: bool = True     # a video the browser can play (False: offered as a download only)
    note: str = ""            # how the video was prepared (remuxed, transcoded, download only)

    def by_role(self, role: str) -> list[MadeFile]:
        return [f for f in self.files if f.role == role]


@dataclass(frozen=True)
class MediaTask:
    """What one worker makes for one asset; ``out_dir`` is the staging media folder."""

    asset: Asset
    fields: dict[str, Any]
    stem: str
    out_dir: str
    download: bool
    widths: tuple[int, ...] = WEB_WIDTHS
    extra: dict[str, Any] = field(default_factory=dict)


def _write(out_dir: str, name: str, data: bytes) -> None:
    with open(os.path.join(out_dir, name), "xb") as fh:
        fh.write(data)


def _made(out_dir: str, name: str, data: bytes, role: str, size: tuple[int, int] | None,
          mime: str = "image/jpeg") -> MadeFile:
    _write(out_dir, name, data)
    w, h = size if size else (None, None)
    return MadeFile(name, role, hashlib.sha256(data).hexdigest(), len(data), w, h, mime)


def _encode(im: Image.Image, quality: int, icc: bytes | None, fields: dict[str, Any],
            what: str) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": quality, "optimize": True, "progressive": True}
    if icc:
        options["icc_profile"] = icc
    im.save(out, "JPEG", **options)
    data, _warnings = embed_metadata(out.getvalue(), fields, fmt="JPEG")
    check_read_back(data, fields, what)
    return data


def _upright_size(size: tuple[int, int], orientation: int | None) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def make_photo(task: MediaTask) -> MadeMedia:
    """Web renditions at ``task.widths`` (never upscaled) and, when allowed, the download."""
    asset, fields = task.asset, task.fields
    source = read_source(asset)
    files: list[MadeFile] = []
    try:
        with Image.open(io.BytesIO(source)) as im:
            family = for_decoder(im.format)
            clean = family is not None and family.clean_download    # the original is the download
            orientation = im.getexif().get(0x0112)
            stored = im.size
            uw, uh = _upright_size(stored, orientation)
            targets = sorted({min(w, uw) for w in task.widths}, reverse=True)
            full_needed = task.download and not clean
            if family is not None and family.draft_decode and not full_needed:
                scale = targets[0] / uw
                im.draft("RGB", (math.ceil(stored[0] * scale), math.ceil(stored[1] * scale)))
            icc = im.info.get("icc_profile")
            im.load()
            picture = _to_rgb(ImageOps.exif_transpose(im))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise MediaError(f"{asset.file_name}: the picture could not be decoded ({exc})") from None
    if full_needed:
        name = f"{task.stem}.jpg"
        data = _encode(picture, DOWNLOAD_QUALITY, icc, fields, name)
        files.append(_made(task.out_dir, name, data, "download", picture.size))
    current = picture
    for width in targets:
        height = max(1, round(uh * width / uw))
        if current.size != (width, height):
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        name = f"{task.stem}-{width}.jpg"
        files.append(_made(task.out_dir, name, _encode(current, WEB_QUALITY, icc, fields, name),
                           "web", (width, height)))
    if task.download and clean:
        files.append(_clean_original(task, source, orientation, (uw, uh)))
    return MadeMedia(asset.id, tuple(files))


def _clean_original(task: MediaTask, source: bytes, orientation: int | None,
                    size: tuple[int, int]) -> MadeFile:
    """The original JPEG as a download: private metadata out, the fields in, pixels untouched."""
    name = f"{task.stem}.jpg"
    cleaned, _span = clean_jpeg(source, orientation)
    data, _warnings = embed_metadata(cleaned, task.fields, fmt="JPEG")
    if data[image_data_span(data)] != source[image_data_span(source)]:
        raise MediaError(f"{task.asset.file_name}: cleaning the metadata would have changed the "
                         "image data; the download was not made (please report this)")
    check_read_back(data, task.fields, name)
    return _made(task.out_dir, name, data, "download", size)


# -- video ----------------------------------------------------------------------------------------

def _check_unchanged(asset: Asset) -> None:
    """The catalog's identity rule: same size and mtime, or the same content hash."""
    try:
        st = os.stat(asset.path)
    except FileNotFoundError:
        raise MediaError(f"File not found: {asset.path}; reconnect it and publish again") from None
    except OSError as exc:
        raise MediaError(f"{asset.path} cannot be read: {exc.strerror or exc}") from None
    if st.st_size == asset.size and st.st_mtime == asset.mtime:
        return
    if sha256_file(asset.path) != asset.content_hash:
        raise MediaError(f"{asset.path} changed since it was imported; import it again so its "
                         "rights and caption are checked against the current file")


def _web_ready(container: av.container.InputContainer) -> bool:
    video = next(iter(container.streams.video), None)
    if video is None or video.codec_context is None:
        return False
    if container.format.name not in MP4_FORMATS:
        return False
    if video.codec_context.name not in WEB_VIDEO_CODECS:
        return False
    if (video.codec_context.pix_fmt or "yuv420p") not in WEB_PIXEL_FORMATS:
        return False
    return all(a.codec_context is not None and a.codec_context.name in WEB_AUDIO_CODECS
               for a in container.streams.audio)


def _remux(src: av.container.InputContainer, out_path: str) -> None:
    """Stream copy of the video and audio into a fresh MP4, index first, no container tags."""
    with av.open(out_path, "w", format="mp4", options={"movflags": "+faststart"}) as out:
        mapping: dict[int, Any] = {}
        from_template = getattr(out, "add_stream_from_template", None)   # PyAV 14+; before: template=
        for stream in list(src.streams.video[:1]) + list(src.streams.audio[:1]):
            mapping[stream.index] = (from_template(stream) if from_template
                                     else out.add_stream(template=stream))  # type: ignore[call-overload]
        for packet in src.demux(*(s for s in src.streams if s.index in mapping)):
            if packet.dts is None:
                continue
            packet.stream = mapping[packet.stream.index]
            out.mux(packet)


def _transcode(src: av.container.InputContainer, out_path: str) -> None:
    """Decode and encode to H.264 (yuv420p, even size) and AAC in an MP4, index first."""
    vin = next(iter(src.streams.video), None)
    if vin is None or vin.codec_context is None:
        raise MediaError("no video stream FFmpeg can decode")
    ain = next((a for a in src.streams.audio if a.codec_context is not None), None)
    rate = vin.average_rate or vin.guessed_rate or Fraction(25)
    if not isinstance(rate, Fraction) or rate <= 0 or rate > 240:
        rate = Fraction(25)
    with av.open(out_path, "w", format="mp4", options={"movflags": "+faststart"}) as out:
        vout = out.add_stream("libx264", rate=rate)
        vout.width = max(2, (vin.codec_context.width // 2) * 2)
        vout.height = max(2, (vin.codec_context.height // 2) * 2)
        vout.pix_fmt = "yuv420p"
        vout.options = {"preset": "veryfast", "crf": "23"}
        aout = out.add_stream("aac", rate=ain.codec_context.sample_rate or 48000) if ain else None
        streams = [vin] + ([ain] if ain else [])
        for packet in src.demux(*streams):
            for frame in packet.decode():
                if packet.stream is vin and isinstance(frame, av.VideoFrame):
                    frame = frame.reformat(width=vout.width, height=vout.height, format="yuv420p")
                    frame.pts = None
                    for p in vout.encode(frame):
                        out.mux(p)
                elif aout is not None and isinstance(frame, av.AudioFrame):
                    frame.pts = None
                    for p in aout.encode(frame):
                        out.mux(p)
        for p in vout.encode():
            out.mux(p)
        if aout is not None:
            for p in aout.encode():
                out.mux(p)


def _poster(path: str, duration: float | None) -> Image.Image | None:
    """A frame near 1 s in (10% in for short clips), full size."""
    try:
        with av.open(path) as container:
            stream = next(iter(container.streams.video), None)
            if stream is None or stream.codec_context is None:
                return None
            target = min(1.0, (duration or 10) * 0.1)
            if stream.time_base:
                try:
                    container.seek(int(target / stream.time_base), stream=stream, backward=True)
                except (av.error.FFmpegError, OSError, ValueError):
                    container.seek(0)
            for frame in container.decode(stream):
                picture: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
                return picture.convert("RGB")
    except (av.error.FFmpegError, OSError, ValueError):
        return None
    return None


def _append_xmp(path: str, fields: dict[str, Any], what: str) -> None:
    box = xmp_box(xmp_sidecar_bytes(fields))
    check_packet_read_back(box[24:], fields, f"{what}: the embedded XMP")
    with open(path, "ab") as fh:
        fh.write(box)


def make_video(task: MediaTask) -> MadeMedia:
    """A browser-playable MP4 (remuxed or transcoded) with the XMP inside, and a poster frame;
    the original with an XMP sidecar as a download only when neither works."""
    asset = task.asset
    _check_unchanged(asset)
    name = f"{task.stem}.mp4"
    out_path = os.path.join(task.out_dir, name)
    warnings: list[str] = []
    note = ""
    try:
        with av.open(asset.path, metadata_errors="replace") as src:
            ready = _web_ready(src)
            try:
                if ready:
                    _remux(src, out_path)
                    note = "remuxed"
                else:
                    raise MediaError("not H.264/AAC in MP4")
            except (MediaError, av.error.FFmpegError, ValueError) as first:
                if os.path.exists(out_path):
                    os.unlink(out_path)
                if ready:
                    warnings.append(f"the MP4 could not be copied as it is ({first}); transcoded")
                src.seek(0)
                _transcode(src, out_path)
                note = "transcoded"
    except (MediaError, av.error.FFmpegError, OSError, ValueError) as exc:
        if os.path.exists(out_path):
            os.unlink(out_path)
        if not task.download:
            raise MediaError(f"{asset.file_name}: cannot be made playable in a browser ({exc}) and "
                             "its rights profile does not allow downloads") from None
        return _download_only(task, f"cannot be played in a browser ({exc}); offered as a download")
    _append_xmp(out_path, task.fields, name)
    files = [MadeFile(name, "video", sha256_file(out_path), os.path.getsize(out_path),
                      asset.width, asset.height, "video/mp4")]
    frame = _poster(out_path, asset.duration)
    if frame is not None:
        poster = f"{task.stem}-poster.jpg"
        files.append(_made(task.out_dir, poster,
                           _encode(frame, POSTER_QUALITY, None, task.fields, poster),
                           "poster", frame.size))
    else:
        warnings.append("no frame could be decoded for the poster")
    return MadeMedia(asset.id, tuple(files), tuple(warnings), True, note)


def _download_only(task: MediaTask, why: str) -> MadeMedia:
    asset = task.asset
    ext = os.path.splitext(asset.file_name)[1].lower() or ".bin"
    name = f"{task.stem}{ext}"
    target = os.path.join(task.out_dir, name)
    shutil.copyfile(asset.path, target)
    if sha256_file(target) != asset.content_hash:
        os.unlink(target)
        raise MediaError(f"{asset.path} changed while it was being published; publish again")
    sidecar = xmp_sidecar_bytes(task.fields)
    check_packet_read_back(sidecar, task.fields, f"{name}: the XMP sidecar")
    files = [MadeFile(name, "download", asset.content_hash, asset.size, asset.width, asset.height,
                      "application/octet-stream"),
             _made(task.out_dir, name + ".xmp", sidecar, "sidecar", None, "application/rdf+xml")]
    return MadeMedia(asset.id, tuple(files), (why,), False, "download only")


def make_media(task: MediaTask) -> MadeMedia:
    """The worker entry point: photo or video by the asset's kind."""
    if task.asset.kind == AssetKind.VIDEO:
        return make_video(task)
    return make_photo(task)
