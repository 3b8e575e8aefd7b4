"""What a document extractor returns, and the limits every extractor keeps."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TEXT_CHARS = 4_000_000        # ~1,500 pages of prose; the rest is not indexed (a warning says so)
MAX_PAGES_READ = 2_000            # PDF pages whose text is read
MAX_MEMBER_BYTES = 64 * 1024 * 1024   # one XML part of a DOCX/ODT, uncompressed (zip bombs stop here)
MAX_MARKUP_BYTES = 32 * 1024 * 1024   # an HTML, Markdown or text file


@dataclass
class DocumentInfo:
    """A document's metadata and text.

    ``pages``: the text of each page for a paged format (PDF), else one element with the whole
    text. ``title`` etc. are None when neither the metadata nor the text says. ``text_found``:
    False when no text could be extracted (scanned, encrypted, damaged), with a warning saying
    why."""

    format: str                               # "PDF", "DOCX", "ODT", "HTML", "MARKDOWN", "TEXT"
    pages: list[str] = field(default_factory=list)
    title: str | None = None
    title_from: str | None = None             # "metadata", "heading", "first line"
    date: str | None = None                   # ISO 8601 (date, or date and time with offset)
    date_from: str | None = None              # "metadata" or "text"
    author: str | None = None                 # the document's author (creator field)
    source: str | None = None                 # "Source: NATO" in the text, or the publisher
    language: str | None = None               # BCP 47, ISO 639-1 where one exists
    language_from: str | None = None          # "metadata" or "detected"
    page_count: int | None = None
    page_size: tuple[float, float] | None = None  # first page, in points (PDF)
    keywords: list[str] = field(default_factory=list)
    description: str | None = None            # the document's own summary (caption field)
    encrypted: bool = False
    text_found: bool = True
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in self.pages if p)


def cap_text(pages: list[str], warnings: list[str]) -> list[str]:
    """Pages cut to MAX_TEXT_CHARS in all, with a warning when anything was cut."""
    total = 0
    out: list[str] = []
    for page in pages:
        room = MAX_TEXT_CHARS - total
        if room <= 0:
            out.append("")
            continue
        if len(page) > room:
            page = page[:room]
            warnings.append(f"the text is longer than {MAX_TEXT_CHARS:,} characters; the rest is not "
                            "searchable")
        out.append(page)
        total += len(page)
    return out
