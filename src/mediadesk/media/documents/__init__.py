"""Documents: the readers of PDF, DOCX, ODT, HTML, Markdown and plain text (core; no Qt).

Each reader (``read_pdf``, ``read_docx``, ``read_odt``, ``read_html``, ``read_markdown``,
``read_text``) returns a :class:`DocumentInfo` (title, date, author, source, language, page count,
the text page by page, warnings); ``read_pdf`` also draws the first page. None raises for a bad
document (encrypted, scanned, damaged, empty): it is catalogued with a warning.
:func:`complete_document` fills in what the metadata leaves open from the text, as a press officer
would read it (the first heading or line as title, the ``Source: NATO`` line, the first date in
the opening lines, the language detected with pycld2) and makes a text card as the thumbnail of
the others. Which reader reads which file is the format family's business
(``media/formats/document.py``).
"""

from __future__ import annotations

import os
import unicodedata

from mediadesk.domain.languages import normalise_language

from .html_text import extract_html as read_html
from .language import detect_language
from .model import DocumentInfo
from .office import read_docx, read_odt
from .pdf import PDFIUM_LOCK, extract_pdf as read_pdf
from .plain import extract_markdown as read_markdown, extract_text as read_text
from .press import date_in_text, source_in_text, title_in_text
from .text_card import text_card


def _norm(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value or None


def complete_document(info: DocumentInfo, thumb: bytes | None, *, path: str, label: str,
                      want_thumbnail: bool = True) -> tuple[DocumentInfo, bytes | None]:
    """What a reader's result leaves open, filled in from the text (title, source, date,
    language), and a text card as the thumbnail when the reader drew no page."""
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
        thumb = text_card(label, info.title or os.path.basename(path), text, note)
    return info, thumb


__all__ = [
    "PDFIUM_LOCK",
    "DocumentInfo",
    "complete_document",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_odt",
    "read_pdf",
    "read_text",
]
