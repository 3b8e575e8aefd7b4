"""Timed text (mediadesk.media.timedtext) on files the tests build: SRT and WebVTT with BOMs,
bad timestamps and overlapping cues, chapter files, subtitle streams and chapters inside MKV
and MP4, transcripts with timestamps, and the names that give a language."""

from __future__ import annotations

import subprocess

import pytest

from mediadesk.domain.languages import language_from_name_part, normalise_language
from mediadesk.domain.timed_text import Chapter, clock, close_chapters
from mediadesk.media.text_decode import decode_text
from mediadesk.media.timedtext import (
    align_transcript,
    beside,
    chapters_vtt,
    describe,
    parse_chapters,
    parse_srt,
    parse_webvtt,
    read_chapter_file,
    read_embedded,
    read_track,
)

from tests.support.timed_text_fixtures import (
    CHAPTERS_VTT,
    MESSY_SRT,
    MESSY_VTT,
    needs_ffmpeg,
    video_with_subtitles,
    write_text,
)


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16", None])
def test_messy_srt_keeps_good_cues_and_names_the_bad_ones(tmp_path, bom):
    path = write_text(tmp_path / "remarks.srt", MESSY_SRT.replace("\n", "\r\n"), bom=bom)
    track = read_track(describe(str(path), "remarks"))
    texts = [c.text for c in track.cues]
    assert texts == ["First of all, thank you so much, Mr President",
                     "We'll also discuss defence production,",
                     "because we need to produce more weaponry.",
                     "Kill the red tape & ramp up",
                     "Dziękuję bardzo, Łódź"]
    assert track.cues[1].start == 5.0 and track.cues[1].end == 9.0
    assert track.cues[3].start == pytest.approx(31.2)
    assert not track.cues[0].text.startswith("\ufeff")
    joined = " | ".join(track.warnings)
    assert "2 subtitle cue(s) left out: bad timestamp at line(s) 14, 18" in joined
    assert "1 cue(s) start before the previous one ends" in joined


def test_messy_webvtt_voices_markup_settings_and_bad_times(tmp_path):
    path = write_text(tmp_path / "remarks.en.vtt", MESSY_VTT)
    entry = describe(str(path), "remarks", ".mp4")
    assert entry.language == "en" and entry.format == "WEBVTT" and not entry.chapters
    track = read_track(entry)
    assert [c.text for c in track.cues] == [
        "Mark Rutte: First of all, thank you so much, Mr President",
        "We'll also discuss defence production,",
        "because we need to produce more weaponry.",
        "Europeans buying four times more here than the other way around"]
    assert track.cues[1].start == 5.0                   # MM:SS.mmm without hours
    assert track.cues[3].start == 151.0 and clock(track.cues[3].start) == "2:31"
    assert any("bad timestamp at line(s) 20 " in w for w in track.warnings)


def test_webvtt_without_signature_is_read_with_a_warning():
    cues, warnings = parse_webvtt("00:00:01.000 --> 00:00:02.000\nhello\n")
    assert [c.text for c in cues] == ["hello"] and "WEBVTT" in warnings[0]


def test_srt_that_is_not_subtitles():
    cues, warnings = parse_srt("just some text\nwith lines\n")
    assert cues == [] and any("without a timing line" in w for w in warnings)


def test_chapter_file_and_writer_round_trip(tmp_path):
    path = write_text(tmp_path / "press.chapters.vtt", CHAPTERS_VTT)
    entry = describe(str(path), "press", ".mkv")
    assert entry.chapters
    chapters = read_chapter_file(entry).chapters
    assert chapters == [Chapter(0.0, 2.0, "Opening remarks"), Chapter(2.0, 4.0, "Q&A")]
    written = chapters_vtt(chapters + [Chapter(4.0, 5.0, "R&D <plans> --> next")])
    again, warnings = parse_chapters(written)
    assert [c.title for c in again] == ["Opening remarks", "Q&A", "R&D <plans> --> next"]
    assert not warnings and written.startswith("WEBVTT\n")


def test_close_chapters_fills_open_ends():
    closed = close_chapters([Chapter(252, None, "Q&A"), Chapter(0, None, "Opening remarks")], 570)
    assert closed == [Chapter(0, 252, "Opening remarks"), Chapter(252, 570, "Q&A")]


def test_names_beside_a_video(tmp_path):
    for name in ("talk.mp4", "talk.srt", "talk.pl.srt", "talk.en.vtt", "TALK.mp4.de.srt", "talk.en.sdh.srt",
                 "talk.chapters.vtt", "talk.final.srt", "talkshow.srt", "other.pl.srt", "talk.pol.vtt"):
        (tmp_path / name).write_text("")
    found = {e.path.rsplit("/", 1)[1]: (e.language, e.chapters) for e in beside(str(tmp_path / "talk.mp4"))}
    assert found == {"talk.srt": (None, False), "talk.pl.srt": ("pl", False), "talk.en.vtt": ("en", False),
                     "TALK.mp4.de.srt": ("de", False), "talk.en.sdh.srt": ("en", False),
                     "talk.chapters.vtt": (None, True), "talk.final.srt": (None, False),
                     "talk.pol.vtt": ("pl", False)}


