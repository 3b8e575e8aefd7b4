"""Conversion between catalog rows and domain values (JSON columns, lists)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from mediadesk.domain.asset import Asset
from mediadesk.domain.fields import LIST_FIELDS

JSON_DICT_COLUMNS = ("field_sources", "conflicts")
JSON_LIST_COLUMNS = ("warnings",)

ASSET_SELECT = """
    SELECT a.*, rp.name AS rights_profile,
           (SELECT json_group_array(g.title) FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id
             WHERE ga.asset_id = a.id) AS galleries
      FROM assets a LEFT JOIN rights_profiles rp ON rp.id = a.rights_profile_id
"""


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


def asset_from_row(row: sqlite3.Row) -> Asset:
    data = dict(row)
    for name in LIST_FIELDS:
        data[name] = decode_value(name, data.get(name))
    for name in JSON_DICT_COLUMNS:
        data[name] = json.loads(data.get(name) or "{}")
    data["warnings"] = tuple(json.loads(data.get("warnings") or "[]"))
    data["galleries"] = tuple(json.loads(data.get("galleries") or "[]"))
    data["has_thumbnail"] = bool(data.get("has_thumbnail"))
    data["missing"] = bool(data.get("missing"))
    return Asset(**{k: v for k, v in data.items() if k in Asset.__dataclass_fields__})
