"""Limits (issue 7): decompression bombs, slow and memory-hungry files, 100,000 files in one
folder, NFC and NFD names, 10,000-character captions, read-only media, a full disk."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import struct
import subprocess
import sys
import time
import unicodedata
import uuid
import zlib
from pathlib import Path

import pytest
from PIL import Image

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.domain.errors import CatalogError, MediadeskError
from mediadesk.domain.query import parse_query
from mediadesk.media import embed_metadata, probe
from mediadesk.services import importer
from mediadesk.services.importer import import_paths
from mediadesk.services.scan import Candidate, scan

from tests.support.environment import require

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# -- helpers -----------------------------------------------------------------------------------
def jpeg(seed: int, size=(96, 64), **fields) -> bytes:
    im = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    im.paste((seed % 256, 10, 200), (0, 0, size[0] // 2, size[1] // 3))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    data = buf.getvalue()
    if fields:
        data, _ = embed_metadata(data, fields)
    return data


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def tiny_png(i: int) -> bytes:
    """A valid 1x1 PNG whose colour is ``i`` (so every file has different bytes)."""
    raw = b"\x00" + bytes([(i >> 16) & 255, (i >> 8) & 255, i & 255])
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))


def solid_png(width: int, height: int) -> bytes:
    """A legal but expensive PNG: ``width`` x ``height`` RGB of one colour (small file, a large
    and slow decode), streamed through zlib so the test does not need the pixels in memory."""
    comp = zlib.compressobj(6)
    row = b"\x00" + b"\x1e\x3c\x5a" * width
    parts = [comp.compress(row) for _ in range(height)]
    parts.append(comp.flush())
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))


def bomb_png(width=30000, height=30000) -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b""))


def huge_sof_jpeg() -> bytes:
    data = bytearray(jpeg(5))
    i = data.find(b"\xff\xc0")
    data[i + 5:i + 9] = struct.pack(">HH", 65500, 65500)
    return bytes(data)


def errors_by_name(report) -> dict[str, str]:
    return {os.path.basename(e["path"]): e["error"] for e in report.errors}


@pytest.fixture(scope="session")
def slow_png(tmp_path_factory) -> Path:
    """196 MP (under the 200 MP limit): ~1 s to decode and ~600 MB of pixels."""
    path = tmp_path_factory.mktemp("slow") / "slow.png"
    path.write_bytes(solid_png(14000, 14000))
    return path


@contextlib.contextmanager
def tmpfs(path: Path, size: str, *, readonly: bool = False):
    """Mount a small tmpfs at ``path`` (root only); skips the test where mounting is not allowed
    (fails under CI, which runs as root)."""
    path.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True)
    require(proc.returncode == 0, f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


# -- hostile sizes -----------------------------------------------------------------------------
def test_decompression_bombs_are_refused_with_a_clear_message(catalog, tmp_path):
    folder = tmp_path / "bombs"
    folder.mkdir()
    (folder / "bomb.png").write_bytes(bomb_png())
    (folder / "bomb_sof.jpg").write_bytes(huge_sof_jpeg())
    (folder / "fine.jpg").write_bytes(jpeg(1, caption="A fine photo"))
    report = import_paths(catalog, [str(folder)], workers=2)
    errors = errors_by_name(report)
    assert report.imported == 1, report.to_json()
    assert "decompression bomb" in errors["bomb.png"] and "200 MP limit" in errors["bomb.png"]
    assert "bomb_sof.jpg" in errors and "MP" in errors["bomb_sof.jpg"], errors
    assert not catalog.thumbnail_path("0" * 64).exists()


def test_a_file_that_takes_too_long_is_reported_and_the_rest_imports(catalog, tmp_path, slow_png):
    folder = tmp_path / "mixed"
    folder.mkdir()
    os.link(slow_png, folder / "slow.png")
    for i in range(10):
        (folder / f"ok_{i}.jpg").write_bytes(jpeg(i))
    started = time.monotonic()
    report = import_paths(catalog, [str(folder)], workers=2, time_limit=0.3)
    spent = time.monotonic() - started
    errors = errors_by_name(report)
    assert report.imported == 10, report.to_json()
    assert errors["slow.png"].startswith("reading took longer than 0.3 s; the file may be damaged")
    assert spent < 30
    # the same file alone (fewer files than workers) still goes through a worker with the limit
    alone = import_paths(catalog, [str(folder / "slow.png")], time_limit=0.3)
    assert alone.failed == 1 and "longer than 0.3 s" in alone.errors[0]["error"]


def test_the_time_limit_comes_from_the_environment(monkeypatch, tmp_path, catalog, slow_png):
    monkeypatch.setenv("MEDIADESK_FILE_TIME_LIMIT", "0.4")
    os.link(slow_png, tmp_path / "slow.png")
    report = import_paths(catalog, [str(tmp_path / "slow.png")], workers=1)
    assert "longer than 0.4 s" in report.errors[0]["error"]
    assert importer.FILE_TIME_LIMIT == 60.0


def test_worker_memory_cap_turns_a_memory_hungry_file_into_a_report(catalog, tmp_path, slow_png):
    folder = tmp_path / "mem"
    folder.mkdir()
    os.link(slow_png, folder / "hungry.png")
    (folder / "ok.jpg").write_bytes(jpeg(3))
    report = import_paths(catalog, [str(folder)], workers=2, memory_limit=400 << 20, time_limit=60)
    errors = errors_by_name(report)
    assert report.imported == 1, report.to_json()
    assert "not enough memory" in errors["hungry.png"] or "crashed" in errors["hungry.png"], errors
    # and with the default 2 GiB cap the same file imports (the cap does not hurt real work)
    again = import_paths(catalog, [str(folder)], workers=1, time_limit=60)
    assert again.imported == 1 and again.failed == 0, again.to_json()


def test_worker_memory_cap_leaves_pyav_and_pillow_working(catalog, tmp_path):
    import shutil

    ffmpeg = shutil.which("ffmpeg")
    require(ffmpeg, "ffmpeg is not installed")
    assert ffmpeg
    subprocess.run([ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25",
                    "-t", "2", "-pix_fmt", "yuv420p", str(tmp_path / "clip.mp4")], check=True)
    Image.new("RGB", (4000, 3000), "red").save(tmp_path / "big.jpg", quality=90)
    Image.new("RGB", (3000, 2000), "blue").save(tmp_path / "big.heic")
    report = import_paths(catalog, [str(tmp_path)], workers=2, memory_limit=1 << 30)
    assert report.failed == 0 and report.imported == 3, report.to_json()


# -- many files --------------------------------------------------------------------------------
def _write_many(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        with open(folder / f"img_{i:06d}.png", "wb") as fh:
            fh.write(tiny_png(i))


def test_scan_of_100000_files_in_one_folder(tmp_path):
    folder = tmp_path / "many"
    _write_many(folder, 100_000)
    started = time.monotonic()
    found = [c for c in scan([str(folder)]) if isinstance(c, Candidate)]
    assert len(found) == 100_000
    assert found[0].path.endswith("img_000000.png") and found[-1].path.endswith("img_099999.png")
    assert time.monotonic() - started < 60


@pytest.mark.slow
def test_import_100000_files_in_one_folder(tmp_path):
    """~4 minutes on 2 cores: every file hashed, probed and thumbnailed, 100,000 rows."""
    folder = tmp_path / "many"
    _write_many(folder, 100_000)
    with open_catalog(tmp_path / "big.mediadesk") as cat:
        report = import_paths(cat, [str(folder)], workers=2)
        assert report.imported == 100_000 and report.failed == 0
        assert cat.scalar("SELECT count(*) FROM assets") == 100_000
        again = import_paths(cat, [str(folder)], workers=2)
        assert again.unchanged == 100_000 and again.seconds < 30
        assert cat.scalar("PRAGMA integrity_check") == "ok"
        assert len(cat.index.ids(parse_query("img_099999"))) <= 1


# -- names and long text -----------------------------------------------------------------------
WORDS = ("Łódź", "café")


def test_nfc_and_nfd_names_are_two_files_and_both_import(catalog, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    for n, form in enumerate(("NFC", "NFD")):
        for m, word in enumerate(WORDS):
            name = unicodedata.normalize(form, word) + ".jpg"
            (folder / name).write_bytes(jpeg(n * 10 + m, caption=unicodedata.normalize(form, f"Visit to {word}")))
    if len(os.listdir(folder)) != 4:
        pytest.skip("this file system folds NFC and NFD names together")
    report = import_paths(catalog, [str(folder)], workers=0)
    assert report.imported == 4 and report.failed == 0
    names = {a.file_name for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids())}
    assert names == {unicodedata.normalize(f, w) + ".jpg" for f in ("NFC", "NFD") for w in WORDS}


@pytest.mark.parametrize("word,form", [("Łódź", "NFC"), ("café", "NFC"), ("café", "NFD")])
def test_nfc_and_nfd_captions_are_found_with_either_form(catalog, tmp_path, word, form):
    """(NFD "Łódź" is test_nfd_query_for_lodz_finds_both_forms, an expected failure for now.)"""
    folder = tmp_path / "names"
    folder.mkdir()
    for n, stored in enumerate(("NFC", "NFD")):
        (folder / f"{stored}_{n}.jpg").write_bytes(jpeg(n, caption=unicodedata.normalize(stored, f"Visit to {word}")))
    import_paths(catalog, [str(folder)], workers=0)
    query = unicodedata.normalize(form, word)
    assert len(catalog.index.ids(parse_query(query))) == 2


def test_nfd_query_for_lodz_finds_both_forms(catalog, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    for n, stored in enumerate(("NFC", "NFD")):
        (folder / f"{n}.jpg").write_bytes(jpeg(n, caption=unicodedata.normalize(stored, "Visit to Łódź")))
    import_paths(catalog, [str(folder)], workers=0)
    assert len(catalog.index.ids(parse_query(unicodedata.normalize("NFD", "Łódź")))) == 2


def test_10000_character_captions_import_search_edit_and_export(catalog, catalog_path, tmp_path):
    from mediadesk.services.edits import apply_edits

    long_caption = ("Rutte " + "lorem ipsum dolor sit amet " * 400)[:9_990] + " zanzibar"
    assert len(long_caption) >= 9_999
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long.jpg").write_bytes(jpeg(1, caption=long_caption, usage_terms=SEED_PROFILE_NOTE))
    report = import_paths(catalog, [str(folder)], workers=0)
    assert report.imported == 1, report.to_json()
    store = AssetStore(catalog)
    asset = store.get(store.all_ids()[0])
    assert asset.caption == long_caption                              # nothing cut on import
    assert catalog.index.ids(parse_query("zanzibar")) == [asset.id]
    edited = "É" * 10_000
    apply_edits(catalog, {asset.id: {"caption": edited}})
    assert store.get(asset.id).caption == edited
    # export: the XMP keeps everything; IIM holds 2000 bytes, so the export warns
    from mediadesk.services.export import ExportOptions, plan_export, run_export

    plan = plan_export(catalog, [asset.id], ExportOptions(purpose="editorial-online"))
    result = run_export(catalog, plan, tmp_path / "bundle", workers=0)
    assert result.bundle and len(result.exported) >= 1, result.to_json()
    text = " ".join(result.warnings) + " ".join(str(e) for e in result.exported)
    assert "IIM" in text and "2000 bytes" in text, text
    exported = next(Path(result.bundle).glob("*.jpg"))
    assert probe(str(exported)).fields["caption"] == edited


# -- read-only media ---------------------------------------------------------------------------
@contextlib.contextmanager
def read_only_folder(path: Path):
    """A folder nobody may write: chmod for a normal user; a read-only mount for root (root
    ignores permission bits)."""
    if not IS_ROOT:
        for p in sorted(path.rglob("*"), reverse=True):
            p.chmod(0o444 if p.is_file() else 0o555)
        path.chmod(0o555)
        try:
            yield path
        finally:
            for p in [path, *path.rglob("*")]:
                p.chmod(0o755 if p.is_dir() else 0o644)
        return
    proc = subprocess.run(["mount", "--bind", "-o", "ro", str(path), str(path)], capture_output=True)
    require(proc.returncode == 0, f"cannot make a read-only bind mount: {proc.stderr.decode(errors='replace')}")
    subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True)
    try:
        try:
            (path / f".probe-{uuid.uuid4().hex}").write_bytes(b"")
            require(False, "the read-only mount is writable here")
        except OSError:
            pass
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_read_only_media_folder_imports_and_write_back_reports_clearly(catalog, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(3):
        (folder / f"photo_{i}.jpg").write_bytes(jpeg(i, caption=f"Archive photo {i}"))
    before = _tree(folder)
    with read_only_folder(folder):
        report = import_paths(catalog, [str(folder)], workers=2)
        assert report.imported == 3 and report.failed == 0, report.to_json()
        assert _tree(folder) == before                      # nothing written into the media folder
        ids = AssetStore(catalog).all_ids()
        from mediadesk.services.edits import apply_edits

        apply_edits(catalog, {i: {"caption": "Corrected by the desk"} for i in ids})
        from mediadesk.services.writeback import writeback

        wb = writeback(catalog, ids)
        data = wb.to_json() if hasattr(wb, "to_json") else wb.__dict__
        text = str(data)
        assert _tree(folder) == before
        assert "read-only" in text or "cannot be written" in text, text
    assert _tree(folder) == before


# -- a full disk -------------------------------------------------------------------------------
def _fill_to_the_brim(catalog) -> None:
    """SQLite's own cap on the file size: the next page it needs fails with SQLITE_FULL, which is
    exactly what a full disk gives it."""
    pages = catalog.scalar("PRAGMA page_count")
    catalog.conn.execute(f"PRAGMA max_page_count = {pages + 2}")


@pytest.mark.sqlite_only("a full disk is simulated with SQLite's max_page_count; on a team catalog the "
                        "server's disk is the server's, and its DiskFull error takes the same path "
                        "(tests/test_team_faults.py)")
def test_full_disk_during_import_gives_a_clear_error_and_keeps_the_catalog(catalog, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    for i in range(3):
        (first / f"a_{i}.jpg").write_bytes(jpeg(i, caption=f"Kept {i}"))
    import_paths(catalog, [str(first)], workers=0)
    second = tmp_path / "second"
    second.mkdir()
    for i in range(200):
        (second / f"b_{i}.jpg").write_bytes(jpeg(100 + i, caption="More " + "words " * 200))
    _fill_to_the_brim(catalog)
    with pytest.raises(CatalogError) as info:
        import_paths(catalog, [str(second)], workers=0)
    message = str(info.value)
    assert message.startswith("the disk holding the catalog is full"), message
    assert catalog.target in message
    catalog.conn.execute("PRAGMA max_page_count = 1073741823")
    assert catalog.scalar("PRAGMA integrity_check") == "ok"
    kept = {a.caption for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids())}
    assert {"Kept 0", "Kept 1", "Kept 2"} <= kept
    # with room again, the same import finishes the job
    again = import_paths(catalog, [str(second)], workers=0)
    assert AssetStore(catalog).count() == 203, again.to_json()


def test_full_disk_on_a_real_tiny_file_system(tmp_path):
    """A 3 MB tmpfs holds the catalog: ENOSPC from the kernel, not a simulation."""
    with tmpfs(tmp_path / "small", "3M") as small:
        media = tmp_path / "media"
        media.mkdir()
        for i in range(400):
            (media / f"p_{i}.jpg").write_bytes(jpeg(i, size=(320, 240), caption="Filler " + "text " * 300))
        cat_path = small / "catalog.mediadesk"
        with open_catalog(cat_path) as cat:
            with pytest.raises(MediadeskError) as info:
                import_paths(cat, [str(media)], workers=2)
            assert "disk holding the catalog is full" in str(info.value), str(info.value)
        # a fresh connection (as after a restart) finds a consistent catalog
        conn = sqlite3.connect(str(cat_path))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM assets").fetchone()[0] >= 0
        finally:
            conn.close()


def test_cli_reports_a_full_disk_in_one_clear_line(tmp_path):
    with tmpfs(tmp_path / "small", "2M") as small:
        media = tmp_path / "media"
        media.mkdir()
        for i in range(300):
            (media / f"p_{i}.jpg").write_bytes(jpeg(i, size=(320, 240), caption="Filler " + "text " * 300))
        proc = subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(small / "c.mediadesk"),
                               "import", str(media), "--json"], capture_output=True, text=True, timeout=300)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
        assert "disk holding the catalog is full" in proc.stderr, proc.stderr[-2000:]


@pytest.mark.sqlite_only("a full disk is simulated with SQLite's max_page_count; on a team catalog the "
                        "server's disk is the server's, and its DiskFull error takes the same path "
                        "(tests/test_team_faults.py)")
def test_full_disk_during_an_edit_gives_a_clear_error_and_keeps_the_catalog(catalog, tmp_path):
    from mediadesk.services.edits import apply_edits

    (tmp_path / "a.jpg").write_bytes(jpeg(1, caption="Before"))
    import_paths(catalog, [str(tmp_path / "a.jpg")], workers=0)
    aid = AssetStore(catalog).all_ids()[0]
    _fill_to_the_brim(catalog)
    with pytest.raises(CatalogError) as info:
        apply_edits(catalog, {aid: {"caption": "After " + "long words " * 20_000}})
    assert str(info.value).startswith("the disk holding the catalog is full")
    catalog.conn.execute("PRAGMA max_page_count = 1073741823")
    assert catalog.scalar("PRAGMA integrity_check") == "ok"
    assert AssetStore(catalog).get(aid).caption == "Before"
