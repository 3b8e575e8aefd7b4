"""XMP: catalog fields from exiv2's XMP view, and bare-packet parsing through exiv2.

Reading rules: lang-alt -> the x-default entry, else the first alternative; bags and seqs ->
lists (dc:creator, a seq, is joined with "; " because the catalog keeps one creator string, the
MWG convention for Exif Artist); xmp:Rating -> int; xmp:Label -> a colour label in its
canonical spelling ("red" -> "Red", domain/marks.py). Packets in UTF-16/32 (old Adobe writers)
are re-encoded to UTF-8 before exiv2 sees them, if exiv2 rejects them as they are.
"""

from __future__ import annotations

import re

import pyexiv2

from mediadesk.domain.marks import normalise_label

from .dates import from_iso, is_valid_iso
from .xmp_keys import XMP_KEYS
from .xmp_recover import MAX_RECOVER_BYTES, RIGHTS_KEYS, extract_simple, has_properties, sanitise

pyexiv2.set_log_level(4)  # exiv2 prints warnings on stdout otherwise; we report them ourselves

_LANG_RE = re.compile(r'^lang="([^"]*)"$')


def _clean(text: str) -> str:
    return text.replace("\x00", " ").strip()


def lang_alt(value: object) -> str | None:
    """x-default if present, else the first alternative."""
    if isinstance(value, dict):
        if not value:
            return None
        for k, v in value.items():
            m = _LANG_RE.match(k)
            if m and m.group(1).lower() == "x-default":
                return v if isinstance(v, str) else None
        first = next(iter(value.values()))
        return first if isinstance(first, str) else None
    if isinstance(value, list):
        return value[0] if value else None
    if isinstance(value, str):
        m = re.match(r'^lang="[^"]*"\s?', value)
        return value[m.end():] if m else value
    return None


_ARRAY_TYPE_RE = re.compile(r'^type="(?:Seq|Bag|Alt)"\s?')


def as_list(value: object) -> list[str]:
    """Bag/seq items; exiv2 prefixes 'type="Seq" ' when an array holds a single odd value."""
    if isinstance(value, str):
        value = _ARRAY_TYPE_RE.sub("", value)
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = [value]
    else:
        return []
    return [t for t in (_clean(x) for x in items if isinstance(x, str)) if t]


def fields_from_xmp(xmp: dict[str, object], lenient: set[str] | None = None) -> dict[str, object]:
    """Catalog fields from a pyexiv2 ``read_xmp()`` dict; only non-empty values.

    A date that is not valid ISO 8601 is still read as far as it goes, and its field name is
    added to ``lenient`` (reconcile lets another store's well-formed date win over it)."""
    out: dict[str, object] = {}
    for field, (key, kind) in XMP_KEYS.items():
        raw = xmp.get(key)
        if raw is None:
            continue
        if kind in ("bag", "seq"):
            items = as_list(raw)
            if items:
                out[field] = "; ".join(items) if field == "creator" else items
            continue
        text = lang_alt(raw) if kind == "langalt" else (raw if isinstance(raw, str) else lang_alt(raw))
        if not text:
            continue
        text = _clean(text)
        if not text:
            continue
        if kind == "int":
            try:
                out[field] = int(float(text))
            except ValueError:
                continue
        elif kind == "date":
            iso = from_iso(text)
            if iso:
                out[field] = iso
                if lenient is not None and not is_valid_iso(text):
                    lenient.add(field)
        elif field == "label":
            out[field] = normalise_label(text)   # "red" from one program is "Red" from another
        else:
            out[field] = text
    return out


def _to_utf8_packet(packet: bytes) -> bytes:
    """Re-encode a UTF-16/32 packet as UTF-8 (BOM or NUL pattern decides the encoding)."""
    for bom, enc in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if packet.startswith(bom):
            return packet.decode(enc, errors="replace").encode("utf-8")
    if len(packet) > 4 and packet[0] == 0 and packet[1] != 0:
        return packet.decode("utf-16-be", errors="replace").encode("utf-8")
    if len(packet) > 4 and packet[0] != 0 and packet[1] == 0:
        return packet.decode("utf-16-le", errors="replace").encode("utf-8")
    return packet


