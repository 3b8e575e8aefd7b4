"""Issue 16 end to end: documents and timed text imported from files the tests make, and found
by search with the same rules as metadata (CLI and services, on both engines: a SQLite file and a
team catalog on a real PostgreSQL; real subprocess-free import of real files)."""

from __future__ import annotations

import json
import unicodedata

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.cli.main import main
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.query import parse_query
from mediadesk.services import chapters as chapter_edits
from mediadesk.services.edits import undo
from mediadesk.services.importer import import_paths
from mediadesk.services.links import link
from mediadesk.services.search_words import matches_for

from tests.support.document_fixtures import docx, hostile_html, odt, scanned_pdf, text_pdf
from tests.support.timed_text_fixtures import (
    CHAPTERS_VTT,
    MESSY_SRT,
    MESSY_VTT,
    needs_ffmpeg,
    video_with_subtitles,
    write_text,
)

BODY_ONLY = "quarterly interoperability benchmarks"          # only on page 2 of the PDF
SUBTITLE_ONLY = "Europeans buying four times more here"       # only in the English WebVTT (2:31)
STREAM_ONLY = "produkcja obronna"                             # only in the MKV's Polish stream


@pytest.fixture
def press_folder(tmp_path):
    folder = tmp_path / "press"
    folder.mkdir()
    text_pdf(folder / "release.pdf", ["NATO Secretary General visits Thales Herstal factory\n\nSource: NATO\n\n"
                                      "On Thursday (27 March 2025) Mr Rutte toured the factory.",
                                      f"The {BODY_ONLY} were discussed in Herstal."],
             title="NATO Secretary General visits Thales Herstal factory", author="NATO Press Office")
    scanned_pdf(folder / "scan.pdf", ["A scanned statement"])
    text_pdf(folder / "secret.pdf", ["locked words"], user_password="s3cret")
    docx(folder / "chiefs.docx", ["Source: NATO", "Brussels, NATO HQ, 18 March 2025 – the Chiefs of Defence met."],
         heading="NATO Chiefs of Defence’s (virtual) meeting")
    odt(folder / "lithuania.odt", ["Source: NATO", "On Monday, 17 March 2025, Mr Rutte will meet Mr Kęstutis Budrys."],
        heading="NATO Secretary General meets the Minister of Foreign Affairs of Lithuania", language="en-GB")
    hostile_html(folder / "thales.html")
    (folder / "notes.md").write_text("# Speaking notes\n\nŁódź and Vučić, spelled as they are.\n", encoding="utf-8")
    (folder / "readme.txt").write_text("Polish desk\n\nSekretarz Generalny NATO spotkał się z premierem w Warszawie "
                                       "i rozmawiał o obronności.\n", encoding="utf-8")
    return folder


@pytest.fixture
def video_folder(tmp_path):
    folder = tmp_path / "video"
    folder.mkdir()
    srt = "1\n00:00:01,000 --> 00:00:02,500\nDzień dobry\n\n2\n00:00:02,500 --> 00:00:03,500\n" \
          f"{STREAM_ONLY}\n"
    video_with_subtitles(folder / "remarks.mkv", srt, language="pol", title="Polski")
    write_text(folder / "remarks.en.vtt", MESSY_VTT)                   # BOM, bad time, overlap
    write_text(folder / "remarks.de.srt", MESSY_SRT, bom="utf-16")
    write_text(folder / "stray.en.srt", MESSY_SRT)                     # no video of that name
    return folder


def _ids(catalog, text):
    return catalog.index.ids(parse_query(text))


def _by_name(catalog):
    return {a.file_name: a for a in catalog.assets.get_many(catalog.assets.all_ids())}


def test_every_document_is_catalogued_and_the_bad_ones_say_why(catalog, press_folder):
    report = import_paths(catalog, [str(press_folder)], workers=0)
    assert report.imported == 8 and report.failed == 0, report.to_json()
    assets = _by_name(catalog)
    assert {a.kind for a in assets.values()} == {"document"}
    warnings = {w["path"].rsplit("/", 1)[1]: w["warning"] for w in report.warnings}
    assert "scanned" in warnings["scan.pdf"] and "password" in warnings["secret.pdf"]
    release = assets["release.pdf"]
    assert release.title == "NATO Secretary General visits Thales Herstal factory"
    assert release.page_count == 2 and release.language == "en" and release.source == "NATO"
    assert release.field_sources["title"] == "document" and release.has_thumbnail
    assert assets["lithuania.odt"].language == "en-GB"
    assert assets["readme.txt"].language == "pl" and assets["readme.txt"].title == "Polish desk"
    assert assets["thales.html"].date_created == "2025-03-27T12:00:00+01:00"
    document = catalog.words.document(release.id)
    assert document is not None and document.paged and BODY_ONLY in document.pages[1]
    catalog.close()


