"""Galleries: an event (title, date, place, description) holding assets.

Creating, renaming and deleting a gallery are operations a person undoes, so they go through
``services/galleries.py``, which records the gallery's record before and after in the edit
history; putting assets in and taking them out goes through ``services/gallery_membership.py``.
The writing methods here are those services' tools (and the importer's, which files assets
into the gallery an import names): their names end in ``_unrecorded`` where a person's change
would otherwise bypass the history.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

OBJECT = "gallery"          # its name in object_history
RECORD_FIELDS = ("title", "date", "end_date", "place", "description", "rights_profile_id", "created_at")
EDITABLE = frozenset({"title", "date", "end_date", "place", "description", "rights_profile_id"})
MEMBERS = "members"         # in a deleted gallery's record: [[asset id, position], ...]


@dataclass(frozen=True)
class Gallery:
    id: int
    title: str
    date: str | None
    end_date: str | None
    place: str | None
    description: str | None
    rights_profile_id: int | None
    count: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "date": self.date, "end_date": self.end_date,
            "place": self.place, "description": self.description,
            "rights_profile_id": self.rights_profile_id, "count": self.count,
        }


_SELECT = """
    SELECT g.id, g.title, g.date, g.end_date, g.place, g.description, g.rights_profile_id,
           (SELECT count(*) FROM gallery_assets ga WHERE ga.gallery_id = g.id) AS count
      FROM galleries g
