"""Code replacements (``=rutte=`` -> "NATO Secretary General Mark Rutte") kept in the catalog."""

from __future__ import annotations

from collections.abc import Iterable

from mediadesk.catalog.connection import Catalog


class CodeStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def all(self) -> dict[str, str]:
        """code -> expansion, sorted by code."""
        return dict(self.catalog.conn.execute(
            "SELECT code, expansion FROM code_replacements ORDER BY code COLLATE NOCASE"))

    def get(self, code: str) -> str | None:
        return self.catalog.scalar("SELECT expansion FROM code_replacements WHERE code = ?", (code,))

    def count(self) -> int:
        return self.catalog.scalar("SELECT count(*) FROM code_replacements")

    # -- writes (inside catalog.transaction()) ----------------------------------------------
    def put(self, code: str, expansion: str) -> None:
        self.catalog.conn.execute(
            "INSERT OR REPLACE INTO code_replacements (code, expansion) VALUES (?, ?)",
            (code, expansion))

    def put_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.catalog.conn.executemany(
            "INSERT OR REPLACE INTO code_replacements (code, expansion) VALUES (?, ?)", list(pairs))

    def delete(self, code: str) -> bool:
        return self.catalog.conn.execute(
            "DELETE FROM code_replacements WHERE code = ?", (code,)).rowcount > 0

    def clear(self) -> None:
        self.catalog.conn.execute("DELETE FROM code_replacements")
