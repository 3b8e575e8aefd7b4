"""The bytes of an exported picture: the original with metadata embedded, or a rendition.

Original: the file's bytes with the fields embedded in memory (media.embed_metadata), and the
image data proven unchanged (media.image_data_fingerprint before and after).
Rendition: a JPEG with a given long edge and quality, encoded once: the picture is decoded (at
reduced size when Pillow can: ``draft``), turned upright from its Exif orientation, resized,
encoded with the original's colour profile, then the fields are embedded into those bytes.
Either way the source is checked against the catalog's content hash first, and the rights note
is read back from the result before it may go into a bundle.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

from mediadesk.domain.asset import Asset
from mediadesk.domain.errors import InvalidInput, MediaError
from mediadesk.media import embed_metadata, read_metadata_bytes, same_image_data
from mediadesk.media.formats import for_decoder
from mediadesk.media.jpeg import scan_jpeg
from mediadesk.media.xmp import fields_from_xmp, parse_packet

RENDITION_FORMAT = "JPEG"   # the format of every rendition (and the carrier it gets)
DEFAULT_QUALITY = 88
MAX_PICTURE_BYTES = 1 << 30
READ_BACK_FIELDS = ("usage_terms", "caption", "credit", "copyright")
MIN_EDGE, MAX_EDGE = 16, 20000


@dataclass(frozen=True)
class RenditionSpec:
    long_edge: int | None = None      # None: keep the original size (re-encoded as JPEG)
    quality: int = DEFAULT_QUALITY

    def __post_init__(self) -> None:
        if self.long_edge is not None and not MIN_EDGE <= self.long_edge <= MAX_EDGE:
            raise InvalidInput(f"rendition long edge must be {MIN_EDGE}-{MAX_EDGE} px, not {self.long_edge}")
        if not 1 <= self.quality <= 100:
            raise InvalidInput(f"JPEG quality must be 1-100, not {self.quality}")

    def to_json(self) -> dict[str, Any]:
        return {"long_edge": self.long_edge, "quality": self.quality}


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode in ("RGB", "L"):
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def render_jpeg(data: bytes, spec: RenditionSpec, fields: dict[str, Any]) -> tuple[bytes, tuple[int, int], list[str]]:
    """(JPEG bytes with ``fields`` embedded, (width, height), warnings)."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            icc = im.info.get("icc_profile")
            decoder = for_decoder(im.format)
            if spec.long_edge and decoder is not None and decoder.draft_decode:
                w, h = im.size
                scale = spec.long_edge / max(w, h)
                if scale < 1:
                    im.draft("RGB", (max(1, int(w * scale)), max(1, int(h * scale))))
            im.load()
            upright = ImageOps.exif_transpose(im)
            upright = _to_rgb(upright)
            if spec.long_edge and max(upright.size) > spec.long_edge:
                w, h = upright.size
                scale = spec.long_edge / max(w, h)
                size = (max(1, round(w * scale)), max(1, round(h * scale)))
                upright = upright.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            out = io.BytesIO()
            options: dict[str, Any] = {"quality": spec.quality, "optimize": True}
            if icc:
                options["icc_profile"] = icc
            upright.save(out, "JPEG", **options)
            size = upright.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise MediaError(f"the picture could not be decoded to make a rendition ({exc})") from None
    encoded, warnings = embed_metadata(out.getvalue(), fields, fmt=RENDITION_FORMAT)
    return encoded, size, warnings


@dataclass(frozen=True)
class Produced:
    """One exported file (and its sidecar, if any) as written into the bundle."""

    sha256: str
    size: int
    data: bytes | None = None          # the bytes, for pictures produced in memory
    pixels: str = "unchanged"          # unchanged | rendition | copied
    width: int | None = None
    height: int | None = None
    sidecar_name: str | None = None
    sidecar_sha256: str | None = None
    sidecar_size: int | None = None
    warnings: tuple[str, ...] = ()
    embedded_xmp: bool = False         # a video copy that also carries the XMP inside


