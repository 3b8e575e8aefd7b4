"""The format adapter: everything mediadesk knows about one family of file formats.

A family is a class (one file in this package) that registers itself with
:func:`mediadesk.media.formats.registry.register`. It says which extensions it owns, how its
header is recognised, how a file is probed (kind, size, fields, thumbnail), whether and how
metadata is embedded and read back, and how an export carries the metadata. Code outside this
package asks the adapter (``for_format(asset.format).carrier``) instead of comparing names.

This module holds the types only (no media library is imported here), so that every other
module of ``mediadesk.media`` may import it without an import cycle.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import MediaError
from mediadesk.domain.words import Words

# how sure a header test is: a fixed signature at offset 0 is SURE; looser tests score lower, so
# that e.g. a GIF ("GIF8...") is never taken for an MPEG transport stream (which only needs a
# 0x47 sync byte every 188 bytes)
SURE = 100


class Carrier(enum.StrEnum):
    """How an exported copy carries its metadata (the rights note above all)."""

    EMBEDDED = "embedded"                # written into the file's own metadata; pixels untouched
    SIDECAR = "sidecar"                  # the file byte for byte, plus ``NAME.xmp``
    BOX_AND_SIDECAR = "box+sidecar"      # an XMP box appended to the copy (no media byte moves) + ``NAME.xmp``

    @property
    def manifest_value(self) -> str:
        """The bundle manifest's word: "embedded" or "sidecar" (a box travels as a sidecar with
        ``embedded_xmp``)."""
        return "embedded" if self is Carrier.EMBEDDED else "sidecar"


@dataclass(frozen=True)
class Sniffed:
    """A family's answer to a file's first bytes: the format name, and how sure the test is."""

    format: str
    score: int = SURE


@dataclass(frozen=True)
class MetadataLayout:
    """Where a still image keeps metadata beyond what exiv2 reads by itself."""

    jpeg_segments: bool = False   # APP1/APP13 segments: IPTC digests, Extended XMP; exiv2 gets the head only
    heif_items: bool = False      # Exif and XMP items of a HEIF ``meta`` box (exiv2 skips some)
    loose_packet: bool = False    # an XMP packet found by its markers (GIF, JPEG XL boxes)


@dataclass
class ProbeResult:
    """What probe() learned about one file (see the module docstring of mediadesk.media)."""

    kind: AssetKind
    format: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    codec: str | None = None
    frame_rate: float | None = None
    fields: dict[str, object] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    thumbnail_written: bool = False
    words: Words | None = None     # a document's text, a video's subtitles and chapters


class MediaFormat:
    """One family of formats. Subclasses set the class attributes and override what differs.

    Registered adapters are singletons: the registry makes one instance of each class."""

    family: ClassVar[str]                      # for people: "JPEG", "camera raw", "MP4/QuickTime"
    kind: ClassVar[AssetKind]
    extensions: ClassVar[Mapping[str, str]]    # lower-case ".ext" -> format name
    formats: ClassVar[tuple[str, ...]]         # every format name the family reports (asset.format)
    carrier: ClassVar[Carrier] = Carrier.SIDECAR
    layout: ClassVar[MetadataLayout] = MetadataLayout()
    pillow_decoders: ClassVar[tuple[str, ...]] = ()   # Pillow's ``Image.format`` for files of the family
    camera_raw: ClassVar[bool] = False         # raw sensor data: no rendition, no web page
    draft_decode: ClassVar[bool] = False       # Pillow decodes it at 1/2..1/8 scale (``Image.draft``)
    clean_download: ClassVar[bool] = False     # a web download can be the original, private metadata removed

    def sniff(self, head: bytes) -> Sniffed | None:
        """The format of a file starting with ``head`` (512 bytes or more), or None."""
        return None

    def claims(self, sniffed: str, ext_format: str) -> bool:
        """True when a file whose name says ``ext_format`` (one of this family's) but whose header
        says ``sniffed`` (a more generic format) is in fact ``ext_format`` (a NEF sniffs as TIFF)."""
        return False

    def probe(self, path: str, data: bytes | None, fmt: str, thumbnail_to: str | None) -> ProbeResult:
        """Probe one file of format ``fmt``; ``data`` are its bytes when the caller has read them.
        Raises MediaError (a message for a person) when the file cannot be used."""
        raise NotImplementedError(f"{type(self).__name__} does not probe files")

    def can_embed(self, fmt: str) -> bool:
        """True when mediadesk writes metadata into files of this format (else: a sidecar)."""
        return self.carrier is Carrier.EMBEDDED

    def embed(self, data: bytes, fields: dict[str, object], fmt: str) -> tuple[bytes, list[str]]:
        """New file bytes with ``fields`` embedded, pixels byte-identical; plus warnings."""
        raise MediaError(f"format {fmt} cannot carry embedded metadata safely; use a sidecar")

    def image_fingerprint(self, data: bytes, fmt: str) -> str:
        """sha256 of the image data only (see mediadesk.media.image_data_fingerprint)."""
        raise MediaError(f"{fmt} files hold no picture to fingerprint")

    def same_image_data(self, before: bytes, after: bytes, fmt: str) -> bool:
        return self.image_fingerprint(after, fmt) == self.image_fingerprint(before, fmt)

    def c2pa_manifest(self, fh: BinaryIO, size: int, fmt: str) -> str | None:
        """Where an open file of this format keeps a C2PA manifest ("JPEG APP11", ...), or None."""
        return None

    def extension(self, fmt: str) -> str:
        """The usual extension of ``fmt`` (the first one listed), with its dot."""
        return next(ext for ext, name in self.extensions.items() if name == fmt)

    def __repr__(self) -> str:
        return f"<format family {self.family}>"

