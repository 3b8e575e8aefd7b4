"""Timed text: subtitle and transcript cues, chapters, and the times people read.

Plain values, no I/O. A ``Cue`` is a piece of text shown or spoken from ``start`` to ``end``
(seconds from the start of the video); a ``Chapter`` is a named time range. A ``TextTrack`` is one
language's cues as one file or stream gave them, with the warnings met while reading it.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import NamedTuple


class TrackKind(enum.StrEnum):
    SUBTITLES = "subtitles"      # an SRT/WebVTT file or a text stream inside the video
    TRANSCRIPT = "transcript"    # a document aligned to the video by its timestamps


class Cue(NamedTuple):
    """(A tuple: a long video has tens of thousands of cues, read for every search result.)"""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Chapter:
    start: float
    end: float | None          # None: until the next chapter, or the end of the video
    title: str


@dataclass
class TextTrack:
    """One language's cues from one origin (``origin``: the file name, or ``stream 2``)."""

    cues: list[Cue]
    language: str | None = None
    origin: str = ""
    kind: TrackKind = TrackKind.SUBTITLES
    label: str | None = None                 # a stream's title ("English SDH"), shown in the player
    warnings: list[str] = field(default_factory=list)


@dataclass
class ChapterList:
    chapters: list[Chapter]
    origin: str = ""
    language: str | None = None
    warnings: list[str] = field(default_factory=list)


def clock(seconds: float) -> str:
    """A position as a press officer reads it: ``2:31``, ``1:02:31`` from an hour (whole seconds,
    rounded down so that the shown second is the one the words are in)."""
    total = max(0, int(math.floor(seconds + 1e-6)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def vtt_time(seconds: float) -> str:
    """``HH:MM:SS.mmm`` as WebVTT writes a time."""
    ms = max(0, int(round(seconds * 1000)))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def close_chapters(chapters: list[Chapter], duration: float | None) -> list[Chapter]:
    """Chapters sorted by start, each open end closed at the next start (the last at
    ``duration`` when known)."""
    ordered = sorted(chapters, key=lambda c: (c.start, c.title))
    closed: list[Chapter] = []
    for i, ch in enumerate(ordered):
        end = ch.end
        if end is None or end <= ch.start:
            nxt = ordered[i + 1].start if i + 1 < len(ordered) else duration
            end = nxt if nxt is not None and nxt > ch.start else None
        closed.append(Chapter(ch.start, end, ch.title))
    return closed


# -- editing a video's chapters (the window and the CLI call these through the edit service) ----

MIN_CHAPTER_SECONDS = 0.5


def add_chapter(chapters: list[Chapter], at: float, title: str,
                duration: float | None) -> list[Chapter]:
    """The chapters with a new one starting at ``at``: the chapter it falls into now ends there,
    the new one runs to where that one ended (or to the next chapter, or the end). Raises
    ValueError when ``at`` is outside the video or too close to another chapter's start."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("a chapter needs a title")
    if at < 0 or (duration is not None and at >= duration):
        raise ValueError(f"{clock(at)} is outside the video")
    closed = close_chapters(chapters, duration)
    if any(abs(c.start - at) < MIN_CHAPTER_SECONDS for c in closed):
        raise ValueError(f"a chapter already starts at {clock(at)}")
    out: list[Chapter] = []
    end: float | None = None
    for ch in closed:
        if ch.start < at and (ch.end is None or ch.end > at):
            out.append(Chapter(ch.start, at, ch.title))
            end = ch.end
        else:
            out.append(ch)
    if end is None:
        later = [c.start for c in closed if c.start > at]
        end = min(later) if later else duration
    out.append(Chapter(at, end, title))
    return sorted(out, key=lambda c: c.start)


def rename_chapter(chapters: list[Chapter], index: int, title: str) -> list[Chapter]:
    title = " ".join(title.split())
    if not title:
        raise ValueError("a chapter needs a title")
    if not 0 <= index < len(chapters):
        raise ValueError(f"there is no chapter {index + 1}")
    out = list(chapters)
    out[index] = Chapter(out[index].start, out[index].end, title)
    return out


def delete_chapter(chapters: list[Chapter], index: int) -> list[Chapter]:
    """The chapters without the one at ``index``: the chapter before it now runs to where the
    deleted one ended (no gap is left in the video)."""
    if not 0 <= index < len(chapters):
        raise ValueError(f"there is no chapter {index + 1}")
    ordered = sorted(chapters, key=lambda c: c.start)
    gone = ordered.pop(index)
    if index > 0 and ordered[index - 1].end is not None and gone.end is not None \
            and abs(ordered[index - 1].end - gone.start) < 1e-6:   # type: ignore[operator]
        before = ordered[index - 1]
        ordered[index - 1] = Chapter(before.start, gone.end, before.title)
    return ordered
