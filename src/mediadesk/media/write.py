"""Writing catalog metadata into image files losslessly (exiv2 in memory; pixels untouched).

Every managed field goes to all stores that have it (XMP, IIM, and Exif for caption/creator/
copyright/date) so no store is left stale for the MWG reconcile of the next reader; tags we do
not manage are kept. IIM gets CodedCharacterSet ESC % G (UTF-8) and byte-limited values cut at
a character boundary, with one warning per shortened value.
"""

from __future__ import annotations

import hashlib
import io
import struct

import pyexiv2

from mediadesk.domain.errors import MediaError
from mediadesk.domain.fields import FIELD_BY_NAME

from . import iim as iimmod
from .images import EXIF_DATE, EXIF_KEYS, EXIF_OFFSET, read_image_stores
from .jpeg import extended_xmp, patch_iptc_digest, scan_jpeg
from .jpeg_xmp_ext import fit_main_packet, replace_extension
from .reconcile import reconcile
from .registry import sniff_format
from .xmpwrite import edit_packet, field_changes

# format -> stores exiv2 writes safely there
_WRITABLE: dict[str, tuple[str, ...]] = {
    "JPEG": ("exif", "iim", "xmp"),
    "TIFF": ("exif", "iim", "xmp"),
    "PNG": ("exif", "iim", "xmp"),
    "WEBP": ("exif", "xmp"),
}


# A JPEG's Exif is one segment of 64 KB in all: longer Exif text is left to XMP
EXIF_TEXT_LIMIT_JPEG = 16000


def can_embed(fmt: str) -> bool:
    """True when mediadesk writes metadata into files of this format (else: use a sidecar)."""
    return fmt.upper() in _WRITABLE


def _format_of(data: bytes, fmt: str | None) -> str:
    if fmt:
        return fmt.upper()
    found = sniff_format(data[:256])
    if not found:
        raise MediaError("file format not recognised; metadata was not written")
    return found[1]


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def _exif_changes(fields: dict[str, object], warnings: list[str],
                  existing: dict[str, object]) -> dict[str, object]:
    changes: dict[str, object] = {}
    for name, key in EXIF_KEYS.items():
        if name in fields:
            v = fields[name]
            changes[key] = None if _empty(v) else str(v)
    if "date_created" in fields:
        v = fields["date_created"]
        m = iimmod._ISO_DATE.match(str(v or "").strip())
        if _empty(v):
            changes[EXIF_DATE] = changes[EXIF_OFFSET] = None
        elif m and m.group(4) is not None:
            y, mo, d, hh, mi, ss, off = m.groups()
            changes[EXIF_DATE] = f"{y}:{mo}:{d} {hh}:{mi}:{ss or '00'}"
            if off:
                off = "+00:00" if off == "Z" else (off if ":" in off else off[:3] + ":" + off[3:])
            changes[EXIF_OFFSET] = off
        elif EXIF_DATE in existing:
            changes[EXIF_DATE] = changes[EXIF_OFFSET] = None
            warnings.append("date_created: Exif DateTimeOriginal cannot hold a partial date "
                            f"({v}); it was removed so it does not override XMP/IIM")
    return changes


def _iim_changes(fields: dict[str, object], warnings: list[str],
                 raw_iptc: dict[str, object]) -> dict[str, object]:
    changes: dict[str, object] = {}
    for name, key in iimmod.IIM_KEYS.items():
        if name not in fields:
            continue
        v = fields[name]
        if _empty(v):
            changes[key] = None
            continue
        limit = FIELD_BY_NAME[name].iim_max_bytes or 2000
        label = iimmod.IIM_NAMES[name]
        if name == "keywords" or name == "creator":
            items = ([s.strip() for s in v.split(";")] if isinstance(v, str) else [str(s) for s in v])
            out = []
            for item in (s for s in items if s.strip()):
                cut, nbytes = iimmod.fit_utf8(item, limit)
                if cut != item:
                    warnings.append(f"{name}: IIM {label} holds {limit} bytes each; "
                                    f"{item!r} shortened from {nbytes} bytes (full text kept in XMP)")
                out.append(cut)
            changes[key] = out or None
        else:
            text = str(v)
            cut, nbytes = iimmod.fit_utf8(text, limit)
            if cut != text:
                warnings.append(f"{name}: IIM {label} holds {limit} bytes; shortened from "
                                f"{nbytes} bytes (full text kept in XMP)")
            changes[key] = cut
    if "date_created" in fields:
        v = fields["date_created"]
        if _empty(v):
            changes[iimmod.DATE_KEY] = changes[iimmod.TIME_KEY] = None
        else:
            date, time = iimmod.to_iim_date(str(v))
            changes[iimmod.DATE_KEY] = date
            changes[iimmod.TIME_KEY] = time
    if not changes:
        return changes
    # Declaring UTF-8 must not turn existing Latin-1 datasets we do not manage into mojibake:
    # re-encode them (as decoded by the read rules) in UTF-8.
    declared = raw_iptc.get(iimmod.CHARSET_KEY)
    if declared != iimmod.UTF8_MARKER:
        for key, value in raw_iptc.items():
            if (key in changes or not key.startswith("Iptc.Application2.")
                    or key in iimmod.MANAGED_KEYS):
                continue
            items = value if isinstance(value, list) else [value]
            raws = [s.encode("latin-1", errors="replace") for s in items if isinstance(s, str)]
            if not any(any(b >= 0x80 for b in r) for r in raws):
                continue
            try:
                texts = [r.decode("utf-8") for r in raws]
            except UnicodeDecodeError:
                texts = [iimmod._latin(r) for r in raws]
            changes[key] = texts if isinstance(value, list) else texts[0]
    changes[iimmod.CHARSET_KEY] = iimmod.UTF8_MARKER
    return changes


