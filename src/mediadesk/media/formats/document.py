"""Documents: PDF, Word (DOCX), OpenDocument text (ODT), HTML, Markdown and plain text.

The text, title, date, author, source, language and page count come from media/documents (one
extractor per format); what the file's own XMP (a PDF's uncompressed metadata stream) and an XMP
sidecar say wins over the document's properties, as for every asset (media/reconcile.py). The
thumbnail is the first page for a PDF, a text card for the others. A document whose text cannot
be read (scanned, encrypted, damaged) is catalogued with a warning: probing it never fails for
that. Exports carry a document's metadata and rights note in an XMP sidecar (the file is sent as
it is: mediadesk writes no PDF or Office file).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import MediaError
from mediadesk.domain.words import Words

from ..documents import (
    DocumentInfo,
    complete_document,
    read_docx,
    read_html,
    read_markdown,
    read_odt,
    read_pdf,
    read_text,
)
from ..reconcile import reconcile
from ..sidecar import read_sidecar_fields
from ..thumbnails import write_thumbnail
from ..xmp import fields_from_xmp, find_packet, read_packet
from .base import SURE, Carrier, MediaFormat, ProbeResult, Sniffed
from .registry import register

_READERS: dict[str, Callable[[str], DocumentInfo]] = {
    "DOCX": read_docx, "ODT": read_odt, "HTML": read_html, "MARKDOWN": read_markdown, "TEXT": read_text,
}
_LABELS = {"PDF": "PDF", "DOCX": "Word", "ODT": "OpenDocument", "HTML": "HTML", "MARKDOWN": "Markdown",
           "TEXT": "Text"}
_ODT_MIME = b"mimetypeapplication/vnd.oasis.opendocument.text"
_XMP_SCAN_BYTES = 16 * 1024 * 1024     # a PDF's metadata stream is looked for in this much of it
# formats whose header test is loose enough for a text file to pass it ("BM..." is a BMP, two
# bytes of 0xFFFx an MP3 frame, "G" at 0 and 188 a transport stream): the name wins for text
_LOOSE_SNIFFS = frozenset({"MP3", "M2TS", "BMP"})
_PLAIN = ("TEXT", "MARKDOWN")


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


def read_document(path: str, fmt: str, *, want_thumbnail: bool = True) -> tuple[DocumentInfo, bytes | None]:
    """(metadata and text, thumbnail JPEG or None when not wanted) of a document of format
    ``fmt``. Never raises for a bad document."""
    if fmt == "PDF":
        info, thumb = read_pdf(path, want_thumbnail=want_thumbnail)
    else:
        info, thumb = _READERS.get(fmt, read_text)(path), None
    return complete_document(info, thumb, path=path, label=_LABELS.get(fmt, fmt), want_thumbnail=want_thumbnail)


def _document_fields(info: DocumentInfo) -> dict[str, object]:
    found: dict[str, object] = {
        "title": info.title, "date_created": info.date, "creator": info.author, "source": info.source,
        "caption": info.description, "keywords": list(info.keywords),
    }
    return {k: v for k, v in found.items() if v not in (None, "", [])}


def _embedded_xmp(path: str) -> tuple[dict[str, object], list[str]]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(_XMP_SCAN_BYTES)
    except OSError:
        return {}, []
    packet = find_packet(data)
    if not packet:
        return {}, []
    parsed, warnings = read_packet(packet)
    return fields_from_xmp(parsed), warnings


@register
class Document(MediaFormat):
    family = "document"
    kind = AssetKind.DOCUMENT
    extensions = {".pdf": "PDF", ".docx": "DOCX", ".odt": "ODT", ".html": "HTML", ".htm": "HTML",
                  ".xhtml": "HTML", ".md": "MARKDOWN", ".markdown": "MARKDOWN", ".txt": "TEXT", ".text": "TEXT"}
    formats = ("PDF", "DOCX", "ODT", "HTML", "MARKDOWN", "TEXT")
    carrier = Carrier.SIDECAR

    def sniff(self, head: bytes) -> Sniffed | None:
        fmt = sniff_document(head)
        if fmt is None:
            # a byte-order mark: text (UTF-16 "\xff\xfe" would otherwise pass for an MP3 frame)
            if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
                return Sniffed("TEXT", score=40)
            return None
        return Sniffed(fmt, SURE if fmt == "PDF" else 90)

    def claims(self, sniffed: str, ext_format: str) -> bool:
        # "TEXT" from a BOM is refined by the name (a .md with a BOM is Markdown); a text file
        # whose first bytes happen to pass a loose header test is still text
        if ext_format in _PLAIN:
            return sniffed == "TEXT" or sniffed in _LOOSE_SNIFFS
        return ext_format == "HTML" and sniffed == "TEXT"

    def probe(self, path: str, data: bytes | None, fmt: str, thumbnail_to: str | None) -> ProbeResult:
        try:
            os.stat(path)
        except OSError as exc:
            raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None
        info, thumb = read_document(path, fmt, want_thumbnail=thumbnail_to is not None)
        xmp, xmp_warnings = _embedded_xmp(path) if fmt == "PDF" else ({}, [])
        sidecar, side_warnings = read_sidecar_fields(path)
        result = ProbeResult(kind=self.kind, format=fmt, warnings=info.warnings + xmp_warnings + side_warnings)
        result.fields, result.sources, result.conflicts = reconcile(
            xmp=xmp, sidecar=sidecar, document=_document_fields(info))
        result.words = Words(pages=info.pages, paged=fmt == "PDF", language=info.language,
                             page_count=info.page_count, text_found=info.text_found)
        if thumbnail_to is not None and thumb:
            write_thumbnail(thumbnail_to, thumb)
            result.thumbnail_written = True
        return result
