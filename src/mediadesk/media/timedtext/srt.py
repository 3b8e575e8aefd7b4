"""SubRip (``.srt``) subtitles: numbered cues, ``00:02:31,000 --> 00:02:34,500``, text lines.

Read tolerantly, as players do: the number line may be missing or wrong, ``.`` may stand for
``,``, hours may be left out, SSA ``X1:`` coordinates may follow the times. A cue with a bad
timestamp is left out and named in a warning; everything else in the file is still read.
"""

from __future__ import annotations

from mediadesk.domain.timed_text import Cue

from .cues import TIMING, BadTime, cue_text, finish, parse_time


def parse_srt(text: str) -> tuple[list[Cue], list[str]]:
    """(cues sorted by start, warnings) from decoded SRT text (see text_decode.decode_text)."""
    warnings: list[str] = []
    cues: list[Cue] = []
    bad: list[int] = []
    lines = text.split("\n")
    i = 0
    orphans = 0
    while i < len(lines):
        line = lines[i]
        m = TIMING.match(line) if "-->" in line else None
        if m is None:
            if line.strip() and not line.strip().isdigit():
                orphans += 1
                i += 1
                while i < len(lines) and lines[i].strip():   # skip the stray block
                    if "-->" in lines[i]:
                        break
                    i += 1
                continue
            i += 1
            continue
        start_line = i + 1
        payload: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip():
            if "-->" in lines[i] and TIMING.match(lines[i]):
                break   # a cue that forgot its blank line: the next timing starts a new one
            payload.append(lines[i])
            i += 1
        if payload and payload[-1].strip().isdigit() and i < len(lines) and "-->" in lines[i]:
            payload.pop()   # the next cue's number
        try:
            start, end = parse_time(m.group(1)), parse_time(m.group(2))
        except BadTime:
            bad.append(start_line)
            continue
        if end < start:
            bad.append(start_line)
            continue
        words = cue_text(payload)
        if words:
            cues.append(Cue(start, end, words))
    if orphans:
        warnings.append(f"{orphans} block(s) of text without a timing line were ignored")
    if not cues and not bad:
        warnings.append("no subtitle cues found (is it really a SubRip file?)")
    return finish(cues, bad, warnings, "subtitle"), warnings
