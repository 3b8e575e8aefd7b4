"""mediadesk.media.formats: one adapter class per family of file formats.

Each module here holds one family (jpeg.py, raw.py, mp4.py, audio.py, ...): its extensions, its
header sniff, how a file is probed and thumbnailed, whether and how metadata is embedded and
read back, and its export carrier. The registry (registry.py) finds them all; nothing outside
this package compares format names or lists extensions. To add a format, add one file::

    @register
    class Pdf(MediaFormat):
        family = "PDF"
        kind = AssetKind.DOCUMENT
        extensions = {".pdf": "PDF"}
        formats = ("PDF",)

        def sniff(self, head): return Sniffed("PDF") if head.startswith(b"%PDF-") else None
        def probe(self, path, data, fmt, thumbnail_to): ...

Shared behaviour lives in two base classes: :class:`~.still.StillImage` (exiv2 + Pillow) and
:class:`~.audiovisual.AudioVisual` (FFmpeg). Importing this package imports no adapter: the
registry loads them on first use.
"""

from .base import SURE, Carrier, MediaFormat, MetadataLayout, ProbeResult, Sniffed
from .registry import (
    SUPPORTED_EXTENSIONS,
    Identified,
    can_embed,
    carrier_for,
    discover,
    extension_of,
    families,
    for_decoder,
    for_extension,
    for_format,
    for_path,
    format_for_path,
    identify,
    is_camera_raw,
    kind_for_path,
    register,
    sniff,
    sniff_format,
    sniff_kind,
    unregister,
)

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "SURE",
    "Carrier",
    "Identified",
    "MediaFormat",
    "MetadataLayout",
    "ProbeResult",
    "Sniffed",
    "can_embed",
    "carrier_for",
    "discover",
    "extension_of",
    "families",
    "for_decoder",
    "for_extension",
    "for_format",
    "for_path",
    "format_for_path",
    "identify",
    "is_camera_raw",
    "kind_for_path",
    "register",
    "sniff",
    "sniff_format",
    "sniff_kind",
    "unregister",
]
