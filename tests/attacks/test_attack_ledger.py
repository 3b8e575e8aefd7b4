"""Class 9: a ledger that can be emptied quietly.

The attacks: delete every entry (and the head), or delete the newest entry and copy the previous
hash into the head; ``ledger --verify`` said "intact". Now every bundle carries a receipt
(LEDGER.json) that ``ledger --verify --bundle`` proves against the ledger, and ``ledger --verify``
compares the ledger with the newest head this machine saw."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile

import pytest

from mediadesk.catalog.ledger import _canonical


def _export(cli, tmp_path, n, *extra):
    code, data = cli.json("export", "--purpose", "editorial-online", "--recipient", f"Desk {n}",
                          "--out", tmp_path / f"b{n}", *extra, "1")
    assert code == 0, data
    return data


@pytest.fixture
def exported(cli, library, tmp_path):
    """Three bundles (the third a zip) from library assets 1 (editorial); the ledger verified
    once, so this machine knows its head."""
    for n in range(3):
        _export(cli, tmp_path, n, *(["--zip"] if n == 2 else []))
    code, out, _err = cli("ledger", "--verify")
    assert code == 0 and "ledger intact" in out
    return library.catalog_path


def sql(path, *statements):
    conn = sqlite3.connect(str(path))
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def receipt(bundle):
    if str(bundle).endswith(".zip"):
        with zipfile.ZipFile(bundle) as zf:
            return json.loads(zf.read("LEDGER.json")), hashlib.sha256(zf.read("manifest.json")).hexdigest()
    return (json.loads((bundle / "LEDGER.json").read_text()),
            hashlib.sha256((bundle / "manifest.json").read_bytes()).hexdigest())


def test_every_bundle_carries_its_receipt(exported, tmp_path):
    conn = sqlite3.connect(str(exported))
    catalog_id = conn.execute("SELECT value FROM settings WHERE key = 'catalog.id'").fetchone()[0]
    rows = {r[0]: r[1] for r in conn.execute("SELECT id, entry_hash FROM export_ledger")}
    conn.close()
    for n, bundle in enumerate([tmp_path / "b0", tmp_path / "b1", tmp_path / "b2.zip"], start=1):
        data, manifest = receipt(bundle)
        assert data == {"format": "mediadesk-ledger-receipt/1", "entry_id": n, "chain_hash": rows[n],
                        "manifest_sha256": manifest, "catalog_id": catalog_id}
        manifest_files = json.loads(zipfile.ZipFile(bundle).read("manifest.json") if n == 3
                                    else (bundle / "manifest.json").read_bytes())["files"]
        assert "LEDGER.json" not in {f["file"] for f in manifest_files}


def test_bundles_are_proven_against_the_ledger(cli, exported, tmp_path):
    code, out, _err = cli("ledger", "--verify", "--bundle", tmp_path / "b0", "--bundle", tmp_path / "b2.zip")
    assert code == 0
    assert "ledger entry 1 (chain hash" in out and "ledger entry 3 (chain hash" in out


def test_deleting_every_entry_is_not_intact(cli, exported):
    sql(exported, "DELETE FROM export_ledger", "DELETE FROM settings WHERE key = 'export_ledger.head'")
    code, out, _err = cli("ledger", "--verify")
    assert code == 1 and "intact" not in out
    assert "goes backwards" in out and "entry 3" in out


def test_deleting_the_newest_entry_and_fixing_the_head(cli, exported, tmp_path):
    conn = sqlite3.connect(str(exported))
    prev = conn.execute("SELECT entry_hash FROM export_ledger WHERE id = 2").fetchone()[0]
    conn.close()
    sql(exported, "DELETE FROM export_ledger WHERE id = 3",
        f"UPDATE settings SET value = '2:{prev}' WHERE key = 'export_ledger.head'")
    code, out, _err = cli("ledger", "--verify", "--bundle", tmp_path / "b2.zip")
    assert code == 1 and "intact" not in out
    assert "goes backwards" in out
    assert "ledger entry 3 named by the bundle is not in the ledger" in out


def test_a_rewritten_chain_is_caught_by_the_receipts_and_the_head(cli, exported, tmp_path):
    """Whoever can write the catalog can recompute every hash: the chain then checks out, the
    anchors outside the catalog do not."""
    conn = sqlite3.connect(str(exported))
    conn.execute("UPDATE export_ledger SET recipient = 'Someone else' WHERE id = 1")
    prev = "0" * 64
    for row in conn.execute("SELECT id, at, who, purpose, recipient, bundle, assets, blocked, "
                            "manifest_sha256, event, detail FROM export_ledger ORDER BY id").fetchall():
        entry_hash = hashlib.sha256(_canonical(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                                               row[7], row[8], prev, row[9], row[10])).hexdigest()
        conn.execute("UPDATE export_ledger SET prev_hash = ?, entry_hash = ? WHERE id = ?",
                     (prev, entry_hash, row[0]))
        prev = entry_hash
    conn.execute("UPDATE settings SET value = ? WHERE key = 'export_ledger.head'", (f"3:{prev}",))
    conn.commit()
    conn.close()
    code, out, _err = cli("ledger", "--verify", "--bundle", tmp_path / "b0")
    assert code == 1
    assert "ledger entry 3 is not the one this machine saw" in out
    assert "ledger entry 1 has another chain hash than the bundle's receipt" in out


@pytest.mark.parametrize("tamper, expected", [
    ("ALTER TABLE export_ledger DROP COLUMN who", "ledger column 'who' was dropped"),
    ("UPDATE export_ledger SET assets = X'5b315d' WHERE id = 2", "ledger entry 2: assets holds binary data"),
    ("UPDATE export_ledger SET entry_hash = X'ab' WHERE id = 3", "ledger entry 3: entry_hash holds binary data"),
])
def test_dropped_or_retyped_columns_are_tampering_not_a_traceback(cli, exported, tamper, expected):
    sql(exported, tamper)
    code, out, err = cli("ledger", "--verify")
    assert code == 1 and "Traceback" not in err and "unexpected error" not in err
    assert expected in out, out


def test_a_retyped_ledger_table_is_tampering(cli, exported):
    sql(exported, "ALTER TABLE export_ledger RENAME TO old_ledger",
        "CREATE TABLE export_ledger (id INTEGER PRIMARY KEY, at TEXT, who TEXT, purpose TEXT, "
        "recipient TEXT, bundle TEXT, assets BLOB, blocked TEXT, manifest_sha256 TEXT, prev_hash TEXT, "
        "entry_hash TEXT, event TEXT, detail TEXT)",
        "INSERT INTO export_ledger SELECT * FROM old_ledger", "DROP TABLE old_ledger")
    code, out, err = cli("ledger", "--verify")
    assert code == 1 and "Traceback" not in err
    assert "ledger column 'assets' was retyped from TEXT to BLOB" in out


def test_a_bundle_whose_manifest_was_changed_is_not_proven(cli, exported, tmp_path):
    manifest = tmp_path / "b1" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["purpose"] = "advertising"
    manifest.write_text(json.dumps(data))
    code, out, _err = cli("ledger", "--verify", "--bundle", tmp_path / "b1")
    assert code == 1 and "manifest.json is not the one ledger entry 2 records" in out


def test_a_receipt_from_another_catalog_is_named(cli, exported, tmp_path, capsys):
    from mediadesk.catalog import open_catalog

    from tests.support.attack_helpers import Cli

    other = tmp_path / "other.mediadesk"
    open_catalog(other).close()
    code, out, _err = Cli(capsys, other)("ledger", "--verify", "--bundle", tmp_path / "b0")
    assert code == 1 and "names catalog" in out


def _hostile_receipts(tmp_path):
    deep = b'{"format": "mediadesk-ledger-receipt/1", "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    folder_big = tmp_path / "big"
    folder_big.mkdir()
    (folder_big / "manifest.json").write_text("{}")
    (folder_big / "LEDGER.json").write_bytes(b" " * (70 << 10))
    folder_fifo = tmp_path / "fifo"
    folder_fifo.mkdir()
    (folder_fifo / "manifest.json").write_text("{}")
    os.mkfifo(folder_fifo / "LEDGER.json")
    folder_deep = tmp_path / "deep"
    folder_deep.mkdir()
    (folder_deep / "manifest.json").write_text("{}")
    (folder_deep / "LEDGER.json").write_bytes(deep[:60_000])
    bz = tmp_path / "bzip.zip"
    with zipfile.ZipFile(bz, "w", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("LEDGER.json", b"{}")
        zf.writestr("manifest.json", b"{}")
    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(twice, "w") as zf:
        zf.writestr("LEDGER.json", b"{}")
        zf.writestr("manifest.json", b"{}")
    with zipfile.ZipFile(twice, "a") as zf:
        zf.writestr("LEDGER.json", b"{}")
    return {folder_big: "more than a mediadesk bundle holds", folder_fifo: "not a regular file",
            folder_deep: "not readable JSON", bz: "compression method", twice: "appears 2 times"}


def test_hostile_receipts_are_findings_in_bounded_time(cli, exported, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # zipfile warns about the duplicate name it is asked to write
        cases = _hostile_receipts(tmp_path)
    for bundle, expected in cases.items():
        code, out, err = cli("ledger", "--verify", "--bundle", bundle)
        assert code == 1 and expected in out, (bundle.name, out, err)
        assert "Traceback" not in err


def test_a_mistyped_catalog_path_is_never_intact(capsys, tmp_path):
    from tests.support.attack_helpers import Cli

    missing = tmp_path / "typo" / "catalgo.mediadesk"
    code, out, err = Cli(capsys, missing)("ledger", "--verify")
    assert code == 2 and "intact" not in out and "there is no catalog" in err
    assert not missing.parent.exists()                      # no catalog and no folder made
