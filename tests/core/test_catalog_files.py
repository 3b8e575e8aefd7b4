"""Catalog files are never opened by the import: skipped by name and by identity, and reported.

Reading the catalog (or its -wal/-shm) to guess its type closes a descriptor of it, which drops
every SQLite lock this process holds on it (SQLite's "How To Corrupt", 2.2). The tests watch the
scan's opens and the process's locks in /proc/locks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PIL import Image

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.files import CatalogFiles, catalog_part, companion_paths
from mediadesk.cli.main import main
from mediadesk.services import scan as scan_module
from mediadesk.services.importer import import_paths
from mediadesk.services.scan import Skipped, Unsupported, scan

from proc_locks import catalog_locks


def _photo(path: Path) -> Path:
    Image.new("RGB", (64, 48), "navy").save(path)
    return path


def test_names_and_identity_say_what_a_catalog_file_is(tmp_path):
    catalog_path = tmp_path / "press.db"          # a catalog whose name says nothing
    with Catalog(catalog_path):
        files = CatalogFiles(catalog_path)
        os.link(catalog_path, tmp_path / "hardlink.jpg")
        os.symlink(catalog_path, tmp_path / "symlink.png")
        assert files.reason(catalog_path).startswith("a mediadesk catalog (the catalog in use)")
        assert files.reason(tmp_path / "press.db-wal").startswith("the write-ahead log")
        assert files.reason(tmp_path / "press.db-shm").startswith("the shared-memory index")
        assert files.reason(tmp_path / "press.db-journal").startswith("the rollback journal")
        assert "in use" in files.reason(tmp_path / "hardlink.jpg")
        assert "in use" in files.reason(tmp_path / "symlink.png")
        assert files.reason(tmp_path / "other.mediadesk") == (
            "a mediadesk catalog: catalogs are never imported or opened as files, so the catalog keeps its locks")
        assert files.reason(tmp_path / "Other.MEDIADESK-wal").startswith("the write-ahead log of a mediadesk")
        assert files.reason(tmp_path / "press.db.jpg") is None
        assert files.reason(tmp_path / "photo.jpg") is None
    assert catalog_part("x.mediadesk-shm") == "-shm" and catalog_part("x.mediadesk.jpg") is None
    assert [p.name for p in companion_paths(catalog_path)] == [
        "press.db", "press.db-wal", "press.db-shm", "press.db-journal"]


def test_scan_skips_catalog_files_before_opening_anything(tmp_path, monkeypatch):
    catalog_path = tmp_path / "catalog.mediadesk"
    opened: list[str] = []
    real_open = open

    def spy(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(scan_module, "open", spy, raising=False)
    with Catalog(catalog_path):
        _photo(tmp_path / "photo.jpg")
        (tmp_path / "notes").write_bytes(b"no extension: sniffed")
        (tmp_path / "old.mediadesk").write_bytes(b"SQLite format 3\x00")
        _photo((tmp_path / "old.mediadesk.thumbs").mkdir() or tmp_path / "old.mediadesk.thumbs" / "ab.jpg")
        os.link(catalog_path, tmp_path / "hardlink")           # no extension: would be sniffed
        os.symlink(catalog_path, tmp_path / "link.jpg")
        found = list(scan([str(tmp_path)], catalog=catalog_path))
        skipped = {os.path.basename(f.path): f.reason for f in found if isinstance(f, Skipped)}
        assert set(skipped) == {"catalog.mediadesk", "catalog.mediadesk-wal", "catalog.mediadesk-shm",
                                "hardlink", "link.jpg", "old.mediadesk", "old.mediadesk.thumbs"}
        assert skipped["old.mediadesk.thumbs"].startswith("the thumbnail cache of a mediadesk catalog")
        assert [os.path.basename(f.path) for f in found if isinstance(f, Unsupported)] == ["notes"]
        assert opened == [str(tmp_path / "notes")]          # the only file whose type was guessed
        # the catalog itself given as the thing to import
        assert isinstance(next(scan([str(catalog_path)], catalog=catalog_path)), Skipped)


def test_importing_the_folder_that_holds_the_catalog_keeps_its_locks(tmp_path):
    catalog_path = tmp_path / "catalog.mediadesk"
    _photo(tmp_path / "photo.png")
    (tmp_path / "README").write_text("a file without an extension is sniffed")
    with Catalog(catalog_path) as catalog:
        assert catalog_locks(catalog_path) == {"catalog": True, "-shm": True}
        report = import_paths(catalog, [str(tmp_path)], workers=0)
        assert catalog_locks(catalog_path) == {"catalog": True, "-shm": True}
        assert report.imported == 1 and report.unsupported_files == [str(tmp_path / "README")]
        assert sorted(os.path.basename(s["path"]) for s in report.skipped) == [
            "catalog.mediadesk", "catalog.mediadesk-shm", "catalog.mediadesk-wal"]
        assert all("catalog in use" in s["reason"] for s in report.skipped)
        assert not report.errors and report.failed == 0


def test_cli_import_reports_the_skipped_catalog_files(tmp_path, capsys):
    catalog_path = tmp_path / "catalog.mediadesk"
    _photo(tmp_path / "photo.png")
    assert main(["--catalog", str(catalog_path), "import", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 1 and out["unsupported"] == 0 and out["failed"] == 0
    assert [os.path.basename(s["path"]) for s in out["skipped"]][:1] == ["catalog.mediadesk"]
    assert main(["--catalog", str(catalog_path), "import", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert f"skipped {catalog_path}: a mediadesk catalog (the catalog in use)" in text
