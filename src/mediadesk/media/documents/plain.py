"""Plain text and Markdown: the text, and what its first lines say.

Markdown is read for its words, not rendered: a YAML-style front matter block (``title:``,
``date:``, ``author:``, ``lang:``) gives metadata; the title is the front matter's, else the
first ``#`` (or underlined) heading; link targets, image sources, emphasis marks, list and quote
markers and inline HTML are left out of the text. Nothing is fetched or run.
"""

from __future__ import annotations

import re
import unicodedata

from ..dates import from_iso
from ..text_decode import decode_text
from .model import MAX_MARKUP_BYTES, DocumentInfo, cap_text

_FRONT = re.compile(r"\A---[ \t]*\n(.{0,8000}?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_LINE = re.compile(r"^([A-Za-z_][\w-]{0,40})\s*:\s*(.*?)\s*$")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_TAG = re.compile(r"</?[A-Za-z][^>\n]{0,200}>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~|`+)(?=\S)(.+?)(?<=\S)\1")
_LIST = re.compile(r"^\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _read(path: str, info: DocumentInfo) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_MARKUP_BYTES + 1)
    except OSError as exc:
        info.text_found = False
        info.warnings.append(f"cannot be read ({exc.strerror or exc})")
        return ""
    if len(data) > MAX_MARKUP_BYTES:
        data = data[:MAX_MARKUP_BYTES]
        info.warnings.append(f"larger than {MAX_MARKUP_BYTES // (1024 * 1024)} MB; only the start is read")
    text, _encoding, warnings = decode_text(data)
    info.warnings += warnings
    return unicodedata.normalize("NFC", text)


def _finish(info: DocumentInfo, text: str) -> DocumentInfo:
    info.pages = cap_text([text.strip()], info.warnings)
    if info.text_found and not text.strip():
        info.text_found = False
        info.warnings.append("the file holds no text")
    return info


def extract_text(path: str) -> DocumentInfo:
    """A plain text file (its first short line becomes the title, see press.title_in_text)."""
    info = DocumentInfo(format="TEXT")
    return _finish(info, _read(path, info))


def _front_matter(text: str, info: DocumentInfo) -> str:
    m = _FRONT.match(text)
    if not m:
        return text
    values: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        fm = _FRONT_LINE.match(line)
        if fm and fm.group(2):
            values.setdefault(fm.group(1).lower(), fm.group(2).strip().strip("\"'"))
    if values.get("title"):
        info.title, info.title_from = values["title"], "metadata"
    date = from_iso(values.get("date") or values.get("created"))
    if date:
        info.date, info.date_from = date, "metadata"
    info.author = values.get("author") or values.get("creator") or None
    info.source = values.get("source") or values.get("publisher") or None
    language = values.get("lang") or values.get("language")
    if language:
        info.language, info.language_from = language, "metadata"
    info.description = values.get("description") or values.get("summary") or None
    keywords = values.get("keywords") or values.get("tags") or ""
    info.keywords = [k.strip() for k in keywords.strip("[]").split(",") if k.strip()]
    return text[m.end():]


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    for _ in range(3):
        line = _EMPHASIS.sub(r"\2", line)
    return line.replace("\\", "") if "\\" in line else line


def extract_markdown(path: str) -> DocumentInfo:
    info = DocumentInfo(format="MARKDOWN")
    text = _front_matter(_read(path, info), info)
    lines = text.split("\n")
    out: list[str] = []
    heading: str | None = None
    fence = False
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            out.append(raw)
            continue
        if _REF_DEF.match(raw) or _TABLE_RULE.match(raw) and "|" in raw:
            continue
        atx = _ATX.match(raw)
        if atx:
            words = _inline(atx.group(2)).strip()
            heading = heading or words or None
            out.append(words)
            continue
        if _SETEXT.match(raw) and out and out[-1].strip() and i > 0 and lines[i - 1].strip():
            heading = heading or out[-1].strip() or None   # "Title" underlined with === or ---
            continue
        if _RULE.match(raw):
            continue
        line = _QUOTE.sub("", raw)
        line = _LIST.sub("", line)
        line = line.replace("|", " ") if line.lstrip().startswith("|") else line
        out.append(_inline(line))
    if info.title is None and heading:
        info.title, info.title_from = heading[:200], "heading"
    return _finish(info, "\n".join(out))
