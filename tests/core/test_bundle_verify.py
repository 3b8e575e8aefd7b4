"""``mediadesk verify``: a received bundle is checked file by file; tampering is listed."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from mediadesk.cli.main import main
from mediadesk.media import embed_metadata
from mediadesk.services.bundle_verify import verify_bundle
from mediadesk.services.export import ExportOptions, plan_export, run_export

from tests.support.export_fixtures import build_library, jpeg


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("verify")
    lib = build_library(tmp)
    with lib.open() as catalog:
        plan = plan_export(catalog, list(lib.ids.values()), ExportOptions("editorial-online"))
        result = run_export(catalog, plan, tmp / "bundle")
        zplan = plan_export(catalog, list(lib.ids.values()), ExportOptions("editorial-online", zip=True))
        run_export(catalog, zplan, tmp / "bundle.zip")
    return tmp / "bundle", tmp / "bundle.zip", {e["id"]: e for e in result.exported}, lib


@pytest.fixture
def copy(bundle, tmp_path):
    target = tmp_path / "received"
    shutil.copytree(bundle[0], target)
    return target


def photo_name(bundle) -> str:
    return bundle[2][bundle[3].ids["pl"]]["file"]


def test_intact_bundles_pass(bundle, capsys):
    assert verify_bundle(bundle[0]).ok and verify_bundle(bundle[1]).ok
    assert main(["verify", str(bundle[1])]) == 0
    assert "OK" in capsys.readouterr().out


def expect(path, capsys, *fragments):
    assert main(["verify", str(path), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    for fragment in fragments:
        assert any(fragment in p for p in problems), (fragment, problems)
    return problems


def test_changed_byte_fails(bundle, copy, capsys):
    target = copy / photo_name(bundle)
    data = bytearray(target.read_bytes())
    data[-10] ^= 0xFF
    target.write_bytes(bytes(data))
    expect(copy, capsys, f"{target.name}: SHA-256 does not match")


def test_note_removed_and_manifest_rehashed_still_fails(bundle, copy, capsys):
    """Someone strips the usage terms and fixes the checksums: the note check catches it."""
    name = photo_name(bundle)
    stripped, _ = embed_metadata((copy / name).read_bytes(), {"usage_terms": None})
    (copy / name).write_bytes(stripped)
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    import hashlib
    for entry in manifest["files"]:
        if entry["file"] == name:
            entry["sha256"], entry["size"] = hashlib.sha256(stripped).hexdigest(), len(stripped)
    (copy / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    expect(copy, capsys, f"{name}: the rights note (usage terms) is missing", "manifest.csv does not match")


def test_missing_extra_and_documents(bundle, copy, capsys):
    (copy / photo_name(bundle)).unlink()
    jpeg(copy / "smuggled.jpg")
    (copy / "RIGHTS.txt").write_text("Free for any use.", "utf-8")
    expect(copy, capsys, "listed in the manifest but missing", "smuggled.jpg: in the bundle but not listed",
           "RIGHTS.txt: SHA-256 does not match", "RIGHTS.txt does not state the rights note")


def test_sidecar_tampering(bundle, copy, capsys):
    clip = bundle[2][bundle[3].ids["clip"]]["file"]
    (copy / (clip + ".xmp")).unlink()
    expect(copy, capsys, f"{clip}: its XMP sidecar", f"{clip}.xmp: listed in the manifest but missing")


def test_no_manifest_and_not_a_bundle(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    expect(tmp_path / "empty", capsys, "manifest.json is missing")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    expect(tmp_path / "junk.zip", capsys, "neither a bundle folder nor a readable zip")


def test_hostile_zip_entries_are_reported_not_extracted(bundle, tmp_path, capsys):
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(bundle[1]) as src, zipfile.ZipFile(hostile, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("../../outside.jpg", b"x")
    expect(hostile, capsys, "'../../outside.jpg': unsafe file name")
    assert not (tmp_path.parent / "outside.jpg").exists()
