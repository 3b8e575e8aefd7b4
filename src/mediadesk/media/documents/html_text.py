"""HTML press releases: text, title, date, author, language, with the standard library's
tokenizer (``html.parser``), which never runs a script, never loads anything and never expands
an entity that a document declares for itself.

Scripts, styles, templates, forms' hidden parts and embedded objects are not text. Character
references are decoded once (``&amp;`` -> ``&``, ``&#x10D;`` -> ``č``); an entity the document
declares (``<!ENTITY lol "...">``, the billion-laughs attack) stays the literal ``&lol;``.
Metadata: ``og:title``/``dc.title``/``<title>`` else the first ``<h1>``-``<h6>``; dates from
``article:published_time``, ``dc.date``, ``date``, ``<time datetime>``; author from ``author``/
``dc.creator``; language from ``<html lang>`` or ``Content-Language``.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from ..dates import from_iso
from ..text_decode import clean_text, decode_text
from .model import MAX_MARKUP_BYTES, DocumentInfo, cap_text

_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
                   "math", "canvas", "select", "button"})
_BLOCK = frozenset({"p", "div", "br", "li", "tr", "section", "article", "header", "footer", "aside",
                    "blockquote", "pre", "table", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption",
                    "hr", "h1", "h2", "h3", "h4", "h5", "h6", "main", "nav", "address", "td", "th",
                    "caption", "form", "fieldset", "legend", "details", "summary"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
                   "param", "source", "track", "wbr"})
_META_TITLE = ("og:title", "dc.title", "dcterms.title", "title")
_META_DATE = ("article:published_time", "dcterms.created", "dc.date", "dcterms.date", "date",
              "dc.date.issued", "pubdate", "publish-date")
_META_AUTHOR = ("author", "dc.creator", "dcterms.creator", "article:author")
_META_PUBLISHER = ("dc.publisher", "dcterms.publisher", "publisher", "og:site_name")
_META_LANGUAGE = ("dc.language", "dcterms.language", "language", "content-language")
# a DOCTYPE with an internal subset (entity declarations): html.parser would end it at the first ">"
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]{0,200}\[.{0,100000}?\]\s*>", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.heading: str | None = None
        self.in_heading = False
        self.heading_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.html_lang: str | None = None
        self.first_time: str | None = None

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and values.get("lang"):
            self.html_lang = values["lang"]
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            key = (values.get("name") or values.get("property") or values.get("http-equiv") or "").lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"]
        elif tag == "time" and self.first_time is None and values.get("datetime"):
            self.first_time = values["datetime"]
        if tag in _VOID:
            if tag in _BLOCK:
                self._flush()
            return
        if tag == "body":
            self.skip_depth = 0   # whatever the head left open ends here
        if tag in _SKIP:
            self.skip_depth += 1
        if tag in _BLOCK:
            self._flush()
        if tag in _HEADINGS and self.heading is None and not self.skip_depth:
            self.in_heading = True
            self.heading_parts = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag in _HEADINGS and self.in_heading:
            self.in_heading = False
            heading = " ".join("".join(self.heading_parts).split())
            self.heading = heading or None
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        self.current.append(data)
        if self.in_heading:
            self.heading_parts.append(data)


def _decode(data: bytes) -> tuple[str, list[str]]:
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    if declared and declared.replace("-", "") not in ("utf8",) and not data.startswith(b"\xef\xbb\xbf"):
        try:
            return clean_text(data.decode(declared)), []
        except (LookupError, UnicodeDecodeError):
            pass
    text, _encoding, warnings = decode_text(data)
    return text, warnings


def _norm(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(unicodedata.normalize("NFC", clean_text(value)).split())
    return value or None


def extract_html(path: str) -> DocumentInfo:
    """Metadata and text of an HTML file. Never raises for bad markup (HTML has none)."""
    info = DocumentInfo(format="HTML")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_MARKUP_BYTES + 1)
    except OSError as exc:
        info.text_found = False
        info.warnings.append(f"cannot be read ({exc.strerror or exc})")
        return info
    if len(data) > MAX_MARKUP_BYTES:
        data = data[:MAX_MARKUP_BYTES]
        info.warnings.append(f"larger than {MAX_MARKUP_BYTES // (1024 * 1024)} MB; only the start is read")
    text, decode_warnings = _decode(data)
    info.warnings += decode_warnings
    reader = _Reader()
    try:
        reader.feed(_DOCTYPE_SUBSET.sub("<!DOCTYPE html>", text[:4096 + 100_000], count=1)
                    + text[4096 + 100_000:])
        reader.close()
    except (AssertionError, ValueError) as exc:   # html.parser's own errors on very odd input
        info.warnings.append(f"the markup is damaged; the text read before that is kept ({exc})")
    reader._flush()
    meta = reader.meta
    title = next((meta[k] for k in _META_TITLE if meta.get(k)), None) or "".join(reader.title_parts)
    info.title = _norm(title)
    info.title_from = "metadata" if info.title else None
    if info.title is None and reader.heading:
        info.title, info.title_from = _norm(reader.heading), "heading"
    date = next((d for k in _META_DATE if (d := from_iso(meta.get(k)))), None) or from_iso(reader.first_time)
    if date:
        info.date, info.date_from = date, "metadata"
    info.author = _norm(next((meta[k] for k in _META_AUTHOR if meta.get(k)), None))
    info.source = _norm(next((meta[k] for k in _META_PUBLISHER if meta.get(k)), None))
    info.description = _norm(meta.get("description") or meta.get("og:description"))
    info.keywords = [k.strip() for k in (meta.get("keywords") or "").split(",") if k.strip()][:100]
    language = reader.html_lang or next((meta[k] for k in _META_LANGUAGE if meta.get(k)), None)
    if language:
        info.language, info.language_from = language.split(",")[0].strip(), "metadata"
    body = "\n".join(unicodedata.normalize("NFC", b) for b in reader.blocks)
    info.pages = cap_text([body], info.warnings)
    if not body.strip():
        info.text_found = False
        info.warnings.append("the page holds no text")
    return info
