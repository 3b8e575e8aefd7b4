"""Which files mediadesk handles: by extension, and by magic bytes when the extension lies.

The importer asks ``kind_for_path`` first (cheap, no I/O) and falls back to ``sniff_kind`` on
the first bytes for files with a missing or wrong extension (e.g. a JPEG saved as ``.dat``).
"""

from __future__ import annotations

import os

_PHOTO = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif",
          ".hif", ".avif", ".gif", ".bmp", ".psd", ".jxl",
          # camera raw: pyexiv2 reads their metadata, the preview gives a thumbnail
          ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".dng", ".orf", ".rw2",
          ".raf", ".pef", ".srw", ".3fr", ".mrw", ".x3f")
_VIDEO = (".mp4", ".m4v", ".mov", ".qt", ".mkv", ".webm", ".avi", ".mts", ".m2ts", ".ts",
          ".3gp", ".3g2", ".mpg", ".mpeg", ".wmv", ".flv")
_AUDIO = (".m4a", ".mp3", ".wav", ".aac", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff",
          ".wma")

SUPPORTED_EXTENSIONS: dict[str, str] = {
    **{e: "photo" for e in _PHOTO},
    **{e: "video" for e in _VIDEO},
    **{e: "audio" for e in _AUDIO},
}

RAW_FORMATS: dict[str, str] = {
    ".cr2": "CR2", ".cr3": "CR3", ".crw": "CRW", ".nef": "NEF", ".nrw": "NRW", ".arw": "ARW",
    ".srf": "SRF", ".sr2": "SR2", ".dng": "DNG", ".orf": "ORF", ".rw2": "RW2", ".raf": "RAF",
    ".pef": "PEF", ".srw": "SRW", ".3fr": "3FR", ".mrw": "MRW", ".x3f": "X3F",
}


def kind_for_path(path: str) -> str | None:
    """Kind ("photo", "video", "audio") from the file name's extension; None if unsupported."""
    return SUPPORTED_EXTENSIONS.get(os.path.splitext(path)[1].lower())


def _bmff_brand(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return head[8:12].decode("latin-1")
    return None


def sniff_format(head: bytes) -> tuple[str, str] | None:
    """(kind, format name) from the first bytes (pass 256 or more); None when not recognised."""
    if head.startswith(b"\xff\xd8\xff"):
        return "photo", "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo", "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        if head[8:10] == b"CR":
            return "photo", "CR2"
        return "photo", "TIFF"
    if head[:4] in (b"IIRO", b"IIU\x00"):
        return "photo", "ORF" if head[:4] == b"IIRO" else "RW2"
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "photo", "RAF"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "photo", "GIF"
    if head.startswith(b"BM") and len(head) >= 14:
        return "photo", "BMP"
    if head.startswith(b"8BPS"):
        return "photo", "PSD"
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return "photo", "JXL"
    if head[:4] == b"RIFF" and len(head) >= 12:
        sub = head[8:12]
        if sub == b"WEBP":
            return "photo", "WEBP"
        if sub == b"AVI ":
            return "video", "AVI"
        if sub == b"WAVE":
            return "audio", "WAV"
        return None
    brand = _bmff_brand(head)
    if brand is not None:
        b = brand.lower()
        if b in ("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"):
            return "photo", "HEIF"
        if b in ("avif", "avis"):
            return "photo", "AVIF"
        if b.startswith("crx"):
            return "photo", "CR3"
        if b.startswith("qt"):
            return "video", "MOV"
        if b.startswith("3g"):
            return "video", "3GP"
        if b in ("m4a ", "m4b ", "m4p "):
            return "audio", "M4A"
        return "video", "MP4"
    if len(head) >= 8 and head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "video", "MOV"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "WEBM" if b"webm" in head[:64] else "MKV"
    if len(head) >= 197 and head[4] == 0x47 and head[196] == 0x47:
        return "video", "M2TS"  # 192-byte packets: 4-byte timestamp + 0x47 sync
    if len(head) >= 189 and head[0] == 0x47 and head[188] == 0x47:
        return "video", "M2TS"  # plain MPEG transport stream
    if head.startswith(b"\x00\x00\x01\xba") or head.startswith(b"\x00\x00\x01\xb3"):
        return "video", "MPEG"
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
                                   and head[1] & 0x06):
        return "audio", "MP3"
    if head.startswith(b"fLaC"):
        return "audio", "FLAC"
    if head.startswith(b"OggS"):
        return "audio", "OGG"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio", "AIFF"
    return None


def sniff_kind(head: bytes) -> str | None:
    """Kind from magic bytes, for files whose extension is wrong or missing."""
    found = sniff_format(head)
    return found[0] if found else None


_EXT_FORMATS: dict[str, str] = {
    ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG", ".png": "PNG",
    ".tif": "TIFF", ".tiff": "TIFF", ".webp": "WEBP", ".heic": "HEIF", ".heif": "HEIF",
    ".hif": "HEIF", ".avif": "AVIF", ".gif": "GIF", ".bmp": "BMP", ".psd": "PSD", ".jxl": "JXL",
    ".mp4": "MP4", ".m4v": "MP4", ".mov": "MOV", ".qt": "MOV", ".mkv": "MKV", ".webm": "WEBM",
    ".avi": "AVI", ".mts": "M2TS", ".m2ts": "M2TS", ".ts": "M2TS", ".3gp": "3GP", ".3g2": "3GP",
    ".mpg": "MPEG", ".mpeg": "MPEG", ".wmv": "WMV", ".flv": "FLV", ".m4a": "M4A", ".mp3": "MP3",
    ".wav": "WAV", ".aac": "AAC", ".flac": "FLAC", ".ogg": "OGG", ".oga": "OGG", ".opus": "OPUS",
    ".aif": "AIFF", ".aiff": "AIFF", ".wma": "WMA", **RAW_FORMATS,
}


def format_for_path(path: str) -> str | None:
    """Format name implied by the extension (used when magic bytes are inconclusive)."""
    return _EXT_FORMATS.get(os.path.splitext(path)[1].lower())
