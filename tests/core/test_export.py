"""Export bundles: rights decided per asset, metadata inside every file, pixels untouched,
hostile names contained, atomic writing, exit codes of ``mediadesk export``."""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from mediadesk.catalog.ledger import LedgerStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.cli.main import main
from mediadesk.domain.errors import InvalidInput, MediaError
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.jobs import Job
from mediadesk.media import image_data_fingerprint
from mediadesk.services import export as export_service
from mediadesk.services.bundle_verify import verify_bundle
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.importer import import_paths
from mediadesk.services.naming import NameAllocator, render_name, validate_pattern
from mediadesk.services.renditions import RenditionSpec

from tests.support.environment import needs_exiftool
from tests.support.export_fixtures import (
    CAPTION_PL,
    CAPTION_RS,
    COPYRIGHT,
    build_library,
    exiftool_fields,
    jpeg,
)


@pytest.fixture
def lib(tmp_path):
    return build_library(tmp_path)


def cli(capsys, lib, *args) -> tuple[int, dict | str]:
    capsys.readouterr()
    code = main(["--catalog", str(lib.catalog_path), *args])
    out = capsys.readouterr()
    if "--json" in args:
        return code, json.loads(out.out)
    return code, out.out + out.err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_editorial_export_of_photos_and_video(capsys, lib, tmp_path):
    before = {k: sha(p) for k, p in lib.files.items()}
    out = tmp_path / "bundle"
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out", str(out),
                     "--recipient", "Gazeta Wyborcza", "--json", *map(str, lib.ids.values()))
    assert code == 3  # some were blocked, the rest went
    exported = {e["id"]: e for e in data["exported"]}
    assert set(exported) == {lib.ids["pl"], lib.ids["rs"], lib.ids["clip"]}
    blocked = {b["id"]: b["reason"] for b in data["blocked"]}
    assert blocked[lib.ids["none"]] == "No rights profile: ask the rights holder"
    assert blocked[lib.ids["ad"]].startswith("Restricted: 'editorial-online' is not allowed")
    for entry in exported.values():
        assert sha(out / entry["file"]) == entry["sha256"]
    names = sorted(os.listdir(out))
    assert "RIGHTS.txt" in names and "manifest.json" in names and "manifest.csv" in names
    assert exported[lib.ids["clip"]]["file"] + ".xmp" in names
    # blocked assets are never written: no file of theirs, in any form
    assert not any(n.startswith(("unknown", "campaign")) for n in names)
    # originals are sacred
    assert {k: sha(p) for k, p in lib.files.items()} == before
    rights = (out / "RIGHTS.txt").read_text("utf-8")
    assert SEED_PROFILE_NOTE in rights and "editorial-online" in rights and "Gazeta Wyborcza" in rights
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    media = {e["asset_id"]: e for e in manifest["files"] if e["role"] == "media"}
    assert media[lib.ids["pl"]]["caption"] == CAPTION_PL
    assert media[lib.ids["pl"]]["decision"]["code"] == "allowed"
    assert media[lib.ids["clip"]]["carrier"] == "sidecar"
    assert all(e["usage_terms"] == SEED_PROFILE_NOTE for e in manifest["files"])
    csv_text = (out / "manifest.csv").read_text("utf-8-sig")
    assert CAPTION_RS in csv_text and csv_text.count("\n") == len(manifest["files"]) + 1
    # the pixels of the originals were not re-encoded: same image data, byte for byte
    for key in ("pl", "rs"):
        exported_file = out / exported[lib.ids[key]]["file"]
        assert image_data_fingerprint(exported_file.read_bytes()) == image_data_fingerprint(lib.files[key].read_bytes())
        assert exported_file.read_bytes() != lib.files[key].read_bytes()
    # the video copy is the original byte for byte, plus one XMP box appended at the end
    clip = (out / exported[lib.ids["clip"]]["file"]).read_bytes()
    original = lib.files["clip"].read_bytes()
    assert clip[:len(original)] == original and clip[len(original) + 4:len(original) + 8] == b"uuid"
    assert media[lib.ids["clip"]]["embedded_xmp"] is True and media[lib.ids["clip"]]["pixels"] == "unchanged"
    assert verify_bundle(out).ok
    # and the ledger has it, with the manifest's checksum
    with lib.open() as catalog:
        entry = LedgerStore(catalog).list()[-1]
    assert entry.purpose == "editorial-online" and entry.recipient == "Gazeta Wyborcza"
    assert entry.manifest_sha256 == sha(out / "manifest.json") == data["manifest_sha256"]
    assert sorted(entry.assets) == sorted(exported)
    assert {b["id"] for b in entry.blocked} == set(blocked)


