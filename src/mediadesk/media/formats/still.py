"""StillImage: what the photo families share (metadata through exiv2, pixels through Pillow).

A family overrides only what is its own: where its metadata lives (``layout``), whether Pillow
decodes it, whether its container turns the picture, which stores mediadesk writes into it, and
the extra steps a write needs (a JPEG's Extended XMP and IPTC digest).
"""

from __future__ import annotations

from typing import ClassVar

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import MediaError

from ..images import ImageStores, read_stores
from ..reconcile import reconcile
from ..sidecar import read_sidecar_fields
from ..thumbnails import displayed_size, make_thumbnail, open_image, thumbnail_from_preview, write_thumbnail
from ..write import embed_with_exiv2, pixels_fingerprint
from .base import Carrier, MediaFormat, ProbeResult


class StillImage(MediaFormat):
    kind = AssetKind.PHOTO
    embedded_stores: ClassVar[tuple[str, ...]] = ()   # what mediadesk writes in place (exif, iim, xmp)
    pillow_pixels: ClassVar[bool] = True         # Pillow decodes the pixels (size, thumbnail)
    embedded_preview: ClassVar[bool] = False     # the thumbnail comes from an embedded preview JPEG
    container_oriented: ClassVar[bool] = False   # the container turns the picture (HEIF irot/imir)

    # -- reading --------------------------------------------------------------------------------

    def read_stores(self, data: bytes, *, want_preview: bool = False) -> ImageStores:
        return read_stores(data, self.layout, want_preview=want_preview)

    def probe(self, path: str, data: bytes | None, fmt: str, thumbnail_to: str | None) -> ProbeResult:
        if data is None:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None
        stores = self.read_stores(data, want_preview=self.embedded_preview and thumbnail_to is not None)
        result = ProbeResult(kind=self.kind, format=fmt, warnings=list(stores.warnings))
        sidecar, side_warn = read_sidecar_fields(path)
        result.warnings += side_warn
        result.fields, result.sources, result.conflicts = reconcile(
            exif=stores.exif, iim=stores.iim, xmp=stores.xmp, sidecar=sidecar,
            digest_current=stores.digest_current, digest_stored=stores.digest_stored,
            weak=stores.weak, notes=stores.notes)
        orientation = None if self.container_oriented else stores.orientation
        size: tuple[int, int] | None = None
        pillow_ok = self.pillow_pixels
        if pillow_ok:
            size = self._decoded_size(data, stores, result)
            pillow_ok = size is not None
        if size is None and stores.size and all(stores.size):
            size = stores.size
        if size:
            result.width, result.height = displayed_size(size, orientation)
        if thumbnail_to is not None:
            self._thumbnail(data, fmt, stores, orientation, pillow_ok, result, thumbnail_to)
        return result

    def _decoded_size(self, data: bytes, stores: ImageStores, result: ProbeResult) -> tuple[int, int] | None:
        """The pixel size as Pillow decodes it; None when Pillow cannot decode the file but exiv2
        read it (the metadata is kept, and a warning says why there is no picture)."""
        try:
            with open_image(data, stores.size) as im:
                return im.size
        except MediaError as exc:
            if "limit" in str(exc):
                raise
            if not stores.size or not any((stores.exif, stores.iim, stores.xmp)):
                raise
            result.warnings.append(f"pixels cannot be decoded: {exc}")
            return None

    def _thumbnail(self, data: bytes, fmt: str, stores: ImageStores, orientation: int | None,
                   pillow_ok: bool, result: ProbeResult, thumbnail_to: str) -> None:
        thumb: bytes | None = None
        if pillow_ok:
            try:
                thumb, warns = make_thumbnail(data, orientation, stores.size)
                result.warnings += warns
            except MediaError as exc:
                # pixels undecodable: still useful if the metadata was read, else unusable
                if "limit" in str(exc) or not result.fields:
                    raise
                result.warnings.append(f"pixels cannot be decoded: {exc}")
        elif stores.preview:
            thumb = thumbnail_from_preview(stores.preview, orientation)
        if thumb is None:
            result.warnings.append(f"no thumbnail: {fmt} pixels cannot be decoded here "
                                   "and the file has no usable embedded preview")
        else:
            write_thumbnail(thumbnail_to, thumb)
            result.thumbnail_written = True

    # -- writing (the hooks of media.write.embed_with_exiv2) ------------------------------------

    def embed(self, data: bytes, fields: dict[str, object], fmt: str) -> tuple[bytes, list[str]]:
        if self.carrier is not Carrier.EMBEDDED:
            return super().embed(data, fields, fmt)
        return embed_with_exiv2(data, fields, self, fmt)

    def limit_exif(self, changes: dict[str, object], warnings: list[str]) -> None:
        """Adjust the Exif changes to what the format's Exif block can hold."""

    def fit_xmp(self, data: bytes, packet: str,
                changes: dict[str, object]) -> tuple[str, bytes | None, list[str]]:
        """(packet to write, extension packet or None, warnings): the new XMP fitted to the format."""
        return packet, None, []

    def finish_embed(self, out: bytes, extension: bytes | None, xmp_written: bool) -> bytes:
        """The written bytes, completed where exiv2 leaves something to do."""
        return out

    def image_fingerprint(self, data: bytes, fmt: str) -> str:
        return pixels_fingerprint(data)
