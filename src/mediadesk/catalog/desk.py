"""This desk in a team catalog: its id (on every change it makes) and its local folder.

A desk is one person's mediadesk on one computer. Its id is random, made once and kept in the
config folder (``desk.json``), so the change log and the edit history say which desk did what and
undo takes this desk's own operations, across restarts. ``MEDIADESK_DESK`` overrides it (a
benchmark running twenty desks on one machine). A team catalog's caches for this desk (the
thumbnail cache) live in the user cache folder, one folder per catalog id.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

from mediadesk.fsutil import atomic_write_bytes

DESK_ENV = "MEDIADESK_DESK"
DESK_FILE = "desk.json"
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_cached: tuple[str, str] | None = None


def desk_id() -> str:
    """This desk's id (made and saved on first use)."""
    global _cached
    env = os.environ.get(DESK_ENV)
    if env:
        return env[:64]
    from mediadesk.paths import config_dir

    file = config_dir() / DESK_FILE
    if _cached is not None and _cached[0] == str(file):
        return _cached[1]
    try:
        value = json.loads(file.read_text(encoding="utf-8")).get("id")
    except (OSError, ValueError, AttributeError):
        value = None
    if not isinstance(value, str) or not value:
        value = uuid.uuid4().hex
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(file, (json.dumps({"id": value}) + "\n").encode())
        except OSError:
            pass   # a desk that cannot save its id gets a new one each start: undo still works per run
    _cached = (str(file), value)
    return value


def team_home(catalog_id: str) -> Path:
    """This desk's folder for one team catalog (thumbnail cache)."""
    from mediadesk.paths import cache_dir

    return cache_dir() / "team" / (_SAFE.sub("_", catalog_id)[:64] or "catalog")