def test_a_phrase_only_in_a_pdf_body_finds_the_pdf(catalog, press_folder, capsys):
    text_pdf(press_folder / "statement.pdf", ["Statement on the single-page agreement reached in Vilnius."])
    import_paths(catalog, [str(press_folder)], workers=0)
    release = _by_name(catalog)["release.pdf"]
    assert _ids(catalog, f'"{BODY_ONLY}"') == [release.id]
    assert _ids(catalog, "interop bench") == [release.id]                       # prefixes
    assert _ids(catalog, f'text:"{BODY_ONLY}"') == [release.id]
    assert _ids(catalog, "script words") == [] and _ids(catalog, "locked") == []  # not text
    for spelling in ("vucic", "VUČIĆ", unicodedata.normalize("NFD", "Vučić"), "łodz"):
        assert _by_name(catalog)["notes.md"].id in _ids(catalog, spelling), spelling
    found = matches_for(catalog, parse_query(f'"{BODY_ONLY}"'), [release.id])[release.id]
    assert [(m.field, m.page) for m in found] == [("text", 2)]
    assert f"**{BODY_ONLY}**" in found[0].snippet
    statement = _by_name(catalog)["statement.pdf"]     # a PDF of one page still has page 1
    found = matches_for(catalog, parse_query("agreement"), [statement.id])[statement.id]
    assert [(m.field, m.page) for m in found] == [("text", 1)]
    notes = _by_name(catalog)["notes.md"]               # text without pages has no page number
    assert [m.page for m in matches_for(catalog, parse_query("spelled"), [notes.id])[notes.id]] == [None]
    catalog.close()
    capsys.readouterr()
    assert main(["--catalog", catalog.target, "search", f'"{BODY_ONLY}"', "kind:document"]) == 0
    out = capsys.readouterr().out
    assert f"[p. 2] The {BODY_ONLY} were discussed in Herstal." in out


@needs_ffmpeg
def test_a_phrase_only_in_a_subtitle_finds_the_video_at_its_second(catalog, video_folder, capsys):
    report = import_paths(catalog, [str(video_folder)], workers=0)
    assert report.imported == 1 and report.unsupported == 0, report.to_json()
    assert [s["path"].rsplit("/", 1)[1] for s in report.skipped] == ["stray.en.srt"]
    warned = " ".join(w["warning"] for w in report.warnings)
    assert "remarks.en.vtt: 1 subtitle cue(s) left out: bad timestamp at line(s) 20" in warned
    assert "remarks.de.srt: 2 subtitle cue(s) left out: bad timestamp at line(s) 14, 18" in warned
    assert "remarks.de.srt: 1 cue(s) start before the previous one ends" in warned
    video = _by_name(catalog)["remarks.mkv"]
    tracks = {t.origin: t for _, t in catalog.words.tracks(video.id)}
    assert set(tracks) == {"remarks.en.vtt", "remarks.de.srt", "stream 1"}
    assert tracks["stream 1"].language == "pl" and tracks["remarks.de.srt"].language == "de"
    assert [c.title for _, c in catalog.words.chapters(video.id)] == ["Opening remarks", "Q&A"]
    assert _ids(catalog, f'"{SUBTITLE_ONLY}"') == [video.id]
    found = matches_for(catalog, parse_query(f'"{SUBTITLE_ONLY}"'), [video.id])[video.id]
    assert [(m.field, m.start, m.end, m.language) for m in found] == [("subtitles", 151.0, 154.5, "en")]
    for query in ("has:subtitles", "lang:pl", "lang:de", 'chapter:"Q&A"', f'subtitle:"{STREAM_ONLY}"',
                  "kind:video has:chapters"):
        assert _ids(catalog, query) == [video.id], query
    assert _ids(catalog, "lang:fr") == [] and _ids(catalog, "has:transcript") == []
    assert _ids(catalog, 'chapter:"defence"') == []
    catalog.close()
    capsys.readouterr()
    args = ["--catalog", catalog.target, "search", f'"{SUBTITLE_ONLY}"']
    assert main(args) == 0
    assert f"[2:31] {SUBTITLE_ONLY} than the other way around" in capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)[0]
    assert result["matches"] == [{"field": "subtitles", "snippet": f"**{SUBTITLE_ONLY}** than the other way around",
                                  "start": 151.0, "end": 154.5, "language": "en"}]


