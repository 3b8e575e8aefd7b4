"""The people directory: names and roles ("Mark Rutte" -> "NATO Secretary General")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mediadesk.catalog.writers import store_writer

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog


class PeopleDirectory:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def all(self) -> dict[str, str | None]:
        return {r[0]: r[1] for r in self.catalog.execute(
            "SELECT name, role FROM people_directory ORDER BY name COLLATE NOCASE")}

    def roles_for(self, names: Iterable[str]) -> dict[str, str]:
        """name -> role for the names the directory knows with a role (exact, then any case)."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return {}
        known: dict[str, str] = dict(self.catalog.execute(
            "SELECT name, role FROM people_directory WHERE role IS NOT NULL AND role != ''"))
        lower = {n.casefold(): r for n, r in known.items()}
        out: dict[str, str] = {}
        for name in wanted:
            role = known.get(name) or lower.get(name.casefold())
            if role:
                out[name] = role
        return out

    # -- writes: the people service's tools (inside catalog.transaction()) ----------------
    @store_writer
    def put(self, name: str, role: str | None) -> None:
        self.catalog.execute(self.catalog.dialect.upsert("people_directory", ("name", "role"), ("name",)),
                             (name, role or None))

    @store_writer
    def delete(self, name: str) -> bool:
        return bool(self.catalog.execute(
            "DELETE FROM people_directory WHERE name = ?", (name,)).rowcount > 0)
