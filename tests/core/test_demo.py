"""The demo library: made on this machine, imported through the real import path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from mediadesk import demo
from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.demo import content
from mediadesk.domain.query import parse_query
from mediadesk.jobs import Job
from mediadesk.media import probe

EDITORIAL = "Editorial only (NATO media)"
NOTE = ("This media asset is free for editorial broadcast, print, online and radio use. "
        "It is restricted for use for other purposes.")
CAPTION = "NATO Secretary General Mark Rutte with Andrzej Duda, President of Poland"
OPENING = "Joint press conference by NATO Secretary General and the President of Poland (opening remarks)"
QA = "Joint press conference by NATO Secretary General and the President of Poland (Q&A)"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One full build for the module (drawing + encoding takes several seconds)."""
    root = tmp_path_factory.mktemp("demo")
    catalog = open_catalog(root / "catalog.mediadesk")
    labels: list[str] = []

    def on_progress(p):
        if not labels or labels[-1] != p.label:
            labels.append(p.label)

    job = Job(on_progress=on_progress)
    report = demo.build_demo_library(catalog, job=job)
    yield catalog, report, labels, job
    catalog.close()


def _gallery_assets(catalog, title):
    store = GalleryStore(catalog)
    gallery = store.find(title)
    assert gallery is not None, title
    return gallery, AssetStore(catalog).get_many(store.asset_ids(gallery.id))


def test_build_imports_everything_without_problems(built):
    catalog, report, labels, job = built
    expected = sum(len(g.photos) + len(g.videos) + len(g.releases) for g in content.GALLERIES) + 1  # + transcript
    assert report.imported == expected
    assert report.failed == 0 and report.errors == [] and not report.cancelled
    assert AssetStore(catalog).count() == expected
    for label in (demo.LABEL_DRAWING, demo.LABEL_ENCODING, demo.LABEL_WRITING, demo.LABEL_IMPORTING):
        assert label in labels
    assert labels.index(demo.LABEL_DRAWING) < labels.index(demo.LABEL_ENCODING) \
        < labels.index(demo.LABEL_WRITING) < labels.index(demo.LABEL_IMPORTING)
    snap = job.snapshot()
    assert snap.total is not None and snap.done == snap.total


def test_media_are_beside_the_catalog(built):
    catalog, *_ = built
    media = catalog.folder / demo.MEDIA_FOLDER
    assert sorted(p.suffix for p in media.rglob("*.mp4")) == [".mp4", ".mp4", ".mp4"]
    assert len(list(media.rglob("*.mp4.xmp"))) == 3
    assert len(list(media.rglob("*.chapters.vtt"))) == 3 and len(list(media.rglob("*.transcript.txt"))) == 1
    assert len(list(media.rglob("*.jpg"))) == sum(len(g.photos) for g in content.GALLERIES)
    assert not list(media.rglob(".*"))  # no temporary files left


def test_nato_gallery_mirrors_the_media_page(built):
    catalog, *_ = built
    gallery, assets = _gallery_assets(catalog, "President of Poland visits NATO")
    assert (gallery.date, gallery.end_date) == ("2025-03-06", None)
    assert "Brussels" in gallery.place and "NATO headquarters" in gallery.place
    assert gallery.description.startswith("On Thursday (6 March 2025) NATO Secretary General Mark Rutte")
    photos = [a for a in assets if a.kind == "photo"]
    videos = [a for a in assets if a.kind == "video"]
    assert len(photos) == 10 and len(videos) == 2
    assert all(a.caption == CAPTION for a in photos)
    assert all(a.width == 1600 and a.height == 1067 for a in photos)
    assert all(a.date_created.startswith("2025-03-06T") and a.date_created.endswith("+01:00") for a in assets)
    assert sorted(a.title for a in videos) == sorted([OPENING, QA])
    assert len({a.content_hash for a in photos}) == 10  # ten different pictures
    assert all(a.has_thumbnail for a in assets)


