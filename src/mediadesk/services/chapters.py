"""A video's chapters, edited by a person: add at a moment, rename, delete. Each edit is one
operation in the edit history (the pseudo-field ``chapters``), so Edit > Undo and ``mediadesk
undo`` take it back like a caption edit, also after a restart. Once edited, the chapters are the
catalog's: importing the video again does not replace them with the file's."""

from __future__ import annotations

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import CHAPTERS
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.timed_text import Chapter, add_chapter, clock, close_chapters, delete_chapter, rename_chapter
from mediadesk.services.edits import EditResult, apply_edits


def _current(catalog: Catalog, video_id: int) -> tuple[list[Chapter], float | None]:
    asset = catalog.assets.get(video_id)   # NotFound names the id
    if asset.kind != AssetKind.VIDEO:
        raise InvalidInput(f"asset {video_id} is a {asset.kind}, not a video: only videos have chapters")
    return [c for _, c in catalog.words.chapters(video_id)], asset.duration


def _apply(catalog: Catalog, video_id: int, chapters: list[Chapter], description: str) -> EditResult:
    value = tuple((c.start, c.end, c.title) for c in chapters)
    return apply_edits(catalog, {video_id: {CHAPTERS: value}}, kind="chapters", description=description)


def add(catalog: Catalog, video_id: int, at: float, title: str) -> EditResult:
    """Start a chapter at ``at`` seconds (the chapter it falls into ends there)."""
    with catalog.transaction():
        chapters, duration = _current(catalog, video_id)
        try:
            new = add_chapter(close_chapters(chapters, duration), at, title, duration)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        return _apply(catalog, video_id, new, f'Add chapter "{" ".join(title.split())}" at {clock(at)}')


def rename(catalog: Catalog, video_id: int, index: int, title: str) -> EditResult:
    """Rename the chapter at ``index`` (0-based, in time order)."""
    with catalog.transaction():
        chapters, _ = _current(catalog, video_id)
        try:
            new = rename_chapter(chapters, index, title)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        return _apply(catalog, video_id, new, f'Rename chapter {index + 1} to "{new[index].title}"')


def delete(catalog: Catalog, video_id: int, index: int) -> EditResult:
    """Delete the chapter at ``index``; the one before it runs on to where it ended."""
    with catalog.transaction():
        chapters, _ = _current(catalog, video_id)
        try:
            gone = chapters[index].title if 0 <= index < len(chapters) else ""
            new = delete_chapter(chapters, index)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        return _apply(catalog, video_id, new, f'Delete chapter "{gone}"')


def index_of(catalog: Catalog, video_id: int, chapter_id: int) -> int:
    """The position (0-based, in time order) of a chapter row, as the window names chapters."""
    for i, (cid, _) in enumerate(catalog.words.chapters(video_id)):
        if cid == chapter_id:
            return i
    raise InvalidInput(f"video {video_id} has no chapter {chapter_id} (it changed since); look again")
