"""Caption templates: a named set of (field, text, mode) lines kept in the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mediadesk.catalog.rows import decode_value
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.fields import METADATA_FIELDS

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

MODES = ("replace", "append", "prepend")
_CHUNK = 500


@dataclass(frozen=True)
class TemplateLine:
    name: str
    field: str
    text: str
    mode: str = "replace"
    position: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "field": self.field, "text": self.text, "mode": self.mode,
                "position": self.position}


class TemplateStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def names(self) -> list[str]:
        return [r[0] for r in self.catalog.execute(
            "SELECT name FROM caption_templates GROUP BY name ORDER BY name COLLATE NOCASE")]

    def lines(self, name: str) -> list[TemplateLine]:
        """The template's lines in the order they are applied (empty if there is no such name)."""
        rows = self.catalog.execute(
            "SELECT name, field, text, mode, position FROM caption_templates WHERE name = ?"
            " ORDER BY position, field", (name,))
        found = [TemplateLine(*r) for r in rows]
        if not found:
            rows = self.catalog.execute(
                "SELECT name, field, text, mode, position FROM caption_templates"
                " WHERE lower(name) = lower(?) ORDER BY position, field", (name,))
            found = [TemplateLine(*r) for r in rows]
        return found

    def all(self) -> list[TemplateLine]:
        rows = self.catalog.execute(
            "SELECT name, field, text, mode, position FROM caption_templates"
            " ORDER BY name COLLATE NOCASE, position, field")
        return [TemplateLine(*r) for r in rows]

    def asset_values(self, asset_ids: Sequence[int], fields: Iterable[str]) -> dict[int, dict[str, Any]]:
        """What rendering needs per asset, lighter than whole Asset rows: id, file_name, the
        given metadata fields (decoded) and ``gallery_id`` (its oldest gallery, or None)."""
        names = [f for f in dict.fromkeys(fields) if f in METADATA_FIELDS]
        cols = ", ".join(["a.id", "a.file_name", *(f"a.{n}" for n in names)])
        out: dict[int, dict[str, Any]] = {}
        ids = list(asset_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.catalog.execute(
                    f"SELECT {cols}, (SELECT min(ga.gallery_id) FROM gallery_assets ga"
                    f" WHERE ga.asset_id = a.id) FROM assets a WHERE a.id IN ({marks})", chunk):
                values = {n: decode_value(n, v) for n, v in zip(names, row[2:-1], strict=True)}
                values.update(id=row[0], file_name=row[1], gallery_id=row[-1])
                out[row[0]] = values
        return out

    # -- writes: the template service's tools (inside catalog.transaction()) ---------------
    @store_writer
    def put(self, name: str, field: str, text: str, mode: str = "replace") -> None:
        """Add the field to the template, or replace that field's text and mode."""
        position = self.catalog.scalar(
            "SELECT position FROM caption_templates WHERE name = ? AND field = ?", (name, field))
        if position is None:
            position = self.catalog.scalar(
                "SELECT coalesce(max(position), -1) + 1 FROM caption_templates WHERE name = ?",
                (name,))
        self.catalog.execute(
            self.catalog.dialect.upsert("caption_templates", ("name", "field", "text", "mode", "position"),
                                        ("name", "field")), (name, field, text, mode, position))

    @store_writer
    def delete(self, name: str, field: str | None = None) -> int:
        if field is None:
            cur = self.catalog.execute("DELETE FROM caption_templates WHERE name = ?", (name,))
        else:
            cur = self.catalog.execute(
                "DELETE FROM caption_templates WHERE name = ? AND field = ?", (name, field))
        return int(cur.rowcount)
