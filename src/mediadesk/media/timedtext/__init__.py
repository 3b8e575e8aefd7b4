"""Timed text of videos: subtitle files (SRT, WebVTT), WebVTT chapter files, subtitle streams and
chapters inside MP4/MKV, and transcripts aligned by their timestamps (core; never imports Qt)."""

from .sidecars import (
                       TIMED_TEXT_EXTENSIONS,
                       TimedTextName,
                       beside,
                       companion_signature,
                       describe,
                       read_chapter_file,
                       read_track,
)
from .srt import parse_srt
from .streams import read_chapters, read_embedded, read_subtitle_streams
from .transcript import align_transcript
from .webvtt import chapters_vtt, parse_chapters, parse_webvtt

__all__ = [
    "TIMED_TEXT_EXTENSIONS",
    "TimedTextName",
    "align_transcript",
    "beside",
    "chapters_vtt",
    "companion_signature",
    "describe",
    "parse_chapters",
    "parse_srt",
    "parse_webvtt",
    "read_chapter_file",
    "read_chapters",
    "read_embedded",
    "read_subtitle_streams",
    "read_track",
]
