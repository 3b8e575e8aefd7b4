"""Code replacements (``=rutte=`` -> "NATO Secretary General Mark Rutte") kept in the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mediadesk.catalog.writers import store_writer

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

_COLUMNS = ("code", "expansion")


class CodeStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def all(self) -> dict[str, str]:
        """code -> expansion, sorted by code."""
        return {r[0]: r[1] for r in self.catalog.execute(
            "SELECT code, expansion FROM code_replacements ORDER BY code COLLATE NOCASE")}

    def get(self, code: str) -> str | None:
        found = self.catalog.scalar("SELECT expansion FROM code_replacements WHERE code = ?", (code,))
        return None if found is None else str(found)

    def count(self) -> int:
        return int(self.catalog.scalar("SELECT count(*) FROM code_replacements"))

    # -- writes: the code service's tools (inside catalog.transaction()) -------------------
    # Plain executemany of an upsert rather than sqlite-utils' upsert_all: that one probes the
    # engine by creating and dropping a scratch table inside the caller's transaction.
    @store_writer
    def put(self, code: str, expansion: str) -> None:
        self.catalog.execute(self.catalog.dialect.upsert("code_replacements", _COLUMNS, ("code",)),
                             (code, expansion))

    @store_writer
    def put_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.catalog.executemany(self.catalog.dialect.upsert("code_replacements", _COLUMNS, ("code",)),
                                 list(pairs))

    @store_writer
    def delete(self, code: str) -> bool:
        return bool(self.catalog.execute(
            "DELETE FROM code_replacements WHERE code = ?", (code,)).rowcount > 0)

    @store_writer
    def clear(self) -> None:
        self.catalog.execute("DELETE FROM code_replacements")
