import json
import os
import shutil
import subprocess
from pathlib import Path

from mediadesk.catalog.assets import AssetStore
from mediadesk.media import image_data_fingerprint, read_metadata_bytes
from mediadesk.services.edits import apply_edits
from mediadesk.services.importer import import_paths
from mediadesk.services.writeback import writeback

from tests.support.batch_helpers import imported
from tests.support.environment import needs_exiftool

EXIFTOOL = shutil.which("exiftool")

CAPTION = "Kęstutis Budrys meets Aleksandar Vučić and Đorđe Đorđević in Kraków and Łódź (Žemaitė)"


def _exiftool(path) -> dict:
    out = subprocess.run([EXIFTOOL or "exiftool", "-j", "-G1", "-charset", "iptc=UTF8", "-a", str(path)],
                         capture_output=True, check=True, text=True, encoding="utf-8").stdout
    return json.loads(out)[0]


def _edit(catalog, ids):
    apply_edits(catalog, {ids[0]: {
        "caption": CAPTION, "city": "Łódź", "country": "Polska", "creator": "Kęstutis Budrys",
        "people": ["Aleksandar Vučić", "Đorđe Đorđević"], "title": "Žemaitė",
        "keywords": ["Places|Europe|Poland|Kraków", "Vučić"],
        # 32 bytes in IIM: this city is cut at a character boundary, XMP keeps it whole
        "sublocation": "Łódź Fabryczna — Żółć Ęą Śćń Źż",
    }})


@needs_exiftool
def test_exiftool_reads_back_what_the_catalog_holds(catalog, tmp_path):
    ids = imported(catalog, tmp_path / "pics", 2)
    _edit(catalog, ids)
    path = AssetStore(catalog).get(ids[0]).path
    before = Path(path).read_bytes()
    report = writeback(catalog, ids)
    first = report.files[0]
    assert first.status == "written", first.error
    assert report.files[1].status == "unchanged"
    assert any("shortened" in w for w in first.warnings)
    tags = _exiftool(path)
    assert tags["XMP-dc:Description"] == CAPTION
    assert tags["IPTC:Caption-Abstract"] == CAPTION
    assert tags["IFD0:ImageDescription"] == CAPTION
    assert tags["IPTC:CodedCharacterSet"] == "UTF8"
    assert tags["XMP-photoshop:City"] == tags["IPTC:City"] == "Łódź"
    assert tags["IPTC:By-line"] == tags["XMP-dc:Creator"] == "Kęstutis Budrys"
    assert tags["XMP-dc:Title"] == tags["IPTC:ObjectName"] == "Žemaitė"
    assert tags["XMP-iptcExt:PersonInImage"] == ["Aleksandar Vučić", "Đorđe Đorđević"]
    assert tags["XMP-dc:Subject"] == ["Places", "Europe", "Poland", "Kraków", "Vučić"]
    assert tags["XMP-iptcCore:Location"] == "Łódź Fabryczna — Żółć Ęą Śćń Źż"
    iim_sub = tags["IPTC:Sub-location"]
    assert len(iim_sub.encode("utf-8")) <= 32 and "Łódź Fabryczna — Żółć Ęą Śćń Źż".startswith(iim_sub)
    # tags mediadesk does not manage are still there; pixels untouched
    assert tags["IFD0:Make"] == "Nikon" and tags["IFD0:Model"] == "Z 9"
    after = Path(path).read_bytes()
    assert image_data_fingerprint(after) == image_data_fingerprint(before)
    # the catalog knows the new file, so the next import sees nothing new
    asset = AssetStore(catalog).get(ids[0])
    assert asset.size == len(after) and asset.mtime == os.stat(path).st_mtime
    again = import_paths(catalog, [tmp_path / "pics"], workers=0)
    assert again.unchanged == 2 and again.updated == 0


def test_dry_run_lists_fields_and_writes_nothing(catalog, tmp_path):
    ids = imported(catalog, tmp_path / "pics", 2)
    apply_edits(catalog, {ids[1]: {"caption": "Vilnius", "rating": 4}})
    path = AssetStore(catalog).get(ids[1]).path
    before = Path(path).read_bytes()
    report = writeback(catalog, ids, dry_run=True)
    assert [f.status for f in report.files] == ["unchanged", "would-write"]
    assert report.files[1].changes == [("caption", None, "Vilnius"), ("rating", None, 4)]
    assert Path(path).read_bytes() == before


def test_interrupted_write_leaves_original_intact(catalog, tmp_path, monkeypatch):
    ids = imported(catalog, tmp_path / "pics", 1)
    _edit(catalog, ids)
    path = AssetStore(catalog).get(ids[0]).path
    before = Path(path).read_bytes()

    def crash(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    report = writeback(catalog, ids)
    assert report.files[0].status == "failed"
    assert "left as it was" in report.files[0].error
    assert Path(path).read_bytes() == before
    assert sorted(os.listdir(tmp_path / "pics")) == ["frame_001.jpg"]  # no temp file behind
    assert AssetStore(catalog).get(ids[0]).size == len(before)


def test_read_only_file_gets_a_sidecar(catalog, tmp_path):
    ids = imported(catalog, tmp_path / "pics", 1)
    path = AssetStore(catalog).get(ids[0]).path
    apply_edits(catalog, {ids[0]: {"caption": "Đorđe Đorđević", "keywords": ["NATO"]}})
    os.chmod(path, 0o444)
    try:
        before = Path(path).read_bytes()
        report = writeback(catalog, ids)
        result = report.files[0]
        assert result.status == "written" and result.target == "sidecar", result.error
        assert Path(path).read_bytes() == before
        sidecar = path + ".xmp"
        text = Path(sidecar).read_text(encoding="utf-8")
        assert "Đorđe Đorđević" in text and "NATO" in text
        # a second write-back merges into the sidecar and finds nothing new
        assert writeback(catalog, ids).files[0].status == "unchanged"
    finally:
        os.chmod(path, 0o644)


def test_file_changed_on_disk_is_not_overwritten(catalog, tmp_path):
    ids = imported(catalog, tmp_path / "pics", 1)
    apply_edits(catalog, {ids[0]: {"caption": "from the catalog"}})
    path = AssetStore(catalog).get(ids[0]).path
    os.utime(path, (1_600_000_000, 1_600_000_000))
    report = writeback(catalog, ids)
    assert report.files[0].status == "skipped"
    assert "import it again" in report.files[0].error
    assert read_metadata_bytes(Path(path).read_bytes()).get("caption") is None


def test_missing_file_is_reported(catalog, tmp_path):
    ids = imported(catalog, tmp_path / "pics", 1)
    apply_edits(catalog, {ids[0]: {"caption": "x"}})
    os.remove(AssetStore(catalog).get(ids[0]).path)
    report = writeback(catalog, ids)
    assert report.files[0].status == "skipped" and "not there any more" in report.files[0].error


def test_same_image_data_agrees_with_the_fingerprint(tmp_path):
    from mediadesk.media import embed_metadata, same_image_data

    from tests.support.batch_helpers import make_jpegs

    first, second = (p.read_bytes() for p in make_jpegs(tmp_path, 2))
    written, _ = embed_metadata(first, {"caption": "Łódź"}, fmt="JPEG")
    assert same_image_data(first, written, "JPEG")
    assert image_data_fingerprint(first) == image_data_fingerprint(written)
    assert not same_image_data(first, second, "JPEG")
    assert image_data_fingerprint(first) != image_data_fingerprint(second)
