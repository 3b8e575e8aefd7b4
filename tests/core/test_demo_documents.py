"""The demo's press releases (demo/documents.py): parsed from the seed text, written as
PDF and HTML that the document extractors read back, and the Remarks as a timed transcript."""

from __future__ import annotations

from mediadesk.demo.documents import (
    press_release_pdf,
    press_releases,
    release,
    release_html,
    release_pdf,
    timed_transcript,
)
from mediadesk.media.formats.document import read_document as extract_document
from mediadesk.media.timedtext import align_transcript


def test_the_seed_page_gives_ten_releases_with_their_source_and_dates():
    releases = press_releases()
    assert len(releases) == 10
    assert releases[0].title == "NATO Secretary General meets the President of the Republic of Serbia"
    assert all(r.source == "NATO" for r in releases)
    assert release("NATO Chiefs of Defence’s (virtual) meeting").date == "2025-03-18"
    assert release("Remarks").paragraphs[0].startswith("First of all, thank you so much, Mr President")
    assert len({r.slug for r in releases}) == 10


def test_release_pdf_reads_back_and_is_the_same_every_time(tmp_path):
    item = release("NATO Secretary General visits Thales Herstal factory")
    data, warnings = release_pdf(item)
    assert data == release_pdf(item)[0] and not warnings
    path = tmp_path / "herstal.pdf"
    path.write_bytes(data)
    info, thumb = extract_document(str(path), "PDF")
    assert info.title == item.title and info.author == "NATO Press Office" and info.source == "NATO"
    assert info.date == "2025-03-27T12:00:00+01:00" and info.language == "en" and info.page_count == 1
    assert "ramp up defence production in an increasingly turbulent security environment" in " ".join(
        info.text.split())
    assert thumb


def test_a_long_release_runs_to_several_pages(tmp_path):
    item = release("NATO reaffirms its commitment to Western Balkans stability, as Secretary General Rutte "
                   "wraps up visits to Sarajevo and Pristina")
    data, _ = press_release_pdf(item.title, item.paragraphs * 3, date="2025-03-11")
    (tmp_path / "long.pdf").write_bytes(data)
    info, _ = extract_document(str(tmp_path / "long.pdf"), "PDF")
    assert info.page_count >= 2 and "Page 2 of" in info.pages[1]


def test_release_html_reads_back_escaped(tmp_path):
    item = release("NATO Secretary General meets the Minister of Foreign Affairs of the Republic of Lithuania")
    path = tmp_path / "lt.html"
    path.write_bytes(release_html(item))
    info, _ = extract_document(str(path), "HTML")
    assert info.title == item.title and info.date == "2025-03-17" and info.language == "en"
    assert "Kęstutis Budrys" in info.text and "<p>" not in info.text


def test_the_remarks_become_a_transcript_aligned_to_its_video():
    text, seconds = timed_transcript(release("Remarks"))
    track = align_transcript(text, seconds, language="en")
    assert track is not None and 120 < seconds < 240
    hit = next(c for c in track.cues if "We’ll also discuss defence production" in c.text)
    assert 60 < hit.start < hit.end < seconds
    assert track.cues[0].start == 4.0 and track.cues[-1].end == seconds
