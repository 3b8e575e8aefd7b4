"""Metadata stores of a still image, read once through one in-memory exiv2 object.

Gives each store (Exif, IIM, XMP) as catalog fields so reconcile.py can apply the MWG rules,
plus the IPTC digests, orientation, pixel size as exiv2 sees it and an embedded preview for
camera RAW files. exiv2 errors on damaged metadata become warnings: the pixels may still be
fine, and a press office would rather see the photo than an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyexiv2

from . import iim as iimmod
from .dates import from_exif
from .formats.base import MetadataLayout
from .formats.registry import for_format
from .heif_items import exif_as_jpeg, read_heif_items
from .jpeg import JpegLayout, extended_xmp, iptc_digests, parse_irb, scan_jpeg
from .xmp import fields_from_xmp, find_packet, read_packet, read_xmp_dict

EXIF_KEYS = {
    "caption": "Exif.Image.ImageDescription",
    "creator": "Exif.Image.Artist",
    "copyright": "Exif.Image.Copyright",
}
EXIF_DATE = "Exif.Photo.DateTimeOriginal"
EXIF_OFFSET = "Exif.Photo.OffsetTimeOriginal"
EXIF_DIGITIZED = "Exif.Photo.DateTimeDigitized"
EXIF_DIGITIZED_OFFSET = "Exif.Photo.OffsetTimeDigitized"
ORIENTATION_KEY = "Exif.Image.Orientation"


@dataclass
class ImageStores:
    """Everything probe() needs from the metadata side of a photo."""

    exif: dict[str, object] = field(default_factory=dict)
    iim: dict[str, object] = field(default_factory=dict)
    xmp: dict[str, object] = field(default_factory=dict)
    digest_current: str | None = None
    digest_stored: str | None = None
    orientation: int | None = None
    size: tuple[int, int] | None = None
    preview: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    # (store, field or "*") -> how a value was read, when that was a decision worth showing
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    weak: set[tuple[str, str]] = field(default_factory=set)  # (store, field) read only in part
    jpeg: JpegLayout | None = None


def _decode_exif_text(value: str) -> str:
    """Exif "ASCII" strings: MWG says UTF-8; old cameras wrote Latin-1/cp1252."""
    raw = value.encode("latin-1", errors="replace")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\x00", " ").strip()


def exif_fields(exif: dict[str, object]) -> dict[str, object]:
    """Catalog fields from a pyexiv2 ``read_exif(encoding='ISO-8859-1')`` dict.

    Blank (all-space) values count as absent, as in the MWG: cameras pad ImageDescription."""
    out: dict[str, object] = {}
    for name, key in EXIF_KEYS.items():
        v = exif.get(key)
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, str):
            text = _decode_exif_text(v)
            if text:
                out[name] = text
    date = exif.get(EXIF_DATE)
    offset = exif.get(EXIF_OFFSET)
    if not isinstance(offset, str) and exif.get(EXIF_DIGITIZED) == date:
        offset = exif.get(EXIF_DIGITIZED_OFFSET)  # the same moment, its zone kept there
    if isinstance(date, str):
        iso = from_exif(date, offset if isinstance(offset, str) else None)
        if iso:
            out["date_created"] = iso
    return out


def _orientation(exif: dict[str, object], xmp: dict[str, object]) -> int | None:
    for v in (exif.get(ORIENTATION_KEY), xmp.get("Xmp.tiff.Orientation")):
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, str):
            try:
                o = int(v.split()[0])
            except (ValueError, IndexError):
                continue
            if 1 <= o <= 8:
                return o
    return None


def _merge_packet(stores: ImageStores, raw_xmp: dict[str, object], packet: bytes | None,
                  what: str) -> dict[str, object]:
    if not packet:
        return raw_xmp
    extra, warnings = read_packet(packet)
    stores.warnings += [f"{what}: {w}" if not w.startswith("XMP") else w for w in warnings]
    return {**extra, **raw_xmp}


def _raw_packet(img: pyexiv2.ImageData) -> bytes | None:
    try:
        text = img.read_raw_xmp(encoding="ISO-8859-1")  # the bytes as they are, decoded later
    except (RuntimeError, UnicodeDecodeError):
        return None
    return text.encode("latin-1", errors="replace") if text and text.strip() else None


def _iim_zone_given(layout: JpegLayout | None) -> bool | None:
    for block in layout.app13 if layout is not None else ():
        for rid, payload in parse_irb(block):
            if rid == 0x0404:
                return iimmod.time_zone_given(payload)
    return None


def _exif_from_tiff(tiff: bytes) -> dict[str, object]:
    """exiv2's reading of a bare Exif (TIFF) block, as a TIFF file or wrapped in a JPEG."""
    for candidate in (tiff, exif_as_jpeg(tiff)):
        if not candidate:
            continue
        try:
            img = pyexiv2.ImageData(candidate)
        except (RuntimeError, ValueError):
            continue
        try:
            got: dict[str, object] = img.read_exif(encoding="ISO-8859-1")
        except (RuntimeError, UnicodeDecodeError):
            got = {}
        finally:
            img.close()
        if got:
            return got
    return {}


