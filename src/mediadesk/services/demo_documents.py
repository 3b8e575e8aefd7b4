"""The demo library's words: NATO's press releases of March 2025 as PDF and HTML files made on
this machine, and the "Remarks" spoken in the Oval Office as a transcript with timestamps.

The text is the seed page's own (``resources/demo/nato-press-releases-2025-03.txt``, a copy of the
press-release list that started the project). Each release is a title line, ``Source: NATO`` and
its paragraphs. PDFs are written with fpdf2 (a text layer, metadata: title, author, subject,
language, creation date = the release's date; the system's Unicode font, else Helvetica with the
letters it lacks spelled without their accents and a warning); HTML pages are plain, escaped,
with ``lang`` and the metadata a newsroom page carries. Both come out byte-identical on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fpdf import FPDF

from mediadesk.domain.timed_text import clock
from mediadesk.media.documents.press import date_in_text
from mediadesk.media.fonts import font_file
from mediadesk.resources import resource_path

RELEASES_RESOURCE = "demo/nato-press-releases-2025-03.txt"
AUTHOR = "NATO Press Office"
_BLUE = (0, 71, 133)
_GREY = (90, 94, 102)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(])")
_ASCII_FOLD = str.maketrans({"ł": "l", "Ł": "L", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-",
                             "—": "-", "…": "..."})


@dataclass(frozen=True)
class PressRelease:
    title: str
    source: str
    paragraphs: tuple[str, ...]
    date: str | None                 # ISO date the text states first

    @property
    def slug(self) -> str:
        folded = unicodedata.normalize("NFKD", self.title.lower())
        words = re.findall(r"[a-z0-9]+", "".join(c for c in folded if not unicodedata.combining(c)))
        return "-".join(words)[:60].rstrip("-")


@lru_cache(maxsize=1)
def press_releases() -> tuple[PressRelease, ...]:
    """Every release of the seed page, in the page's order."""
    lines = [line.strip() for line in
             resource_path(RELEASES_RESOURCE).read_text(encoding="utf-8").splitlines()]
    starts = []
    for i, line in enumerate(lines):
        following = next((ln for ln in lines[i + 1:] if ln), "")
        if line and following.startswith("Source:"):
            starts.append(i)
    releases = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        body = [ln for ln in lines[start + 1:end] if ln]
        source = body[0].split(":", 1)[1].strip()
        paragraphs = tuple(body[1:])
        releases.append(PressRelease(lines[start], source, paragraphs, date_in_text("\n".join(paragraphs))))
    return tuple(releases)


def release(title: str) -> PressRelease:
    """The release with this title (KeyError if the seed has none)."""
    for item in press_releases():
        if item.title == title:
            return item
    raise KeyError(title)


# -- PDF ------------------------------------------------------------------------------------------

class _ReleasePdf(FPDF):
    def __init__(self, label: str) -> None:
        super().__init__(format="A4")
        self.label = label
        self.unicode_font = False

    def header(self) -> None:
        self.set_fill_color(*_BLUE)
        self.rect(0, 0, self.w, 18, style="F")
        self.set_xy(20, 5)
        self.set_text_color(255, 255, 255)
        self.set_font(self.font_family, "B", 11)
        self.cell(0, 8, self.label)
        self.set_xy(20, 28)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.font_family, "", 8)
        self.set_text_color(*_GREY)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="R")


def _fold(text: str) -> str:
    """Text a core PDF font (Windows-1252) can show: the letters it lacks without accents."""
    text = text.translate(_ASCII_FOLD)
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base.isascii() and base else "?")
    return "".join(out)


def press_release_pdf(title: str, paragraphs: tuple[str, ...] | list[str], *, source: str = "NATO",
                      date: str | None = None, language: str = "en", author: str = AUTHOR,
                      label: str = "NATO  |  Press release") -> tuple[bytes, list[str]]:
    """(PDF bytes, warnings): a press release with a text layer and its metadata."""
    warnings: list[str] = []
    pdf = _ReleasePdf(label)
    regular, bold = font_file(), font_file(bold=True)
    if regular:
        pdf.add_font("Body", "", regular)
        pdf.add_font("Body", "B", bold or regular)
        family = "Body"
        pdf.unicode_font = True
    else:
        family = "helvetica"
        warnings.append("no Unicode font on this machine: letters outside Windows-1252 are written "
                        "without their accents in the demo PDFs")
    fix = (lambda s: s) if pdf.unicode_font else _fold
    pdf.set_font(family, "", 11)
    pdf.set_title(fix(title))
    pdf.set_author(author)
    pdf.set_subject(fix(paragraphs[0][:200]) if paragraphs else "")
    pdf.set_lang(language)
    pdf.set_creator("mediadesk demo library")
    when = dt.datetime.fromisoformat(date) if date else dt.datetime(2025, 3, 1)
    if when.tzinfo is None:
        when = when.replace(hour=12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    pdf.set_creation_date(when)
    ident = hashlib.md5(title.encode("utf-8"), usedforsecurity=False).hexdigest()
    pdf.file_id = lambda: f"<{ident}><{ident}>"   # type: ignore[method-assign]  # same bytes every run
    pdf.alias_nb_pages()
    pdf.set_margins(20, 25, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    pdf.set_font(family, "B", 17)
    pdf.multi_cell(0, 8, fix(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 10)
    pdf.set_text_color(*_GREY)
    pdf.cell(0, 6, f"Source: {source}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(family, "", 11)
    for para in paragraphs:
        pdf.multi_cell(0, 5.6, fix(para), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output()), warnings


def release_pdf(item: PressRelease) -> tuple[bytes, list[str]]:
    return press_release_pdf(item.title, item.paragraphs, source=item.source, date=item.date)


# -- HTML -----------------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="author" content="{author}">
<meta name="dc.publisher" content="{source}">
<meta name="dc.date" content="{date}">
<meta name="description" content="{description}">
<style>body {{ font: 16px/1.5 sans-serif; max-width: 42em; margin: 2em auto; color: #222 }}
h1 {{ color: #004785 }} .source {{ color: #5a5e66 }}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p class="source">Source: {source}</p>
{body}
</main>
</body>
</html>
"""


def release_html(item: PressRelease, *, language: str = "en") -> bytes:
    """A plain, valid HTML page of the release (every text escaped)."""
    esc = html.escape
    body = "\n".join(f"<p>{esc(p)}</p>" for p in item.paragraphs)
    page = _PAGE.format(lang=language, title=esc(item.title), author=esc(AUTHOR), source=esc(item.source),
                        date=esc(item.date or ""), description=esc(item.paragraphs[0][:200] if item.paragraphs
                                                                    else ""), body=body)
    return page.encode("utf-8")


# -- the Remarks as a timed transcript ------------------------------------------------------------

def timed_transcript(item: PressRelease, *, lead_in: float = 4.0,
                     words_per_second: float = 2.4) -> tuple[str, float]:
    """(transcript text, seconds it takes to say): one line per sentence, each starting with the
    moment it is spoken (``[2:31] We'll also discuss defence production ...``), at a speaker's
    pace from ``lead_in`` seconds; paragraphs stay paragraphs."""
    at = lead_in
    out = [item.title, f"Source: {item.source}", ""]
    for para in item.paragraphs:
        for sentence in _SENTENCE.split(para):
            out.append(f"[{clock(at)}] {sentence}")
            at += max(1.5, len(sentence.split()) / words_per_second)
        out.append("")
    return "\n".join(out), at + 2.0