def test_video_durations_are_the_files_real_durations(built):
    catalog, *_ = built
    _, assets = _gallery_assets(catalog, "President of Poland visits NATO")
    wanted = {v.title: v.duration for v in content.POLAND_VISIT.videos}
    for video in (a for a in assets if a.kind == "video"):
        assert video.duration and video.duration > 0
        assert video.duration == pytest.approx(probe(video.path).duration, abs=1e-6)
        assert video.duration == pytest.approx(wanted[video.title], abs=0.25)
        assert video.codec == "h264"
        assert video.field_sources.get("title") in ("sidecar", "quicktime")


def test_every_asset_carries_the_editorial_rights(built):
    catalog, *_ = built
    assets = [a for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids()) if a.kind != "document"]
    assert assets
    for a in assets:
        assert a.rights_profile == EDITORIAL, a.path
        assert a.usage_terms == NOTE
        assert a.credit == "NATO"
        assert a.copyright == "© NATO"
        assert a.creator and a.organisations == ("NATO",)
        assert a.event in a.galleries
        assert a.city and a.country
        assert a.field_sources.get("usage_terms") in ("xmp", "sidecar")  # read from the file


def test_photos_carry_real_exif(built):
    catalog, *_ = built
    _, assets = _gallery_assets(catalog, "President of Poland visits NATO")
    photo = next(a for a in assets if a.kind == "photo")
    with Image.open(photo.path) as im:
        exif = im.getexif()
        sub = exif.get_ifd(0x8769)
    assert exif[0x010F] == content.CAMERA_MAKE
    # written by exiv2 as UTF-8 bytes (Exif has no charset for ASCII tags; Pillow reads Latin-1)
    assert exif[0x8298].encode("latin-1").decode("utf-8") == "© NATO"
    assert sub[0x9003] == photo.date_created[:19].replace("-", ":", 2).replace("T", " ")
    assert sub[0x9011] == "+01:00"


def test_other_galleries_from_the_press_releases(built):
    catalog, *_ = built
    expected = {
        "Secretary General reaffirms transatlantic unity in Warsaw": ("2025-03-26", None, "Warsaw"),
        "NATO Military Committee visits Sweden": ("2025-03-26", "2025-03-28", "Sweden"),
        "NATO Secretary General visits Thales Herstal factory": ("2025-03-27", None, "Herstal"),
        "Secretary General Rutte visits Sarajevo and Pristina": ("2025-03-10", "2025-03-11", "Sarajevo"),
    }
    for title, (date, end, place) in expected.items():
        gallery, assets = _gallery_assets(catalog, title)
        assert (gallery.date, gallery.end_date) == (date, end)
        assert place in gallery.place
        assert gallery.description
        assert gallery.count >= 3 and all(a.kind in ("photo", "document") for a in assets)
        documents = [a for a in assets if a.kind == "document"]
        releases = next(g.releases for g in content.GALLERIES if g.title == title)
        assert [d.title for d in documents] == [r.title for r in releases]
        # the release is linked to every photo of its event
        assert set(catalog.words.links(documents[0].id)) == {a.id for a in assets if a.kind == "photo"}
    _, warsaw = _gallery_assets(catalog, "Secretary General reaffirms transatlantic unity in Warsaw")
    assert any("Władysław Kosiniak-Kamysz" in a.people for a in warsaw)  # UTF-8 survives IIM + XMP


def test_search_rutte_finds_the_ten_photos(built, capsys):
    from mediadesk.cli.main import main

    catalog, *_ = built
    _, assets = _gallery_assets(catalog, "President of Poland visits NATO")
    photo_ids = {a.id for a in assets if a.kind == "photo"}
    assert main(["--catalog", catalog.target, "search", "rutte", "--json"]) == 0
    found = {a["id"] for a in json.loads(capsys.readouterr().out)}
    assert photo_ids <= found


def test_second_build_adds_nothing(built):
    catalog, first, *_ = built
    store = GalleryStore(catalog)
    before = {g.title: g.count for g in store.list()}
    count = AssetStore(catalog).count()
    again = demo.build_demo_library(catalog)
    assert again.imported == 0 and again.failed == 0 and again.duplicates == 0
    assert again.unchanged == first.imported
    assert AssetStore(catalog).count() == count
    assert {g.title: g.count for g in store.list()} == before


