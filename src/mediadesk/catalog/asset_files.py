"""File facts of assets that write-back touches: where the file is and what it looked like."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

_CHUNK = 500


@dataclass(frozen=True)
class AssetFile:
    id: int
    path: str
    kind: str
    format: str | None
    size: int
    mtime: float
    content_hash: str
    missing: bool


class AssetFileStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def files(self, asset_ids: Sequence[int]) -> list[AssetFile]:
        """File facts in the order of ``asset_ids`` (unknown ids are skipped)."""
        found: dict[int, AssetFile] = {}
        ids = list(asset_ids)
        paths = self.catalog.paths
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for r in self.catalog.execute(
                    f"SELECT id, path, kind, format, size, mtime, content_hash, missing{paths.extra} FROM assets"
                    f" WHERE id IN ({marks})", chunk):
                found[r[0]] = AssetFile(r[0], paths.local(r[1], r[-1]), r[2], r[3], r[4], r[5], r[6],
                                        bool(r[7]))
        return [found[i] for i in ids if i in found]

    def hash_owner(self, content_hash: str) -> int | None:
        owner = self.catalog.scalar("SELECT id FROM assets WHERE content_hash = ?", (content_hash,))
        return None if owner is None else int(owner)

    # -- writes: write-back's tools (inside catalog.transaction()) ---------------------------
    @store_writer
    def record_fingerprint(self, asset_id: int, fingerprint: str) -> None:
        """The image-data fingerprint of the asset's picture, for one imported before schema 3."""
        self.catalog.execute(
            "UPDATE assets SET pixel_fingerprint = ? WHERE id = ? AND pixel_fingerprint IS NULL",
            (fingerprint, asset_id))

    @store_writer
    def record_rewrite(self, asset_id: int, *, size: int, mtime: float, content_hash: str) -> None:
        """The file was rewritten by mediadesk: store its new size, mtime and hash so the next
        import sees it as unchanged (the metadata in it is what the catalog already holds)."""
        self.catalog.execute(
            "UPDATE assets SET size = ?, mtime = ?, content_hash = ?, missing = 0, modified_at = ?"
            " WHERE id = ?", (size, mtime, content_hash, now_iso(), asset_id))