def test_language_tags():
    assert normalise_language("eng") == "en" and normalise_language("pl_PL") == "pl-PL"
    assert normalise_language("und") is None and normalise_language("x y") is None
    assert normalise_language("sr-latn-rs") == "sr-Latn-RS"
    assert language_from_name_part("sdh") is None and language_from_name_part("cut") is None
    assert language_from_name_part("pol") == "pl" and language_from_name_part("en-GB") == "en-GB"


def test_text_decoding_guesses_and_says_so():
    text, encoding, warnings = decode_text("Łódź".encode("cp1250"))
    assert text == "Łódź" and encoding == "cp1250" and warnings
    text, encoding, warnings = decode_text("défense".encode("cp1252"))
    assert text == "défense" and encoding == "cp1252"
    text, encoding, _ = decode_text(b"a\x00b\x1b[31mc")
    assert text == "ab[31mc"                     # no escape sequence survives


def test_transcript_aligned_by_its_timestamps():
    track = align_transcript("Remarks\nSource: NATO\n\n[00:00:05] First of all, thank you so much.\n"
                             "More of the same paragraph.\n(2:31) We'll also discuss defence production\n"
                             "1:00 a time going backwards is text\n[2:45] And finally, Ukraine.\n",
                             duration=200.0, language="en", origin="remarks.txt")
    assert track is not None and track.kind == "transcript"
    assert [(c.start, c.end) for c in track.cues] == [(5.0, 151.0), (151.0, 165.0), (165.0, 200.0)]
    assert track.cues[0].text == "First of all, thank you so much. More of the same paragraph."
    assert "a time going backwards is text" in track.cues[1].text
    assert any("earlier than the one before" in w for w in track.warnings)
    assert align_transcript("No timestamps at all.\nJust prose.") is None


@needs_ffmpeg
@pytest.mark.parametrize("suffix,language,expected", [(".mkv", "pol", "pl"), (".mp4", "eng", "en")])
def test_subtitle_stream_and_chapters_inside_the_video(tmp_path, suffix, language, expected):
    srt = "1\n00:00:00,500 --> 00:00:01,500\nDzień dobry, <i>Warszawa</i>\n\n2\n00:00:02,000 --> 00:00:03,500\n" \
          "We'll also discuss defence production\n"
    path = video_with_subtitles(tmp_path / f"conference{suffix}", srt, language=language)
    tracks, chapters, warnings = read_embedded(str(path))
    assert not warnings
    assert len(tracks) == 1 and tracks[0].language == expected
    assert [(c.start, c.end, c.text) for c in tracks[0].cues] == [
        (0.5, 1.5, "Dzień dobry, Warszawa"), (2.0, 3.5, "We'll also discuss defence production")]
    assert chapters is not None
    assert [(c.start, c.end, c.title) for c in chapters.chapters] == [
        (0.0, 2.0, "Opening remarks"), (2.0, 4.0, "Q&A")]


@needs_ffmpeg
def test_video_without_subtitles_or_chapters(tmp_path):
    path = video_with_subtitles(tmp_path / "plain.mkv", "1\n00:00:00,000 --> 00:00:01,000\nx\n", chapters=False)
    stripped = tmp_path / "nosubs.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(path), "-map", "0:v", "-map_chapters", "-1",
                    "-c", "copy", str(stripped)],
                   check=True)
    tracks, chapters, warnings = read_embedded(str(stripped))
    assert tracks == [] and chapters is None and warnings == []


def test_chapter_edits_leave_no_gap():
    from mediadesk.domain.timed_text import add_chapter, delete_chapter, rename_chapter
    chapters = [Chapter(0.0, 252.0, "Opening remarks"), Chapter(252.0, 570.0, "Q&A")]
    added = add_chapter(chapters, 300.0, "  Second   question ", 570.0)
    assert added == [Chapter(0.0, 252.0, "Opening remarks"), Chapter(252.0, 300.0, "Q&A"),
                     Chapter(300.0, 570.0, "Second question")]
    assert add_chapter([], 10.0, "Start", 60.0) == [Chapter(10.0, 60.0, "Start")]
    assert add_chapter([Chapter(30.0, 60.0, "Later")], 10.0, "Early", 60.0) == [
        Chapter(10.0, 30.0, "Early"), Chapter(30.0, 60.0, "Later")]
    for bad in (-1.0, 570.0, 252.2):
        with pytest.raises(ValueError):
            add_chapter(chapters, bad, "x", 570.0)
    with pytest.raises(ValueError):
        add_chapter(chapters, 10.0, "   ", 570.0)
    assert rename_chapter(added, 1, "Questions")[1].title == "Questions"
    assert delete_chapter(added, 1) == [Chapter(0.0, 300.0, "Opening remarks"),
                                        Chapter(300.0, 570.0, "Second question")]
    assert delete_chapter(added, 0)[0] == Chapter(252.0, 300.0, "Q&A")
