"""The importer on files the tests make: counts, identity by content, bad input, resume."""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest
from PIL import Image

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.cli.main import main
from mediadesk.jobs import Job
from mediadesk.media import embed_metadata
from mediadesk.services.importer import import_paths

CAPTION = "NATO Secretary General Mark Rutte with Andrzej Duda, President of Poland"


def jpeg_bytes(seed: int, size=(320, 240), **fields) -> bytes:
    img = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    for x in range(0, size[0], 16):
        img.paste((x % 256, seed % 256, 255 - x % 256), (x, 0, x + 8, size[1] // 2))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    data = buf.getvalue()
    if fields:
        data, _ = embed_metadata(data, fields)
    return data


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def shoot(tmp_path):
    folder = tmp_path / "shoot"
    for i in range(3):
        write(folder / f"rutte_{i}.jpg", jpeg_bytes(i, caption=CAPTION, usage_terms=SEED_PROFILE_NOTE,
                                                   people=["Mark Rutte", "Andrzej Duda"], city="Brussels",
                                                   credit="NATO", date_created="2025-03-06T14:05:00+01:00"))
    (folder / "sub").mkdir()
    Image.new("RGB", (64, 48), "navy").save(folder / "sub" / "chart.png")
    write(folder / "notes.dat", b"not media")   # (a .txt is a document since issue 16)
    return folder


def run_import(catalog, *paths, **kw):
    kw.setdefault("workers", 0)
    return import_paths(catalog, [str(p) for p in paths], **kw)


def test_import_reads_metadata_links_rights_and_makes_thumbnails(catalog, shoot):
    report = run_import(catalog, shoot, gallery="President of Poland visits NATO")
    assert (report.imported, report.failed, report.unsupported) == (4, 0, 1)
    assert report.unsupported_files[0].endswith("notes.dat")
    store = AssetStore(catalog)
    assets = store.get_many(store.all_ids())
    photos = [a for a in assets if a.file_name.startswith("rutte")]
    assert len(photos) == 3
    for a in photos:
        assert a.caption == CAPTION
        assert a.people == ("Mark Rutte", "Andrzej Duda")
        assert a.rights_profile == "Editorial only (NATO media)"
        assert a.date_created.startswith("2025-03-06T14:05")
        assert a.galleries == ("President of Poland visits NATO",)
        assert a.has_thumbnail and catalog.thumbnail_path(a.content_hash).exists()
        thumb = Image.open(catalog.thumbnail_path(a.content_hash))
        assert max(thumb.size) == 256
    chart = next(a for a in assets if a.file_name == "chart.png")
    assert chart.rights_profile is None and chart.width == 64


def test_second_import_adds_nothing_and_resumes(catalog, shoot):
    run_import(catalog, shoot)
    again = run_import(catalog, shoot)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    assert AssetStore(catalog).count() == 4


def test_moved_duplicate_and_changed_files(catalog, shoot, tmp_path):
    run_import(catalog, shoot)
    store = AssetStore(catalog)
    # a move: same bytes, old path gone
    moved_to = tmp_path / "elsewhere" / "renamed.jpg"
    moved_to.parent.mkdir()
    shutil.move(shoot / "rutte_0.jpg", moved_to)
    # a duplicate: same bytes at a second path, original still there
    shutil.copy(shoot / "rutte_1.jpg", tmp_path / "elsewhere" / "copy.jpg")
    # a changed file: new bytes at a known path
    write(shoot / "rutte_2.jpg", jpeg_bytes(99, caption="Corrected caption"))
    report = run_import(catalog, shoot, tmp_path / "elsewhere")
    assert (report.imported, report.moved, report.duplicates, report.updated) == (0, 1, 1, 2)
    assert store.count() == 4
    paths = {a.path for a in store.get_many(store.all_ids())}
    assert str(moved_to) in paths and str(shoot / "rutte_0.jpg") not in paths
    changed = next(a for a in store.get_many(store.all_ids()) if a.path.endswith("rutte_2.jpg"))
    assert changed.caption == "Corrected caption"


def test_changed_file_keeps_values_a_person_typed(catalog, shoot):
    from mediadesk.services.edits import apply_edits

    run_import(catalog, shoot)
    store = AssetStore(catalog)
    target = next(a for a in store.get_many(store.all_ids()) if a.file_name == "rutte_2.jpg")
    apply_edits(catalog, {target.id: {"headline": "Typed by the desk"}})
    write(shoot / "rutte_2.jpg", jpeg_bytes(77, caption="New caption from camera"))
    run_import(catalog, shoot)
    after = store.get(target.id)
    assert after.caption == "New caption from camera"
    assert after.headline == "Typed by the desk"


def test_bad_files_are_reported_and_the_rest_imports(catalog, tmp_path):
    folder = tmp_path / "mixed"
    write(folder / "good.jpg", jpeg_bytes(1, caption="Good"))
    write(folder / "empty.jpg", b"")
    write(folder / "garbage.jpg", b"\xff\xd8\xff\xe0 this is not really a jpeg" * 10)
    good = jpeg_bytes(2, size=(640, 480), caption="Metadata survives truncation")
    write(folder / "truncated.jpg", good[: len(good) * 2 // 3])
    os.symlink(folder / "nowhere.jpg", folder / "broken-link.jpg")
    os.symlink(folder, folder / "loop")
    bad_name = os.fsencode(str(folder)) + b"/caf\xe9.jpg"
    with open(bad_name, "wb") as fh:
        fh.write(jpeg_bytes(3))
    report = run_import(catalog, folder)
    errors = {os.path.basename(e["path"]): e["error"] for e in report.errors}
    assert report.imported == 2, report.errors  # good.jpg and truncated.jpg
    assert "empty" in errors["empty.jpg"]
    assert "garbage.jpg" in errors
    assert "broken symbolic link" in errors["broken-link.jpg"]
    assert "loop" in errors["loop"]
    assert any("not valid UTF-8" in e for e in errors.values())
    truncated = next(a for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids())
                     if a.file_name == "truncated.jpg")
    assert truncated.caption == "Metadata survives truncation"
    assert truncated.warnings and any("truncat" in w for w in truncated.warnings)
    assert report.failed == len(report.errors) == 5


def test_process_pool_import_and_cancel_then_resume(catalog, tmp_path):
    folder = tmp_path / "many"
    for i in range(24):
        write(folder / f"img_{i:02d}.jpg", jpeg_bytes(i + 10, caption=f"Frame {i}"))
    job = Job()
    original = job.advance

    def advance(n=1, label=None):
        original(n, label)
        if job.snapshot().done >= 5:
            job.cancel()

    job.advance = advance
    report = import_paths(catalog, [str(folder)], job=job, workers=2)
    assert report.cancelled
    kept = AssetStore(catalog).count()
    assert 5 <= kept < 24
    assert catalog.scalar("SELECT status FROM import_batches WHERE id = ?", (report.batch_id,)) == "cancelled"
    second = import_paths(catalog, [str(folder)], workers=2)
    assert not second.cancelled
    assert second.unchanged == kept and second.imported == 24 - kept
    assert AssetStore(catalog).count() == 24


def test_cli_import_json_and_search(catalog_path, shoot, capsys):
    rc = main(["--catalog", str(catalog_path), "import", str(shoot), "--gallery",
               "President of Poland visits NATO", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert {k: out[k] for k in ("imported", "updated", "duplicates", "unsupported", "failed")} == \
        {"imported": 4, "updated": 0, "duplicates": 0, "unsupported": 1, "failed": 0}
    assert out["errors"] == []
    main(["--catalog", str(catalog_path), "search", "rutte", "--json"])
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 3
    first = found[0]
    for key in ("id", "kind", "path", "title", "caption", "date_created", "duration", "width", "height",
                "creator", "credit", "copyright", "usage_terms", "keywords", "people", "city", "country",
                "rights_profile", "galleries"):
        assert key in first
    assert first["galleries"] == ["President of Poland visits NATO"]
    assert first["usage_terms"] == SEED_PROFILE_NOTE
    main(["--catalog", str(catalog_path), "search", "--kind", "photo", "--gallery",
          "President of Poland visits NATO", "--limit", "2", "--json"])
    assert len(json.loads(capsys.readouterr().out)) == 2
    main(["--catalog", str(catalog_path), "show", str(first["id"]), "--json"])
    assert json.loads(capsys.readouterr().out)["caption"] == CAPTION
    main(["--catalog", str(catalog_path), "galleries", "--json"])
    galleries = json.loads(capsys.readouterr().out)
    assert galleries[0]["title"] == "President of Poland visits NATO" and galleries[0]["count"] == 4


def test_cli_errors_are_clear(catalog_path, capsys):
    open_catalog(catalog_path).close()   # commands that only read refuse a path with no catalog
    assert main(["--catalog", str(catalog_path), "show", "12345"]) == 2
    assert "no asset with id 12345" in capsys.readouterr().err
    assert main(["--catalog", str(catalog_path), "search", "kind:spaceship"]) == 2
    assert "kind:spaceship" in capsys.readouterr().err


def test_environment_variable_chooses_catalog(tmp_path, shoot, monkeypatch, capsys):
    target = tmp_path / "env.mediadesk"
    monkeypatch.setenv("MEDIADESK_CATALOG", str(target))
    assert main(["import", str(shoot / "rutte_0.jpg"), "--json"]) == 0
    assert target.exists()


def test_cli_import_with_template_is_one_undoable_step(catalog_path, shoot, capsys):
    base = ["--catalog", str(catalog_path)]
    assert main(base + ["template", "add", "nato", "--field", "headline", "--text", "{event} in {city}"]) == 0
    assert main(base + ["import", str(shoot), "--gallery", "President of Poland visits NATO",
                        "--template", "nato", "--json"]) == 0
    capsys.readouterr()
    main(base + ["search", "rutte", "--json"])
    found = json.loads(capsys.readouterr().out)
    assert {a["headline"] for a in found} == {"President of Poland visits NATO in Brussels"}
    assert main(base + ["undo"]) == 0
    capsys.readouterr()
    main(base + ["search", "rutte", "--json"])
    assert {a["headline"] for a in json.loads(capsys.readouterr().out)} == {None}


def test_cli_import_with_unknown_template_fails_before_importing(catalog_path, shoot, capsys):
    assert main(["--catalog", str(catalog_path), "import", str(shoot), "--template", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    from mediadesk.catalog import open_catalog
    with open_catalog(catalog_path) as cat:
        assert AssetStore(cat).count() == 0
