"""Editing an XMP packet with exiv2, keeping every property we do not manage.

pyexiv2 writes every array as rdf:Seq, and exiv2's
sidecar handler round-trips XMP through Exif/IPTC conversions on write (a deleted dc:subject
comes back from the converted IPTC keywords). So the packet is edited on a tiny in-memory
1x1 JPEG "workbench" (no conversions there), and rdf:Seq is turned into rdf:Bag for the bag properties afterwards.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import pyexiv2
from PIL import Image

from .xmp import XMP_KEYS, _to_utf8_packet

EMPTY_PACKET = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    '  <rdf:Description rdf:about=""/>\n'
    ' </rdf:RDF>\n'
    '</x:xmpmeta>\n'
    '<?xpacket end="w"?>'
)
_BAG_ELEMENTS = tuple(
    key.split(".", 1)[1].replace(".", ":", 1) for key, kind in XMP_KEYS.values() if kind == "bag")


@lru_cache(maxsize=2)
def _workbench(fmt: str = "JPEG") -> bytes:
    """A 1x1 image to edit packets on. JPEG by default; PNG for packets over a JPEG segment's
    64 KB (exiv2 refuses those in a JPEG even in memory; PNG iTXt has no such limit)."""
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, fmt)
    return buf.getvalue()


def _too_big_for_jpeg(exc: Exception) -> bool:
    return "larger than 65535" in str(exc)


def field_changes(fields: dict[str, object]) -> dict[str, object]:
    """exiv2 XMP key -> new value (None = delete) for the catalog fields present in ``fields``.

    Values: str for simple text, list[str] for bags/seqs, {'lang="x-default"': text} for
    lang-alts (pyexiv2 builds an rdf:Alt only from a dict)."""
    changes: dict[str, object] = {}
    for name, value in fields.items():
        spec = XMP_KEYS.get(name)
        if spec is None:
            continue
        key, kind = spec
        if value is None or value == "" or value == []:
            changes[key] = None
            continue
        if kind in ("bag", "seq"):
            if isinstance(value, str):
                items = [v.strip() for v in value.split(";")] if name == "creator" else [value]
            elif isinstance(value, (list, tuple, set, frozenset)):
                items = [str(v) for v in value]
            else:
                items = [str(value)]
            items = [v for v in items if v.strip()]
            changes[key] = items or None
        elif kind == "langalt":
            changes[key] = {'lang="x-default"': str(value)}
        else:
            changes[key] = str(value)
    return changes


def _fix_bags(packet: str) -> str:
    for elem in _BAG_ELEMENTS:
        pattern = re.compile(rf"(<{re.escape(elem)}>\s*<rdf:)Seq(>.*?</rdf:)Seq(>\s*</{re.escape(elem)}>)",
                             re.DOTALL)
        packet = pattern.sub(r"\1Bag\2Bag\3", packet)
    return packet


def edit_packet(packet: str | None, changes: dict[str, object]) -> str:
    """Apply ``changes`` (exiv2 key -> value/None) to ``packet`` and return the new packet text.

    Raises ValueError when the existing packet cannot be parsed (callers decide whether to
    replace it or stop: never silently drop another tool's XMP)."""
    try:
        out = _edit_on(_workbench("JPEG"), packet, changes)
    except RuntimeError as exc:
        if not _too_big_for_jpeg(exc):
            raise
        out = _edit_on(_workbench("PNG"), packet, changes)
    if not out.strip():
        out = EMPTY_PACKET
    return _fix_bags(out)


def _edit_on(bench: bytes, packet: str | None, changes: dict[str, object]) -> str:
    img = pyexiv2.ImageData(bench)
    try:
        if packet and packet.strip():
            try:
                img.modify_raw_xmp(packet)
                img.read_xmp()
            except UnicodeDecodeError as exc:
                raise ValueError(f"existing XMP cannot be parsed ({exc})") from None
            except RuntimeError as exc:
                if _too_big_for_jpeg(exc):
                    raise
                raise ValueError(f"existing XMP cannot be parsed ({exc})") from None
        deletes = dict.fromkeys(changes)
        img.modify_xmp(deletes)
        sets = {k: v for k, v in changes.items() if v is not None}
        if sets:
            img.modify_xmp(sets)
        out: str = img.read_raw_xmp()
        return out
    finally:
        img.close()


def packet_text(raw: bytes) -> str:
    """Sidecar/packet bytes (UTF-8/16/32) as text."""
    return _to_utf8_packet(raw).decode("utf-8", errors="replace").lstrip("\ufeff")
