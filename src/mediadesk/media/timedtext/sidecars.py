"""Subtitle, caption and chapter files beside a video, and what their names say.

``talk.mp4`` is accompanied by ``talk.srt`` (language unknown), ``talk.pl.srt`` and
``talk.en.vtt`` (the language from the name: ISO 639-1, ``en-GB`` or ISO 639-2 ``pol``),
``talk.en.sdh.srt`` (flags after the language are allowed), ``talk.mp4.srt`` (the video's own
extension kept, as some tools write it) and ``talk.chapters.vtt`` / ``talk.en.chapters.vtt``
(WebVTT chapters). The stem is compared without regard to letter case (``MVI_0042.MP4`` with
``MVI_0042.srt``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from mediadesk.domain.errors import MediaError
from mediadesk.domain.languages import language_from_name_part
from mediadesk.domain.timed_text import ChapterList, TextTrack

from ..text_decode import decode_text
from .cues import MAX_FILE_BYTES
from .srt import parse_srt
from .webvtt import parse_chapters, parse_webvtt

TIMED_TEXT_EXTENSIONS = (".srt", ".vtt")
_CHAPTER_WORDS = frozenset({"chapters", "chapter", "chap"})


@dataclass(frozen=True)
class TimedTextName:
    """What a timed-text file's name says about it, relative to one video."""

    path: str
    format: str                 # "SRT" or "WEBVTT"
    language: str | None
    chapters: bool


def describe(path: str, video_stem: str, video_ext: str = "") -> TimedTextName | None:
    """What the file at ``path`` is for the video ``video_stem`` + ``video_ext`` (by its name
    alone); None when it is not one of that video's timed-text files."""
    base, ext = os.path.splitext(os.path.basename(path))
    ext = ext.lower()
    if ext not in TIMED_TEXT_EXTENSIONS:
        return None
    if base.lower() == video_stem.lower():
        parts: list[str] = []
    elif base.lower().startswith(video_stem.lower() + "."):
        parts = base[len(video_stem) + 1:].split(".")
    else:
        return None
    if parts and video_ext and parts[0].lower() == video_ext.lstrip(".").lower():
        parts = parts[1:]
    chapters = any(p.lower() in _CHAPTER_WORDS for p in parts)
    language = next((lang for p in parts if (lang := language_from_name_part(p))), None)
    fmt = "SRT" if ext == ".srt" else "WEBVTT"
    return TimedTextName(path, fmt, language, chapters and fmt == "WEBVTT")


def beside(video_path: str, names: list[str] | None = None) -> list[TimedTextName]:
    """The timed-text files in the video's folder that belong to it (``names``: the folder's
    listing when the caller has it); paths are full paths, sorted."""
    folder, video_name = os.path.split(video_path)
    stem, ext = os.path.splitext(video_name)
    if names is None:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            return []
    found = (describe(os.path.join(folder, name), stem, ext) for name in sorted(names))
    return [entry for entry in found if entry is not None]


def _read_bytes(path: str) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise MediaError(f"{size / 1e6:.0f} MB is too large for a subtitle file (the limit is "
                             f"{MAX_FILE_BYTES // (1024 * 1024)} MB); is it really one?")
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise MediaError(f"cannot be read ({exc.strerror or exc})") from None


def read_track(entry: TimedTextName) -> TextTrack:
    """The cues of a subtitle file. Raises MediaError only when the file cannot be read at all."""
    text, _encoding, warnings = decode_text(_read_bytes(entry.path))
    cues, parse_warnings = parse_srt(text) if entry.format == "SRT" else parse_webvtt(text)
    return TextTrack(cues=cues, language=entry.language, origin=os.path.basename(entry.path),
                     warnings=warnings + parse_warnings)


def read_chapter_file(entry: TimedTextName) -> ChapterList:
    """The chapters of a WebVTT chapters file. Raises MediaError when it cannot be read."""
    text, _encoding, warnings = decode_text(_read_bytes(entry.path))
    chapters, parse_warnings = parse_chapters(text)
    return ChapterList(chapters=chapters, origin=os.path.basename(entry.path),
                       language=entry.language, warnings=warnings + parse_warnings)


def companion_signature(video_path: str, names: list[str] | None = None) -> list[list[object]]:
    """[[name, size, mtime], ...] of the timed-text files beside a video: what the catalog keeps
    so that the next import of the folder notices a subtitle file added, changed or removed."""
    out: list[list[object]] = []
    for entry in beside(video_path, names):
        try:
            st = os.stat(entry.path)
        except OSError:
            continue
        out.append([os.path.basename(entry.path), st.st_size, round(st.st_mtime, 6)])
    return out
