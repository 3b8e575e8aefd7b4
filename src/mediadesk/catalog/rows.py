"""Conversion between catalog rows and domain values (JSON columns, lists)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from mediadesk.domain.asset import Asset
from mediadesk.domain.fields import LIST_FIELDS

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any

JSON_DICT_COLUMNS = ("field_sources", "conflicts")
JSON_LIST_COLUMNS = ("warnings",)

# json_group_array: SQLite's spelling (catalog/dialect/sqlite.py json_array_agg); the rows of
# the team catalog's engine come from its own select
ASSET_SELECT = """
    SELECT a.*, rp.name AS rights_profile,
           (SELECT json_group_array(g.title) FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id
             WHERE ga.asset_id = a.id) AS galleries
      FROM assets a LEFT JOIN rights_profiles rp ON rp.id = a.rights_profile_id
"""


# What the grid and the table paint of an asset (issue 18): one plain tuple per row, built by the
# sqlite3 module in C, so a page costs the reading thread no Python work per row (and no time
# holding the GIL the window paints with). The galleries are joined here, in SQL; the window
# reads the whole Asset (ASSET_SELECT) only for the one it shows in the inspector.
# group_concat: SQLite's spelling (string_agg on the team catalog's engine).
DISPLAY_COLUMNS = (
    "id", "content_hash", "has_thumbnail", "width", "height", "kind", "format", "duration", "missing",
    "title", "headline", "caption", "file_name", "date_created", "creator", "path",
    "rights_profile_id", "rights_profile", "rights_review", "galleries", "rating", "pick", "label",
)
DISPLAY_SELECT = """
    SELECT a.id, a.content_hash, a.has_thumbnail, a.width, a.height, a.kind, a.format, a.duration, a.missing,
           a.title, a.headline, a.caption, a.file_name, a.date_created, a.creator, a.path,
           a.rights_profile_id, rp.name, a.rights_review,
           (SELECT group_concat(g.title, '; ') FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id
             WHERE ga.asset_id = a.id),
           a.rating, a.pick, a.label
      FROM assets a LEFT JOIN rights_profiles rp ON rp.id = a.rights_profile_id
"""


def now_iso() -> str:
    """The moment as the catalog stores it: UTC, microseconds, ``Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode_value(name: str, value: Any) -> Any:
    """A domain value as stored in its column."""
    if name in LIST_FIELDS:
        return json.dumps(list(value or []), ensure_ascii=False)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def decode_value(name: str, stored: Any) -> Any:
    if name in LIST_FIELDS:
        return tuple(json.loads(stored)) if stored else ()
    return stored


def _list(stored: str | None) -> tuple[Any, ...]:
    return () if not stored or stored == "[]" else tuple(json.loads(stored))


def _dict(stored: str | None) -> dict[str, Any]:
    return {} if not stored or stored == "{}" else dict(json.loads(stored))


_ASSET_FIELDS = frozenset(Asset.__dataclass_fields__)
_DECODERS: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(LIST_FIELDS, _list),
    **dict.fromkeys(JSON_DICT_COLUMNS, _dict),
    "warnings": _list,
    "galleries": _list,
    "has_thumbnail": bool,
    "missing": bool,
}


def assets_from_cursor(cursor: Any, locate: Callable[[str, Any], str] | None = None) -> list[Asset]:
    """Assets from the rows of an ``ASSET_SELECT`` query.

    The column plan (which position goes to which field, through which decoder) is made once
    per query, and the empty JSON lists most rows hold skip the JSON parser: the window reads
    pages of rows on worker threads, and decoding them holds the GIL the GUI thread needs.
    ``locate(path, root_id)``: a team catalog's stored path as this desk's (catalog/roots.py)."""
    names = [d[0] for d in cursor.description]
    plan = [(i, name, _DECODERS.get(name)) for i, name in enumerate(names) if name in _ASSET_FIELDS]
    if locate is not None and "root_id" in names and "path" in names:
        at, root_at = names.index("path"), names.index("root_id")
        out_located: list[Asset] = []
        for located in cursor:
            values = {name: (dec(located[i]) if dec else located[i]) for i, name, dec in plan}
            values["path"] = locate(located[at], located[root_at])
            out_located.append(Asset(**values))
        return out_located
    out: list[Asset] = []
    row: Sequence[Any]
    for row in cursor:
        out.append(Asset(**{name: (dec(row[i]) if dec else row[i]) for i, name, dec in plan}))
    return out