def _strip_to_xml(packet: bytes) -> bytes:
    """Drop bytes before the first '<' and after the packet end (padding, trailers)."""
    start = packet.find(b"<")
    if start > 0:
        packet = packet[start:]
    end = packet.rfind(b"<?xpacket end")
    if end >= 0:
        close = packet.find(b"?>", end)
        if close >= 0:
            packet = packet[:close + 2]
    return packet


def read_xmp_dict(img: pyexiv2.ImageData) -> dict[str, object]:
    """exiv2's XMP view; tolerate non-UTF-8 bytes rather than failing the whole read."""
    try:
        found: dict[str, object] = img.read_xmp()
    except UnicodeDecodeError:
        found = img.read_xmp(encoding="ISO-8859-1")
    return found


def parse_packet(packet: bytes) -> dict[str, object]:
    """Parse a bare XMP packet (sidecar, MP4 uuid box, GIF extension) with exiv2.

    Raises ValueError with the reason when the packet cannot be parsed."""
    candidates = [packet]
    utf8 = _to_utf8_packet(packet)
    if utf8 is not packet:
        candidates.append(utf8)
    candidates.append(_strip_to_xml(utf8))
    last: Exception | None = None
    for cand in candidates:
        if not cand.strip():
            continue
        try:
            img = pyexiv2.ImageData(cand)
        except (RuntimeError, ValueError) as exc:
            last = exc
            continue
        try:
            return read_xmp_dict(img)
        except RuntimeError as exc:
            last = exc
        finally:
            img.close()
    raise ValueError(f"XMP packet could not be parsed ({last})" if last else "XMP packet is empty")


def read_packet(packet: bytes) -> tuple[dict[str, object], list[str]]:
    """Parse a bare XMP packet, recovering what can be read from a damaged one.

    Never raises: returns (exiv2-shaped dict, warnings). See xmp_recover for the steps."""
    try:
        found = parse_packet(packet)
        error = ""
    except ValueError as exc:
        found, error = {}, str(exc)
    if found:
        return found, []
    text = _to_utf8_packet(packet[:MAX_RECOVER_BYTES])
    clean, notes = sanitise(text)
    if not has_properties(clean):
        return {}, [error] if error else []
    if notes:
        try:
            found = parse_packet(clean.encode("utf-8"))
        except ValueError:
            found = {}
        if found:
            return found, ["XMP packet is not valid XML (" + "; ".join(notes) + "); the rest was read"]
    found = extract_simple(clean)
    why = "; ".join(notes + ([error] if error else [])) or "exiv2 read no property from it"
    if not found:
        return {}, [f"XMP packet could not be read ({why}); none of the properties mediadesk "
                     "catalogues was found in it by a tolerant search"]
    rights = [k.rsplit(".", 1)[1] for k in RIGHTS_KEYS if k in found]
    return found, [f"XMP packet could not be parsed as a whole ({why}, or nesting too deep); "
                   f"{len(found)} simple properties were recovered"
                   + (f" (including {', '.join(rights)})" if rights else "")
                   + "; structured and other properties in it were not read"]


def find_packet(data: bytes) -> bytes | None:
    """Locate an XMP packet by its xpacket/xmpmeta markers (GIF, SVG, JXL boxes, stray places)."""
    start = data.find(b"<?xpacket begin")
    if start < 0:
        start = data.find(b"<x:xmpmeta")
        if start < 0:
            return None
    end = data.find(b"<?xpacket end", start)
    if end >= 0:
        close = data.find(b"?>", end)
        return data[start:close + 2] if close >= 0 else None
    end = data.find(b"</x:xmpmeta>", start)
    return data[start:end + len(b"</x:xmpmeta>")] if end >= 0 else None
