"""Publishing as a web page: rights, updates in place, foreign files, escaping, privacy, media."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

import av
import pyexiv2
import pytest
from PIL import Image

from mediadesk.catalog.ledger import LedgerStore
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.jobs import Job
from mediadesk.media.bmff import scan_bmff
from mediadesk.media.clean_jpeg import clean_jpeg, image_data_span
from mediadesk.media.xmp import fields_from_xmp, parse_packet
from mediadesk.services.edits import apply_edits
from mediadesk.services.importer import import_paths
from mediadesk.services.publish import PublishOptions, plan_publish, preview_changes, run_publish
from mediadesk.services.site_state import STATE_NAME

from tests.support.export_fixtures import NATO_PROFILE_ID, build_library, exiftool_available, exiftool_fields

NOTE = ("This media asset is free for editorial broadcast, print, online and radio use. It is "
        "restricted for use for other purposes.")
HOSTILE = 'He said "no" </script><script>alert(1)</script> ]]> <!-- & \'x\''


def _publish(lib, out, ids=None, **options):
    with lib.open() as catalog:
        plan = plan_publish(catalog, ids or list(lib.ids.values()),
                            PublishOptions(title=options.pop("title", "Test gallery"), **options))
        return run_publish(catalog, plan, out, workers=0)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.downloads: list[str] = []
        self.ids: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in_script = tag == "script" and a.get("type") == "application/ld+json"
        if tag == "a" and "download" in a:
            self.downloads.append(a["href"])
        if "id" in a:
            self.ids.append(a["id"])

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def _page(result) -> _Collect:
    parser = _Collect()
    parser.feed(Path(result.page).read_text(encoding="utf-8"))
    return parser


def _media(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and "/media/" in p.as_posix()}


def test_blocked_assets_are_left_out_and_the_publish_is_in_the_ledger(tmp_path):
    lib = build_library(tmp_path)
    result = _publish(lib, tmp_path / "site", base_url="https://press.example.org/media")
    assert {x["id"] for x in result.left_out} == {lib.ids["none"], lib.ids["ad"]}
    assert {x["id"] for x in result.published} == {lib.ids["pl"], lib.ids["rs"], lib.ids["clip"]}
    reasons = {x["id"]: x["reason"] for x in result.left_out}
    assert reasons[lib.ids["none"]].startswith("No rights profile")
    page = Path(result.page).read_text()
    for key in ("none", "ad"):   # nothing of a blocked asset is on the page or in the folder
        assert f"-{lib.ids[key]}\"" not in page and lib.files[key].stem not in page
    assert not any(lib.files[k].stem in name for name in _media(tmp_path / "site") for k in ("none", "ad"))
    with lib.open() as catalog:
        entry = LedgerStore(catalog).list()[-1]
        assert LedgerStore(catalog).verify() == []
    assert (entry.purpose, entry.bundle) == ("editorial-online", result.page)
    assert entry.recipient == "web page https://press.example.org/media/test-gallery/"
    assert sorted(entry.assets) == sorted(x["id"] for x in result.published)
    assert {b["id"] for b in entry.blocked} == {lib.ids["none"], lib.ids["ad"]}
    assert result.ledger_id == entry.id
    assert not list((tmp_path / "site").glob(".mediadesk-staging-*"))


def test_republishing_an_unchanged_gallery_later_rewrites_nothing(tmp_path):
    """A page keeps the time it last changed: publishing the same gallery a day later (or in the
    next second, as a loaded machine does) leaves every file as it was."""
    from datetime import datetime, timedelta

    lib = build_library(tmp_path)
    out = tmp_path / "site"
    ids = [lib.ids["pl"], lib.ids["rs"]]
    first_at = datetime(2026, 3, 6, 9, 58, tzinfo=UTC)
    with lib.open() as catalog:
        plan = plan_publish(catalog, ids, PublishOptions(title="Test gallery"))
        run_publish(catalog, plan, out, workers=0, at=first_at)
        pages = {p: (out / p).read_bytes() for p in ("index.html", "test-gallery/index.html")}
        plan = plan_publish(catalog, ids, PublishOptions(title="Test gallery"))
        later = run_publish(catalog, plan, out, workers=0, at=first_at + timedelta(days=1, seconds=1))
    assert later.files_written == 0 and (later.added, later.changed, later.removed) == ([], [], [])
    assert {p: (out / p).read_bytes() for p in pages} == pages
    assert "6 March 2026" in pages["index.html"].decode()


def test_republishing_updates_added_changed_removed_without_stale_files(tmp_path):
    lib = build_library(tmp_path)
    out = tmp_path / "site"
    ids = [lib.ids["pl"], lib.ids["rs"], lib.ids["clip"]]
    first = _publish(lib, out, ids[:2])
    before = _media(out)
    mtimes = {p: (out / p).stat().st_mtime_ns for p in before}

    again = _publish(lib, out, ids[:2])
    assert (again.added, again.changed, again.removed) == ([], [], [])
    assert _media(out) == before and all((out / p).stat().st_mtime_ns == m for p, m in mtimes.items())
    assert again.files_written == 0 and again.ledger_id == first.ledger_id + 1

    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"caption": "A new caption"},
                              lib.ids["rs"]: {"rights_profile_id": None}}, description="t")
        assert preview_changes(plan_publish(catalog, ids, PublishOptions(title="Test gallery")), out) == {
            "added": [lib.ids["clip"]], "changed": [lib.ids["pl"]], "removed": [lib.ids["rs"]]}
    third = _publish(lib, out, ids)
    assert (third.added, third.changed, third.removed) == ([lib.ids["clip"]], [lib.ids["pl"]], [lib.ids["rs"]])
    now = _media(out)
    published = {f for x in third.published for f in x["files"]}
    assert now == published                       # no stale file is left behind
    assert "A new caption" in Path(third.page).read_text()
    state = json.loads((out / STATE_NAME).read_text())
    assert set(state["files"]) == published | {"index.html", "test-gallery/index.html",
                                                "static/site.css", "static/gallery.js"}


def test_files_mediadesk_did_not_write_are_left_alone_with_a_warning(tmp_path):
    lib = build_library(tmp_path)
    out = tmp_path / "site"
    _publish(lib, out, [lib.ids["pl"]])
    (out / "press-contacts.txt").write_text("call us")
    (out / "test-gallery" / "media" / "extra.jpg").write_bytes(b"not ours")
    result = _publish(lib, out, [lib.ids["rs"]])        # pl removed, rs added
    assert (out / "press-contacts.txt").read_text() == "call us"
    assert (out / "test-gallery" / "media" / "extra.jpg").read_bytes() == b"not ours"
    assert any("press-contacts.txt" in w and "test-gallery/media/extra.jpg" in w and "left alone" in w
               for w in result.warnings)

    other = tmp_path / "webroot"
    other.mkdir()
    (other / "index.html").write_text("<h1>The office's own home page</h1>")
    with pytest.raises(InvalidInput, match="index.html .not written by mediadesk"):
        _publish(lib, other, [lib.ids["pl"]])
    assert (other / "index.html").read_text() == "<h1>The office's own home page</h1>"
    assert sorted(p.name for p in other.iterdir()) == ["index.html"]


def test_a_page_edited_by_hand_is_not_overwritten(tmp_path):
    lib = build_library(tmp_path)
    out = tmp_path / "site"
    _publish(lib, out, [lib.ids["pl"]])
    page = out / "test-gallery" / "index.html"
    page.write_text(page.read_text().replace("Test gallery", "Edited by hand"))
    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"caption": "changed"}}, description="t")
    with pytest.raises(InvalidInput, match="changed since mediadesk wrote it"):
        _publish(lib, out, [lib.ids["pl"]])
    assert "Edited by hand" in page.read_text()


def test_catalog_text_is_escaped_in_html_and_json_ld(tmp_path):
    lib = build_library(tmp_path)
    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"caption": HOSTILE, "alt_text": 'a "quoted" <alt>'}},
                    description="t")
    result = _publish(lib, tmp_path / "site", title='Summit <img src=x onerror=alert(1)> "day"',
                      base_url="https://press.example.org/media",
                      licence_page="https://press.example.org/licensing?a=1&b=2")
    html = Path(result.page).read_text()
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "]]>" not in html
    assert html.count("<script") == 2             # the JSON-LD and gallery.js, nothing injected
    page = _page(result)
    data = json.loads(page.scripts[0])
    assert any(n.get("caption") == HOSTILE for n in data["@graph"])
    assert data["@graph"][0]["name"] == 'Summit <img src=x onerror=alert(1)> "day"'
    assert all(n["acquireLicensePage"] == "https://press.example.org/licensing?a=1&b=2"
               for n in data["@graph"][1:])
    assert re.search(r'<meta property="og:image" content="https://press\.example\.org/media/'
                     r'summit-img-src-x-onerror-alert-1-day/media/[^"]+-96\.jpg">', html)
    assert 'alt="a &quot;quoted&quot; &lt;alt&gt;"' in html


def test_downloads_only_where_every_editorial_use_is_allowed(tmp_path):
    lib = build_library(tmp_path)
    with lib.open() as catalog:
        with catalog.transaction():
            web_only = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
                id=None, name="Web only", note="Online use only.", credit_line="NATO",
                allowed_purposes=frozenset({Purpose.EDITORIAL_ONLINE})))
        apply_edits(catalog, {lib.ids["rs"]: {"rights_profile_id": web_only}}, description="t")
        plan = plan_publish(catalog, [lib.ids["pl"], lib.ids["rs"]], PublishOptions(title="T"))
    online = {i.asset.id: i for i in plan.online}
    assert online[lib.ids["pl"]].downloadable
    assert not online[lib.ids["rs"]].downloadable
    assert "does not allow editorial broadcast, print, radio use" in online[lib.ids["rs"]].download.reason
    result = _publish(lib, tmp_path / "site", [lib.ids["pl"], lib.ids["rs"]], title="T")
    files = {x["id"]: x["files"] for x in result.published}
    assert all(f.endswith("-96.jpg") for f in files[lib.ids["rs"]])   # web sizes only
    assert len(_page(result).downloads) == 1
    assert "Online use only." in Path(result.page).read_text()


def _jpeg_with_private_metadata(path: Path) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 800), (90, 120, 200)).save(buf, "JPEG", quality=90, progressive=True)
    img = pyexiv2.ImageData(buf.getvalue())
    img.modify_exif({"Exif.Image.Orientation": "6", "Exif.GPSInfo.GPSLatitudeRef": "N",
                     "Exif.GPSInfo.GPSLatitude": "50/1 51/1 0/1", "Exif.GPSInfo.GPSLongitudeRef": "E",
                     "Exif.GPSInfo.GPSLongitude": "4/1 21/1 0/1", "Exif.Photo.BodySerialNumber": "SN-123456",
                     "Exif.Image.Artist": "Jan Kowalski"})
    img.modify_xmp({"Xmp.exif.GPSLatitude": "50,51.0N", "Xmp.exif.GPSLongitude": "4,21.0E",
                    "Xmp.iptc.CreatorContactInfo/Iptc4xmpCore:CiEmailWork": "jan@example.org"})
    data = img.get_bytes()
    img.close()
    path.write_bytes(data + b"TRAILER-WITH-SECRETS")
    return path


def test_gps_and_private_fields_are_not_published(tmp_path):
    src = tmp_path / "gps"
    src.mkdir()
    original = _jpeg_with_private_metadata(src / "located.jpg")
    lib = build_library(tmp_path)
    with lib.open() as catalog:
        import_paths(catalog, [str(src)], workers=0)
        asset_id = catalog.scalar("SELECT id FROM assets WHERE file_name = 'located.jpg'")
        apply_edits(catalog, {asset_id: {"rights_profile_id": NATO_PROFILE_ID, "copyright": "© NATO"}},
                    description="t")
    result = _publish(lib, tmp_path / "site", [asset_id])
    files = [tmp_path / "site" / f for f in result.published[0]["files"]]
    download = next(f for f in files if not re.search(r"-\d+\.jpg$", f.name))
    source = original.read_bytes()
    assert b"SN-123456" in source and b"jan@example.org" in source and b"GPSLatitude" in source
    data = download.read_bytes()
    assert data[image_data_span(data)] == source[image_data_span(source)]   # pixels untouched
    for f in files:
        raw = f.read_bytes()
        assert b"SN-123456" not in raw and b"jan@example.org" not in raw and b"SECRETS" not in raw
        img = pyexiv2.ImageData(raw)
        try:
            exif, xmp = img.read_exif(), img.read_xmp()
        finally:
            img.close()
        assert not any("GPS" in k for k in list(exif) + list(xmp)), f.name
        assert xmp.get("Xmp.xmpRights.UsageTerms", {}).get('lang="x-default"') == NOTE
    assert pyexiv2.ImageData(data).read_exif().get("Exif.Image.Orientation") == "6"
    with Image.open(next(f for f in files if f.name.endswith("-480.jpg"))) as web:
        assert web.size == (480, 720)              # turned upright
    if exiftool_available():
        found = exiftool_fields(download)
        assert found["UsageTerms"] == NOTE and found["Credit"] == "NATO"


def test_a_video_in_another_codec_is_transcoded_to_h264_with_the_note_inside(tmp_path):
    lib = build_library(tmp_path)
    result = _publish(lib, tmp_path / "site", [lib.ids["clip"]])
    files = [tmp_path / "site" / f for f in result.published[0]["files"]]
    mp4 = next(f for f in files if f.suffix == ".mp4")
    with av.open(str(mp4)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    with open(mp4, "rb") as fh:
        packet = scan_bmff(fh, mp4.stat().st_size)["xmp"]
    fields = fields_from_xmp(parse_packet(packet))
    assert fields["usage_terms"] == NOTE and fields["caption"] == "Wideo z Łodzi"
    assert any(f.name.endswith("-poster.jpg") for f in files)
    html = Path(result.page).read_text()
    assert '<video controls preload="none" playsinline' in html and "Download video" in html


def test_alt_text_falls_back_to_the_headline_with_a_warning(tmp_path):
    lib = build_library(tmp_path)
    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"headline": "Rutte meets Duda", "alt_text": None},
                              lib.ids["rs"]: {"alt_text": "Two leaders shake hands"}}, description="t")
    result = _publish(lib, tmp_path / "site", [lib.ids["pl"], lib.ids["rs"]])
    html = Path(result.page).read_text()
    assert 'alt="Rutte meets Duda"' in html and 'alt="Two leaders shake hands"' in html
    assert [w for w in result.warnings if "no alt text" in w] == [
        f"asset {lib.ids['pl']} (krakow.jpg) has no alt text; the page uses “Rutte meets Duda” "
        "instead: add alt text for screen readers"]


def test_zip_holds_the_site_and_cancel_changes_nothing(tmp_path):
    lib = build_library(tmp_path)
    out = tmp_path / "site"
    result = _publish(lib, out, [lib.ids["pl"], lib.ids["rs"]], zip=True)
    with zipfile.ZipFile(result.zip) as zf:
        names = set(zf.namelist())
    assert {"index.html", "test-gallery/index.html", "static/site.css"} <= names
    assert {f for x in result.published for f in x["files"]} <= names and STATE_NAME not in names
    before = (out / STATE_NAME).read_bytes()
    job = Job()
    job.cancel()
    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"caption": "x"}}, description="t")
        plan = plan_publish(catalog, [lib.ids["pl"]], PublishOptions(title="Test gallery"))
        cancelled = run_publish(catalog, plan, out, job=job, workers=0)
    assert cancelled.cancelled and (out / STATE_NAME).read_bytes() == before
    assert not list(out.glob(".mediadesk-staging-*"))


def test_a_gallery_that_may_no_longer_be_online_comes_down(tmp_path):
    lib = build_library(tmp_path)
    out = tmp_path / "site"
    _publish(lib, out, [lib.ids["pl"]])
    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"rights_profile_id": None}}, description="t")
    result = _publish(lib, out, [lib.ids["pl"]])
    assert result.removed == [lib.ids["pl"]] and result.page is None
    assert not (out / "test-gallery").exists()
    assert "Test gallery" not in (out / "index.html").read_text()


def test_clean_jpeg_keeps_the_image_data_of_a_progressive_jpeg(tmp_path):
    buf = io.BytesIO()
    Image.effect_noise((320, 200), 50).convert("RGB").save(buf, "JPEG", progressive=True, quality=80)
    data = b"\xff\xd8\xff\xfe\x00\x06hey!" + buf.getvalue()[2:] + b"appended"
    cleaned, span = clean_jpeg(data, orientation=3)
    assert cleaned[span] == data[image_data_span(data)] and b"hey!" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as im:
        im.load()
        assert im.getexif().get(0x0112) == 3 and im.size == (320, 200)


def test_an_unreadable_original_keeps_what_was_published_until_it_changes(tmp_path):
    lib = build_library(tmp_path)
    out = tmp_path / "site"
    first = _publish(lib, out, [lib.ids["pl"], lib.ids["rs"]])
    moved = lib.files["pl"].rename(lib.files["pl"].with_name("elsewhere.jpg"))
    again = _publish(lib, out, [lib.ids["pl"], lib.ids["rs"]])
    assert again.left_out == [] and again.removed == []
    assert any("File not found" in w and "were kept" in w for w in again.warnings)
    assert {f for x in again.published for f in x["files"]} == {f for x in first.published for f in x["files"]}
    with lib.open() as catalog:
        apply_edits(catalog, {lib.ids["pl"]: {"caption": "new"}}, description="t")
    third = _publish(lib, out, [lib.ids["pl"], lib.ids["rs"]])
    assert [x["id"] for x in third.left_out] == [lib.ids["pl"]] and third.removed == [lib.ids["pl"]]
    assert moved.is_file()