def test_cli_demo_json(built, capsys):
    from mediadesk.cli.main import main

    catalog, *_ = built
    assert main(["--catalog", catalog.target, "demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] == 0 and data["failed"] == 0
    assert Path(data["media_dir"]) == catalog.folder / demo.MEDIA_FOLDER
    counts = {g["title"]: g["count"] for g in data["galleries"]}
    assert counts["President of Poland visits NATO"] == 12
    assert len(counts) == len(content.GALLERIES)


def test_cancelled_before_start_makes_nothing(tmp_path):
    catalog = open_catalog(tmp_path / "catalog.mediadesk")
    try:
        job = Job()
        job.cancel()
        report = demo.build_demo_library(catalog, job=job, media_dir=tmp_path / "media")
        assert report.cancelled and report.imported == 0
        assert AssetStore(catalog).count() == 0
        assert not list((tmp_path / "media").rglob("*.jpg"))
    finally:
        catalog.close()


def test_photos_are_deterministic(tmp_path):
    gallery = content.POLAND_VISIT
    photo = gallery.photos[0]
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    assert demo.make_photo(gallery, photo, a) == []
    demo.make_photo(gallery, photo, b)
    assert a.read_bytes() == b.read_bytes()


def test_cancel_while_drawing_keeps_finished_files_only(tmp_path):
    catalog = open_catalog(tmp_path / "catalog.mediadesk")
    try:
        job = Job(on_progress=lambda p: job.cancel() if p.done >= 2 else None)
        report = demo.build_demo_library(catalog, job=job, media_dir=tmp_path / "media")
        assert report.cancelled and report.imported == 0
        assert len(list((tmp_path / "media").rglob("*.jpg"))) == 2
        assert not list((tmp_path / "media").rglob(".*"))  # no half-written file
        assert AssetStore(catalog).count() == 0
    finally:
        catalog.close()


def test_press_releases_are_documents_with_their_own_rights(built):
    catalog, *_ = built
    documents = [a for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids()) if a.kind == "document"]
    seed_titles = {r.title for g in content.GALLERIES for r in g.releases}
    assert {d.title for d in documents} == seed_titles | {"Remarks"}
    assert {d.format for d in documents} == {"PDF", "HTML", "TEXT"}
    for d in documents:
        assert d.rights_profile == content.FREE_USE_PROFILE and d.usage_terms == content.FREE_USE_NOTE, d.path
        assert d.source == "NATO" and d.language == "en" and d.has_thumbnail
        assert d.field_sources["usage_terms"] in ("xmp", "sidecar")     # read from the file
        assert d.event in d.galleries
    chiefs = next(d for d in documents if d.title.startswith("NATO Chiefs"))
    assert chiefs.format == "PDF" and chiefs.date_created.startswith("2025-03-18")
    assert chiefs.field_sources["usage_terms"] == "xmp"                 # the PDF's own XMP


def test_the_remarks_are_the_timed_transcript_of_the_oval_office_video(built):
    catalog, *_ = built
    _, assets = _gallery_assets(catalog, content.USA_VISIT.title)
    video = next(a for a in assets if a.kind == "video")
    transcript = next(a for a in assets if a.kind == "document" and a.title == "Remarks")
    assert transcript.id in catalog.words.links(video.id)
    tracks = [t for _, t in catalog.words.tracks(video.id)]
    assert [(t.kind, t.language) for t in tracks] == [("transcript", "en")]
    hit = next(c for c in tracks[0].cues if "defence production" in c.text)
    assert 60 < hit.start < hit.end <= video.duration
    found = catalog.index.ids(parse_query('"defence production" kind:video'))
    assert video.id in found


def test_the_joint_press_conference_has_chapters(built):
    catalog, *_ = built
    _, assets = _gallery_assets(catalog, "President of Poland visits NATO")
    videos = {a.title: a for a in assets if a.kind == "video"}
    opening = [c for _, c in catalog.words.chapters(videos[OPENING].id)]
    assert [(c.start, c.end, c.title) for c in opening] == [
        (0.0, 126.0, "Opening remarks: Secretary General Mark Rutte"),
        (126.0, 252.0, "Opening remarks: President Andrzej Duda")]
    assert catalog.index.ids(parse_query('chapter:"Q&A"')) == [videos[QA].id]
