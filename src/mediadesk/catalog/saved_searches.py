"""Saved searches: a name and the search text, kept in the catalog so they travel with it."""

from __future__ import annotations

from dataclasses import dataclass

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.query import parse_query


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str


class SavedSearchStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def list(self) -> list[SavedSearch]:
        rows = self.catalog.conn.execute(
            "SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE, id"
        )
        return [SavedSearch(*r) for r in rows]

    def get(self, search_id: int) -> SavedSearch:
        row = self.catalog.conn.execute(
            "SELECT id, name, query FROM saved_searches WHERE id = ?", (search_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no saved search with id {search_id}")
        return SavedSearch(*row)

    def find(self, name: str) -> SavedSearch | None:
        row = self.catalog.conn.execute(
            "SELECT id, name, query FROM saved_searches WHERE lower(name) = lower(?)", (name.strip(),)
        ).fetchone()
        return SavedSearch(*row) if row else None

    # -- writes (each its own transaction) ---------------------------------------------------
    def save(self, name: str, query: str) -> int:
        """Save ``query`` under ``name``; an existing search of that name is replaced."""
        name = (name or "").strip()
        if not name:
            raise InvalidInput("a saved search needs a name")
        if not (query or "").strip():
            raise InvalidInput("there is nothing to save: type a search first")
        problems = parse_query(query).errors
        if problems:
            raise InvalidInput("this search cannot be saved: " + "; ".join(problems))
        with self.catalog.transaction():
            existing = self.find(name)
            if existing is not None:
                self.catalog.conn.execute(
                    "UPDATE saved_searches SET query = ? WHERE id = ?", (query.strip(), existing.id)
                )
                return existing.id
            cur = self.catalog.conn.execute(
                "INSERT INTO saved_searches (name, query) VALUES (?, ?)", (name, query.strip())
            )
            return cur.lastrowid

    def rename(self, search_id: int, name: str) -> None:
        name = (name or "").strip()
        if not name:
            raise InvalidInput("a saved search needs a name")
        with self.catalog.transaction():
            other = self.find(name)
            if other is not None and other.id != search_id:
                raise InvalidInput(f'a saved search called "{name}" already exists')
            self.catalog.conn.execute("UPDATE saved_searches SET name = ? WHERE id = ?", (name, search_id))

    def delete(self, search_id: int) -> None:
        with self.catalog.transaction():
            self.catalog.conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
