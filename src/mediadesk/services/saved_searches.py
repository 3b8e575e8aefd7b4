"""Saving, renaming and deleting searches, as undoable operations (the sidebar's saved searches).

A search with a part that cannot be used is refused (it would select more than was asked for);
saving under a name that exists replaces that search's text.
"""

from __future__ import annotations

from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.saved_searches import OBJECT
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.query import parse_query
from mediadesk.services.edits import EditResult, record_objects


def _name(name: str | None) -> str:
    text = (name or "").strip()
    if not text:
        raise InvalidInput("a saved search needs a name")
    return text


def save_search(catalog: Catalog, name: str, query: str) -> EditResult:
    """Save ``query`` under ``name``; an existing search of that name is replaced.
    ``result.object_id`` is the saved search's id."""
    name = _name(name)
    text = (query or "").strip()
    if not text:
        raise InvalidInput("there is nothing to save: type a search first")
    problems = parse_query(text).errors
    if problems:
        raise InvalidInput("this search cannot be saved: " + "; ".join(problems))
    store = catalog.searches
    with catalog.transaction():
        existing = store.find(name)
        if existing is not None:
            before = store.record(existing.id)
            after: dict[str, Any] | None = {"name": existing.name, "query": text}
            store.restore_unrecorded(existing.id, after)
            search_id = existing.id
            what = f'Change the saved search "{existing.name}"'
        else:
            before, search_id = None, store.insert_unrecorded(name, text)
            after = store.record(search_id)
            what = f'Save the search "{name}"'
        result = record_objects(catalog, [(OBJECT, search_id, before, after)], kind="search", description=what)
    return _with_id(result, search_id)


def rename_search(catalog: Catalog, search_id: int, name: str) -> EditResult:
    name = _name(name)
    store = catalog.searches
    with catalog.transaction():
        current = store.get(search_id)   # NotFound names the id
        other = store.find(name)
        if other is not None and other.id != search_id:
            raise InvalidInput(f'a saved search called "{name}" already exists')
        before = store.record(search_id)
        after = {"name": name, "query": current.query}
        store.restore_unrecorded(search_id, after)
        result = record_objects(catalog, [(OBJECT, search_id, before, after)], kind="search",
                                description=f'Rename the saved search "{current.name}" to "{name}"')
    return _with_id(result, search_id)


def delete_search(catalog: Catalog, search_id: int) -> EditResult:
    store = catalog.searches
    with catalog.transaction():
        current = store.get(search_id)   # NotFound names the id
        before = store.record(search_id)
        store.restore_unrecorded(search_id, None)
        result = record_objects(catalog, [(OBJECT, search_id, before, None)], kind="search",
                                description=f'Delete the saved search "{current.name}"')
    return _with_id(result, search_id)


def _with_id(result: EditResult, search_id: int) -> EditResult:
    return EditResult(result.operation_id, result.changed, result.skipped, result.changes, object_id=search_id)
