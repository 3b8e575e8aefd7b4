"""How a desk catalog's stores read and write file paths: as they are.

``Catalog.paths`` is this for a desk catalog (SQLite) and ``roots.TeamPaths`` for a team catalog,
whose files live under storage roots mapped on each desk (catalog/roots.py). Kept apart from
roots.py, which a desk catalog does not need: every command opens a catalog.
"""

from __future__ import annotations

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from collections.abc import Callable


class DeskPaths:
    """A desk catalog (SQLite) stores absolute paths as they are."""

    extra = ""   # columns a SELECT of ``path`` adds (none here)

    def local(self, path: str, root_id: object = None) -> str:
        return path

    def stored(self, path: str) -> dict[str, object]:
        return {"path": path}

    def refresh(self) -> None:
        return None

    def offline(self, path: str) -> str | None:
        return None     # a desk catalog's files are where they are (or missing)

    def check_in_background(self, on_change: Callable[[], None] | None) -> None:
        return None     # (nothing to check: see roots.TeamPaths)

    def recheck(self) -> None:
        return None
