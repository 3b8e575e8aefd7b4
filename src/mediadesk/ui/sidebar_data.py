"""What the sidebar lists, read on the reader thread: library counts, galleries, saved searches."""

from __future__ import annotations

from dataclasses import dataclass

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import Gallery
from mediadesk.catalog.saved_searches import SavedSearch
from mediadesk.domain.query import parse_query

from mediadesk.ui.asset_query import LIBRARY


@dataclass(frozen=True)
class SidebarData:
    library_counts: dict[tuple, int]
    galleries: list[Gallery]
    saved: list[tuple[SavedSearch, int | None]]   # count None: the search has errors

    @property
    def total(self) -> int:
        return self.library_counts.get(("library", "all"), 0)


def load_sidebar(catalog: Catalog) -> SidebarData:
    search = catalog.index
    counts = {scope.key: search.count(parse_query(scope.query)) for scope in LIBRARY}
    saved = []
    for item in catalog.searches.list():
        query = parse_query(item.query)
        saved.append((item, None if query.errors else search.count(query)))
    return SidebarData(counts, catalog.galleries.list(), saved)