def _heif_items(stores: ImageStores, data: bytes, raw_exif: dict[str, object],
                raw_xmp: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """Exif and XMP from the HEIF items themselves: what exiv2 skipped, and every XMP item
    (a file may carry several; exiv2 reads one)."""
    items = read_heif_items(data)
    if not raw_exif:
        for tiff in items.exif:
            raw_exif = _exif_from_tiff(tiff)
            if raw_exif:
                stores.notes[("exif", "*")] = "read from the HEIF Exif item directly"
                break
        else:
            if items.exif:
                stores.warnings.append("the file has an Exif item that no reader could read")
    merged: dict[str, object] = {}
    for packet in items.xmp:
        got, problems = read_packet(packet)
        stores.warnings += problems
        merged = {**got, **merged}
    if merged and not raw_xmp:
        stores.notes[("xmp", "*")] = "read from the HEIF XMP item directly"
    elif items.xmp and not raw_xmp and not merged:
        stores.warnings.append("the file has an XMP item from which nothing could be read")
    stores.warnings += [f"HEIF metadata: {p}" for p in items.problems]
    return raw_exif, {**merged, **raw_xmp}


_EXIF_APP1 = re.compile(rb"\xff\xe1..Exif\x00\x00", re.DOTALL)


def _unread_jpeg_blocks(stores: ImageStores, head: bytes, layout: JpegLayout,
                        raw_exif: dict[str, object], raw_iptc: dict[str, object]) -> None:
    """Say so when the file carries an Exif or IIM block that no reader turned into values."""
    if stores.warnings:
        return  # exiv2 already said what it could not read
    if not raw_exif and _EXIF_APP1.search(head):
        stores.warnings.append("the file has an Exif block from which no value could be read")
    if not raw_iptc and any(rid == 0x0404 and len(payload) > 5
                            for block in layout.app13 for rid, payload in parse_irb(block)):
        stores.warnings.append("the file has an IPTC-IIM block from which no value could be read")


def read_image_stores(data: bytes, fmt: str, *, want_preview: bool = False) -> ImageStores:
    """Read Exif, IIM and XMP from the bytes of a file of format ``fmt`` (its family says where
    the metadata is; an unknown format is read as exiv2 reads it)."""
    adapter = for_format(fmt)
    return read_stores(data, adapter.layout if adapter is not None else MetadataLayout(),
                       want_preview=want_preview)


def read_stores(data: bytes, where: MetadataLayout, *, want_preview: bool = False) -> ImageStores:
    """Read Exif, IIM and XMP from the file bytes in memory (one exiv2 object per file)."""
    stores = ImageStores()
    raw_packet: bytes | None = None
    raw_exif: dict[str, object] = {}
    raw_iptc: dict[str, object] = {}
    raw_xmp: dict[str, object] = {}
    layout = scan_jpeg(data) if where.jpeg_segments else None
    # exiv2 copies and parses the whole buffer it is given; every JPEG metadata segment stands
    # before the first SOS, so the 7 MB of image data of a 24 MP file need not go through it
    head = data[:layout.sos_offset] + b"\xff\xd9" if layout is not None and layout.sos_offset else data
    try:
        img = pyexiv2.ImageData(head)
    except (RuntimeError, ValueError) as exc:
        stores.warnings.append(f"embedded metadata could not be read (exiv2: {exc})")
        img = None
    if img is not None:
        try:
            for name, reader in (("Exif", lambda: img.read_exif(encoding="ISO-8859-1")),
                                 ("IPTC-IIM", lambda: img.read_iptc(encoding="ISO-8859-1")),
                                 ("XMP", lambda: read_xmp_dict(img))):
                try:
                    got = reader()
                except (RuntimeError, ValueError, UnicodeDecodeError) as exc:
                    stores.warnings.append(f"{name} metadata is damaged and was skipped ({exc})")
                    continue
                if name == "Exif":
                    raw_exif = got
                elif name == "IPTC-IIM":
                    raw_iptc = got
                else:
                    raw_xmp = got
            if not raw_xmp and not where.jpeg_segments:
                raw_packet = _raw_packet(img)  # exiv2 found a packet but read nothing from it
            try:
                stores.size = (img.get_pixel_width(), img.get_pixel_height())
            except RuntimeError:
                pass
            if want_preview:
                try:
                    stores.preview = img.read_thumbnail() or None
                except RuntimeError:
                    stores.preview = None
        finally:
            img.close()
    if layout is not None:
        _unread_jpeg_blocks(stores, head, layout, raw_exif, raw_iptc)
        stores.jpeg = layout
        stores.digest_current, stores.digest_stored = iptc_digests(layout)
        if not raw_xmp and layout.xmp_standard:
            raw_xmp = _merge_packet(stores, raw_xmp, layout.xmp_standard, "XMP packet")
        raw_xmp = _merge_packet(stores, raw_xmp, extended_xmp(layout), "Extended XMP")
    elif where.heif_items:
        raw_exif, raw_xmp = _heif_items(stores, data, raw_exif, raw_xmp)
    elif not raw_xmp and (raw_packet or where.loose_packet):
        raw_xmp = _merge_packet(stores, raw_xmp, raw_packet or find_packet(data), "XMP packet")
    stores.exif = exif_fields(raw_exif)
    lenient: set[str] = set()
    stores.xmp = fields_from_xmp(raw_xmp, lenient)
    stores.weak = {("xmp", name) for name in lenient}
    if raw_iptc:
        stores.iim, _declared, note = iimmod.decode_record(raw_iptc, stores.xmp,
                                                            _iim_zone_given(layout))
        if note:
            stores.notes[("iim", "*")] = note
    stores.orientation = _orientation(raw_exif, raw_xmp)
    return stores