def _jpeg_split(data: bytes) -> tuple[bytes, memoryview] | None:
    """(metadata head + stub scan, image data) of a JPEG, or None when it cannot be split.

    Every metadata segment of a JPEG stands before the first SOS marker; what follows is the
    entropy-coded image data, which a metadata write must copy unchanged. Handing exiv2 only the
    head (with the SOS header and an empty scan, so it still parses as a JPEG) makes a write of a
    24 MP file cost what a write of a 50 KB file costs, instead of three rewrites of 7 MB."""
    sos = scan_jpeg(data).sos_offset
    if sos is None or sos + 4 > len(data):
        return None
    (length,) = struct.unpack(">H", data[sos + 2:sos + 4])
    scan_header_end = sos + 2 + length
    if scan_header_end > len(data):
        return None
    return data[:scan_header_end] + b"\x00\xff\xd9", memoryview(data)[sos:]  # a view: no 8 MB copy


def embed_metadata(data: bytes, fields: dict[str, object], *,
                   fmt: str | None = None) -> tuple[bytes, list[str]]:
    """New file bytes with ``fields`` written into XMP, IIM and Exif; pixels byte-identical.

    Absent fields are left alone; None/""/[] removes a field from every store. Returns the
    bytes and one warning per value shortened for IIM (or other lossy step)."""
    fmt = _format_of(data, fmt)
    if fmt == "JPEG":
        split = _jpeg_split(data)
        if split is not None:
            head, image_data = split
            new_head, warnings = _embed(head, fields, fmt)
            new_sos = scan_jpeg(new_head).sos_offset
            if new_sos is not None:
                return new_head[:new_sos] + image_data, warnings
    return _embed(data, fields, fmt)


def _embed(data: bytes, fields: dict[str, object], fmt: str) -> tuple[bytes, list[str]]:
    stores = _WRITABLE.get(fmt)
    if stores is None:
        raise MediaError(f"format {fmt} cannot carry embedded metadata safely; use a sidecar")
    warnings: list[str] = []
    try:
        img = pyexiv2.ImageData(data)
    except (RuntimeError, ValueError) as exc:
        raise MediaError(f"metadata cannot be written: the file could not be parsed ({exc})") from None
    try:
        try:
            raw_exif = img.read_exif(encoding="ISO-8859-1")
        except (RuntimeError, UnicodeDecodeError):
            raw_exif = {}
        try:
            raw_iptc = img.read_iptc(encoding="ISO-8859-1") if "iim" in stores else {}
        except (RuntimeError, UnicodeDecodeError):
            raw_iptc = {}
        try:
            old_packet = img.read_raw_xmp()
        except (RuntimeError, UnicodeDecodeError):
            old_packet = ""
        exif_changes = _exif_changes(fields, warnings, raw_exif)
        if fmt == "JPEG":
            _drop_long_exif_text(exif_changes, warnings)
        # removing a tag that is not there makes exiv2 create nothing; skip no-op deletes
        exif_changes = {k: v for k, v in exif_changes.items() if v is not None or k in raw_exif}
        if exif_changes:
            img.modify_exif(exif_changes)
        if "iim" in stores:
            iim_changes = _iim_changes(fields, warnings, raw_iptc)
            adds = any(v is not None for k, v in iim_changes.items() if k != iimmod.CHARSET_KEY)
            if iim_changes and (raw_iptc or adds):  # no empty IIM record for pure deletes
                img.modify_iptc(iim_changes)
        xmp_changes = field_changes(fields)
        extension: bytes | None = None
        if xmp_changes:
            try:
                packet = edit_packet(old_packet, xmp_changes)
            except ValueError as exc:
                raise MediaError(f"the file's XMP is damaged; metadata was not written ({exc})") from None
            if fmt == "JPEG":
                packet, extension, ext_warnings = fit_main_packet(
                    packet, xmp_changes, extended_xmp(scan_jpeg(data)))
                warnings += ext_warnings
            img.modify_raw_xmp(packet)
        out = img.get_bytes()
    except RuntimeError as exc:
        raise MediaError(f"metadata could not be written into this {fmt} file ({exc})") from None
    finally:
        img.close()
    if fmt == "JPEG":
        out = patch_iptc_digest(out)
        if xmp_changes:
            out = replace_extension(out, extension)
    return out, warnings


