"""Import runs: one row per import (when, which folders, how it ended, its counts).

The importer's tools (services/importer.py); the asset rows an import writes carry the run's id,
which is what ``imported:latest`` selects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

STATUSES = ("running", "finished", "cancelled", "failed")


class ImportBatchStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def latest_id(self) -> int | None:
        found = self.catalog.scalar("SELECT max(id) FROM import_batches")
        return None if found is None else int(found)

    # -- writes: the importer's tools ----------------------------------------------------
    @store_writer
    def start(self, roots: Sequence[str]) -> int:
        """A new run over ``roots`` (its own transaction)."""
        with self.catalog.transaction():
            return self.catalog.insert(
                "INSERT INTO import_batches (started_at, roots) VALUES (?, ?) RETURNING id",
                (now_iso(), json.dumps(list(roots), ensure_ascii=False)))

    @store_writer
    def finish(self, batch_id: int, status: str, counts: Mapping[str, int]) -> None:
        """How the run ended and what it counted (its own transaction)."""
        if status not in STATUSES:
            raise ValueError(f"not an import status: {status!r}")
        with self.catalog.transaction():
            self.catalog.execute(
                "UPDATE import_batches SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                (now_iso(), status, json.dumps(dict(counts)), batch_id))
