"""Pixel side of photos: open with Pillow under a pixel limit, decode at reduced size, thumbnail.

Why it looks like this:
- ``draft()`` before any pixel access lets libjpeg decode at 1/2, 1/4 or 1/8 scale (DCT scaling):
  a 24 MP JPEG thumbnail costs ~70 ms instead of ~130 ms. It must come before ``load()``.
- Decompression bombs: a 40 KB PNG can declare 30000x30000 pixels. Pillow checks the declared
  size in ``Image.open``; we make that check use our limit (see ``PIXEL_LIMIT``) and turn it into
  a MediaError that says what the file declares.
- Truncated files: ``ImageFile.LOAD_TRUNCATED_IMAGES`` is a process-wide switch. We decode
  strictly first and only on a truncation error retry with the switch on, under a lock, so other
  threads do not silently get partial images.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import warnings

from PIL import Image, ImageFile, UnidentifiedImageError

from mediadesk.domain.errors import MediaError

from .formats.registry import for_decoder

try:  # HEIC/HEIF (and AVIF where pillow-heif still has it); Pillow has native AVIF.
    import pillow_heif

    pillow_heif.register_heif_opener()
    if hasattr(pillow_heif, "register_avif_opener"):
        pillow_heif.register_avif_opener()
except ImportError:  # pragma: no cover - declared dependency, guard for broken installs
    pass

PIXEL_LIMIT = 200_000_000
THUMB_SIZE = 256
THUMB_QUALITY = 85

# Process-wide policy (documented for the importer): images over PIXEL_LIMIT are refused.
Image.MAX_IMAGE_PIXELS = PIXEL_LIMIT
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

_TRUNCATED_LOCK = threading.Lock()

# Exif orientation -> transpose steps (same table as ImageOps.exif_transpose)
_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


def _bomb_error(size: tuple[int, int] | None, exc: Exception) -> MediaError:
    limit_mp = PIXEL_LIMIT // 1_000_000
    if size:
        w, h = size
        return MediaError(f"image declares {w}x{h} pixels ({w * h // 1_000_000} MP), over the "
                          f"{limit_mp} MP limit; not decoded (possible decompression bomb)")
    return MediaError(f"image declares more than {limit_mp} MP ({exc}); not decoded "
                      "(possible decompression bomb)")


def open_image(data: bytes, declared_size: tuple[int, int] | None = None) -> Image.Image:
    """Open lazily (header only). ``declared_size`` (from exiv2) lets a bomb error name the size."""
    try:
        im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb_error(declared_size, exc) from None
    except UnidentifiedImageError:
        raise MediaError("not an image Pillow can decode (unknown or damaged format)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise MediaError(f"image header is damaged and cannot be decoded ({exc})") from None
    w, h = im.size
    if w * h > PIXEL_LIMIT:
        raise _bomb_error((w, h), ValueError("over limit"))
    if w <= 0 or h <= 0:
        raise MediaError(f"image declares an empty size ({w}x{h})")
    return im


def displayed_size(size: tuple[int, int], orientation: int | None) -> tuple[int, int]:
    """(width, height) as shown after Exif orientation (5-8 swap the axes)."""
    w, h = size
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _extrema(im: Image.Image) -> tuple[float, float]:
    """(lowest, highest) value of a one-band image ("I", "F")."""
    lo, hi = im.getextrema()
    if isinstance(lo, tuple) or isinstance(hi, tuple):
        raise MediaError(f"image mode {im.mode} has more than one band")
    return float(lo), float(hi)


def _to_rgb(im: Image.Image) -> Image.Image:
    """8-bit RGB for JPEG: flatten alpha on white, scale 16-bit/float, convert CMYK/P/L."""
    mode = im.mode
    if mode == "RGB":
        return im
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        peak = 65535.0 if mode.startswith("I;16") else max(1.0, _extrema(im)[1] or 1.0)
        return im.convert("I").point(lambda v: v * (255.0 / peak)).convert("L").convert("RGB")
    if mode == "F":
        lo, hi = _extrema(im)
        span = (hi - lo) or 1.0
        return im.point(lambda v: (v - lo) * 255.0 / span).convert("L").convert("RGB")
    if mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    elif mode == "P":
        return im.convert("RGB")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    return im.convert("RGB")


def _decode_small(data: bytes, declared_size: tuple[int, int] | None) -> Image.Image:
    im = open_image(data, declared_size)
    try:
        im.seek(0)  # GIF/TIFF/APNG: first frame/page
    except (EOFError, OSError):
        pass
    decoder = for_decoder(im.format)
    if decoder is not None and decoder.draft_decode:
        # ask for the thumbnail's own box: a 3 MP photo then decodes at 1/8 instead of 1/4
        w, h = im.size
        scale = min(THUMB_SIZE / w, THUMB_SIZE / h)
        im.draft("RGB", (max(1, round(w * scale)), max(1, round(h * scale))))
    im.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    im.load()  # small images skip thumbnail()'s load; decode errors must surface here
    return im


def make_thumbnail(data: bytes, orientation: int | None,
                   declared_size: tuple[int, int] | None = None) -> tuple[bytes, list[str]]:
    """JPEG bytes of a <= 256 px thumbnail with the Exif ``orientation`` applied (None: the
    picture is upright as decoded, e.g. a HEIF whose container rotates it), plus warnings."""
    warns: list[str] = []
    try:
        im = _decode_small(data, declared_size)
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb_error(declared_size, exc) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if "truncated" not in str(exc).lower() and "broken data stream" not in str(exc).lower():
            raise MediaError(f"image data cannot be decoded ({exc})") from None
        with _TRUNCATED_LOCK:
            ImageFile.LOAD_TRUNCATED_IMAGES = True
            try:
                im = _decode_small(data, declared_size)
            except (OSError, SyntaxError, ValueError, EOFError) as exc2:
                raise MediaError(f"image data is truncated beyond use ({exc2})") from None
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = False
        warns.append("image data is truncated; metadata was read, the thumbnail may be partial")
    for step in _TRANSPOSE.get(orientation or 1, ()):
        im = im.transpose(step)
    rgb = _to_rgb(im)
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=THUMB_QUALITY)
    return buf.getvalue(), warns


def thumbnail_from_preview(preview: bytes, orientation: int | None) -> bytes | None:
    """Thumbnail from an embedded preview JPEG (camera RAW); None if it cannot be decoded."""
    try:
        thumb, _ = make_thumbnail(preview, orientation)
    except MediaError:
        return None
    return thumb


def write_thumbnail(path: str, jpeg: bytes) -> None:
    """Cache file: temp file + rename (readers never see half a file), but no fsync.

    Thumbnails can always be made again from the original; an fsync per file cost 13% of a
    3 MP import. A thumbnail lost in a power cut is an empty or missing file, which the
    importer and the window treat as no thumbnail."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(jpeg)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