@needs_ffmpeg
def test_changed_subtitle_files_are_read_again_and_typed_chapters_stay(catalog, video_folder):
    import_paths(catalog, [str(video_folder)], workers=0)
    video = _by_name(catalog)["remarks.mkv"]
    chapter_edits.rename(catalog, video.id, 1, "Questions and answers")
    (video_folder / "remarks.de.srt").unlink()
    write_text(video_folder / "remarks.chapters.vtt", CHAPTERS_VTT)
    write_text(video_folder / "remarks.fr.srt", "1\n00:00:05,000 --> 00:00:06,000\nla production de défense\n")
    report = import_paths(catalog, [str(video_folder)], workers=0)
    assert report.unchanged == 1 and report.imported == 0
    origins = {t.origin for _, t in catalog.words.tracks(video.id)}
    assert origins == {"remarks.en.vtt", "remarks.fr.srt", "stream 1"}
    assert _ids(catalog, "lang:fr") == [video.id] and _ids(catalog, "lang:de") == []
    # the person's chapters win over the new chapters file
    assert [c.title for _, c in catalog.words.chapters(video.id)] == ["Opening remarks", "Questions and answers"]
    undo(catalog)
    assert [c.title for _, c in catalog.words.chapters(video.id)] == ["Opening remarks", "Q&A"]
    again = import_paths(catalog, [str(video_folder / "remarks.fr.srt")], workers=0)   # a subtitle file as root
    assert again.failed == 0 and again.unsupported == 0
    catalog.close()


@needs_ffmpeg
def test_a_transcript_beside_its_video_is_linked_and_timed(catalog, video_folder):
    (video_folder / "remarks.en.transcript.txt").write_text(
        "Remarks\nSource: NATO\n\n[0:00:01] First of all, thank you so much, Mr President.\n"
        "[0:00:03] We'll also discuss defence production.\n", encoding="utf-8")
    import_paths(catalog, [str(video_folder)], workers=0)
    assets = _by_name(catalog)
    video, transcript = assets["remarks.mkv"], assets["remarks.en.transcript.txt"]
    assert catalog.words.links(video.id) == [transcript.id]
    timed = [t for _, t in catalog.words.tracks(video.id) if t.kind == "transcript"]
    assert len(timed) == 1 and [(c.start, c.end) for c in timed[0].cues] == [(1.0, 3.0), (3.0, 4.0)]
    assert _ids(catalog, "has:transcript") == [video.id]
    assert _ids(catalog, "has:subtitles") == [video.id]   # a timed transcript is shown over the picture too
    hit = matches_for(catalog, parse_query("defence production"), [video.id])[video.id]
    assert ("transcript", 3.0) in [(m.field, m.start) for m in hit]
    catalog.close()


def test_link_both_ways_undo_and_refusals(catalog, press_folder, capsys):
    import_paths(catalog, [str(press_folder)], workers=0)
    assets = _by_name(catalog)
    release, notes, html = assets["release.pdf"], assets["notes.md"], assets["thales.html"]
    catalog.close()
    path = catalog.target
    capsys.readouterr()
    assert main(["--catalog", path, "link", str(release.id), str(html.id), str(notes.id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["linked"] == sorted([html.id, notes.id])
    assert main(["--catalog", path, "show", str(html.id), "--json"]) == 0
    assert [x["id"] for x in json.loads(capsys.readouterr().out)["links"]] == [release.id]
    assert main(["--catalog", path, "search", "has:links", "--json"]) == 0
    assert sorted(a["id"] for a in json.loads(capsys.readouterr().out)) == sorted([release.id, html.id, notes.id])
    assert main(["--catalog", path, "undo"]) == 0
    capsys.readouterr()
    assert main(["--catalog", path, "search", "has:links", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    catalog = Catalog(path)                     # the same catalog, opened again after the CLI
    assert catalog.words.links(release.id) == []
    with pytest.raises(NotFound, match="no asset with id 999999"):
        link(catalog, 999999, [release.id])
    with pytest.raises(InvalidInput, match="no asset with id 999999"):
        link(catalog, release.id, [999999])
    catalog.close()
    assert main(["--catalog", path, "link", str(release.id), str(release.id)]) == 2
    assert "cannot be linked to itself" in capsys.readouterr().err
