"""Class 7: a catalog from someone else ran their code.

The attack: a trigger planted in a received catalog re-granted rights after ``rights assign
--none``; a recursive view hung every command. Every catalog is now opened with trusted_schema
OFF, its schema is compared with the one the migrations build, and one with foreign code is
refused until ``mediadesk catalog repair`` removes it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.connection import SchemaRefused
from mediadesk.catalog.migrations import SCHEMA_VERSION

from tests.support.paths import CATALOG_FIXTURES

REGRANT = ("CREATE TRIGGER regrant AFTER UPDATE OF rights_profile_id ON assets "
           "WHEN new.rights_profile_id IS NULL BEGIN "
           "UPDATE assets SET rights_profile_id = 1 WHERE id = new.id; END")
HANG = ("CREATE VIEW hang AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n FROM r")
FIXTURES = CATALOG_FIXTURES


def plant(path, *statements: str) -> None:
    conn = sqlite3.connect(str(path))
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def profile_of(path, asset_id):
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT rights_profile_id FROM assets WHERE id = ?", (asset_id,)).fetchone()[0]
    finally:
        conn.close()


def test_a_planted_trigger_cannot_re_grant_rights(cli, library):
    pl = library.ids["pl"]
    plant(library.catalog_path, REGRANT)
    code, _out, err = cli("rights", "assign", "--none", str(pl))
    assert code == 1
    assert "trigger 'regrant'" in err and "catalog repair" in err and "Traceback" not in err
    assert profile_of(library.catalog_path, pl) == 1          # nothing ran, nothing changed
    code, out, _err = cli("catalog", "repair")
    assert code == 0 and "removed trigger 'regrant'" in out
    code, _out, _err = cli("rights", "assign", "--none", str(pl))
    assert code == 0
    assert profile_of(library.catalog_path, pl) is None       # and it stays cleared


def _run(catalog_path, *args, timeout=60):
    return subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(catalog_path), *args],
                          capture_output=True, text=True, timeout=timeout)


def test_a_recursive_view_does_not_hang_any_command(library):
    plant(library.catalog_path, HANG)
    for args in (["search", "summit"], ["ledger", "--verify"], ["catalog", "check"]):
        done = _run(library.catalog_path, *args)       # a hang would hit the timeout
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "view 'hang'" in done.stdout + done.stderr
        assert "Traceback" not in done.stderr


def test_a_ledger_replaced_by_a_recursive_view_is_reported_not_read(library, cli):
    plant(library.catalog_path, "DROP TABLE export_ledger",
          "CREATE VIEW export_ledger AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
          "SELECT n AS id FROM r")
    done = _run(library.catalog_path, "ledger", "--verify")
    assert done.returncode == 1
    assert "replaced by a view" in done.stdout and "intact" not in done.stdout


def test_a_changed_index_is_refused_and_rebuilt_by_repair(cli, library):
    plant(library.catalog_path, "DROP INDEX assets_path",
          "CREATE UNIQUE INDEX assets_path ON assets(path) WHERE rights_profile_id IS NOT NULL",
          "CREATE INDEX extra_idx ON assets(caption)")
    with pytest.raises(SchemaRefused) as caught:
        open_catalog(library.catalog_path)
    described = {p.name: p.kind for p in caught.value.problems}
    assert described == {"assets_path": "changed", "extra_idx": "unknown"}
    code, out, _err = cli("catalog", "repair")
    assert code == 0 and "rebuilt index 'assets_path'" in out and "removed index 'extra_idx'" in out
    with open_catalog(library.catalog_path) as catalog:
        assert catalog.schema_problems == []


def test_a_changed_table_is_refused_and_not_rebuilt(cli, library):
    plant(library.catalog_path, "ALTER TABLE assets ADD COLUMN sneaky TEXT DEFAULT 'x'")
    code, _out, err = cli("search", "summit")
    assert code == 1 and "table 'assets'" in err
    code, out, _err = cli("catalog", "repair")
    assert code == 1 and "cannot repair: table 'assets'" in out and "backup" in out


def test_every_catalog_is_opened_with_trusted_schema_off(library):
    with open_catalog(library.catalog_path) as catalog:
        assert catalog.scalar("PRAGMA trusted_schema") == 0
        assert catalog.scalar("SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')") == 0


def test_an_older_catalog_with_a_planted_trigger_is_refused_before_it_is_upgraded(tmp_path):
    copy = tmp_path / "received.mediadesk"
    shutil.copy(FIXTURES / "schema-2.mediadesk", copy)
    # the upgrade to schema 3 writes a settings row: this would run inside the migration
    plant(copy, "CREATE TRIGGER on_upgrade AFTER INSERT ON settings BEGIN "
                "UPDATE assets SET rights_profile_id = NULL, caption = 'pwned'; END")
    with pytest.raises(SchemaRefused, match="on_upgrade"):
        open_catalog(copy)
    conn = sqlite3.connect(str(copy))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2       # not migrated
    assert conn.execute("SELECT caption FROM assets WHERE id = 1").fetchone()[0] != "pwned"
    conn.close()
    done = _run(copy, "catalog", "repair")
    assert done.returncode == 0, done.stdout + done.stderr
    with open_catalog(copy) as catalog:
        assert catalog.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert catalog.scalar("SELECT caption FROM assets WHERE id = 1") != "pwned"
