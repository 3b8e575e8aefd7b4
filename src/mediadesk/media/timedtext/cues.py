"""What SRT and WebVTT share: times, cue text without markup, and the checks on a finished list.

Times: ``HH:MM:SS,mmm`` (SRT) and ``HH:MM:SS.mmm`` / ``MM:SS.mmm`` (WebVTT); each reader takes
both separators, since files are mislabelled as often as not. Minutes and seconds over 59, a
missing field or an end before its start make a *bad timestamp*: that cue is left out and the
warning names its line, the rest of the file is read.

Cue text: markup is removed for search and display (``<i>``, ``<b>``, ``<font>``, WebVTT class
and time tags, SSA ``{\\an8}`` overrides); a WebVTT voice ``<v Mark Rutte>`` becomes
``Mark Rutte: `` before the words, so a search for the speaker finds what was said; character
references are decoded once (``&amp;`` -> ``&``), nothing else is expanded.
"""

from __future__ import annotations

import html
import re
import unicodedata

from mediadesk.domain.timed_text import Cue

MAX_FILE_BYTES = 32 * 1024 * 1024     # a 3-hour film's subtitles are ~200 KB
MAX_CUES = 200_000
MAX_CUE_CHARS = 2_000
MAX_LISTED = 5                        # bad lines named in one warning

_TIME = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[,.](\d{1,3}))?")
# a timing line: two times around an arrow, then (WebVTT) cue settings; the times are checked apart
TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(.*)$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>\n]{0,200}>|<\d[\d:.]*>")
_SSA = re.compile(r"\{\\[^}\n]{0,200}\}")
_SPACES = re.compile(r"[ \t]+")


class BadTime(ValueError):
    """A timestamp that is not a time (``00:61:00,000``, ``1.5``, ``--:--``)."""


def parse_time(text: str) -> float:
    """Seconds from ``[H:]MM:SS[,.]mmm``; raises BadTime."""
    m = _TIME.fullmatch(text.strip())
    if not m:
        raise BadTime(text)
    hours, minutes, seconds, millis = m.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise BadTime(text)
    ms = int((millis or "0").ljust(3, "0"))
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + ms / 1000.0


def cue_text(lines: list[str]) -> str:
    """The words of a cue's payload lines, without markup; NFC."""
    out: list[str] = []
    for line in lines:
        voice = _VOICE.search(line)
        line = _VOICE.sub("", line)
        line = _SSA.sub("", _TAG.sub("", line))
        line = html.unescape(line).replace("\u00a0", " ").replace("\u200e", "").replace("\u200f", "")
        line = _SPACES.sub(" ", line).strip()
        if voice and line:
            speaker = _SPACES.sub(" ", html.unescape(voice.group(1))).strip()
            if speaker and not line.startswith(speaker):
                line = f"{speaker}: {line}"
        if line:
            out.append(line)
    return unicodedata.normalize("NFC", "\n".join(out))[:MAX_CUE_CHARS]


def listed(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:MAX_LISTED])
    return shown + (f" and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else "")


def finish(cues: list[Cue], bad_lines: list[int], warnings: list[str], what: str) -> list[Cue]:
    """Sort the cues by time and add the warnings about what was left out or overlaps."""
    if bad_lines:
        warnings.append(f"{len(bad_lines)} {what} cue(s) left out: bad timestamp at line(s) "
                        f"{listed(bad_lines)} (a time reads like 00:02:31,500 or 00:02:31.500, and a "
                        "cue must not end before it starts)")
    cues.sort(key=lambda c: (c.start, c.end))
    overlaps = sum(1 for a, b in zip(cues, cues[1:], strict=False) if b.start < a.end - 0.001)
    if overlaps:
        warnings.append(f"{overlaps} cue(s) start before the previous one ends; both are kept and "
                        "shown together")
    if len(cues) > MAX_CUES:
        warnings.append(f"{len(cues):,} cues; only the first {MAX_CUES:,} are kept")
        del cues[MAX_CUES:]
    return cues
