"""Documents: PDF, DOCX, ODT, HTML, Markdown and plain text (core; never imports Qt).

``extract_document(path, fmt)`` returns a :class:`DocumentInfo` (title, date, author, source,
language, page count, the text page by page, warnings) and a thumbnail: the first page drawn for a
PDF, a text card for the others and for a PDF whose page cannot be drawn. It never raises for a
bad document (encrypted, scanned, damaged, empty): the document is catalogued with a warning. What
the metadata leaves open is taken from the text, as a press officer would read it: the first
heading or line as title, the ``Source: NATO`` line, the first date in the opening lines, and the
language detected (pycld2).
"""

from __future__ import annotations

import os
import unicodedata

from mediadesk.domain.languages import normalise_language

from .html_text import extract_html
from .language import detect_language
from .model import DocumentInfo
from .office import extract_office
from .pdf import PDFIUM_LOCK, extract_pdf
from .plain import extract_markdown, extract_text
from .press import date_in_text, source_in_text, title_in_text
from .text_card import text_card

DOCUMENT_EXTENSIONS: dict[str, str] = {
    ".pdf": "PDF", ".docx": "DOCX", ".odt": "ODT", ".html": "HTML", ".htm": "HTML", ".xhtml": "HTML",
    ".md": "MARKDOWN", ".markdown": "MARKDOWN", ".txt": "TEXT", ".text": "TEXT",
}
DOCUMENT_FORMATS: tuple[str, ...] = ("PDF", "DOCX", "ODT", "HTML", "MARKDOWN", "TEXT")
FORMAT_LABELS = {"PDF": "PDF", "DOCX": "Word", "ODT": "OpenDocument", "HTML": "HTML",
                 "MARKDOWN": "Markdown", "TEXT": "Text"}
_ODT_MIME = b"mimetypeapplication/vnd.oasis.opendocument.text"


def sniff_document(head: bytes) -> str | None:
    """The document format a file's first bytes show (PDF, ODT, DOCX, HTML), or None; Markdown
    and plain text have no signature and are known by their extension only."""
    if b"%PDF-" in head[:1024]:   # readers accept junk before the header (PDF 1.7, annex H)
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        if head[30:30 + len(_ODT_MIME)] == _ODT_MIME:
            return "ODT"
        if b"word/" in head[:4096]:   # a part name of a Word file (xlsx, pptx and plain zips: no)
            return "DOCX"
        return None
    start = head[:1024].lstrip(b"\xef\xbb\xbf\t\r\n ").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "HTML"
    return None


def _extract(path: str, fmt: str, want_thumbnail: bool) -> tuple[DocumentInfo, bytes | None]:
    if fmt == "PDF":
        return extract_pdf(path, want_thumbnail=want_thumbnail)
    if fmt in ("DOCX", "ODT"):
        return extract_office(path, fmt), None
    if fmt == "HTML":
        return extract_html(path), None
    if fmt == "MARKDOWN":
        return extract_markdown(path), None
    return extract_text(path), None


def _norm(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value or None


def extract_document(path: str, fmt: str, *,
                     want_thumbnail: bool = True) -> tuple[DocumentInfo, bytes | None]:
    """(metadata and text, thumbnail JPEG or None when not wanted). Never raises for a bad
    document; an unknown ``fmt`` is read as plain text."""
    info, thumb = _extract(path, fmt, want_thumbnail)
    text = info.text
    if info.title is None and text:
        first = title_in_text(text)
        if first:
            info.title, info.title_from = first, "first line"
    stated_source = source_in_text(text) if text else None
    if stated_source:
        info.source = stated_source
    if info.date is None and text:
        found = date_in_text(text)
        if found:
            info.date, info.date_from = found, "text"
    language = normalise_language(info.language) if info.language else None
    if language is None and text:
        language = detect_language(text)
        info.language_from = "detected" if language else None
    info.language = language
    info.title, info.author, info.source, info.description = (
        _norm(info.title), _norm(info.author), _norm(info.source), _norm(info.description))
    if want_thumbnail and thumb is None:
        note = None
        if info.encrypted:
            note = "Encrypted: no text"
        elif not info.text_found:
            note = "No text found"
        thumb = text_card(FORMAT_LABELS.get(fmt, fmt), info.title or os.path.basename(path), text, note)
    return info, thumb


__all__ = [
    "DOCUMENT_EXTENSIONS",
    "DOCUMENT_FORMATS",
    "FORMAT_LABELS",
    "PDFIUM_LOCK",
    "DocumentInfo",
    "extract_document",
    "sniff_document",
]
