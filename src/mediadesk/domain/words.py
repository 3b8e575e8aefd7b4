"""The words of an asset, as a probe reads them from the file: a document's text page by page
and its language, a video's subtitle tracks and chapters. Plain values (the importer's worker
sends them to the writer, which stores them in the catalog)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .timed_text import ChapterList, TextTrack


@dataclass
class Words:
    pages: list[str] = field(default_factory=list)       # a document's text, one element per page
    paged: bool = False                                   # the pages are real pages (PDF)
    language: str | None = None                           # BCP 47 (documents)
    page_count: int | None = None
    text_found: bool = True                               # False: scanned, encrypted, damaged
    tracks: list[TextTrack] = field(default_factory=list)
    chapters: ChapterList | None = None
    warnings: list[str] = field(default_factory=list)   # what reading the words met (also in the probe's)

    @property
    def empty(self) -> bool:
        return not self.pages and not self.tracks and self.chapters is None and self.language is None
