"""A transcript document aligned to its video by the timestamps written in it.

Transcripts from press offices and transcription services mark time at the start of a
paragraph: ``[00:02:31] We'll also discuss defence production...``, ``(2:31)``, ``00:02:31 -``,
``[1:02:31.5] MARK RUTTE: ...``. Each timestamp starts a cue that runs to the next one (the last
to the end of the video, when its duration is known). Text before the first timestamp (a title,
a header) is not timed. A timestamp earlier than the one before it is taken as text, with a
warning; a transcript with fewer than two timestamps is not aligned at all (it stays a document
linked to the video).
"""

from __future__ import annotations

import re
import unicodedata

from mediadesk.domain.timed_text import Cue, TextTrack, TrackKind

from .cues import MAX_CUE_CHARS, BadTime, listed, parse_time

_STAMP = re.compile(r"^\s*[\[(]?\s*((?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*[\])]?\s*[-\u2013\u2014:]?\s*(.*)$")
_READING_SECONDS_PER_WORD = 0.4     # a cue after the last timestamp, when the duration is unknown
MIN_STAMPS = 2


def align_transcript(text: str, duration: float | None = None, *, language: str | None = None,
                     origin: str = "") -> TextTrack | None:
    """The timed track of a transcript's text, or None when it has fewer than two timestamps."""
    warnings: list[str] = []
    stamps: list[tuple[float, list[str]]] = []
    backwards: list[int] = []
    beyond: list[int] = []
    for n, line in enumerate(text.split("\n"), 1):
        m = _STAMP.match(line)
        at: float | None = None
        if m:
            try:
                at = parse_time(m.group(1))
            except BadTime:
                at = None
        if at is not None and stamps and at < stamps[-1][0]:
            backwards.append(n)
            at = None
        if at is not None and duration is not None and at > duration + 1:
            beyond.append(n)
        if at is not None and m is not None:
            stamps.append((at, [m.group(2)] if m.group(2).strip() else []))
        elif stamps and line.strip():
            stamps[-1][1].append(line.strip())
    if len(stamps) < MIN_STAMPS:
        return None
    if backwards:
        warnings.append(f"timestamp(s) earlier than the one before at line(s) {listed(backwards)} "
                        "were read as text")
    if beyond:
        warnings.append(f"timestamp(s) after the end of the video at line(s) {listed(beyond)}")
    cues: list[Cue] = []
    for i, (start, lines) in enumerate(stamps):
        words = unicodedata.normalize("NFC", " ".join(" ".join(lines).split()))[:MAX_CUE_CHARS]
        if not words:
            continue
        if i + 1 < len(stamps):
            end = stamps[i + 1][0]
        elif duration is not None and duration > start:
            end = duration
        else:
            end = start + max(2.0, len(words.split()) * _READING_SECONDS_PER_WORD)
        cues.append(Cue(start, max(end, start), words))
    return TextTrack(cues=cues, language=language, origin=origin, kind=TrackKind.TRANSCRIPT,
                     warnings=warnings)
