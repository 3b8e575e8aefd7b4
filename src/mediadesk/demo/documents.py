"""The demo library's words: NATO's press releases of March 2025 as PDF and HTML files made on
this machine, the "Remarks" spoken in the Oval Office as a transcript with timestamps beside the
video of them, and the joint press conference's chapters beside its videos. Everything is a file
the normal import reads (the PDFs carry their rights in XMP, the others in an XMP sidecar); after
the import each release is linked to the photos and videos of its event.

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
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

from mediadesk.catalog.connection import Catalog
from mediadesk.demo import content
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.domain.timed_text import Chapter, clock
from mediadesk.media import sidecar_path_for, xmp_sidecar_bytes
from mediadesk.media.documents.press import date_in_text
from mediadesk.media.fonts import font_file
from mediadesk.media.timedtext import chapters_vtt
from mediadesk.resources import resource_path
from mediadesk.services.rights import create_profile

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
                      label: str = "NATO  |  Press release",
                      xmp_fields: dict[str, object] | None = None) -> tuple[bytes, list[str]]:
    """(PDF bytes, warnings): a press release with a text layer and its metadata (``xmp_fields``:
    catalog fields put into the PDF's XMP metadata stream, e.g. its usage terms)."""
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
    if xmp_fields:
        packet = xmp_sidecar_bytes(xmp_fields).decode("utf-8")
        start, end = packet.find("<x:xmpmeta"), packet.rfind("</x:xmpmeta>")
        pdf.set_xmp_metadata(packet[start:end + len("</x:xmpmeta>")])
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
    text, seconds, _starts = _timed(item, lead_in, words_per_second)
    return text, seconds


def paragraph_starts(item: PressRelease, *, lead_in: float = 4.0, words_per_second: float = 2.4) -> list[float]:
    """The moment each paragraph of the transcript starts (where its chapters begin)."""
    return _timed(item, lead_in, words_per_second)[2]


def _timed(item: PressRelease, lead_in: float, words_per_second: float) -> tuple[str, float, list[float]]:
    at = lead_in
    out = [item.title, f"Source: {item.source}", ""]
    starts: list[float] = []
    for para in item.paragraphs:
        starts.append(float(int(at)))
        for sentence in _SENTENCE.split(para):
            out.append(f"[{clock(at)}] {sentence}")
            at += max(1.5, len(sentence.split()) / words_per_second)
        out.append("")
    return "\n".join(out), at + 2.0, starts


# -- making the files of an event, and linking them after the import ------------------------------

def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")   # dot-names are skipped by the importer's scan
    tmp.write_bytes(data)
    os.replace(tmp, path)


def make_release(gallery: content.DemoGallery, item: content.DemoRelease, path: Path) -> list[str]:
    """The release as a PDF (its rights in its XMP) or an HTML page (rights in an XMP sidecar);
    returns warnings."""
    found = release(item.title)
    fields = content.document_fields(gallery)
    if item.written_as == "pdf":
        data, warnings = press_release_pdf(found.title, found.paragraphs, source=found.source,
                                           date=found.date or gallery.end_date or gallery.date, xmp_fields=fields)
        _write(path, data)
        return warnings
    _write(Path(sidecar_path_for(str(path))), xmp_sidecar_bytes(fields))
    _write(path, release_html(found))
    return []


def chapters_path(video_path: Path) -> Path:
    return video_path.with_name(video_path.stem + ".chapters.vtt")


def transcript_path(video_path: Path) -> Path:
    return video_path.with_name(video_path.stem + ".en.transcript.txt")


def speaker_chapters(video: content.DemoVideo) -> list[Chapter]:
    """One chapter per speaker's turn, at the moments the encoded video changes speaker
    (demo/video.py gives each turn the same number of frames); for a video of a transcript, one
    per paragraph spoken, from the moment it starts."""
    if video.transcript:
        starts = paragraph_starts(release(video.transcript))
        starts[0] = 0.0   # the first chapter covers the lead-in
        ends = starts[1:] + [float(video.duration)]
        return [Chapter(s, e, t) for s, e, t in zip(starts, ends, video.chapters, strict=False)]
    turns = len(video.speakers)
    length = video.duration / turns
    return [Chapter(round(n * length, 3), round(min(video.duration, (n + 1) * length), 3), title)
            for n, title in enumerate(video.chapters[:turns])]


def make_video_words(gallery: content.DemoGallery, video: content.DemoVideo, video_path: Path) -> None:
    """The chapters file and the transcript beside a demo video (those it has)."""
    if video.chapters and not chapters_path(video_path).exists():
        _write(chapters_path(video_path), chapters_vtt(speaker_chapters(video)).encode("utf-8"))
    target = transcript_path(video_path)
    if video.transcript and not target.exists():
        text, seconds = timed_transcript(release(video.transcript))
        if seconds > video.duration:
            raise ValueError(f"the transcript of {video.file_name} runs {seconds:.0f} s, longer than the video")
        fields = {**content.document_fields(gallery), "date_created": video.taken}   # said then
        _write(Path(sidecar_path_for(str(target))), xmp_sidecar_bytes(fields))
        _write(target, text.encode("utf-8"))


def words_missing(folder: Path, gallery: content.DemoGallery) -> bool:
    return any(not (folder / r.file_name).exists() for r in gallery.releases) or any(
        (v.chapters and not chapters_path(folder / v.file_name).exists())
        or (v.transcript and not transcript_path(folder / v.file_name).exists()) for v in gallery.videos)


def free_use_profile(catalog: Catalog) -> None:
    """The rights profile the demo's press releases carry (so the import links them to it)."""
    if any(p.name == content.FREE_USE_PROFILE for p in catalog.rights.list()):
        return
    create_profile(catalog, RightsProfile(None, content.FREE_USE_PROFILE, content.FREE_USE_NOTE,
                                          frozenset(Purpose), credit_line=content.CREDIT))


def link_releases(catalog: Catalog, gallery: content.DemoGallery, folder: Path) -> None:
    """Link each release of the event to the event's photos and videos (as `mediadesk link`
    would; not an edit to undo, like the import that brought them)."""
    by_path = {path: ident[0] for path, ident in catalog.assets.file_index().items()}
    names = [p.file_name for p in gallery.photos] + [v.file_name for v in gallery.videos]
    pictures = [by_path[str(folder / name)] for name in names if str(folder / name) in by_path]
    with catalog.transaction():
        for item in gallery.releases:
            document_id = by_path.get(str(folder / item.file_name))
            if document_id is not None and catalog.assets.get(document_id).kind == AssetKind.DOCUMENT:
                linked = set(catalog.words.linked_assets(document_id)) | set(pictures)
                catalog.words.set_links_unrecorded(document_id, sorted(linked))
