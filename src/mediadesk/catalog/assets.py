"""Reading and writing asset rows.

The writing methods are the services' tools: the importer inserts and re-reads rows, write-back
records new file facts, and the edit service writes fields together with their history.
:meth:`AssetStore.set_fields_unrecorded` says in its name that it records nothing: a person's
edit goes through ``services.edits.apply_edits``, which is undoable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from mediadesk.catalog.dialect.sqlite_fts import touches_index
from mediadesk.catalog.rows import (
    ASSET_SELECT,
    DISPLAY_COLUMNS,
    DISPLAY_SELECT,
    assets_from_cursor,
    decode_value,
    encode_value,
    now_iso,
)
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.asset import Asset
from mediadesk.domain.errors import NotFound
from mediadesk.domain.fields import METADATA_FIELDS

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any

    from mediadesk.catalog.connection import Catalog

__all__ = ["FILE_COLUMNS", "RIGHTS_STATE_COLUMNS", "AssetStore", "now_iso"]

FILE_COLUMNS = (
    "content_hash", "path", "file_name", "size", "mtime", "kind", "format", "width", "height",
    "duration", "codec", "frame_rate", "pixel_fingerprint", "file_rights", "language", "page_count",
)
RIGHTS_STATE_COLUMNS = ("rights_profile_id", "file_rights", "usage_terms", "copyright", "instructions",
                        "field_sources")
_CHUNK = 500
_DISPLAY_PATH = DISPLAY_COLUMNS.index("path")


class AssetStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def _index(self, asset_ids: Iterable[int], *, new: bool = False) -> None:
        self.catalog.dialect.text.index(self.catalog.conn, asset_ids, new=new)

    # -- reads -----------------------------------------------------------------------------
    def get(self, asset_id: int) -> Asset:
        found = assets_from_cursor(self.catalog.execute(ASSET_SELECT + " WHERE a.id = ?", (asset_id,)),
                                   self.catalog.paths.local)
        if not found:
            raise NotFound(f"no asset with id {asset_id} in this catalog")
        return found[0]

    def get_many(self, ids: Sequence[int]) -> list[Asset]:
        """Assets in the order of ``ids``; ids that no longer exist are skipped."""
        found: dict[int, Asset] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start:start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            cursor = self.catalog.execute(ASSET_SELECT + f" WHERE a.id IN ({marks})", tuple(chunk))
            for asset in assets_from_cursor(cursor, self.catalog.paths.local):
                found[asset.id] = asset
        return [found[i] for i in ids if i in found]

    def display_rows(self, ids: Sequence[int]) -> list[tuple[Any, ...] | None]:
        """What the views paint of these assets (``rows.DISPLAY_COLUMNS``), in the order of
        ``ids``; None for an id that no longer exists."""
        found: dict[int, tuple[Any, ...]] = {}
        paths = self.catalog.paths
        select = DISPLAY_SELECT
        if paths.extra:    # a team catalog: the root too, and this desk's path for the stored one
            select = DISPLAY_SELECT.replace("\n      FROM assets a", f"{paths.extra}\n      FROM assets a", 1)
        for start in range(0, len(ids), _CHUNK):
            chunk = tuple(ids[start:start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            for row in self.catalog.execute(select + f" WHERE a.id IN ({marks})", chunk):
                if paths.extra:
                    row = (*row[:_DISPLAY_PATH], paths.local(row[_DISPLAY_PATH], row[-1]),
                           *row[_DISPLAY_PATH + 1:-1])
                found[row[0]] = row
        return [found.get(i) for i in ids]

    def count(self) -> int:
        return int(self.catalog.scalar("SELECT count(*) FROM assets"))

    def all_ids(self) -> list[int]:
        return [r[0] for r in self.catalog.execute("SELECT id FROM assets ORDER BY id")]

    def exists(self, asset_id: int) -> bool:
        return self.catalog.scalar("SELECT 1 FROM assets WHERE id = ?", (asset_id,)) is not None

    def existing_ids(self, asset_ids: Sequence[int]) -> set[int]:
        """The ids among ``asset_ids`` that name an asset in this catalog."""
        found: set[int] = set()
        ids = list(asset_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.catalog.execute(f"SELECT id FROM assets WHERE id IN ({marks})", chunk))
        return found

    def file_index(self) -> dict[str, tuple[int, int, float, str]]:
        """path -> (id, size, mtime, content_hash): what the importer needs to resume and skip."""
        paths = self.catalog.paths
        cur = self.catalog.execute(f"SELECT path, id, size, mtime, content_hash{paths.extra} FROM assets")
        return {paths.local(r[0], r[-1]): (r[1], r[2], r[3], r[4]) for r in cur}

    def by_hash(self, content_hash: str) -> tuple[int, str] | None:
        paths = self.catalog.paths
        row = self.catalog.execute(
            f"SELECT id, path{paths.extra} FROM assets WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return (row[0], paths.local(row[1], row[-1])) if row else None

    def rights_state(self, asset_id: int) -> dict[str, Any] | None:
        """The asset's profile link, the rights-bearing fields the file gave at its last read
        (``file_rights``, JSON) and the catalog's current values of those fields."""
        row = self.catalog.execute(
            f"SELECT {', '.join(RIGHTS_STATE_COLUMNS)} FROM assets WHERE id = ?", (asset_id,)).fetchone()
        return dict(zip(RIGHTS_STATE_COLUMNS, row, strict=True)) if row else None

    def field_values(self, asset_id: int, fields: Iterable[str]) -> dict[str, Any]:
        names = [f for f in fields if f in METADATA_FIELDS or f == "rights_profile_id"]
        if not names:
            return {}
        row = self.catalog.execute(
            f"SELECT {', '.join(names)} FROM assets WHERE id = ?", (asset_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no asset with id {asset_id} in this catalog")
        return {n: decode_value(n, v) for n, v in zip(names, row, strict=True)}

    # -- writes: the services' tools (call inside catalog.transaction()) ---------------------
    @store_writer
    def insert(self, record: dict[str, Any]) -> int:
        """Insert one asset from a record holding FILE_COLUMNS, metadata fields and bookkeeping."""
        stamp = now_iso()
        row = {k: record.get(k) for k in FILE_COLUMNS}
        for name in METADATA_FIELDS:
            row[name] = encode_value(name, record.get(name))
        row["rights_profile_id"] = record.get("rights_profile_id")
        row["import_batch_id"] = record.get("import_batch_id")
        row["field_sources"] = json.dumps(record.get("field_sources") or {}, ensure_ascii=False)
        row["conflicts"] = json.dumps(record.get("conflicts") or {}, ensure_ascii=False)
        row["warnings"] = json.dumps(list(record.get("warnings") or []), ensure_ascii=False)
        row["has_thumbnail"] = 1 if record.get("has_thumbnail") else 0
        row.update(self.catalog.paths.stored(str(row["path"])))   # a team catalog: a root and a path in it
        row["imported_at"] = stamp
        row["modified_at"] = stamp
        cols = ", ".join(row)
        marks = ", ".join("?" * len(row))
        asset_id = self.catalog.insert(
            f"INSERT INTO assets ({cols}) VALUES ({marks}) RETURNING id", tuple(row.values()))
        self._index([asset_id], new=True)
        return asset_id

    @store_writer
    def update_location(self, asset_id: int, path: str, file_name: str, size: int, mtime: float) -> None:
        where = self.catalog.paths.stored(path)
        places = ", ".join(f"{k} = ?" for k in where)
        self.catalog.execute(
            f"UPDATE assets SET {places}, file_name = ?, size = ?, mtime = ?, missing = 0,"
            " modified_at = ? WHERE id = ?",
            (*where.values(), file_name, size, mtime, now_iso(), asset_id),
        )
        self._index([asset_id])

    @store_writer
    def replace_from_file(self, asset_id: int, record: dict[str, Any], keep_typed: bool = True) -> None:
        """Re-read a changed file: new file facts and metadata, keeping values a person typed."""
        old_sources = json.loads(
            self.catalog.scalar("SELECT field_sources FROM assets WHERE id = ?", (asset_id,)) or "{}"
        )
        sources = dict(record.get("field_sources") or {})
        sets: dict[str, Any] = {k: record.get(k) for k in FILE_COLUMNS}
        if sets["path"] is not None:
            sets.update(self.catalog.paths.stored(sets["path"]))
        for name in METADATA_FIELDS:
            if keep_typed and old_sources.get(name) == "typed":
                sources[name] = "typed"
                continue
            sets[name] = encode_value(name, record.get(name))
        sets["field_sources"] = json.dumps(sources, ensure_ascii=False)
        sets["conflicts"] = json.dumps(record.get("conflicts") or {}, ensure_ascii=False)
        sets["warnings"] = json.dumps(list(record.get("warnings") or []), ensure_ascii=False)
        sets["has_thumbnail"] = 1 if record.get("has_thumbnail") else 0
        sets["missing"] = 0
        sets["modified_at"] = now_iso()
        # The importer decides the profile link again only when the file's rights changed
        # (services/rights_reread.py); without these keys the link is left as it is.
        for key in ("rights_profile_id", "rights_review"):
            if key in record:
                sets[key] = record[key]
        assignments = ", ".join(f"{k} = ?" for k in sets)
        self.catalog.execute(
            f"UPDATE assets SET {assignments} WHERE id = ?", (*sets.values(), asset_id)
        )
        self._index([asset_id])

    @store_writer
    def set_fields_unrecorded(self, asset_id: int, values: dict[str, Any], source: str = "typed") -> None:
        """Set metadata fields of one asset and mark where the values came from, WITHOUT an
        entry in the edit history (nothing to undo). A person's edits go through
        ``services.edits.apply_edits``; this is for values that come from elsewhere."""
        if not values:
            return
        for name in values:
            if name not in METADATA_FIELDS and name != "rights_profile_id":
                raise ValueError(f"not a catalog field: {name}")
        sources = json.loads(
            self.catalog.scalar("SELECT field_sources FROM assets WHERE id = ?", (asset_id,)) or "{}"
        )
        conflicts = json.loads(
            self.catalog.scalar("SELECT conflicts FROM assets WHERE id = ?", (asset_id,)) or "{}"
        )
        for name in values:
            if name in METADATA_FIELDS:
                sources[name] = source
                conflicts.pop(name, None)
        sets = {n: encode_value(n, v) for n, v in values.items()}
        sets["field_sources"] = json.dumps(sources, ensure_ascii=False)
        sets["conflicts"] = json.dumps(conflicts, ensure_ascii=False)
        sets["modified_at"] = now_iso()
        assignments = ", ".join(f"{k} = ?" for k in sets)
        self.catalog.execute(
            f"UPDATE assets SET {assignments} WHERE id = ?", (*sets.values(), asset_id)
        )
        if touches_index(values):
            self._index([asset_id])

    @store_writer
    def clear_rights_review(self, asset_ids: Iterable[int]) -> int:
        """A person decided the assets' rights: what a re-read flagged for review is settled."""
        return self.catalog.executemany(
            "UPDATE assets SET rights_review = NULL WHERE id = ? AND rights_review IS NOT NULL",
            [(i,) for i in asset_ids])

    @store_writer
    def set_missing(self, asset_id: int, missing: bool) -> None:
        self.catalog.execute(
            "UPDATE assets SET missing = ? WHERE id = ?", (1 if missing else 0, asset_id)
        )

    @store_writer
    def set_thumbnail(self, asset_id: int, present: bool) -> None:
        self.catalog.execute(
            "UPDATE assets SET has_thumbnail = ? WHERE id = ?", (1 if present else 0, asset_id)
        )

    @store_writer
    def delete(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        self.catalog.executemany("DELETE FROM assets WHERE id = ?", [(i,) for i in ids])
        self.catalog.dialect.text.unindex(self.catalog.conn, ids)
