"""The command line on a team catalog: --catalog URL and MEDIADESK_CATALOG, catalog info,
upgrade and copy, storage roots; and the commands that read and write, as on a file."""

from __future__ import annotations

import json
import unicodedata

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.postgres import migrations
from mediadesk.cli.main import main

from tests.support.export_fixtures import jpeg


def _json(capsys, argv) -> tuple[int, dict | list]:
    code = main(argv)
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip()[:1] in ("{", "[") else {}


@pytest.fixture
def share(tmp_path):
    folder = tmp_path / "press share"
    (folder / "2025").mkdir(parents=True)
    for n in range(3):
        jpeg(folder / "2025" / f"Łódź {n}.jpg", color=(40 * n, 90, 160),
             fields={"caption": f"Summit photo {n} Vučić"})
    return folder


def test_a_team_catalog_from_roots_to_search(pg_empty_url, share, tmp_path, capsys):
    code, root = _json(capsys, ["--catalog", pg_empty_url, "roots", "add", "press", str(share), "--json"])
    assert code == 0 and root["online"] and root["mount"] == str(share)
    assert (share / ".mediadesk-root").exists()
    assert main(["--catalog", pg_empty_url, "import", str(share)]) == 0
    capsys.readouterr()
    code, info = _json(capsys, ["--catalog", pg_empty_url, "catalog", "info", "--json"])
    assert code == 0 and info["engine"] == "postgresql"
    assert info["schema_version"] == info["program_schema_version"] == migrations.SCHEMA_VERSION
    assert info["counts"]["assets"] == 3 and info["counts"]["thumbnails"] == 3
    assert info["storage_roots"][0]["name"] == "press" and info["storage_roots"][0]["assets"] == 3
    assert info["server"]["user"] == "mediadesk_owner"
    code, found = _json(capsys, ["--catalog", pg_empty_url, "search", "vucic lodz", "--json"])
    assert code == 0 and len(found) == 3
    # the stored path is the root's plus a path inside it, NFC
    with open_catalog(pg_empty_url) as catalog:
        paths = {a.path for a in catalog.assets.get_many(catalog.assets.all_ids())}
    assert paths == {str(share / "2025" / unicodedata.normalize("NFC", f"Łódź {n}.jpg")) for n in range(3)}


def test_the_catalog_url_comes_from_the_environment_too(pg_empty_url, monkeypatch, capsys):
    monkeypatch.setenv("MEDIADESK_CATALOG", pg_empty_url)
    assert main(["catalog", "info"]) == 2           # nothing there yet: a read never creates one
    assert "holds no mediadesk catalog" in capsys.readouterr().err
    assert main(["rights", "list"]) in (0, 2)


def test_roots_map_checks_the_marker(pg_url, share, tmp_path, capsys):
    assert main(["--catalog", pg_url, "roots", "add", "press", str(share)]) == 0
    elsewhere = tmp_path / "archive"
    elsewhere.mkdir()
    capsys.readouterr()
    assert main(["--catalog", pg_url, "roots", "map", "press", str(elsewhere)]) != 0
    assert "no storage-root marker" in capsys.readouterr().err
    assert main(["--catalog", pg_url, "roots", "map", "press", str(share)]) == 0
    capsys.readouterr()
    code, listed = _json(capsys, ["--catalog", pg_url, "roots", "list", "--json"])
    assert [r["name"] for r in listed["roots"]] == ["press"] and listed["roots"][0]["online"]


def test_roots_belong_to_team_catalogs(catalog_path, capsys):
    open_catalog(catalog_path).close()
    assert main(["--catalog", str(catalog_path), "roots", "list"]) != 0
    assert "desk catalog" in capsys.readouterr().err


def test_copy_into_a_team_catalog_and_back(share, pg_empty_url, tmp_path, capsys):
    desk = tmp_path / "desk.mediadesk"
    assert main(["--catalog", str(desk), "import", str(share)]) == 0
    assert main(["--catalog", str(desk), "tag", "add", "--keyword", "summit", "1", "2"]) == 0
    capsys.readouterr()
    code, report = _json(capsys, ["catalog", "copy", str(desk), pg_empty_url,
                                  "--root", f"press={share}", "--json"])
    assert code == 0 and report["verified"] and report["counts"]["assets"] == 3
    assert report["thumbnails"] == 3 and report["counts"]["edit_history"] >= 2
    assert main(["catalog", "copy", str(desk), pg_empty_url, "--root", f"press={share}"]) != 0
    assert "already holds work" in capsys.readouterr().err
    back = tmp_path / "back.mediadesk"
    code, report = _json(capsys, ["catalog", "copy", pg_empty_url, str(back), "--json"])
    assert code == 0 and report["verified"] and report["counts"]["assets"] == 3
    assert main(["--catalog", str(back), "undo"]) == 0                 # history and undo came along
    capsys.readouterr()
    code, found = _json(capsys, ["--catalog", str(back), "search", "vucic", "--json"])
    assert code == 0 and len(found) == 3


def test_copy_needs_one_file_and_one_team_catalog(tmp_path, capsys):
    assert main(["catalog", "copy", str(tmp_path / "a"), str(tmp_path / "b")]) != 0
    assert "pg_dump" in capsys.readouterr().err


def test_an_older_team_catalog_is_upgraded_by_its_owner_only_on_request(pg_url, monkeypatch, capsys):
    later = migrations.SCHEMA_VERSION + 1
    monkeypatch.setitem(migrations.MIGRATIONS, later, lambda ext: "ALTER TABLE mediadesk.assets ADD COLUMN x text;")
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", later)
    import mediadesk.catalog.migrations as desk_migrations
    monkeypatch.setattr(desk_migrations, "SCHEMA_VERSION", later)
    assert main(["--catalog", pg_url, "search", "x"]) != 0
    err = capsys.readouterr().err
    assert "mediadesk catalog upgrade" in err and "older than this mediadesk's" in err
    code, done = _json(capsys, ["--catalog", pg_url, "catalog", "upgrade", "--json"])
    assert code == 0 and done == {"catalog": done["catalog"], "from": later - 1, "to": later, "upgraded": True}
    assert "password" not in done["catalog"]


def test_a_newer_team_catalog_names_the_mediadesk_to_install(pg_url, capsys):
    with open_catalog(pg_url) as catalog:
        catalog.execute("INSERT INTO schema_migrations (version, program) VALUES (?, '3.1.4')",
                        (migrations.SCHEMA_VERSION + 1,))
    assert main(["--catalog", pg_url, "search", "x"]) != 0
    assert "install mediadesk 3.1.4 or newer" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["search", "", "--json"], ["galleries", "--json"], ["rights", "list"], ["ledger", "--verify"],
    ["history"], ["codes", "list"], ["template", "list"], ["undo"], ["redo"], ["catalog", "check"],
])
def test_reading_commands_work_on_a_team_catalog(pg_url, argv, capsys):
    code = main(["--catalog", pg_url, *argv])
    assert code == 0 or argv[0] in ("undo", "redo") and code == 1   # 1: nothing to undo, as on a file
    err = capsys.readouterr().err
    assert "Traceback" not in err and "psycopg" not in err
