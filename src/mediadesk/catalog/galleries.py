"""Galleries: an event (title, date, place, description) holding assets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.assets import now_iso
from mediadesk.domain.errors import InvalidInput, NotFound


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

    def to_json(self) -> dict:
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


class GalleryStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def list(self) -> list[Gallery]:
        rows = self.catalog.query(_SELECT + " ORDER BY coalesce(g.date, '') DESC, g.title")
        return [Gallery(**dict(r)) for r in rows]

    def get(self, gallery_id: int) -> Gallery:
        rows = self.catalog.query(_SELECT + " WHERE g.id = ?", (gallery_id,))
        if not rows:
            raise NotFound(f"no gallery with id {gallery_id}")
        return Gallery(**dict(rows[0]))

    def find(self, title: str) -> Gallery | None:
        rows = self.catalog.query(_SELECT + " WHERE g.title = ?", (title,))
        if not rows:
            rows = self.catalog.query(_SELECT + " WHERE lower(g.title) = lower(?)", (title,))
        return Gallery(**dict(rows[0])) if rows else None

    def require(self, title: str) -> Gallery:
        gallery = self.find(title)
        if gallery is None:
            names = ", ".join(f'"{g.title}"' for g in self.list()[:10]) or "none yet"
            raise NotFound(f'no gallery called "{title}" (galleries: {names})')
        return gallery

    # -- writes (inside catalog.transaction()) ----------------------------------------------
    def create(self, title: str, *, date: str | None = None, end_date: str | None = None,
               place: str | None = None, description: str | None = None) -> int:
        title = (title or "").strip()
        if not title:
            raise InvalidInput("a gallery needs a title")
        if self.find(title) is not None:
            raise InvalidInput(f'a gallery called "{title}" already exists')
        cur = self.catalog.conn.execute(
            "INSERT INTO galleries (title, date, end_date, place, description, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (title, date, end_date, place, description, now_iso()),
        )
        return cur.lastrowid

    def ensure(self, title: str, **details) -> int:
        found = self.find(title)
        return found.id if found else self.create(title, **details)

    def update(self, gallery_id: int, **values) -> None:
        allowed = {"title", "date", "end_date", "place", "description", "rights_profile_id"}
        bad = set(values) - allowed
        if bad:
            raise InvalidInput(f"unknown gallery field(s): {', '.join(sorted(bad))}")
        if "title" in values:
            title = (values["title"] or "").strip()
            if not title:
                raise InvalidInput("a gallery needs a title")
            other = self.find(title)
            if other is not None and other.id != gallery_id:
                raise InvalidInput(f'a gallery called "{title}" already exists')
            values["title"] = title
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.catalog.conn.execute(
                f"UPDATE galleries SET {sets} WHERE id = ?", (*values.values(), gallery_id)
            )

    def delete(self, gallery_id: int) -> None:
        """Delete the gallery; its assets stay in the catalog."""
        self.catalog.conn.execute("DELETE FROM galleries WHERE id = ?", (gallery_id,))

    def add_assets(self, gallery_id: int, asset_ids: Iterable[int]) -> int:
        start = self.catalog.scalar(
            "SELECT coalesce(max(position), 0) FROM gallery_assets WHERE gallery_id = ?", (gallery_id,)
        )
        rows = [(gallery_id, aid, start + n + 1) for n, aid in enumerate(asset_ids)]
        before = self.catalog.conn.total_changes
        self.catalog.conn.executemany(
            "INSERT OR IGNORE INTO gallery_assets (gallery_id, asset_id, position) VALUES (?, ?, ?)", rows
        )
        return self.catalog.conn.total_changes - before

    def remove_assets(self, gallery_id: int, asset_ids: Iterable[int]) -> None:
        self.catalog.conn.executemany(
            "DELETE FROM gallery_assets WHERE gallery_id = ? AND asset_id = ?",
            [(gallery_id, aid) for aid in asset_ids],
        )

    def asset_ids(self, gallery_id: int) -> list[int]:
        return [r[0] for r in self.catalog.conn.execute(
            "SELECT asset_id FROM gallery_assets WHERE gallery_id = ? ORDER BY position, asset_id",
            (gallery_id,),
        )]

    def galleries_of(self, asset_id: int) -> list[Gallery]:
        rows = self.catalog.query(
            _SELECT + " WHERE g.id IN (SELECT gallery_id FROM gallery_assets WHERE asset_id = ?)"
            " ORDER BY g.title", (asset_id,)
        )
        return [Gallery(**dict(r)) for r in rows]