def read_source(asset: Asset) -> bytes:
    """The asset's file bytes, refused unless they are the bytes the catalog hashed.

    The bytes are always hashed: a file swapped for another picture with its size and
    modification time set back is not the asset whose rights were decided (issue 10, class 6)."""
    try:
        with open(asset.path, "rb") as fh:
            data = fh.read(MAX_PICTURE_BYTES + 1)
    except FileNotFoundError:
        raise MediaError(f"File not found: {asset.path}; reconnect it and export again") from None
    except OSError as exc:
        raise MediaError(f"{asset.path} cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_PICTURE_BYTES:
        raise MediaError(f"{asset.path} is over 1 GiB; pictures that large are not exported")
    if hashlib.sha256(data).hexdigest() != asset.content_hash:
        raise MediaError(f"{asset.path} changed since it was imported; import it again so its "
                         "rights and caption are checked against the current file")
    return data


def _norm(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return " ".join(str(value or "").split())


def _mismatch(found: dict[str, Any], fields: dict[str, Any]) -> str | None:
    for name in READ_BACK_FIELDS:
        if _norm(fields.get(name)) and _norm(found.get(name)) != _norm(fields.get(name)):
            return name
    return None


def check_read_back(data: bytes, fields: dict[str, Any], what: str) -> None:
    """Raise MediaError unless ``data`` carries the rights note, caption, credit and copyright.

    A JPEG's standard XMP packet is parsed alone first (cheap); if that does not show every
    value (e.g. Extended XMP), the file goes through the full reader (XMP, IIM, Exif)."""
    try:
        packet = scan_jpeg(data).xmp_standard if data.startswith(b"\xff\xd8") else None
        if packet and _mismatch(fields_from_xmp(parse_packet(packet)), fields) is None:
            return
        wrong = _mismatch(read_metadata_bytes(data), fields)
    except Exception as exc:  # a reader failure means we cannot prove the note is there
        raise MediaError(f"{what}: the metadata written could not be read back ({exc})") from None
    if wrong:
        raise MediaError(f"{what}: the {wrong.replace('_', ' ')} did not survive the metadata "
                         "write; the file was not exported")


def check_packet_read_back(packet: bytes, fields: dict[str, Any], what: str) -> None:
    """Raise MediaError unless the XMP packet (a sidecar, or the box for a video) parses and
    carries the rights note, caption, credit and copyright."""
    try:
        wrong = _mismatch(fields_from_xmp(parse_packet(packet)), fields)
    except ValueError as exc:
        raise MediaError(f"{what} could not be read back ({exc})") from None
    if wrong:
        raise MediaError(f"{what}: the {wrong.replace('_', ' ')} did not survive")


def _write_new(path: str, data: bytes) -> None:
    """A new file in a staging folder; BundleWriter.close() fsyncs the whole folder at the end."""
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        if os.fstat(fh.fileno()).st_size != len(data):
            raise OSError(f"{path}: short write")


def produce_embedded(asset: Asset, fields: dict[str, Any], rendition: RenditionSpec | None,
                     write_to: str | None = None) -> Produced:
    """The exported bytes of a picture with ``fields`` inside (original or rendition).

    With ``write_to`` the bytes are written there (a new file, fsynced) and not returned:
    this runs in worker processes, and 8 MB need not travel back through a pipe."""
    source = read_source(asset)
    width: int | None
    height: int | None
    if rendition is not None:
        data, (width, height), warnings = render_jpeg(source, rendition, fields)
        pixels = "rendition"
    else:
        fmt = (asset.format or "").upper() or None
        data, warnings = embed_metadata(source, fields, fmt=fmt)
        if not same_image_data(source, data, fmt):
            raise MediaError(f"{asset.file_name}: writing the metadata would have changed the image "
                             "data; the file was not exported (please report this)")
        pixels, width, height = "unchanged", asset.width, asset.height
    check_read_back(data, fields, asset.file_name)
    digest = hashlib.sha256(data).hexdigest()
    if write_to is not None:
        _write_new(write_to, data)
    return Produced(sha256=digest, size=len(data), data=None if write_to else data,
                    pixels=pixels, width=width, height=height, warnings=tuple(warnings))
