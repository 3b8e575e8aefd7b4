"""Word (DOCX) and OpenDocument (ODT) text documents: both are zip files of XML, read here
with the standard zip module and defusedxml (no entity expansion, no external entities), so no
office library is needed.

DOCX: ``word/document.xml`` (paragraphs, tables, text boxes; deleted tracked changes and field
codes are not text), ``docProps/core.xml`` (title, creator, created, language, subject,
keywords), ``docProps/app.xml`` (pages as last saved), heading styles from ``word/styles.xml``.
ODT: ``content.xml`` (``text:h`` headings, ``text:p``, spaces ``text:s``, tabs, line breaks,
lists, tables, notes) and ``meta.xml``. Elements are matched by local name, so strict OOXML and
transitional files read alike.

Every part is read through a size cap (a zip bomb stops at MAX_MEMBER_BYTES, however small
its header claims it is); a password-protected file (DOCX: an OLE container instead of a zip;
ODT: encrypted parts in the manifest) or a damaged one is catalogued with a warning.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from ..dates import from_iso
from ..text_decode import clean_text
from .model import MAX_MEMBER_BYTES, DocumentInfo, cap_text

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Unreadable(Exception):
    """A part of the zip that cannot be used; the message is a warning for a person."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(elem: Element, name: str) -> str | None:
    for key, value in elem.attrib.items():
        if _local(key) == name:
            return value
    return None


