"""Thumbnails in a team catalog, so a desk that joins sees every one without reading originals
over the network; the local disk cache (``catalog.thumbs_dir``) stands in front of them.

A desk catalog keeps its thumbnails only as files beside it (``<catalog>.thumbs/``). A team
catalog keeps the same JPEGs in its ``thumbnails`` table as well, keyed by the content hash:
the importer stores each batch's thumbnails with its rows; a desk whose cache lacks one fetches
it on demand (:meth:`ThumbnailStore.fetch`, called by the window's thumbnail workers through
their own connections) and writes it atomically into its cache.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import MediadeskError
from mediadesk.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

_HASH = re.compile(r"[0-9a-f]{64}")
MAX_BYTES = 2 * 1024 * 1024   # a thumbnail is ~15 KB; anything this large is not one


class ThumbnailStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @property
    def shared(self) -> bool:
        """Does the catalog keep thumbnails itself (a team catalog), beside the local cache?"""
        return self.catalog.url is not None

    def get(self, content_hash: str) -> bytes | None:
        if not self.shared or not _HASH.fullmatch(content_hash or ""):
            return None
        data = self.catalog.scalar("SELECT jpeg FROM thumbnails WHERE content_hash = ?", (content_hash,))
        return None if data is None else bytes(data)

    def fetch(self, content_hash: str) -> Path | None:
        """The cached thumbnail file, fetched from the team catalog when the cache lacks it;
        None when there is none (or the key is not a content hash)."""
        if not _HASH.fullmatch(content_hash or ""):
            return None
        path = self.catalog.thumbnail_path(content_hash)
        if path.exists():
            return path
        data = self.get(content_hash)
        if data is None:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data, verify=False)
        return path

    # -- writes: the importer's and write-back's tools (inside catalog.transaction()) ------------
    @store_writer
    def store_files_unrecorded(self, content_hashes: Iterable[str]) -> int:
        """Put the cached thumbnails of these assets into a team catalog (nothing on a desk
        catalog); returns how many. Missing or oversized files are skipped."""
        if not self.shared:
            return 0
        rows = []
        for content_hash in dict.fromkeys(content_hashes):
            if not _HASH.fullmatch(content_hash or ""):
                continue
            try:
                data = self.catalog.thumbnail_path(content_hash).read_bytes()
            except OSError:
                continue
            if 0 < len(data) <= MAX_BYTES:
                rows.append((content_hash, data))
        if rows:
            self.catalog.executemany(
                "INSERT INTO thumbnails (content_hash, jpeg) VALUES (?, ?)"
                " ON CONFLICT (content_hash) DO UPDATE SET jpeg = excluded.jpeg, made_at = now()", rows)
        return len(rows)


class ThumbnailFetcher:
    """Fills this desk's thumbnail cache from a team catalog, on the window's thumbnail worker
    threads: each thread opens a read-only connection of its own the first time it needs one.
    A thumbnail that cannot be fetched (server away) is simply not drawn yet."""

    RETRY_S = 5.0

    def __init__(self, target: str) -> None:
        self.target = target
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list = []
        self._away_until = 0.0        # after a failure, no new attempt for RETRY_S
        self.closed = False

    def __call__(self, content_hash: str) -> Path | None:
        from mediadesk.catalog.connection import Catalog  # connection.py imports this module

        if self.closed or time.monotonic() < self._away_until:
            return None
        catalog = getattr(self._local, "catalog", None)
        try:
            if catalog is None:
                catalog = Catalog(self.target, readonly=True, create=False)
                self._local.catalog = catalog
                with self._lock:
                    self._opened.append(catalog)
            return catalog.thumbnails.fetch(content_hash)
        except (MediadeskError, OSError):
            self._away_until = time.monotonic() + self.RETRY_S    # not one timeout per thumbnail
            return None

    def close(self) -> None:
        self.closed = True
        with self._lock:
            opened, self._opened = self._opened, []
        for catalog in opened:
            catalog.close()
