"""Metadata fidelity on the way out: a 200 KB caption through export and write-back (Extended
XMP, read back with exiftool), C2PA content credentials (detected, shown, kept or knowingly
broken), and the exit statuses of import and export."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.cli.main import main
from mediadesk.domain.credentials import credentials_summary
from mediadesk.media import probe
from mediadesk.media.c2pa import check_credentials
from mediadesk.media.jpeg import scan_jpeg
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.importer import import_paths
from mediadesk.services.writeback import writeback

from tests.support.fidelity_fixtures import jpeg_with, lang_alt, packet, plain_jpeg, sign_jpeg, write
from tests.support.media_fixtures import exiftool_json, needs_exiftool

NOTE_XMP = packet(lang_alt("xmpRights:UsageTerms", SEED_PROFILE_NOTE)
                  + lang_alt("dc:description", "Rutte and Duda"))
BIG = ("Mark Rutte, NATO Secretary General, and Andrzej Duda, President of Poland, at the joint "
       "press conference; Łódź, Kraków, Vučić. ") * 2000   # ~200 KB of UTF-8


def _import(catalog, folder: Path) -> list[int]:
    report = import_paths(catalog, [str(folder)], workers=0)
    assert report.failed == 0, report.errors
    return AssetStore(catalog).all_ids()


# -- a caption over 64 KB ----------------------------------------------------------------------
@needs_exiftool
def test_200kb_caption_through_export_and_writeback(catalog, tmp_path):
    photo = write(tmp_path / "media" / "long.jpg", jpeg_with(xmp=NOTE_XMP))
    [aid] = _import(catalog, tmp_path / "media")
    apply_edits(catalog, {aid: {"caption": BIG}})
    assert len(BIG.encode("utf-8")) > 200_000

    plan = plan_export(catalog, [aid], ExportOptions(purpose="editorial-online"))
    result = run_export(catalog, plan, tmp_path / "bundle", workers=0)
    assert [e["id"] for e in result.exported] == [aid], result.failed
    out = tmp_path / "bundle" / result.exported[0]["file"]
    theirs = exiftool_json(out)
    assert theirs["XMP-dc:Description"] == BIG.strip()
    assert theirs["XMP-xmpRights:UsageTerms"] == SEED_PROFILE_NOTE  # the note stays in the main packet
    assert theirs["XMP-xmpNote:HasExtendedXMP"]
    assert len(theirs["IPTC:Caption-Abstract"].encode("utf-8")) <= 2000
    assert any("Extended XMP" in w for w in result.warnings), result.warnings
    assert main(["verify", str(tmp_path / "bundle")]) == 0

    report = writeback(catalog, [aid], workers=0)
    assert not report.failed, [f.error for f in report.files]
    assert exiftool_json(photo)["XMP-dc:Description"] == BIG.strip()
    assert probe(str(photo)).fields["caption"] == BIG.strip()
    assert len(scan_jpeg(photo.read_bytes()).xmp_extended) == 1
    # writing a short caption again removes the extension
    apply_edits(catalog, {aid: {"caption": "Short again"}})
    assert not writeback(catalog, [aid], workers=0).failed
    data = photo.read_bytes()
    assert not scan_jpeg(data).xmp_extended and b"HasExtendedXMP" not in data
    assert exiftool_json(photo)["XMP-dc:Description"] == "Short again"


def test_extended_xmp_read_back_is_bounded_by_the_bytes_present(tmp_path):
    """A fake Extended XMP header claiming 4 GB yields nothing and allocates nothing big."""
    import struct
    fake = (b"http://ns.adobe.com/xmp/extension/\x00" + b"0" * 32 + struct.pack(">II", 0xFFFFFFF0, 0)
            + b"<x:xmpmeta/>")
    import tracemalloc
    base = jpeg_with(xmp=NOTE_XMP)
    data = base[:2] + b"\xff\xe1" + struct.pack(">H", len(fake) + 2) + fake + base[2:]
    path = write(tmp_path / "fake.jpg", data)
    tracemalloc.start()
    try:
        res = probe(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert res.fields["usage_terms"] == SEED_PROFILE_NOTE
    assert peak < 64 * 2**20, peak


# -- C2PA content credentials --------------------------------------------------------------------
@pytest.fixture
def signed(tmp_path):
    original = sign_jpeg(jpeg_with(xmp=NOTE_XMP))
    return write(tmp_path / "media" / "signed.jpg", original)


def test_c2pa_manifest_is_found_checked_and_noted(signed, catalog):
    creds = check_credentials(str(signed))
    assert creds is not None and creds.where == "JPEG APP11"
    assert creds.signed_by == "NATO Photo Desk (mediadesk tests)" and creds.state == "valid"
    [aid] = _import(catalog, signed.parent)
    asset = AssetStore(catalog).get(aid)
    assert credentials_summary(asset.warnings).startswith("signed by NATO Photo Desk (mediadesk tests), valid")
    tampered = bytearray(signed.read_bytes())
    tampered[-10] ^= 0xFF  # one byte of image data changed after signing
    other = write(signed.parent.parent / "t" / "tampered.jpg", bytes(tampered))
    assert check_credentials(str(other)).state == "invalid"
    assert check_credentials(str(write(signed.parent.parent / "p" / "plain.jpg", plain_jpeg()))) is None


def test_export_warns_and_keeps_credentials_on_request(signed, catalog, tmp_path, capsys):
    [aid] = _import(catalog, signed.parent)
    before = signed.read_bytes()
    plan = plan_export(catalog, [aid], ExportOptions(purpose="editorial-online"))
    [warning] = plan.credential_warnings()
    assert "breaks its content credentials" in warning and "--keep-credentials" in warning

    code = main(["--catalog", catalog.target, "export", "--purpose", "editorial-online",
                 "--out", str(tmp_path / "broken"), str(aid)])
    assert code == 0 and "breaks its content credentials" in capsys.readouterr().err
    assert check_credentials(str(tmp_path / "broken" / "signed.jpg")).state == "invalid"

    code = main(["--catalog", catalog.target, "export", "--purpose", "editorial-online",
                 "--keep-credentials", "--out", str(tmp_path / "kept"), str(aid)])
    assert code == 0
    kept = tmp_path / "kept" / "signed.jpg"
    assert kept.read_bytes() == before                      # untouched, byte for byte
    assert check_credentials(str(kept)).state == "valid"
    sidecar = exiftool_json(tmp_path / "kept" / "signed.jpg.xmp")
    assert sidecar["XMP-xmpRights:UsageTerms"] == SEED_PROFILE_NOTE
    assert main(["verify", str(tmp_path / "kept")]) == 0


def test_writeback_into_a_signed_file_goes_to_a_sidecar(signed, catalog):
    [aid] = _import(catalog, signed.parent)
    before = signed.read_bytes()
    apply_edits(catalog, {aid: {"caption": "New caption"}})
    report = writeback(catalog, [aid], workers=0)
    [f] = report.files
    assert f.target == "sidecar" and any("C2PA" in w for w in f.warnings)
    assert signed.read_bytes() == before
    assert probe(str(signed)).fields["caption"] == "New caption"  # from the sidecar


def test_inspector_shows_the_content_credentials(signed, catalog, qtbot):
    from mediadesk.ui.inspector import Inspector
    from mediadesk.ui.runner import CatalogLane as CatalogWorker

    [aid] = _import(catalog, signed.parent)
    reader = CatalogWorker(catalog.target)
    try:
        inspector = Inspector(reader)
        qtbot.addWidget(inspector)
        inspector.show_ids([aid])
        qtbot.waitUntil(lambda: inspector.summary is not None, timeout=5000)
        line = inspector._tech["credentials"].text()
        assert line.startswith("signed by NATO Photo Desk (mediadesk tests), valid")
        assert "Content credentials" not in inspector._tech["warnings"].text()
    finally:
        reader.stop()


def test_export_dialog_offers_to_keep_the_credentials(signed, catalog, qtbot, tmp_path):
    from mediadesk.ui.export_dialog import ExportDialog

    [aid] = _import(catalog, signed.parent)
    dialog = ExportDialog(catalog.target, [aid])
    qtbot.addWidget(dialog)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("editorial-online"))
    dialog.refresh_preview()
    assert dialog.keep_credentials.isVisibleTo(dialog)
    assert "breaks its content credentials" in dialog.summary.text()
    dialog.keep_credentials.setChecked(True)
    dialog.refresh_preview()
    assert "kept" in dialog.summary.text() and dialog.options().keep_credentials
    dialog.reject()


# -- exit statuses -------------------------------------------------------------------------------
def test_import_exits_3_when_a_file_failed(catalog, tmp_path):
    media = tmp_path / "media"
    write(media / "good.jpg", plain_jpeg())
    assert main(["--catalog", catalog.target, "import", str(media)]) == 0
    write(media / "broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")
    assert main(["--catalog", catalog.target, "import", str(media)]) == 3
    (media / "broken.jpg").unlink()
    write(media / "notes.txt", b"unsupported, not a failure")
    assert main(["--catalog", catalog.target, "import", str(media)]) == 0


def test_export_exits_4_when_nothing_at_all_went(catalog, tmp_path, capsys):
    write(tmp_path / "media" / "free.jpg", jpeg_with(xmp=NOTE_XMP))
    write(tmp_path / "media" / "none.jpg", plain_jpeg((1, 2, 3)))
    ids = _import(catalog, tmp_path / "media")
    base = ["--catalog", catalog.target, "export", "--out", str(tmp_path / "b")]
    assert main([*base, "--purpose", "advertising", *map(str, ids)]) == 4       # all blocked
    assert not (tmp_path / "b").exists()
    assert main([*base, "--purpose", "advertising", "--dry-run", *map(str, ids)]) == 4
    assert main([*base, "--purpose", "editorial-online", "--dry-run", *map(str, ids)]) == 3
    capsys.readouterr()
