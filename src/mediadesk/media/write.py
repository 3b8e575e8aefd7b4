"""Writing catalog metadata into image files losslessly (exiv2 in memory; pixels untouched).

Every managed field goes to all stores that have it (XMP, IIM, and Exif for caption/creator/
copyright/date) so no store is left stale for the MWG reconcile of the next reader; tags we do
not manage are kept. IIM gets CodedCharacterSet ESC % G (UTF-8) and byte-limited values cut at
a character boundary, with one warning per shortened value.

Which formats take embedded metadata, and what each needs beyond the common exiv2 write (a
JPEG's Extended XMP, its IPTC digest, its header-only write), is the format family's knowledge
(media/formats/): the public functions here find the family and let it decide;
:func:`embed_with_exiv2` is the common write the families build on.
"""

from __future__ import annotations

import hashlib
import io
from typing import ClassVar, Protocol, runtime_checkable

import pyexiv2
from PIL import Image

from mediadesk.domain.errors import MediaError
from mediadesk.domain.fields import FIELD_BY_NAME

from . import iim as iimmod
from .formats.base import MediaFormat
from .formats.registry import for_format, sniff
from .images import EXIF_DATE, EXIF_KEYS, EXIF_OFFSET, read_image_stores
from .reconcile import reconcile
from .xmpwrite import edit_packet, field_changes


@runtime_checkable
class Exiv2Target(Protocol):
    """What :func:`embed_with_exiv2` asks the format family (see formats/still.py)."""

    embedded_stores: ClassVar[tuple[str, ...]]

    def limit_exif(self, changes: dict[str, object], warnings: list[str]) -> None: ...

    def fit_xmp(self, data: bytes, packet: str,
                changes: dict[str, object]) -> tuple[str, bytes | None, list[str]]: ...

    def finish_embed(self, out: bytes, extension: bytes | None, xmp_written: bool) -> bytes: ...


def can_embed(fmt: str) -> bool:
    """True when mediadesk writes metadata into files of this format (else: use a sidecar)."""
    adapter = for_format(fmt)
    return adapter is not None and adapter.can_embed(fmt.upper())


def _family_of(data: bytes, fmt: str | None) -> tuple[MediaFormat | None, str]:
    """The family and format name of ``data`` (named by ``fmt``, or sniffed)."""
    if fmt:
        return for_format(fmt), fmt.upper()
    found = sniff(data[:512])
    if found is None:
        raise MediaError("file format not recognised; metadata was not written")
    return found.adapter, found.format


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
            if isinstance(v, str):
                items = [s.strip() for s in v.split(";")]
            elif isinstance(v, (list, tuple, set, frozenset)):
                items = [str(s) for s in v]
            else:
                items = [str(v)]
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
            values: list[object] = value if isinstance(value, list) else [value]
            raws = [s.encode("latin-1", errors="replace") for s in values if isinstance(s, str)]
            if not any(any(b >= 0x80 for b in r) for r in raws):
                continue
            try:
                texts = [r.decode("utf-8") for r in raws]
            except UnicodeDecodeError:
                texts = [iimmod._latin(r) for r in raws]
            changes[key] = texts if isinstance(value, list) else texts[0]
    changes[iimmod.CHARSET_KEY] = iimmod.UTF8_MARKER
    return changes


def embed_metadata(data: bytes, fields: dict[str, object], *,
                   fmt: str | None = None) -> tuple[bytes, list[str]]:
    """New file bytes with ``fields`` written into XMP, IIM and Exif; pixels byte-identical.

    Absent fields are left alone; None/""/[] removes a field from every store. Returns the
    bytes and one warning per value shortened for IIM (or other lossy step)."""
    adapter, name = _family_of(data, fmt)
    if adapter is None:
        raise MediaError(f"format {name} cannot carry embedded metadata safely; use a sidecar")
    return adapter.embed(data, fields, name)


def _embed(data: bytes, fields: dict[str, object], fmt: str) -> tuple[bytes, list[str]]:
    """The whole-file write for ``fmt`` (no header-only shortcut): what a JPEG's header-only
    write must come to (tests compare the two)."""
    adapter = for_format(fmt)
    if not isinstance(adapter, Exiv2Target) or not adapter.can_embed(fmt.upper()):
        raise MediaError(f"format {fmt} cannot carry embedded metadata safely; use a sidecar")
    return embed_with_exiv2(data, fields, adapter, fmt.upper())


def embed_with_exiv2(data: bytes, fields: dict[str, object], target: Exiv2Target,
                     fmt: str) -> tuple[bytes, list[str]]:
    """Write ``fields`` into the stores ``target`` names (exif, iim, xmp) through one in-memory
    exiv2 object; ``target`` adds what its format needs (see :class:`Exiv2Target`)."""
    stores = target.embedded_stores
    warnings: list[str] = []
    try:
        img = pyexiv2.ImageData(data)
    except (RuntimeError, ValueError) as exc:
        raise MediaError(f"metadata cannot be written: the file could not be parsed ({exc})") from None
    extension: bytes | None = None
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
        target.limit_exif(exif_changes, warnings)
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
        if xmp_changes:
            try:
                packet = edit_packet(old_packet, xmp_changes)
            except ValueError as exc:
                raise MediaError(f"the file's XMP is damaged; metadata was not written ({exc})") from None
            packet, extension, fit_warnings = target.fit_xmp(data, packet, xmp_changes)
            warnings += fit_warnings
            img.modify_raw_xmp(packet)
        out: bytes = img.get_bytes()
    except RuntimeError as exc:
        raise MediaError(f"metadata could not be written into this {fmt} file ({exc})") from None
    finally:
        img.close()
    return target.finish_embed(out, extension, bool(xmp_changes)), warnings


def pixels_fingerprint(data: bytes) -> str:
    """sha256 of the decoded pixels (with mode and size): the image data of formats whose
    compressed bytes a metadata write may legitimately re-lay (PNG chunks, TIFF strips)."""
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


def same_image_data(before: bytes, after: bytes, fmt: str | None = None) -> bool:
    """True when ``after`` holds exactly the image data of ``before``.

    The same answer as comparing :func:`image_data_fingerprint` of both; a family may compare
    cheaper (a JPEG compares its entropy-coded data in place, ~10x cheaper than hashing)."""
    adapter, name = _family_of(before, fmt)
    if adapter is None:
        return pixels_fingerprint(after) == pixels_fingerprint(before)
    return adapter.same_image_data(before, after, name)


def image_data_fingerprint(data: bytes, fmt: str | None = None) -> str:
    """sha256 of the image data only, so a metadata write can be proven lossless.

    JPEG: the bytes from the first SOS marker to the last EOI (the entropy-coded scans and
    anything appended after them, e.g. gain maps). Other formats: the decoded pixels."""
    adapter, _name = _family_of(data, fmt)
    if adapter is None:
        return pixels_fingerprint(data)
    return adapter.image_fingerprint(data, _name)


def read_metadata_bytes(data: bytes) -> dict[str, object]:
    """Reconciled catalog fields from file bytes (read-back check after embed_metadata)."""
    found = sniff(data[:512])
    stores = read_image_stores(data, found.format if found else "UNKNOWN")
    fields, _sources, _conflicts = reconcile(
        exif=stores.exif, iim=stores.iim, xmp=stores.xmp,
        digest_current=stores.digest_current, digest_stored=stores.digest_stored)
    return fields