@needs_exiftool
def test_exiftool_reads_back_rights_caption_and_copyright_exactly(capsys, lib, tmp_path):
    out = tmp_path / "bundle"
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-print", "--out", str(out), "--json",
                     str(lib.ids["pl"]), str(lib.ids["rs"]), str(lib.ids["clip"]))
    assert code == 0
    files = {e["id"]: out / e["file"] for e in data["exported"]}
    expected = {lib.ids["pl"]: (CAPTION_PL, COPYRIGHT), lib.ids["rs"]: (CAPTION_RS, "© NATO — Đorđević")}
    for asset_id, (caption, copyright_) in expected.items():
        tags = exiftool_fields(files[asset_id])
        assert tags["UsageTerms"] == SEED_PROFILE_NOTE
        assert tags["Description"] == caption and tags["Caption-Abstract"] == caption
        assert tags["Rights"] == copyright_ and tags["CopyrightNotice"] == copyright_
        assert tags["Credit"] == "NATO"
        assert tags["Instructions"] == "EDITORIAL USE ONLY. " + SEED_PROFILE_NOTE
        assert tags["SpecialInstructions"] == "EDITORIAL USE ONLY. " + SEED_PROFILE_NOTE
    for video_file in (Path(str(files[lib.ids["clip"]]) + ".xmp"), files[lib.ids["clip"]]):  # sidecar, inside
        tags = exiftool_fields(video_file)
        assert tags["UsageTerms"] == SEED_PROFILE_NOTE
        assert tags["Description"] == "Wideo z Łodzi" and tags["Rights"] == COPYRIGHT
        assert tags["Instructions"] == "EDITORIAL USE ONLY. " + SEED_PROFILE_NOTE


def test_commercial_purpose_exports_only_the_licensed_asset(capsys, lib, tmp_path):
    out = tmp_path / "ads.zip"
    code, data = cli(capsys, lib, "export", "--purpose", "advertising", "--out", str(out), "--zip",
                     "--json", *map(str, lib.ids.values()))
    assert code == 3
    assert [e["id"] for e in data["exported"]] == [lib.ids["ad"]]
    reasons = {b["id"]: b["reason"] for b in data["blocked"]}
    assert reasons[lib.ids["pl"]] == "Restricted: editorial use only; 'advertising' is not an editorial purpose"
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert names == {"campaign.jpg", "RIGHTS.txt", "manifest.json", "manifest.csv", "LEDGER.json"}
    assert manifest["files"][0]["credit"] == "Agencja Łódź"
    assert verify_bundle(out).ok


def test_all_allowed_exits_zero_and_dry_run_writes_nothing(capsys, lib, tmp_path):
    out = tmp_path / "dry"
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-radio", "--out", str(out), "--dry-run",
                     "--json", str(lib.ids["none"]), str(lib.ids["pl"]))
    assert code == 3 and data["dry_run"] is True and not out.exists()
    assert [b["id"] for b in data["blocked"]] == [lib.ids["none"]]
    code, text = cli(capsys, lib, "export", "--purpose", "editorial-radio", "--out", str(out),
                     str(lib.ids["pl"]), str(lib.ids["rs"]))
    assert code == 0 and out.is_dir(), text
    with lib.open() as catalog:
        assert len(LedgerStore(catalog).list()) == 1  # the dry run left no ledger entry


def test_bad_arguments_exit_2(capsys, lib, tmp_path):
    code, text = cli(capsys, lib, "export", "--purpose", "propaganda", "--out", str(tmp_path / "x"),
                     str(lib.ids["pl"]))
    assert code == 2 and "editorial-online" in text
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    code, text = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out",
                     str(tmp_path / "taken"), str(lib.ids["pl"]))
    assert code == 2 and "already exists" in text
    code, text = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out",
                     str(tmp_path / "y"), "--pattern", "{nope}", str(lib.ids["pl"]))
    assert code == 2 and "unknown variable" in text
    code, _ = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out", str(tmp_path / "z"), "999")
    assert code == 2