def _drop_long_exif_text(changes: dict[str, object], warnings: list[str]) -> None:
    """Exif text too long for a JPEG's Exif segment is removed there (with a warning) rather
    than failing the write: Exif would otherwise win over the full text in XMP on reading."""
    for name, key in EXIF_KEYS.items():
        value = changes.get(key)
        if isinstance(value, str) and len(value.encode("utf-8")) > EXIF_TEXT_LIMIT_JPEG:
            changes[key] = None
            warnings.append(f"{name}: {len(value.encode('utf-8'))} bytes is too long for a JPEG's "
                            f"Exif; it is written to XMP (and cut for IIM) and removed from Exif")


def _jpeg_image_span(data: bytes) -> tuple[int, int]:
    """Where a JPEG's image data is: from the first SOS marker to the last EOI."""
    sos = scan_jpeg(data).sos_offset
    if sos is None:
        raise MediaError("JPEG has no image data (no SOS marker)")
    eoi = data.rfind(b"\xff\xd9")
    return sos, (eoi + 2 if eoi > sos else len(data))


def same_image_data(before: bytes, after: bytes, fmt: str | None = None) -> bool:
    """True when ``after`` holds exactly the image data of ``before``.

    The same answer as comparing :func:`image_data_fingerprint` of both, but a JPEG's
    entropy-coded data is compared in place (a memcmp, ~10x cheaper than hashing two 7 MB
    files); other formats compare their decoded pixels' fingerprints."""
    fmt = _format_of(before, fmt)
    if fmt == "JPEG":
        a_start, a_end = _jpeg_image_span(before)
        b_start, b_end = _jpeg_image_span(after)
        return (a_end - a_start == b_end - b_start
                and after.startswith(memoryview(before)[a_start:a_end], b_start))
    return image_data_fingerprint(after, fmt) == image_data_fingerprint(before, fmt)


def image_data_fingerprint(data: bytes, fmt: str | None = None) -> str:
    """sha256 of the image data only, so a metadata write can be proven lossless.

    JPEG: the bytes from the first SOS marker to the last EOI (the entropy-coded scans and
    anything appended after them, e.g. gain maps). Other formats: the decoded pixels."""
    fmt = _format_of(data, fmt)
    if fmt == "JPEG":
        start, end = _jpeg_image_span(data)
        return hashlib.sha256(memoryview(data)[start:end]).hexdigest()
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            width, height = im.size
            h = hashlib.sha256(f"{im.mode}:{width}x{height}:".encode())
            # strips of rows, not one tobytes(): the same bytes in the same order (rows are packed
            # one by one), but a 196 MP picture no longer needs a second 600 MB copy in a worker
            # whose address space is capped
            rows = max(1, (16 << 20) // max(1, len(im.crop((0, 0, width, 1)).tobytes())))
            for top in range(0, height, rows):
                h.update(im.crop((0, top, width, min(height, top + rows))).tobytes())
            return h.hexdigest()
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(f"image data cannot be decoded for fingerprinting ({exc})") from None


def read_metadata_bytes(data: bytes) -> dict[str, object]:
    """Reconciled catalog fields from file bytes (read-back check after embed_metadata)."""
    found = sniff_format(data[:256])
    fmt = found[1] if found else "UNKNOWN"
    stores = read_image_stores(data, fmt)
    fields, _sources, _conflicts = reconcile(
        exif=stores.exif, iim=stores.iim, xmp=stores.xmp,
        digest_current=stores.digest_current, digest_stored=stores.digest_stored)
    return fields
