"""Gallery and saved-search changes asked for in the window, run on the runner's writer lane.

Each goes through its service (services/galleries.py, gallery_membership.py, saved_searches.py)
and is one step in the edit history: Edit > Undo takes back a new, renamed or deleted gallery or
saved search like a caption edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from mediadesk.domain.changes import Changes
from mediadesk.services.edits import EditResult
from mediadesk.services.galleries import create_gallery, delete_gallery, rename_gallery
from mediadesk.services.gallery_membership import add_to_gallery, remove_from_gallery
from mediadesk.services.saved_searches import delete_search, rename_search, save_search

from mediadesk.ui.catalog_events import CatalogEvents
from mediadesk.ui.prompts import ask_text, confirm
from mediadesk.ui.runner import CatalogLane

GALLERIES_CHANGED = Changes(galleries=True, history=True)


def _changes(result: EditResult) -> Changes:
    return result.changes | GALLERIES_CHANGED


class GalleryActions(QObject):
    message = Signal(str)

    def __init__(self, writer: CatalogLane, events: CatalogEvents, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._writer = writer
        self._events = events
        self._parent = parent_widget
        # replaceable (tests, scripts): ask for a line of text / a yes-no question
        self.ask_text: Callable[[QWidget, str, str, str], str | None] = ask_text
        self.confirm: Callable[[QWidget, str, str], bool] = confirm

    def _run(self, fn: Callable[[Any], EditResult], message: Callable[[EditResult], str] | str) -> None:
        def done(result: EditResult) -> None:
            self._events.changed.emit(_changes(result))
            self.message.emit(message(result) if callable(message) else message)
        self._writer.submit(fn, done, on_error=lambda error: self.message.emit(f"Not done: {error}"))

    # -- galleries ---------------------------------------------------------------------------
    def new_gallery(self, asset_ids: list[int] | None = None) -> None:
        title = self.ask_text(self._parent, "New gallery", "Gallery title (the event):", "")
        if not title:
            return
        ids = list(asset_ids or [])

        def message(result: EditResult) -> str:
            added = result.count
            return f'Created gallery "{title}"' + (f" with {added:,} assets" if added else "")

        self._run(lambda catalog: create_gallery(catalog, title, asset_ids=ids), message)

    def rename(self, gallery_id: int, old_title: str) -> None:
        title = self.ask_text(self._parent, "Rename gallery", "New title:", old_title)
        if not title or title == old_title:
            return

        self._run(lambda catalog: rename_gallery(catalog, gallery_id, title), f'Renamed "{old_title}" to "{title}"')

    def delete(self, gallery_id: int, title: str) -> None:
        if not self.confirm(self._parent, "Delete gallery",
                            f'Delete the gallery "{title}"?\n\nIts photos and videos stay in the catalog.'):
            return

        self._run(lambda catalog: delete_gallery(catalog, gallery_id),
                  f'Deleted gallery "{title}" (its assets stay in the catalog; Undo brings it back)')

    def add_assets(self, gallery_id: int, asset_ids: list[int], title: str = "the gallery") -> None:
        """Add to the gallery as one undoable step (Edit > Undo takes it back)."""
        ids = list(asset_ids)

        def message(result: EditResult) -> str:
            already = len(ids) - result.count
            return f'Added {result.count:,} assets to "{title}"' + (
                f" ({already:,} were already in it)" if already else "")

        self._run(lambda catalog: add_to_gallery(catalog, gallery_id, ids), message)

    def remove_assets(self, gallery_id: int, asset_ids: list[int], title: str = "the gallery") -> None:
        """Take out of the gallery as one undoable step; the assets stay in the catalog."""
        ids = list(asset_ids)
        self._run(lambda catalog: remove_from_gallery(catalog, gallery_id, ids),
                  lambda result: f'Removed {result.count:,} assets from "{title}" (they stay in the '
                                 "catalog; Undo puts them back)")

    # -- saved searches -----------------------------------------------------------------------
    def save_search(self, text: str) -> None:
        if not text.strip():
            return
        name = self.ask_text(self._parent, "Save search", "Name for this search:", text.strip()[:40])
        if not name:
            return
        self._run(lambda catalog: save_search(catalog, name, text),
                  f'Saved the search as "{name}"')

    def rename_saved(self, search_id: int, old_name: str) -> None:
        name = self.ask_text(self._parent, "Rename saved search", "New name:", old_name)
        if name and name != old_name:
            self._run(lambda catalog: rename_search(catalog, search_id, name),
                      f'Renamed the saved search to "{name}"')

    def delete_saved(self, search_id: int, name: str) -> None:
        if self.confirm(self._parent, "Delete saved search", f'Delete the saved search "{name}"?'):
            self._run(lambda catalog: delete_search(catalog, search_id),
                      f'Deleted the saved search "{name}"')
