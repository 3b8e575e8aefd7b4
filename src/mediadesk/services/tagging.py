"""Add and remove keywords, people and organisations on many assets at once.

Hierarchical keywords are written as a path, ``Places|Europe|Belgium|Brussels``, and the catalog
keeps the whole path as one keyword (spaces around "|" and empty levels are dropped). Adding a
path makes its ancestors redundant: an asset tagged ``Places|Europe`` that gets
``Places|Europe|Belgium`` keeps only the longer path. Removing a keyword removes it in any case
and, for a path, everything below it (removing ``Places|Europe`` also removes
``Places|Europe|Belgium``). At write-back a path goes to lr:hierarchicalSubject as it is and
each of its levels to dc:subject and IIM Keywords, which is what Lightroom, Photo Mechanic and
digiKam write and read (see :func:`flat_keywords`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import read_fields
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.edits import BatchResult, batch_scope, run_batch

SEPARATOR = "|"
TAG_FIELDS = ("keywords", "people", "organisations")


def clean_keyword(text: str) -> str:
    levels = [level.strip() for level in (text or "").split(SEPARATOR)]
    return SEPARATOR.join(level for level in levels if level)


def _clean(field: str, values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        text = clean_keyword(value) if field == "keywords" else " ".join((value or "").split())
        if text and text not in out:
            out.append(text)
    return out


def _is_ancestor(path: str, other: str) -> bool:
    return other.casefold().startswith(path.casefold() + SEPARATOR)


def add_items(current: Sequence[str], items: Sequence[str], field: str) -> list[str]:
    result = list(current)
    for item in items:
        if any(c.casefold() == item.casefold() for c in result):
            continue
        if field == "keywords":
            if any(_is_ancestor(item, c) for c in result):
                continue  # a longer path already says it
            result = [c for c in result if not _is_ancestor(c, item)]
        result.append(item)
    return result


def remove_items(current: Sequence[str], items: Sequence[str], field: str) -> list[str]:
    def gone(value: str) -> bool:
        for item in items:
            if value.casefold() == item.casefold():
                return True
            if field == "keywords" and _is_ancestor(item, value):
                return True
        return False

    return [c for c in current if not gone(c)]


def flat_keywords(keywords: Iterable[str]) -> list[str]:
    """Every level of every keyword path, once, in order: what dc:subject and IIM carry."""
    out: list[str] = []
    for keyword in keywords:
        for level in keyword.split(SEPARATOR):
            level = level.strip()
            if level and level not in out:
                out.append(level)
    return out


def hierarchical_keywords(keywords: Iterable[str]) -> list[str]:
    """The keyword paths (those with a "|"): what lr:hierarchicalSubject carries."""
    return [k for k in keywords if SEPARATOR in k]


def change_tags(catalog: Catalog, asset_ids: Sequence[int], *, add: bool,
                keywords: Iterable[str] = (), people: Iterable[str] = (),
                organisations: Iterable[str] = (), dry_run: bool = False) -> BatchResult:
    """Add (``add=True``) or remove the given items on every asset, as one undoable operation."""
    wanted = {"keywords": _clean("keywords", keywords), "people": _clean("people", people),
              "organisations": _clean("organisations", organisations)}
    wanted = {f: items for f, items in wanted.items() if items}
    if not wanted:
        raise InvalidInput("say what to add or remove: --keyword K, --person P or --organisation O")
    verb = "Add" if add else "Remove"
    what = "; ".join(f"{f}: {', '.join(items)}" for f, items in wanted.items())
    with batch_scope(catalog, dry_run=dry_run):
        current = read_fields(catalog, list(asset_ids), wanted)
        edits = {}
        for asset_id in asset_ids:
            values = current.get(asset_id)
            if values is None:
                continue
            edits[asset_id] = {
                f: (add_items if add else remove_items)(values[f], items, f) for f, items in wanted.items()
            }
        return run_batch(catalog, edits, kind="tag",
                         description=f"{verb} {what} ({len(edits)} asset(s))", dry_run=dry_run)


def add_tags(catalog: Catalog, asset_ids: Sequence[int], **items: Any) -> BatchResult:
    return change_tags(catalog, asset_ids, add=True, **items)


def remove_tags(catalog: Catalog, asset_ids: Sequence[int], **items: Any) -> BatchResult:
    return change_tags(catalog, asset_ids, add=False, **items)
