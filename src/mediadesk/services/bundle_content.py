"""What a file in a bundle is, by its first bytes rather than by what the manifest calls it.

``verify`` uses it so that a manifest cannot excuse a file from carrying the rights note: a photo,
video, audio file or document is media whatever its manifest entry's role says, and a sidecar must
really be an XMP packet. Every format the importer knows is recognised by its format family
(:func:`mediadesk.media.formats.sniff_format`); documents and archives mediadesk does not
import (which can hold photos) are recognised here.
"""

from __future__ import annotations

from mediadesk.domain.asset import AssetKind
from mediadesk.media.formats import sniff_format

HEAD_BYTES = 4096
_NOTE_KINDS = frozenset({*AssetKind, "archive"})   # every kind of asset, and archives (which hold them)

_DOCUMENT_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "document", "PDF"),
    (b"%!PS", "document", "PostScript"),
    (b"\xc5\xd0\xd3\xc6", "document", "EPS"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "document", "Microsoft Office (OLE)"),
    (b"{\\rtf", "document", "RTF"),
    (b"AT&TFORM", "document", "DjVu"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "7-Zip"),
    (b"Rar!\x1a\x07", "archive", "RAR"),
    (b"\x1f\x8b", "archive", "gzip"),
    (b"BZh", "archive", "bzip2"),
    (b"\xfd7zXZ\x00", "archive", "xz"),
    (b"(\xb5/\xfd", "archive", "Zstandard"),
)


def _zip_family(head: bytes) -> tuple[str, str]:
    if b"[Content_Types].xml" in head or b"word/" in head or b"xl/" in head or b"ppt/" in head:
        return "document", "Office Open XML"
    if head[30:38] == b"mimetype" and b"application/vnd.oasis" in head:
        return "document", "OpenDocument"
    if head[30:38] == b"mimetype" and b"application/epub" in head:
        return "document", "EPUB"
    return "archive", "zip"


def _markup(head: bytes) -> tuple[str, str] | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text.startswith(b"<"):
        return None
    if b"<svg" in text:
        return "photo", "SVG"
    if b"<html" in text or text.startswith(b"<!doctype html"):
        return "document", "HTML"
    if b"<x:xmpmeta" in text or b"<?xpacket" in text or b"<rdf:rdf" in text:
        return "xmp", "XMP"
    return None


def what_is(head: bytes) -> tuple[str, str] | None:
    """(kind, format) from a file's first bytes (pass :data:`HEAD_BYTES`): kind is "photo",
    "video", "audio", "document", "archive" or "xmp"; None when not recognised."""
    found = sniff_format(head[:512])
    if found:
        return found
    for magic, kind, name in _DOCUMENT_MAGIC:
        if head.startswith(magic):
            return kind, name
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_family(head)
    if len(head) > 262 and head[257:262] == b"ustar":
        return "archive", "tar"
    return _markup(head)


def needs_rights_note(kind: str | None) -> bool:
    """A photo, video, audio file, document or archive must carry the rights note (or sit in
    no mediadesk bundle at all)."""
    return kind in _NOTE_KINDS
