"""What the centre shows: a scope picked in the sidebar plus the search text, resolved to ids.

Plain functions over the catalog stores (no Qt, no SQL); the window runs them on its reader
thread. Ids are returned as a compact ``array('q')`` (8 bytes each: a million ids is 8 MB).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.search import ORDERS
from mediadesk.domain.query import Query, parse_query

GALLERY_ORDER = "gallery"  # a gallery's own order (as arranged); other orders come from ORDERS


@dataclass(frozen=True)
class Scope:
    """A sidebar entry: a base query (library sections, saved searches) or one gallery."""

    key: tuple                      # ("library", name) | ("gallery", id) | ("saved", id)
    label: str
    query: str = ""
    gallery_id: int | None = None

    @property
    def is_gallery(self) -> bool:
        return self.gallery_id is not None


ALL = Scope(("library", "all"), "All assets")
LIBRARY: tuple[Scope, ...] = (
    ALL,
    Scope(("library", "photos"), "Photos", "kind:photo"),
    Scope(("library", "videos"), "Videos", "kind:video"),
    Scope(("library", "documents"), "Documents", "kind:document"),
    Scope(("library", "recent"), "Recently imported", "imported:recent"),
    Scope(("library", "missing-caption"), "Missing caption", "missing:caption"),
    Scope(("library", "rights-problems"), "Rights problems", "rights:problems"),
)


def gallery_scope(gallery_id: int, title: str) -> Scope:
    return Scope(("gallery", gallery_id), title, gallery_id=gallery_id)


def saved_scope(search_id: int, name: str, query: str) -> Scope:
    return Scope(("saved", search_id), name, query)


def effective_query(scope: Scope, text: str) -> Query:
    return parse_query(" ".join(part for part in (scope.query, text) if part.strip()))


@dataclass(frozen=True)
class Result:
    ids: array
    errors: tuple[str, ...]
    rows: tuple = ()      # display rows of the first ids (catalog.rows.DISPLAY_COLUMNS), if asked for


def find_ids(catalog: Catalog, scope: Scope, text: str, order: str | None = None,
             limit: int | None = None, rows: int = 0) -> Result:
    """The ids to show, in display order. ``order`` is a key of ``search.ORDERS`` or None
    (newest first; a gallery's own arrangement inside a gallery). ``limit``: only the first
    ones (a screenful to show at once, before the whole list of a broad search is read).
    ``rows``: also read the display rows of that many first ids, so the first screen is painted
    with what this one read brings (no second trip to the catalog)."""
    result = _find_ids(catalog, scope, text, order, limit)
    if rows and len(result.ids):
        return Result(result.ids, result.errors, tuple(catalog.assets.display_rows(result.ids[:rows])))
    return result


def _find_ids(catalog: Catalog, scope: Scope, text: str, order: str | None, limit: int | None) -> Result:
    query = effective_query(scope, text)
    if query.errors:
        # A search with a part it cannot use shows nothing and says why: leaving the part out
        # would show (and let the user select and act on) more than was asked for.
        return Result(array("q"), query.errors)
    search = catalog.index
    if order is not None and order not in ORDERS:
        order = None
    if not scope.is_gallery:
        if limit is None:   # a whole list: packed by the engine (a million ids, no Python int each)
            return Result(search.id_array(query, order=order or "date"), query.errors)
        return Result(array("q", search.ids(query, order=order or "date", limit=limit)), query.errors)
    assert scope.gallery_id is not None
    members = catalog.galleries.asset_ids(scope.gallery_id)
    if order is None:
        if query.is_empty or query == Query(errors=query.errors):
            return Result(array("q", members), query.errors)
        matched = set(search.ids(query, order="id"))
        return Result(array("q", (i for i in members if i in matched)), query.errors)
    member_set = set(members)
    return Result(array("q", (i for i in search.ids(query, order=order) if i in member_set)),
                  query.errors)


def count(catalog: Catalog, scope: Scope) -> int:
    if scope.gallery_id is not None:
        return len(catalog.galleries.asset_ids(scope.gallery_id))
    query = parse_query(scope.query)
    return 0 if query.errors else catalog.index.count(query)
