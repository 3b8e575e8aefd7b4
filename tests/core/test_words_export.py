"""Issue 16 in export bundles: linked documents go when chosen (decided by their own rights,
their note in an XMP sidecar), a video's chapters travel as NAME.chapters.vtt and as xmpDM:Tracks
markers in its sidecar, and `mediadesk verify` passes such a bundle and catches lies about it."""

from __future__ import annotations

import json

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.cli.main import main
from mediadesk.media.timedtext import parse_chapters

from tests.support.document_fixtures import text_pdf
from tests.support.media_fixtures import exiftool, needs_exiftool
from tests.support.timed_text_fixtures import needs_ffmpeg, video_with_subtitles

PROFILE = "Editorial only (NATO media)"


def _run(capsys, *args):
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def library(tmp_path, capsys):
    folder = tmp_path / "event"
    folder.mkdir()
    video_with_subtitles(folder / "conference.mkv", "1\n00:00:01,000 --> 00:00:02,000\nDzień dobry\n")
    text_pdf(folder / "release.pdf", ["Joint press conference\n\nSource: NATO\n\nThe leaders met."],
             title="Joint press conference")
    text_pdf(folder / "internal.pdf", ["Internal note\n\nNot for the press."], title="Internal note")
    catalog = tmp_path / "c.mediadesk"
    assert _run(capsys, "--catalog", str(catalog), "import", str(folder))[0] == 0
    cat = Catalog(catalog)
    ids = {a.file_name: a.id for a in cat.assets.get_many(cat.assets.all_ids())}
    cat.close()
    c = ["--catalog", str(catalog)]
    assert _run(capsys, *c, "rights", "assign", PROFILE, str(ids["conference.mkv"]), str(ids["release.pdf"]))[0] == 0
    assert _run(capsys, *c, "link", str(ids["release.pdf"]), str(ids["conference.mkv"]))[0] == 0
    assert _run(capsys, *c, "link", str(ids["internal.pdf"]), str(ids["conference.mkv"]))[0] == 0
    assert _run(capsys, *c, "chapters", str(ids["conference.mkv"]), "--rename", "2", "Questions & answers")[0] == 0
    return c, ids


@needs_ffmpeg
@needs_exiftool
def test_documents_and_chapters_travel_and_verify(library, tmp_path, capsys):
    c, ids = library
    out = tmp_path / "bundle"
    code, text, err = _run(capsys, *c, "export", "--purpose", "editorial-online", "--out", str(out),
                           "--with-documents", "--json", str(ids["conference.mkv"]))
    data = json.loads(text)
    assert code == 3, err                                 # the internal note has no profile: blocked
    assert sorted(e["id"] for e in data["exported"]) == sorted([ids["conference.mkv"], ids["release.pdf"]])
    assert [b["id"] for b in data["blocked"]] == [ids["internal.pdf"]]
    manifest = json.loads((out / "manifest.json").read_text())
    roles = {e["file"]: (e["role"], e.get("kind")) for e in manifest["files"]}
    document = next(f for f, (role, kind) in roles.items() if kind == "document")
    video = next(f for f, (role, kind) in roles.items() if kind == "video")
    assert roles[f"{video}.chapters.vtt"] == ("chapters", None)
    assert roles[f"{document}.xmp"] == ("sidecar", None)
    assert (out / document).read_bytes() == (tmp_path / "event" / "release.pdf").read_bytes()   # untouched
    chapters, warnings = parse_chapters((out / f"{video}.chapters.vtt").read_text(encoding="utf-8"))
    assert [(c.start, c.end, c.title) for c in chapters] == [(0.0, 2.0, "Opening remarks"),
                                                            (2.0, 4.0, "Questions & answers")]
    tracks = json.loads(exiftool("-j", "-struct", "-XMP-xmpDM:Tracks", str(out / f"{video}.xmp")).stdout)[0]
    markers = tracks["Tracks"][0]["Markers"]
    assert [(m["StartTime"], m["Name"]) for m in markers] == [(0, "Opening remarks"), (2000, "Questions & answers")]
    note = json.loads(exiftool("-j", "-XMP-xmpRights:UsageTerms", str(out / f"{document}.xmp")).stdout)[0]
    assert note["UsageTerms"].startswith("This media asset is free for editorial")
    code, text, err = _run(capsys, "verify", str(out), "--json")
    assert code == 0, text
    # a lie about the chapters file is caught: a photo's bytes where the chapters were
    (out / f"{video}.chapters.vtt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    code, text, _ = _run(capsys, "verify", str(out), "--json")
    assert code == 1
    assert f"{video}.chapters.vtt: listed as a chapters file, but it is not WebVTT (it is a photo, JPEG, and " \
        "would need the rights note)" in json.loads(text)["problems"]


@needs_ffmpeg
def test_without_the_option_documents_stay_home(library, tmp_path, capsys):
    c, ids = library
    out = tmp_path / "plain"
    code, text, _ = _run(capsys, *c, "export", "--purpose", "editorial-online", "--out", str(out), "--json",
                         str(ids["conference.mkv"]))
    assert code == 0 and [e["id"] for e in json.loads(text)["exported"]] == [ids["conference.mkv"]]
