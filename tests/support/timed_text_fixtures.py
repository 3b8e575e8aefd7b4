"""Subtitle, chapter and video files the tests build: SRT and WebVTT with byte-order marks, bad
timestamps and overlapping cues; MKV and MP4 with a text subtitle stream and chapters (ffmpeg)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FFMPEG = shutil.which("ffmpeg")
needs_ffmpeg = pytest.mark.skipif(FFMPEG is None, reason="ffmpeg not installed")

# cue 3 overlaps cue 2; cue 4 has a minute of 61; cue 5 ends before it starts; cue 6 has no blank
# line before the next one
MESSY_SRT = """1
00:00:01,000 --> 00:00:04,000
First of all, thank you so much, <i>Mr President</i>

2
00:00:05,000 --> 00:00:09,000
We'll also discuss defence production,

3
00:00:08,500 --> 00:00:12,000
because we need to produce more weaponry.

4
00:61:00,000 --> 00:61:02,000
this cue has a bad timestamp

5
00:00:20,000 --> 00:00:19,000
this cue ends before it starts

6
00:00:31.200 --> 00:00:34,000
Kill the red tape &amp; ramp up
7
00:00:35,000 --> 00:00:37,000
Dziękuję bardzo, Łódź
"""

MESSY_VTT = """WEBVTT - Remarks
Kind: captions
Language: en

NOTE the speaker is the Secretary General

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:04.000 align:start line:90%
<v Mark Rutte>First of all, thank you so much, Mr President</v>

00:05.000 --> 00:09.000
We'll also discuss <b>defence production</b>,

00:00:08.500 --> 00:00:12.000
because we need to produce more weaponry.

00:00:99.000 --> 00:01:02.000
bad seconds

00:02:31.000 --> 00:02:34.500
Europeans buying four times more here than the other way around
"""

CHAPTERS_VTT = """WEBVTT

1
00:00:00.000 --> 00:00:02.000
Opening remarks

2
00:00:02.000 --> 00:00:04.000
Q&amp;A
"""


def write_text(path: Path, text: str, *, bom: str | None = "utf-8-sig") -> Path:
    """``bom``: "utf-8-sig" (UTF-8 with BOM), "utf-16" (UTF-16 LE with BOM), None (UTF-8)."""
    path.write_bytes(text.encode(bom or "utf-8"))
    return path


FFMETADATA = """;FFMETADATA1
title=Joint press conference
[CHAPTER]
TIMEBASE=1/1000
START=0
END=2000
title=Opening remarks
[CHAPTER]
TIMEBASE=1/1000
START=2000
END=4000
title=Q&A
"""


def video_with_subtitles(path: Path, srt_text: str, *, language: str = "pol", title: str = "Polski",
                         chapters: bool = True, seconds: int = 4) -> Path:
    """An MKV (``path`` ending .mkv, SubRip stream) or MP4 (.mp4, mov_text stream) of ``seconds``
    seconds with one subtitle stream and, when asked, the two chapters of FFMETADATA."""
    assert FFMPEG
    work = path.parent
    srt = work / (path.stem + ".input.srt")
    srt.write_text(srt_text, encoding="utf-8")
    meta = work / (path.stem + ".ffmeta")
    meta.write_text(FFMETADATA, encoding="utf-8")
    codec = "srt" if path.suffix == ".mkv" else "mov_text"
    cmd = [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i",
           f"testsrc=size=160x90:rate=10:duration={seconds}", "-i", str(srt), "-i", str(meta),
           "-map", "0", "-map", "1"]
    if chapters:
        cmd += ["-map_chapters", "2", "-map_metadata", "2"]
    cmd += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:s", codec,
            "-metadata:s:s:0", f"language={language}", "-metadata:s:s:0", f"title={title}", str(path)]
    subprocess.run(cmd, check=True, capture_output=True)
    srt.unlink()
    meta.unlink()
    return path