def _read_member(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MEMBER_BYTES:
        raise _Unreadable(f"{name} declares {info.file_size / 1e6:.0f} MB of XML, over the "
                          f"{MAX_MEMBER_BYTES // (1024 * 1024)} MB limit (a zip bomb?)")
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise _Unreadable(f"{name} cannot be unpacked ({exc})") from None
    if len(data) > MAX_MEMBER_BYTES:
        raise _Unreadable(f"{name} unpacks to more than {MAX_MEMBER_BYTES // (1024 * 1024)} MB "
                          "(a zip bomb?); not read")
    return data


def _parse(data: bytes | None, name: str) -> Element | None:
    if data is None:
        return None
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _Unreadable(f"{name} is not well-formed XML ({str(exc)[:120]})") from None
    return root


def _norm(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(unicodedata.normalize("NFC", clean_text(text)).split())
    return text or None


def _core_properties(root: Element | None, info: DocumentInfo) -> None:
    """Dublin Core properties (DOCX core.xml and ODT meta.xml share them)."""
    if root is None:
        return
    values: dict[str, str] = {}
    keywords: list[str] = []
    for elem in root.iter():
        name = _local(elem.tag)
        text = _norm("".join(elem.itertext()))
        if not text:
            continue
        if name == "keyword":               # ODT: one element per keyword
            keywords.append(text)
        elif name not in values:
            values[name] = text
    info.title = values.get("title")
    info.title_from = "metadata" if info.title else None
    info.author = values.get("creator") or values.get("initial-creator")
    info.description = values.get("description") or values.get("subject")
    if "keywords" in values:                # DOCX: one comma- or semicolon-separated string
        keywords += [k.strip() for k in values["keywords"].replace(";", ",").split(",") if k.strip()]
    info.keywords = keywords
    date = from_iso(values.get("created") or values.get("creation-date") or values.get("date"))
    if date:
        info.date, info.date_from = date, "metadata"
    if values.get("language"):
        info.language, info.language_from = values["language"], "metadata"


# -- DOCX -----------------------------------------------------------------------------------------

def _docx_heading_styles(styles: Element | None) -> set[str]:
    """Style ids of the title and heading paragraph styles (built-in names, any UI language)."""
    found = {"Title", "Heading1", "Heading2", "Heading3"}
    if styles is None:
        return found
    for style in styles.iter():
        if _local(style.tag) != "style":
            continue
        style_id = _attr(style, "styleId")
        for child in style:
            if _local(child.tag) == "name":
                name = (_attr(child, "val") or "").lower()
                if style_id and (name == "title" or name.startswith("heading")):
                    found.add(style_id)
    return found


def _docx_runs(elem: Element) -> Iterator[str]:
    for child in elem:
        name = _local(child.tag)
        if name == "t":
            yield child.text or ""
        elif name == "tab":
            yield "\t"
        elif name in ("br", "cr"):
            yield "\n"
        elif name == "noBreakHyphen":
            yield "-"
        elif name in ("delText", "instrText", "txbxContent", "pPr", "rPr", "del"):
            continue   # deleted text, field codes, text boxes (read as paragraphs of their own)
        else:
            yield from _docx_runs(child)


def _docx_paragraphs(body: Element, headings: set[str]) -> Iterator[tuple[str, bool]]:
    """(text, is_heading) of each paragraph in document order, text boxes included."""
    for elem in body:
        name = _local(elem.tag)
        if name == "p":
            style = None
            for ppr in elem:
                if _local(ppr.tag) == "pPr":
                    for child in ppr:
                        if _local(child.tag) == "pStyle":
                            style = _attr(child, "val")
                        elif _local(child.tag) == "outlineLvl" and _attr(child, "val") == "0":
                            style = style or "Heading1"
            yield "".join(_docx_runs(elem)), style in headings
            for box in elem.iter():
                if _local(box.tag) == "txbxContent":
                    yield from _docx_paragraphs(box, headings)
        elif name not in ("sectPr",):
            yield from _docx_paragraphs(elem, headings)


def _read_docx(zf: zipfile.ZipFile, info: DocumentInfo) -> list[tuple[str, bool]]:
    _core_properties(_parse(_read_member(zf, "docProps/core.xml"), "docProps/core.xml"), info)
    app = _parse(_read_member(zf, "docProps/app.xml"), "docProps/app.xml")
    if app is not None:
        for elem in app:
            if _local(elem.tag) == "Pages" and (elem.text or "").strip().isdigit():
                info.page_count = int(elem.text.strip()) or None   # type: ignore[union-attr]
    styles_root = _parse(_read_member(zf, "word/styles.xml"), "word/styles.xml")
    document = _parse(_read_member(zf, "word/document.xml"), "word/document.xml")
    if document is None:
        raise _Unreadable("it has no word/document.xml (is it really a Word document?)")
    body = next((e for e in document if _local(e.tag) == "body"), document)
    return list(_docx_paragraphs(body, _docx_heading_styles(styles_root)))


# -- ODT ------------------------------------------------------------------------------------------

def _odt_inline(elem: Element, out: list[str]) -> None:
    if elem.text:
        out.append(elem.text)
    for child in elem:
        name = _local(child.tag)
        if name == "s":
            out.append(" " * max(1, min(int(_attr(child, "c") or 1), 100)))
        elif name == "tab":
            out.append("\t")
        elif name == "line-break":
            out.append("\n")
        elif name in ("note", "annotation", "tracked-changes", "deletion"):
            pass   # notes are read as paragraphs of their own; deletions are not text
        else:
            _odt_inline(child, out)
        if child.tail:
            out.append(child.tail)


def _odt_paragraphs(elem: Element) -> Iterator[tuple[str, bool]]:
    for child in elem:
        name = _local(child.tag)
        if name in ("p", "h"):
            parts: list[str] = []
            _odt_inline(child, parts)
            yield "".join(parts), name == "h"
            for note in child.iter():
                if _local(note.tag) == "note-body":
                    yield from _odt_paragraphs(note)
        elif name in ("tracked-changes", "annotation", "sequence-decls", "variable-decls"):
            continue
        else:
            yield from _odt_paragraphs(child)


def _read_odt(zf: zipfile.ZipFile, info: DocumentInfo) -> list[tuple[str, bool]]:
    manifest = _read_member(zf, "META-INF/manifest.xml") or b""
    if b"encryption-data" in manifest:
        info.encrypted = True
        raise _Unreadable("encrypted with a password: its text cannot be read; it is catalogued by "
                          "name (save a copy without the password to search it)")
    meta = _parse(_read_member(zf, "meta.xml"), "meta.xml")
    _core_properties(meta, info)
    if meta is not None:
        for elem in meta.iter():
            if _local(elem.tag) == "document-statistic":
                pages = _attr(elem, "page-count")
                if pages and pages.isdigit():
                    info.page_count = int(pages) or None
    content = _parse(_read_member(zf, "content.xml"), "content.xml")
    if content is None:
        raise _Unreadable("it has no content.xml (is it really an OpenDocument text?)")
    body = next((e for e in content.iter() if _local(e.tag) == "text"), None)   # office:text
    return list(_odt_paragraphs(body if body is not None else content))


# -- both -----------------------------------------------------------------------------------------

def read_docx(path: str) -> DocumentInfo:
    """Metadata and text of a Word document. Never raises for a bad file."""
    return _read_office(path, DocumentInfo(format="DOCX"), word=True)


def read_odt(path: str) -> DocumentInfo:
    """Metadata and text of an OpenDocument text. Never raises for a bad file."""
    return _read_office(path, DocumentInfo(format="ODT"), word=False)


def _read_office(path: str, info: DocumentInfo, *, word: bool) -> DocumentInfo:
    paragraphs: list[tuple[str, bool]] = []
    try:
        with open(path, "rb") as fh:
            magic = fh.read(8)
        if magic == _OLE_MAGIC:
            info.encrypted = word
            raise _Unreadable("encrypted with a password (an Office file protected by a password is "
                              "not a zip file): its text cannot be read; it is catalogued by name"
                              if word else "an old binary Office file, not OpenDocument")
        with zipfile.ZipFile(path) as zf:
            paragraphs = _read_docx(zf, info) if word else _read_odt(zf, info)
    except _Unreadable as exc:
        info.text_found = False
        info.warnings.append(str(exc))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        info.text_found = False
        info.warnings.append(f"damaged: not a readable zip file ({exc}); it is catalogued by name "
                             "without its text")
    lines = [" ".join(unicodedata.normalize("NFC", clean_text(text)).replace("\t", " ").split())
             for text, _ in paragraphs]
    if info.title is None:
        heading = next((line for (_, is_heading), line in zip(paragraphs, lines, strict=True) if is_heading and line),
                       None)
        if heading:
            info.title, info.title_from = heading[:200], "heading"
    info.pages = cap_text(["\n".join(line for line in lines if line)], info.warnings)
    if info.text_found and not info.text.strip():
        info.text_found = False
        info.warnings.append("the document holds no text")
    return info
