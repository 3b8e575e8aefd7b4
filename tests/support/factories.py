"""Asset rows for tests that do not need real files."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

_counter = itertools.count(1)


def record(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    base = {
        "content_hash": hashlib.sha256(f"asset-{n}-{overrides}".encode()).hexdigest(),
        "path": f"/photos/img_{n:05d}.jpg",
        "file_name": f"img_{n:05d}.jpg",
        "size": 1000 + n,
        "mtime": 1_700_000_000.0 + n,
        "kind": "photo",
        "format": "JPEG",
        "width": 600,
        "height": 400,
    }
    base.update(overrides)
    if "path" in overrides and "file_name" not in overrides:
        base["file_name"] = str(base["path"]).rsplit("/", 1)[-1]
    return base


def insert(catalog, **overrides: Any) -> int:
    from mediadesk.catalog.assets import AssetStore

    with catalog.transaction():
        return AssetStore(catalog).insert(record(**overrides))
