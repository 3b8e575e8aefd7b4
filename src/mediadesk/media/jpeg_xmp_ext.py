"""Extended XMP in JPEG (XMP Specification Part 3, "Extended XMP in JPEG").

A JPEG segment holds at most 65,533 bytes, so the main XMP packet (APP1,
``http://ns.adobe.com/xap/1.0/``) cannot carry a 200 KB caption. The standard's way out: the
main packet keeps what fits plus ``xmpNote:HasExtendedXMP`` = the GUID (the MD5, 32 upper-case
hex digits, of the extension), and the rest is a second, complete ``x:xmpmeta`` (no packet
wrapper) cut into APP1 segments ``http://ns.adobe.com/xmp/extension/\\0`` + GUID + full length
+ offset + chunk, placed after the main packet. exiftool, Adobe's SDK and mediadesk's reader
(jpeg.extended_xmp) join them again.

What moves: the largest catalog properties being written, one at a time, until the main packet
fits; the rights-bearing ones (usage terms, copyright, instructions) stay in the main packet
so that every reader, also one that ignores Extended XMP, sees the note.
"""

from __future__ import annotations

import hashlib
import re
import struct

import pyexiv2

from mediadesk.domain.errors import MediaError

from .jpeg import _XMP_EXT, _XMP_STD
from .xmp_keys import XMP_KEYS
from .xmpwrite import EMPTY_PACKET, edit_packet

_FIELD_OF_KEY = {key: name for name, (key, _kind) in XMP_KEYS.items()}

XMP_NOTE_NS = "http://ns.adobe.com/xmp/note/"
try:
    pyexiv2.registerNs(XMP_NOTE_NS, "xmpNote")
except RuntimeError:
    pass  # already known to this exiv2

MAIN_LIMIT = 65000            # bytes of the main packet (segment room: 65,504 bytes)
_CHUNK = 65400                # extension bytes per segment (room: 65,458)
HAS_EXTENDED = "Xmp.xmpNote.HasExtendedXMP"
KEEP_IN_MAIN = frozenset({"Xmp.xmpRights.UsageTerms", "Xmp.dc.rights", "Xmp.photoshop.Instructions",
                          "Xmp.xmpRights.WebStatement", "Xmp.xmpRights.Marked"})


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _value_size(value: object) -> int:
    if isinstance(value, dict):
        return sum(_size(str(v)) for v in value.values())
    if isinstance(value, list):
        return sum(_size(str(v)) for v in value)
    return _size(str(value))


def _xmpmeta_only(packet: str) -> bytes:
    """The extension is serialised as a bare x:xmpmeta element (no xpacket wrapper)."""
    start = packet.find("<x:xmpmeta")
    end = packet.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return packet.strip().encode("utf-8")
    return packet[start:end + len("</x:xmpmeta>")].encode("utf-8")


def _has_properties(packet: str) -> bool:
    body = re.sub(r"<\?xpacket[^>]*\?>", "", packet)
    return bool(re.search(r"<rdf:Description\b[^>]*\s(?!rdf:|xmlns)[\w.-]+:[\w.-]+\s*=", body)
                or re.search(r"<(?!rdf:|x:)[\w.-]+:[\w.-]+[\s>/]", body))


def fit_main_packet(packet: str, changes: dict[str, object],
                    old_extension: bytes | None) -> tuple[str, bytes | None, list[str]]:
    """(main packet, extension or None, warnings) so that the main packet fits one segment.

    ``packet`` is the full new packet (the old main with ``changes`` applied); the properties
    of the old extension that are not being replaced are carried over."""
    warnings: list[str] = []
    ext: str | None = None
    if old_extension:
        try:
            ext = edit_packet(old_extension.decode("utf-8", errors="replace"),
                              dict.fromkeys(changes))
        except ValueError:
            ext = None
            warnings.append("the file's Extended XMP could not be parsed and was not kept")
        if ext is not None and not _has_properties(ext):
            ext = None
    movable = sorted((k for k, v in changes.items() if v is not None and k not in KEEP_IN_MAIN),
                     key=lambda k: _value_size(changes[k]), reverse=True)
    while _size(packet) > MAIN_LIMIT:
        if not movable:
            raise MediaError("the XMP packet is over 64 KB even without the catalog's longest "
                             "values; metadata was not written")
        key = movable.pop(0)
        packet = edit_packet(packet, {key: None})
        ext = edit_packet(ext or EMPTY_PACKET, {key: changes[key]})
        warnings.append(f"{_FIELD_OF_KEY.get(key, key)}: {_value_size(changes[key])} bytes is too "
                        "long for a JPEG's main XMP packet; it was written as Extended XMP (as the "
                        "XMP standard allows; read by exiftool, Adobe's tools and mediadesk)")
    if ext is None:
        return edit_packet(packet, {HAS_EXTENDED: None}), None, warnings
    ext_bytes = _xmpmeta_only(ext)
    guid = hashlib.md5(ext_bytes).hexdigest().upper()
    return edit_packet(packet, {HAS_EXTENDED: guid}), ext_bytes, warnings


def extension_segments(ext: bytes) -> bytes:
    """The APP1 segments carrying ``ext`` (GUID = its MD5)."""
    guid = hashlib.md5(ext).hexdigest().upper().encode("ascii")
    out = bytearray()
    for offset in range(0, len(ext), _CHUNK):
        payload = _XMP_EXT + guid + struct.pack(">II", len(ext), offset) + ext[offset:offset + _CHUNK]
        out += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return bytes(out)


def replace_extension(data: bytes, ext: bytes | None) -> bytes:
    """``data`` (a JPEG) without its old Extended XMP segments and, when ``ext`` is given, with
    the new ones right after the main XMP segment. Only the segments before SOS are touched."""
    if not data.startswith(b"\xff\xd8"):
        return data
    pos = 2
    kept = bytearray(b"\xff\xd8")
    insert_at: int | None = None
    n = len(data)
    while pos + 4 <= n and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            kept.append(0xFF)
            pos += 1
            continue
        if marker in (0xDA, 0xD9):
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2:
            break
        seg = data[pos:pos + 2 + length]
        payload = seg[4:]
        if marker == 0xE1 and payload.startswith(_XMP_EXT):
            pos += 2 + length
            continue
        kept += seg
        if marker == 0xE1 and payload.startswith(_XMP_STD):
            insert_at = len(kept)
        pos += 2 + length
    rest = data[pos:]
    if ext:
        segments = extension_segments(ext)
        if insert_at is None:
            insert_at = len(kept)
        kept[insert_at:insert_at] = segments
    return bytes(kept) + rest
