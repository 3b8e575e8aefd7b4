"""The import's part in the words (issue 16): storing what a file's words are, noticing subtitle
files that changed beside a video that did not, and attaching transcripts.

- A document's text and a video's subtitle tracks and chapters come with the worker's record
  (``words``) and are stored with the asset (catalog/words.py).
- Subtitle and chapter files beside a video (``talk.pl.srt``, ``talk.chapters.vtt``) are not
  assets of their own: the scan leaves them out (and reports one with no video of its name), the
  video's probe reads them. Their names, sizes and times are kept with the video, so importing
  the folder again re-reads a video whose subtitle files changed even when the video did not.
- A transcript beside a video (``talk.transcript.txt``, ``talk.en.transcript.docx``) is imported
  as a document, linked to the video and, when it has timestamps, aligned to it as a track of
  kind ``transcript`` (media/timedtext/transcript.py).
"""

from __future__ import annotations

import os
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.languages import language_from_name_part
from mediadesk.domain.words import Words
from mediadesk.media.timedtext import align_transcript, companion_signature

TRANSCRIPT_WORD = "transcript"


def store_words(catalog: Catalog, asset_id: int, record: dict[str, Any]) -> None:
    """Store the words of a record (inside the import's transaction)."""
    words = record.get("words")
    companions = record.get("companions")
    if isinstance(words, Words) or companions:
        catalog.words.store_from_file(asset_id, words if isinstance(words, Words) else Words(),
                                      companions if companions else None)


def transcript_of_name(path: str) -> tuple[str, str | None] | None:
    """(the video's stem, language) when the file is named as a video's transcript
    (``talk.transcript.txt``, ``talk.en.transcript.md``), else None."""
    name = os.path.basename(path)
    parts = name.split(".")
    if len(parts) < 3 or parts[-2].lower() != TRANSCRIPT_WORD:
        return None
    stem_parts = parts[:-2]
    language = None
    if len(stem_parts) > 1 and (lang := language_from_name_part(stem_parts[-1])):
        language = lang
        stem_parts = stem_parts[:-1]
    return ".".join(stem_parts), language


def align_to_video(catalog: Catalog, document_id: int, video_id: int,
                   language: str | None = None) -> int:
    """Align the document's text to the video by its timestamps and store it as the video's
    transcript track (replacing an earlier one from the same document); returns the cues made
    (0: the document has no timestamps, nothing is stored)."""
    document = catalog.words.document(document_id)
    video = catalog.assets.get(video_id)
    doc_asset = catalog.assets.get(document_id)
    if document is None or not document.pages:
        catalog.words.set_transcript(video_id, document_id, None)
        return 0
    track = align_transcript("\n".join(document.pages), video.duration,
                             language=language or doc_asset.language, origin=doc_asset.file_name)
    catalog.words.set_transcript(video_id, document_id, track)
    return len(track.cues) if track is not None else 0


def attach_transcripts(catalog: Catalog, documents: list[tuple[int, str]],
                       report_warnings: list[dict[str, str]]) -> list[int]:
    """Link each transcript document to the video of its name in its folder and align it
    (inside a transaction); returns the videos touched."""
    touched: list[int] = []
    named_ones = [(d, p, n) for d, p in documents if (n := transcript_of_name(p)) is not None]
    if not named_ones:
        return touched
    index = catalog.assets.file_index()
    for document_id, path, (stem, language) in named_ones:
        folder = os.path.dirname(path)
        try:
            listing = sorted(os.listdir(folder or "."))
        except OSError:
            listing = []
        video_id = None
        for name in listing:
            known = index.get(os.path.join(folder, name))
            if known is not None and os.path.splitext(name)[0] == stem \
                    and catalog.assets.get(known[0]).kind == AssetKind.VIDEO:
                video_id = known[0]
                break
        if video_id is None:
            report_warnings.append({"path": path, "warning": f"named as the transcript of {stem}, but no video "
                                    "of that name is in the catalog in this folder; imported as a document"})
            continue
        linked = set(catalog.words.linked_assets(document_id)) | {video_id}
        catalog.words.set_links_unrecorded(document_id, linked)
        cues = align_to_video(catalog, document_id, video_id, language)
        if cues == 0:
            report_warnings.append({"path": path, "warning": "linked to its video; it has no timestamps "
                                    "([0:02:31] at the start of a paragraph), so it is not timed"})
        touched.append(video_id)
    return touched


def stale_companions(catalog: Catalog, candidates: dict[int, str]) -> set[int]:
    """The videos (id -> path) whose timed-text files beside them differ from those read at
    their last import (added, changed or removed)."""
    stored = catalog.words.companions_of(list(candidates))
    listings: dict[str, list[str]] = {}
    stale: set[int] = set()
    for asset_id, path in candidates.items():
        folder = os.path.dirname(path)
        if folder not in listings:
            try:
                listings[folder] = os.listdir(folder or ".")
            except OSError:
                listings[folder] = []
        now = companion_signature(path, listings[folder])
        if now != stored.get(asset_id, []):
            stale.add(asset_id)
    return stale
