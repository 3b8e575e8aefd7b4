"""PDF: metadata, page count, the text of every page and a picture of the first page, through
PDFium (Chrome's PDF engine) by pypdfium2.

A PDF that cannot give its text is still a document the press office has: an encrypted file
(a password is needed to open it), a scan (pages that are pictures, no text layer) and a damaged
file each come back with a warning and whatever could be read, never an exception. PDFium is not
thread-safe: every call into it holds ``PDFIUM_LOCK`` (imports run one file per process; the
window's preview may call from a worker thread).
"""

from __future__ import annotations

import ctypes
import io
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ..text_decode import clean_text
from ..thumbnails import THUMB_QUALITY, THUMB_SIZE
from .model import MAX_PAGES_READ, DocumentInfo, cap_text
from .press import from_pdf_date

PDFIUM_LOCK = threading.RLock()
_SCANNED_CHARS_PER_PAGE = 20      # fewer characters than this on average: no real text layer


def _meta(pdf: pdfium.PdfDocument) -> dict[str, str]:
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except (pdfium.PdfiumError, UnicodeDecodeError):
        return {}
    return {k: " ".join(clean_text(v).split()) for k, v in raw.items() if isinstance(v, str)}


def _catalog_language(pdf: pdfium.PdfDocument) -> str | None:
    """The document catalog's /Lang entry (``en-GB``), or None."""
    try:
        size = pdfium_c.FPDFCatalog_GetLanguage(pdf, None, 0)
        if size <= 2 or size > 256:
            return None
        buffer = (ctypes.c_ushort * (size // 2))()
        pdfium_c.FPDFCatalog_GetLanguage(pdf, buffer, size)
        return bytes(buffer)[:size - 2].decode("utf-16-le", errors="replace").strip() or None
    except (AttributeError, ctypes.ArgumentError, pdfium.PdfiumError, OSError):
        return None


def _has_images(page: pdfium.PdfPage) -> bool:
    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except pdfium.PdfiumError:
        return False


def _render_first_page(page: pdfium.PdfPage) -> bytes:
    width, height = page.get_size()
    scale = THUMB_SIZE / max(width, height, 1.0)
    bitmap = page.render(scale=scale, may_draw_forms=True)
    try:
        im: Image.Image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=THUMB_QUALITY)
    return buf.getvalue()


def _open_error(exc: pdfium.PdfiumError) -> tuple[bool, str]:
    """(encrypted, warning) for a PDF that PDFium would not open."""
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return True, ("encrypted with a password: its text, pages and thumbnail cannot be read; it is "
                      "catalogued by name (import a copy without the password to search its text)")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return True, ("protected by an unsupported security handler: its text cannot be read; it is "
                      "catalogued by name")
    return False, ("damaged or not a PDF (PDFium could not open it: "
                   f"{str(exc).strip() or 'unknown error'}); it is catalogued by name without its text")


def extract_pdf(path: str, *, want_thumbnail: bool = True) -> tuple[DocumentInfo, bytes | None]:
    """(what the PDF says, JPEG of its first page or None). Never raises for a bad PDF."""
    info = DocumentInfo(format="PDF")
    thumb: bytes | None = None
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            info.encrypted, warning = _open_error(exc)
            info.text_found = False
            info.warnings.append(warning)
            return info, None
        try:
            meta = _meta(pdf)
            info.title = meta.get("Title") or None
            info.title_from = "metadata" if info.title else None
            info.author = meta.get("Author") or None
            info.description = meta.get("Subject") or None
            info.keywords = [k.strip() for k in (meta.get("Keywords") or "").replace(";", ",").split(",")
                             if k.strip()]
            date = from_pdf_date(meta.get("CreationDate")) or from_pdf_date(meta.get("ModDate"))
            if date:
                info.date, info.date_from = date, "metadata"
            lang = _catalog_language(pdf)
            if lang:
                info.language, info.language_from = lang, "metadata"
            count = len(pdf)
            info.page_count = count
            pages: list[str] = []
            images = False
            for index in range(min(count, MAX_PAGES_READ)):
                try:
                    page = pdf[index]
                except pdfium.PdfiumError:
                    info.warnings.append(f"page {index + 1} is damaged and was skipped")
                    pages.append("")
                    continue
                try:
                    if index == 0:
                        width, height = page.get_size()
                        info.page_size = (float(width), float(height))
                        if want_thumbnail:
                            try:
                                thumb = _render_first_page(page)
                            except (pdfium.PdfiumError, OSError, ValueError) as exc:
                                info.warnings.append(f"the first page cannot be drawn ({exc})")
                    textpage = page.get_textpage()
                    try:
                        pages.append(clean_text(textpage.get_text_bounded()).strip())
                    finally:
                        textpage.close()
                    if index < 3 and not images:
                        images = _has_images(page)
                except pdfium.PdfiumError as exc:
                    info.warnings.append(f"page {index + 1} cannot be read ({exc})")
                    pages.append("")
                finally:
                    page.close()
            if count > MAX_PAGES_READ:
                info.warnings.append(f"{count:,} pages: the text of the first {MAX_PAGES_READ:,} is "
                                     "searchable, the rest is not")
            info.pages = cap_text(pages, info.warnings)
            chars = sum(len(p) for p in info.pages)
            if count == 0:
                info.text_found = False
                info.warnings.append("the PDF has no pages")
            elif chars < _SCANNED_CHARS_PER_PAGE * min(count, MAX_PAGES_READ):
                info.text_found = chars > 0
                if images:
                    info.warnings.append("no text layer: the pages are pictures (a scanned document?); "
                                         "it is catalogued without its text (run OCR, e.g. ocrmypdf, "
                                         "and import it again to search it)")
                else:
                    info.warnings.append("the PDF holds (almost) no text to search")
        finally:
            pdf.close()
    return info, thumb
