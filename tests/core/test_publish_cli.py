"""``mediadesk publish``: JSON keys, exit statuses, dry run, selections."""

from __future__ import annotations

import json

from mediadesk.catalog.galleries import GalleryStore
from mediadesk.cli.main import main

from tests.support.export_fixtures import build_library


def _run(capsys, lib, *args):
    code = main(["--catalog", str(lib.catalog_path), "publish", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_publish_json_and_exit_status_partial(tmp_path, capsys):
    lib = build_library(tmp_path)
    with lib.open() as catalog, catalog.transaction():
        gid = GalleryStore(catalog).create_unrecorded("Summit 2025", date="2025-03-06", place="Brussels")
        GalleryStore(catalog).add_assets_unrecorded(gid, list(lib.ids.values()))
    code, out, _err = _run(capsys, lib, "--gallery", "Summit 2025", "--out", str(tmp_path / "site"), "--json")
    assert code == 3                                  # two assets were left out
    data = json.loads(out)
    assert set(data) >= {"published", "left_out", "site", "page", "ledger_id", "warnings"}
    assert data["site"] == str(tmp_path / "site" / "index.html")
    assert {x["id"] for x in data["left_out"]} == {lib.ids["none"], lib.ids["ad"]}
    assert all(set(x) >= {"id", "page", "files"} for x in data["published"])
    assert "6 March 2025 · Brussels" in (tmp_path / "site" / "summit-2025" / "index.html").read_text()

    ok = [str(lib.ids["pl"]), str(lib.ids["rs"])]
    code, out, _err = _run(capsys, lib, *ok, "--title", "Two photos", "--out", str(tmp_path / "site"))
    assert code == 0 and "published 2 asset(s)" in out
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Summit 2025" in index and "Two photos" in index      # both galleries on the index


def test_dry_run_writes_nothing_and_bad_arguments_exit_2(tmp_path, capsys):
    lib = build_library(tmp_path)
    code, out, _err = _run(capsys, lib, "--query", "kind:photo", "--title", "Photos", "--dry-run",
                           "--out", str(tmp_path / "site"))
    assert code == 3 and "would go online" in out and "LEFT OUT" in out
    assert not (tmp_path / "site").exists()
    code, _out, err = _run(capsys, lib, "--query", "kind:photo", "--out", str(tmp_path / "site"))
    assert code == 2 and "--title" in err
    code, _out, err = _run(capsys, lib, "--gallery", "No such gallery", "--out", str(tmp_path / "s"))
    assert code == 2 and "no gallery called" in err
    code, _out, err = _run(capsys, lib, str(lib.ids["pl"]), "--title", "x", "--out", str(tmp_path / "s"),
                           "--base-url", "ftp://example.org")
    assert code == 2 and "http" in err
    code, out, _err = _run(capsys, lib, str(lib.ids["pl"]), "--title", "x", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["online"][0]["download"] is True