def test_renditions_are_resized_once_and_carry_the_metadata(lib, tmp_path):
    with lib.open() as catalog:
        options = ExportOptions(Purpose.EDITORIAL_ONLINE, rendition=RenditionSpec(40, 80),
                                pattern="{seq}_{original}")
        plan = plan_export(catalog, [lib.ids["pl"], lib.ids["clip"]], options)
        result = run_export(catalog, plan, tmp_path / "small")
    files = {e["id"]: tmp_path / "small" / e["file"] for e in result.exported}
    photo = files[lib.ids["pl"]]
    assert photo.name == "001_krakow.jpg"
    with Image.open(photo) as im:
        assert max(im.size) == 40 and im.format == "JPEG"
    manifest = json.loads((tmp_path / "small" / "manifest.json").read_text("utf-8"))
    assert manifest["mode"] == "renditions" and manifest["files"][0]["pixels"] == "rendition"
    original = lib.files["clip"].read_bytes()   # videos are not re-encoded: the original plus an XMP box
    assert files[lib.ids["clip"]].read_bytes()[:len(original)] == original
    assert verify_bundle(tmp_path / "small").ok


def test_hostile_titles_cannot_escape_or_break_the_bundle(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    titles = ["../../outside.jpg", "x" * 5000, "bad\x00\x1bname\u202egpj.exe", "Photo", "PHOTO",
              "/etc/passwd", "..", "CON", "Ścieżka\\..\\..\\win"]
    for n in range(len(titles)):
        jpeg(src / f"p{n}.jpg", color=(n * 20, 10, 10))
    catalog_path = tmp_path / "c.mediadesk"
    from mediadesk.catalog import Catalog
    with Catalog(catalog_path) as catalog:
        import_paths(catalog, [str(src)], workers=0)
        ids = {r["file_name"]: r["id"] for r in catalog.query("SELECT id, file_name FROM assets")}
        apply_edits(catalog, {ids[f"p{n}.jpg"]: {"title": t, "caption": t, "rights_profile_id": 1,
                                                  "credit": "NATO"}
                              for n, t in enumerate(titles)})
        out = tmp_path / "deep" / "bundle"
        plan = plan_export(catalog, list(ids.values()), ExportOptions("editorial-online", pattern="{title}"))
        result = run_export(catalog, plan, out)
    assert len(result.exported) == len(titles) and not result.failed
    names = os.listdir(out)
    assert len(names) == len(titles) + 4   # RIGHTS.txt, manifest.json, manifest.csv, LEDGER.json
    assert len({unicodedata.normalize("NFC", n).casefold() for n in names}) == len(names)
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name and not name.startswith(".")
        assert all(unicodedata.category(c)[0] != "C" for c in name), repr(name)
        assert len(name.encode("utf-8")) < 255
    assert "CON.jpg" not in names and "_CON.jpg" in names
    assert not (tmp_path / "outside.jpg").exists() and not (tmp_path / "deep" / "outside.jpg").exists()
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["bundle"]  # no partial left
    assert verify_bundle(out).ok


def test_naming_rules():
    assert validate_pattern(" {date}_{gallery}_{seq} ") == "{date}_{gallery}_{seq}"
    with pytest.raises(InvalidInput):
        validate_pattern("{date")
    values = {"date": "2025-03-06", "gallery": "President of Poland / NATO", "seq": "007"}
    assert render_name("{date}_{gallery}_{seq}", values, "JPG", "x") == "2025-03-06_President of Poland _ NATO_007.jpg"
    assert render_name("{original}.{ext}", {"original": "a"}, "mp4", "x") == "a.mp4"
    assert render_name("{title}", {"title": "\x00"}, "jpg", "asset-3") == "asset-3.jpg"
    names = NameAllocator()
    assert names.claim("a.mp4", also=(".xmp",)) == "a.mp4"
    assert names.claim("A.MP4") == "A-2.MP4"
    assert names.claim("a.mp4.xmp") == "a.mp4-2.xmp"
    assert names.claim("manifest.json") == "manifest-2.json"


def test_cancel_leaves_nothing_behind(lib, tmp_path):
    job = Job()
    job.cancel()
    with lib.open() as catalog:
        plan = plan_export(catalog, list(lib.ids.values()), ExportOptions("editorial-online"))
        result = run_export(catalog, plan, tmp_path / "gone", job=job)
        assert result.cancelled and result.bundle is None
        assert LedgerStore(catalog).list() == []
    assert not any(p.name.startswith("gone") for p in tmp_path.iterdir())


def test_a_write_failure_keeps_no_bundle(lib, tmp_path, monkeypatch):
    calls = []
    real = export_service.produce_embedded

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(export_service, "produce_embedded", failing)
    with lib.open() as catalog:
        plan = plan_export(catalog, [lib.ids["pl"], lib.ids["rs"]], ExportOptions("editorial-online"))
        with pytest.raises(MediaError, match="No space left"):
            run_export(catalog, plan, tmp_path / "full", workers=0)
        assert LedgerStore(catalog).list() == []
    assert not any(p.name.startswith("full") for p in tmp_path.iterdir())


def test_rights_are_decided_again_when_writing(lib, tmp_path):
    with lib.open() as catalog:
        plan = plan_export(catalog, [lib.ids["pl"], lib.ids["rs"]], ExportOptions("editorial-online"))
        assert len(plan.allowed) == 2
        with catalog.transaction():
            embargoed = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
                id=None, name="Embargo", note="Pool photo.", allowed_purposes=frozenset(Purpose),
                embargo_until=datetime.now(UTC) + timedelta(days=1)))
        apply_edits(catalog, {lib.ids["rs"]: {"rights_profile_id": embargoed}})
        result = run_export(catalog, plan, tmp_path / "late")
    assert [e["id"] for e in result.exported] == [lib.ids["pl"]]
    assert result.blocked[0]["id"] == lib.ids["rs"] and result.blocked[0]["reason"].startswith("Embargoed until")
    assert len(os.listdir(tmp_path / "late")) == 5   # with the ledger receipt LEDGER.json


