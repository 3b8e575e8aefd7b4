"""Chapters as XMP ``xmpDM:Tracks`` markers (mediadesk.media.xmp_tracks), read back by exiv2 and
exiftool."""

from __future__ import annotations

import json

import pytest

from mediadesk.domain.timed_text import Chapter
from mediadesk.media.sidecar import xmp_sidecar_bytes
from mediadesk.media.xmp import read_packet
from mediadesk.media.xmp_tracks import chapters_from_packet, with_chapter_track

from tests.support.media_fixtures import exiftool, needs_exiftool

CHAPTERS = [Chapter(0.0, 252.0, "Opening remarks"), Chapter(252.0, 570.5, "Q&A <live>")]

PREMIERE_TRACKS = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<xmpDM:Tracks><rdf:Bag>
 <rdf:li rdf:parseType="Resource"><xmpDM:trackName>Comment</xmpDM:trackName><xmpDM:trackType>Comment</xmpDM:trackType>
  <xmpDM:frameRate>f25</xmpDM:frameRate><xmpDM:markers><rdf:Seq><rdf:li rdf:parseType="Resource">
  <xmpDM:startTime>50</xmpDM:startTime><xmpDM:comment>editor's note</xmpDM:comment></rdf:li></rdf:Seq>
  </xmpDM:markers></rdf:li>
 <rdf:li rdf:parseType="Resource"><xmpDM:trackName>Chapters</xmpDM:trackName><xmpDM:trackType>Chapter</xmpDM:trackType>
  <xmpDM:frameRate>f25</xmpDM:frameRate><xmpDM:markers><rdf:Seq><rdf:li rdf:parseType="Resource">
  <xmpDM:startTime>250</xmpDM:startTime><xmpDM:name>Old chapter</xmpDM:name></rdf:li></rdf:Seq></xmpDM:markers></rdf:li>
</rdf:Bag></xmpDM:Tracks>
<dc:format>video/mp4</dc:format>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def test_chapters_go_into_a_new_sidecar_and_come_back(tmp_path):
    packet = xmp_sidecar_bytes({"title": "Joint press conference"}).decode()
    written = with_chapter_track(packet, CHAPTERS)
    assert chapters_from_packet(written) == CHAPTERS
    parsed, problems = read_packet(written.encode())       # exiv2 still reads the packet
    assert not problems and parsed


def test_another_tracks_markers_are_kept_and_the_old_chapters_replaced():
    assert chapters_from_packet(PREMIERE_TRACKS) == [Chapter(10.0, None, "Old chapter")]   # f25: 250 frames
    written = with_chapter_track(PREMIERE_TRACKS, CHAPTERS)
    assert chapters_from_packet(written) == CHAPTERS
    assert "editor's note" in written and "Old chapter" not in written
    assert "<dc:format>video/mp4</dc:format>" in written
    removed = with_chapter_track(written, [])
    assert chapters_from_packet(removed) == [] and "editor's note" in removed


def test_a_packet_without_a_description_is_refused():
    with pytest.raises(ValueError):
        with_chapter_track("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", CHAPTERS)


@needs_exiftool
def test_exiftool_reads_the_chapter_markers(tmp_path):
    sidecar = tmp_path / "press.mp4.xmp"
    sidecar.write_text(with_chapter_track(xmp_sidecar_bytes({"title": "x"}).decode(), CHAPTERS), encoding="utf-8")
    data = json.loads(exiftool("-j", "-struct", "-XMP-xmpDM:Tracks", str(sidecar)).stdout)[0]
    track = data["Tracks"][0]
    assert track["TrackType"] == "Chapter" and track["FrameRate"] == "f1000"
    assert [(m["StartTime"], m["Duration"], m["Name"]) for m in track["Markers"]] == [
        (0, 252000, "Opening remarks"), (252000, 318500, "Q&A <live>")]
