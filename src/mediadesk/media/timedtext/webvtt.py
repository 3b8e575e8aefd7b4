"""WebVTT (``.vtt``): subtitle and caption cues, and chapter files (``kind="chapters"``).

Read as the W3C format describes, tolerantly: the ``WEBVTT`` signature (a file without it is read
anyway, with a warning), the header, ``NOTE``/``STYLE``/``REGION`` blocks skipped, an optional
cue identifier, the timing line with its cue settings, the payload. A cue with a bad timestamp is
left out and named in a warning. A chapter file has the same shape, one chapter title per cue.

Written back only as a chapters file (exports carry the catalog's chapters as ``NAME.chapters.vtt``):
titles are escaped (``&``, ``<``, ``>``) and an arrow in a title cannot end its line early.
"""

from __future__ import annotations

from collections.abc import Iterator

from mediadesk.domain.timed_text import Chapter, Cue, vtt_time

from .cues import TIMING, BadTime, cue_text, finish, listed, parse_time

_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def _blocks(text: str, warnings: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(1-based number of the block's first line, its lines) after the header."""
    lines = text.split("\n")
    first = lines[0].lstrip("\ufeff") if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        warnings.append("does not start with the WEBVTT signature; read as WebVTT anyway")
        i = 0
    else:
        i = 1
        while i < len(lines) and lines[i].strip():   # header lines (Kind:, Language:, ...)
            i += 1
    block: list[str] = []
    start = i + 1
    for n in range(i, len(lines) + 1):
        line = lines[n] if n < len(lines) else ""
        if line.strip():
            if not block:
                start = n + 1
            block.append(line)
        elif block:
            yield start, block
            block = []


def _timed_blocks(text: str, warnings: list[str],
                  bad: list[int]) -> Iterator[tuple[float, float, list[str]]]:
    """(start, end, payload lines) of each timed block; lines of bad timestamps go to ``bad``."""
    orphans = 0
    for line_no, block in _blocks(text, warnings):
        head = block[0].strip()
        if head.split(" ", 1)[0].split("\t", 1)[0] in _SKIPPED_BLOCKS and "-->" not in head:
            continue
        if "-->" in block[0]:
            timing_at = 0
        elif len(block) > 1 and "-->" in block[1]:
            timing_at = 1   # the first line is the cue's identifier
        else:
            orphans += 1
            continue
        m = TIMING.match(block[timing_at])
        try:
            if m is None:
                raise BadTime(block[timing_at])
            start, end = parse_time(m.group(1)), parse_time(m.group(2))
        except BadTime:
            bad.append(line_no + timing_at)
            continue
        if end < start:
            bad.append(line_no + timing_at)
            continue
        yield start, end, block[timing_at + 1:]
    if orphans:
        warnings.append(f"{orphans} block(s) without a timing line were ignored")


def parse_webvtt(text: str) -> tuple[list[Cue], list[str]]:
    """(cues sorted by start, warnings) from decoded WebVTT text."""
    warnings: list[str] = []
    bad: list[int] = []
    cues = [Cue(start, end, words) for start, end, payload in _timed_blocks(text, warnings, bad)
            if (words := cue_text(payload))]
    if not cues and not bad:
        warnings.append("no cues found")
    return finish(cues, bad, warnings, "subtitle"), warnings


def parse_chapters(text: str) -> tuple[list[Chapter], list[str]]:
    """(chapters sorted by start, warnings) from a WebVTT chapters file."""
    warnings: list[str] = []
    bad: list[int] = []
    chapters: list[Chapter] = []
    for start, end, payload in _timed_blocks(text, warnings, bad):
        title = cue_text(payload).replace("\n", " ").strip()
        if title:
            chapters.append(Chapter(start, end if end > start else None, title))
    if bad:
        warnings.append(f"{len(bad)} chapter(s) left out: bad timestamp at line(s) {listed(bad)}")
    if not chapters and not bad:
        warnings.append("no chapters found")
    chapters.sort(key=lambda c: c.start)
    return chapters, warnings


def _escape(title: str) -> str:
    title = " ".join(title.split())
    return (title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def chapters_vtt(chapters: list[Chapter]) -> str:
    """A WebVTT chapters file (every chapter with an end; see timed_text.close_chapters)."""
    out = ["WEBVTT", ""]
    for n, ch in enumerate(chapters, 1):
        end = ch.end if ch.end is not None and ch.end > ch.start else ch.start + 0.001
        out += [f"chapter-{n}", f"{vtt_time(ch.start)} --> {vtt_time(end)}", _escape(ch.title), ""]
    return "\n".join(out)