def test_a_file_changed_since_import_is_not_exported(capsys, lib, tmp_path):
    jpeg(lib.files["rs"], color=(1, 2, 3))  # replaced behind the catalog's back
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out", str(tmp_path / "b"),
                     "--json", str(lib.ids["pl"]), str(lib.ids["rs"]))
    assert code == 3
    assert [e["id"] for e in data["exported"]] == [lib.ids["pl"]]
    assert "changed since it was imported" in data["failed"][0]["reason"]
    assert verify_bundle(tmp_path / "b").ok


def test_many_pictures_go_through_worker_processes(lib, tmp_path, monkeypatch):
    monkeypatch.setattr(export_service, "IN_PROCESS_BELOW", 1)
    with lib.open() as catalog:
        ids = [lib.ids["pl"], lib.ids["rs"]]
        plan = plan_export(catalog, ids, ExportOptions("editorial-online"))
        result = run_export(catalog, plan, tmp_path / "pool", workers=2)
    assert len(result.exported) == 2 and verify_bundle(tmp_path / "pool").ok


def test_rights_cli_create_list_assign_and_undo(capsys, lib):
    code, created = cli(capsys, lib, "rights", "create", "Pool embargo", "--note", "Pool photo: editorial only.",
                        "--allow", "editorial", "internal", "--embargo", "2030-03-06 14:00 Europe/Brussels",
                        "--credit", "Pool", "--credit-required", "--json")
    assert code == 0 and created["credit_required"] and created["embargo_until"].startswith("2030-03-06T14:00:00+01:00")
    assert "internal" in created["allowed_purposes"] and "editorial-radio" in created["allowed_purposes"]
    code, listed = cli(capsys, lib, "rights", "list", "--json")
    assert {p["name"] for p in listed} >= {"Pool embargo", "Campaign licence"}
    code, text = cli(capsys, lib, "rights", "assign", "Pool embargo", str(lib.ids["none"]))
    assert code == 0 and "1 of 1" in text
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-online", "--dry-run", "--json",
                     str(lib.ids["none"]))
    assert data["blocked"][0]["reason"].startswith("Embargoed until 2030-03-06 14:00")
    from mediadesk.services.edits import undo
    with lib.open() as catalog:
        undo(catalog)
        assert catalog.scalar("SELECT rights_profile_id FROM assets WHERE id = ?", (lib.ids["none"],)) is None
    code, _ = cli(capsys, lib, "rights", "assign", "--none", str(lib.ids["pl"]))
    assert code == 0
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-online", "--dry-run", "--json", str(lib.ids["pl"]))
    assert data["blocked"][0]["reason"] == "No rights profile: ask the rights holder"
    code, text = cli(capsys, lib, "rights", "create", "Bad", "--note", "x", "--allow", "editorial",
                     "--embargo", "2030-03-06 14:00")
    assert code == 2 and "time zone" in text
    code, text = cli(capsys, lib, "rights", "assign", "No such profile", str(lib.ids["pl"]))
    assert code == 2
