"""Saved searches: a name and the search text, kept in the catalog so they travel with it.

Saving, renaming and deleting go through ``services/saved_searches.py`` (recorded in the edit
history, so Edit > Undo brings a deleted search back); the writing methods here are its tools.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import NotFound

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

OBJECT = "saved_search"      # its name in object_history
RECORD_FIELDS = ("name", "query")


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str


class SavedSearchStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def list(self) -> builtins.list[SavedSearch]:
        rows = self.catalog.execute(
            "SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE, id"
        )
        return [SavedSearch(*r) for r in rows]

    def get(self, search_id: int) -> SavedSearch:
        row = self.catalog.execute(
            "SELECT id, name, query FROM saved_searches WHERE id = ?", (search_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no saved search with id {search_id}")
        return SavedSearch(*row)

    def find(self, name: str) -> SavedSearch | None:
        row = self.catalog.execute(
            "SELECT id, name, query FROM saved_searches WHERE lower(name) = lower(?)", (name.strip(),)
        ).fetchone()
        return SavedSearch(*row) if row else None

    def record(self, search_id: int) -> dict[str, Any] | None:
        rows = self.catalog.query("SELECT name, query FROM saved_searches WHERE id = ?", (search_id,))
        return dict(rows[0]) if rows else None

    # -- writes: the saved-search service's tools (inside catalog.transaction()) -----------
    @store_writer
    def insert_unrecorded(self, name: str, query: str) -> int:
        next_id = int(self.catalog.scalar(
            "SELECT max(coalesce((SELECT max(id) FROM saved_searches), 0),"
            " coalesce((SELECT max(object_id) FROM object_history WHERE object = ?), 0)) + 1", (OBJECT,)))
        return self.catalog.insert(
            "INSERT INTO saved_searches (id, name, query) VALUES (?, ?, ?) RETURNING id", (next_id, name, query))

    @store_writer
    def restore_unrecorded(self, search_id: int, record: Mapping[str, Any] | None) -> None:
        """Make the saved search what ``record`` says; None deletes it."""
        if record is None:
            self.catalog.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
        elif self.record(search_id) is None:
            self.catalog.execute("INSERT INTO saved_searches (id, name, query) VALUES (?, ?, ?)",
                                 (search_id, record.get("name"), record.get("query")))
        else:
            self.catalog.execute("UPDATE saved_searches SET name = ?, query = ? WHERE id = ?",
                                 (record.get("name"), record.get("query"), search_id))