"""


def _gallery(row: Any) -> Gallery:
    return Gallery(**dict(row))


def _title(title: str | None) -> str:
    text = (title or "").strip()
    if not text:
        raise InvalidInput("a gallery needs a title")
    return text


class GalleryStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- reads -------------------------------------------------------------------------------
    def list(self) -> builtins.list[Gallery]:
        rows = self.catalog.query(_SELECT + " ORDER BY coalesce(g.date, '') DESC, g.title")
        return [_gallery(r) for r in rows]

    def ids(self) -> set[int]:
        return {r[0] for r in self.catalog.execute("SELECT id FROM galleries")}

    def get(self, gallery_id: int) -> Gallery:
        rows = self.catalog.query(_SELECT + " WHERE g.id = ?", (gallery_id,))
        if not rows:
            raise NotFound(f"no gallery with id {gallery_id}")
        return _gallery(rows[0])

    def find(self, title: str) -> Gallery | None:
        rows = self.catalog.query(_SELECT + " WHERE g.title = ?", (title,))
        if not rows:
            rows = self.catalog.query(_SELECT + " WHERE lower(g.title) = lower(?)", (title,))
        return _gallery(rows[0]) if rows else None

    def require(self, title: str) -> Gallery:
        gallery = self.find(title)
        if gallery is None:
            names = ", ".join(f'"{g.title}"' for g in self.list()[:10]) or "none yet"
            raise NotFound(f'no gallery called "{title}" (galleries: {names})')
        return gallery

    def asset_ids(self, gallery_id: int) -> builtins.list[int]:
        return [r[0] for r in self.catalog.execute(
            "SELECT asset_id FROM gallery_assets WHERE gallery_id = ? ORDER BY position, asset_id",
            (gallery_id,),
        )]

    def galleries_of(self, asset_id: int) -> builtins.list[Gallery]:
        rows = self.catalog.query(
            _SELECT + " WHERE g.id IN (SELECT gallery_id FROM gallery_assets WHERE asset_id = ?)"
            " ORDER BY g.title", (asset_id,)
        )
        return [_gallery(r) for r in rows]

    def record(self, gallery_id: int) -> dict[str, Any] | None:
        """The gallery's stored values (what the history keeps), or None when there is none."""
        rows = self.catalog.query(f"SELECT {', '.join(RECORD_FIELDS)} FROM galleries WHERE id = ?",
                                  (gallery_id,))
        return dict(rows[0]) if rows else None

    def members(self, gallery_id: int) -> builtins.list[builtins.list[int]]:
        """[[asset id, position], ...] in the gallery's order."""
        return [[r[0], r[1]] for r in self.catalog.execute(
            "SELECT asset_id, position FROM gallery_assets WHERE gallery_id = ?"
            " ORDER BY position, asset_id", (gallery_id,))]

    def _check_title(self, title: str, gallery_id: int | None = None) -> str:
        title = _title(title)
        other = self.find(title)
        if other is not None and other.id != gallery_id:
            raise InvalidInput(f'a gallery called "{title}" already exists')
        return title

    def _next_id(self) -> int:
        """Never an id the history still names: an undo can always put a gallery back."""
        return int(self.catalog.scalar(
            "SELECT max(coalesce((SELECT max(id) FROM galleries), 0),"
            " coalesce((SELECT max(object_id) FROM object_history WHERE object = ?), 0)) + 1",
            (OBJECT,)))

    # -- writes: the gallery services' and the importer's tools (inside a transaction) ------
    @store_writer
    def create_unrecorded(self, title: str, *, date: str | None = None, end_date: str | None = None,
                          place: str | None = None, description: str | None = None) -> int:
        title = self._check_title(title)
        return self.catalog.insert(
            "INSERT INTO galleries (id, title, date, end_date, place, description, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (self._next_id(), title, date, end_date, place, description, now_iso()),
        )

    @store_writer
    def ensure_unrecorded(self, title: str, **details: Any) -> int:
        """The gallery of that title, made if there is none (an import into a named gallery)."""
        found = self.find(title)
        return found.id if found else self.create_unrecorded(title, **details)

    @store_writer
    def update_unrecorded(self, gallery_id: int, **values: Any) -> None:
        bad = set(values) - EDITABLE
        if bad:
            raise InvalidInput(f"unknown gallery field(s): {', '.join(sorted(bad))}")
        if "title" in values:
            values["title"] = self._check_title(values["title"], gallery_id)
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.catalog.execute(f"UPDATE galleries SET {sets} WHERE id = ?", (*values.values(), gallery_id))

    @store_writer
    def delete_unrecorded(self, gallery_id: int) -> None:
        """Delete the gallery; its assets stay in the catalog."""
        self.catalog.execute("DELETE FROM galleries WHERE id = ?", (gallery_id,))

    @store_writer
    def restore_unrecorded(self, gallery_id: int, record: Mapping[str, Any] | None) -> None:
        """Make the gallery what ``record`` says (undo and redo): None deletes it; a record of a
        gallery that is not there puts it back under its id, with the members it lists that
        still exist, at their positions."""
        if record is None:
            self.delete_unrecorded(gallery_id)
            return
        values = {k: record.get(k) for k in RECORD_FIELDS}
        if self.record(gallery_id) is None:
            columns = ["id", *values]
            self.catalog.execute(
                f"INSERT INTO galleries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                (gallery_id, *values.values()))
        else:
            del values["created_at"]
            self.update_unrecorded(gallery_id, **values)
        members = record.get(MEMBERS) or []
        if members:
            self.catalog.executemany(
                "INSERT INTO gallery_assets (gallery_id, asset_id, position)"
                " SELECT ?, id, ? FROM assets WHERE id = ? ON CONFLICT DO NOTHING",
                [(gallery_id, position, asset_id) for asset_id, position in members])

    @store_writer
    def add_assets_unrecorded(self, gallery_id: int, asset_ids: Iterable[int]) -> int:
        """Append the assets (those already in it stay where they are); returns how many were
        added. A person's additions go through services/gallery_membership.py (undoable)."""
        start = int(self.catalog.scalar(
            "SELECT coalesce(max(position), 0) FROM gallery_assets WHERE gallery_id = ?", (gallery_id,)
        ))
        rows = [(gallery_id, aid, start + n + 1) for n, aid in enumerate(asset_ids)]
        return self.catalog.executemany(
            self.catalog.dialect.insert_ignore("gallery_assets", ("gallery_id", "asset_id", "position")), rows)

    @store_writer
    def remove_assets_unrecorded(self, gallery_id: int, asset_ids: Iterable[int]) -> int:
        return self.catalog.executemany(
            "DELETE FROM gallery_assets WHERE gallery_id = ? AND asset_id = ?",
            [(gallery_id, aid) for aid in asset_ids],
        )
