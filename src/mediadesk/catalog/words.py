"""The words of assets: a document's text, a video's subtitle and transcript tracks and chapters,
and the links between a document and the assets it describes (schema 5, issue 16).

Reads are for everyone; the writing methods are the services' tools (the importer stores what
a file gave, the chapter and link services record a person's edits in the history). Every write
re-indexes the asset, since the full-text index reads the words (dialect ``text.index``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any

    from mediadesk.catalog.connection import Catalog
    from mediadesk.domain.timed_text import Chapter, TextTrack
    from mediadesk.domain.words import Words

PAGE_BREAK = "\f"           # between a document's pages in asset_words.body
TYPED = "typed"              # the origin of chapters a person edited
_CHUNK = 500


@dataclass(frozen=True)
class DocumentText:
    pages: list[str]
    paged: bool
    text_found: bool


class WordStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def _index(self, asset_ids: Iterable[int]) -> None:
        self.catalog.dialect.text.index(self.catalog.conn, asset_ids)

    # -- reads (the timed-text types are imported by the reads that make them: a search asks
    # catalog.index.with_words first, and most results have no words) -------------------------
    def document(self, asset_id: int) -> DocumentText | None:
        row = self.catalog.execute(
            "SELECT body, paged, text_found FROM asset_words WHERE asset_id = ?", (asset_id,)).fetchone()
        if row is None:
            return None
        return DocumentText(pages=row[0].split(PAGE_BREAK) if row[0] else [], paged=bool(row[1]),
                            text_found=bool(row[2]))

    def tracks(self, asset_id: int) -> list[tuple[int, TextTrack]]:
        """(track id, track with its cues in time order), subtitles before transcripts."""
        from mediadesk.domain.timed_text import Cue, TextTrack, TrackKind

        rows = self.catalog.execute(
            "SELECT id, kind, language, label, origin, warnings FROM text_tracks WHERE asset_id = ?"
            " ORDER BY kind, language, origin, id", (asset_id,)).fetchall()
        out: list[tuple[int, TextTrack]] = []
        for track_id, kind, language, label, origin, warnings in rows:
            cues = [Cue(r[0], r[1], r[2]) for r in self.catalog.execute(
                "SELECT start, \"end\", text FROM cues WHERE track_id = ? ORDER BY start, id", (track_id,))]
            out.append((track_id, TextTrack(cues=cues, language=language, origin=origin,
                                            kind=TrackKind(kind), label=label,
                                            warnings=json.loads(warnings or "[]"))))
        return out

    def chapters(self, asset_id: int) -> list[tuple[int, Chapter]]:
        from mediadesk.domain.timed_text import Chapter

        return [(r[0], Chapter(r[1], r[2], r[3])) for r in self.catalog.execute(
            "SELECT id, start, \"end\", title FROM chapters WHERE asset_id = ? ORDER BY start, id", (asset_id,))]

    def chapter_origin(self, asset_id: int) -> str | None:
        found = self.catalog.scalar("SELECT min(origin) FROM chapters WHERE asset_id = ?", (asset_id,))
        return str(found) if found is not None else None

    def companions(self, asset_id: int) -> list[list[Any]] | None:
        stored = self.catalog.scalar("SELECT companions FROM asset_words WHERE asset_id = ?", (asset_id,))
        return json.loads(stored) if stored else None

    def companions_of(self, asset_ids: Sequence[int]) -> dict[int, list[list[Any]]]:
        """asset id -> the timed-text files read beside it at the last import (videos that have any)."""
        out: dict[int, list[list[Any]]] = {}
        ids = list(asset_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for asset_id, stored in self.catalog.execute(
                    f"SELECT asset_id, companions FROM asset_words WHERE asset_id IN ({marks})"
                    " AND companions IS NOT NULL", chunk):
                out[asset_id] = json.loads(stored)
        return out

    def links(self, asset_id: int) -> list[int]:
        """The assets linked with this one, either way (a document's photos, a photo's documents)."""
        rows = self.catalog.execute(
            "SELECT asset_id FROM asset_links WHERE document_id = ?"
            " UNION SELECT document_id FROM asset_links WHERE asset_id = ? ORDER BY 1", (asset_id, asset_id))
        return [r[0] for r in rows]

    def linked_assets(self, document_id: int) -> list[int]:
        return [r[0] for r in self.catalog.execute(
            "SELECT asset_id FROM asset_links WHERE document_id = ? ORDER BY asset_id", (document_id,))]

    def documents_of(self, asset_ids: Sequence[int]) -> list[int]:
        """The documents linked to any of these assets (export and publish "with documents")."""
        found: dict[int, None] = {}
        ids = list(asset_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for (doc,) in self.catalog.execute(
                    f"SELECT DISTINCT document_id FROM asset_links WHERE asset_id IN ({marks})"
                    " ORDER BY document_id", chunk):
                found[doc] = None
        return list(found)

    def transcript_of(self, document_id: int) -> list[int]:
        """The videos this document is the aligned transcript of."""
        return [r[0] for r in self.catalog.execute(
            "SELECT DISTINCT asset_id FROM text_tracks WHERE document_id = ?", (document_id,))]

    def words_for(self, asset_id: int) -> dict[str, Any]:
        """What search matches are found in, as domain.search_matches.find_matches takes it:
        ``pages`` (a document's), ``paged`` (real pages: a PDF's, even only one), ``tracks``
        and ``chapters``."""
        document = self.document(asset_id)
        return {"pages": document.pages if document else [], "paged": bool(document and document.paged),
                "tracks": [t for _, t in self.tracks(asset_id)],
                "chapters": [c for _, c in self.chapters(asset_id)]}

    # -- writes: the services' tools (inside catalog.transaction()) ------------------------
    @store_writer
    def store_from_file(self, asset_id: int, words: Words, companions: list[list[Any]] | None = None) -> None:
        """What the import read: a document's text, a video's subtitle tracks (replacing those
        from files and streams; an aligned transcript stays) and chapters (replacing those from
        files; chapters a person edited stay)."""
        if words.pages or not words.text_found or companions is not None or words.paged:
            self.catalog.execute(
                "INSERT INTO asset_words (asset_id, body, paged, text_found, companions) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (asset_id) DO UPDATE SET body = excluded.body, paged = excluded.paged,"
                " text_found = excluded.text_found, companions = excluded.companions",
                (asset_id, PAGE_BREAK.join(words.pages), 1 if words.paged else 0, 1 if words.text_found else 0,
                 json.dumps(companions, ensure_ascii=False) if companions is not None else None))
        self.catalog.execute("DELETE FROM text_tracks WHERE asset_id = ? AND document_id IS NULL", (asset_id,))
        for track in words.tracks:
            self._insert_track(asset_id, track, None)
        if words.chapters is not None and self.chapter_origin(asset_id) != TYPED:
            self._replace_chapters(asset_id, words.chapters.chapters, words.chapters.origin or "file")
        elif words.chapters is None and self.chapter_origin(asset_id) not in (None, TYPED):
            self.catalog.execute("DELETE FROM chapters WHERE asset_id = ?", (asset_id,))
        self._index([asset_id])

    def _insert_track(self, asset_id: int, track: TextTrack, document_id: int | None) -> int:
        track_id = self.catalog.insert(
            "INSERT INTO text_tracks (asset_id, kind, language, label, origin, document_id, warnings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (asset_id, str(track.kind), track.language, track.label, track.origin, document_id,
             json.dumps(track.warnings, ensure_ascii=False)))
        self.catalog.executemany("INSERT INTO cues (track_id, start, \"end\", text) VALUES (?, ?, ?, ?)",
                                 [(track_id, c.start, c.end, c.text) for c in track.cues])
        return track_id

    def _replace_chapters(self, asset_id: int, chapters: Sequence[Chapter], origin: str) -> None:
        self.catalog.execute("DELETE FROM chapters WHERE asset_id = ?", (asset_id,))
        self.catalog.executemany(
            "INSERT INTO chapters (asset_id, start, \"end\", title, origin) VALUES (?, ?, ?, ?, ?)",
            [(asset_id, c.start, c.end, c.title, origin) for c in chapters])

    @store_writer
    def set_chapters_unrecorded(self, asset_id: int, chapters: Sequence[Chapter]) -> None:
        """A person's chapters (the chapter service records the change in the history)."""
        self._replace_chapters(asset_id, chapters, TYPED)
        self._index([asset_id])

    @store_writer
    def set_transcript(self, video_id: int, document_id: int, track: TextTrack | None) -> None:
        """The video's transcript aligned from this document (None: none any more)."""
        self.catalog.execute("DELETE FROM text_tracks WHERE asset_id = ? AND document_id = ?",
                             (video_id, document_id))
        if track is not None and track.cues:
            self._insert_track(video_id, track, document_id)
        self._index([video_id])

    @store_writer
    def set_links_unrecorded(self, document_id: int, asset_ids: Iterable[int]) -> None:
        """Make the document's links exactly these assets (the link service records the change)."""
        wanted = set(asset_ids) - {document_id}
        now = set(self.linked_assets(document_id))
        self.catalog.executemany("DELETE FROM asset_links WHERE document_id = ? AND asset_id = ?",
                                 [(document_id, a) for a in sorted(now - wanted)])
        stamp = now_iso()
        self.catalog.executemany(
            "INSERT INTO asset_links (document_id, asset_id, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (document_id, asset_id) DO NOTHING",
            [(document_id, a, stamp) for a in sorted(wanted - now)])

