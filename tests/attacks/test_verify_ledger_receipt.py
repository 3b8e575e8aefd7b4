"""Issue 10, class 9 (the verify side): a bundle's LEDGER.json anchors its ledger entry outside
the catalog. `verify` reads it within a size cap, checks it belongs to this manifest, and prints
the entry id and chain hash (``ledger_receipt`` in --json). A bundle without it still passes, with
a note. (The export writes the receipt on another branch; these tests write it themselves.)
"""

from __future__ import annotations

import json

import pytest

from mediadesk.cli.main import main
from mediadesk.services.bundle_verify import verify_bundle

from tests.support import hostile_bundles as hb

CHAIN = "ab" * 32


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> hb.Genuine:
    return hb.genuine(tmp_path_factory.mktemp("genuine"))


def with_receipt(g: hb.Genuine, tmp_path, **override):
    folder = hb.copy_folder(g, tmp_path / "with-receipt")
    (folder / "LEDGER.json").write_bytes(hb.ledger_receipt(folder, **override))
    return folder


def test_a_receipt_in_a_folder_is_checked_and_shown(g, tmp_path, capsys):
    folder = with_receipt(g, tmp_path)
    assert main(["verify", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["notes"] == []
    manifest_sha = report["ledger_receipt"]["manifest_sha256"]
    assert report["ledger_receipt"] == {"entry_id": 7, "chain_hash": CHAIN, "manifest_sha256": manifest_sha,
                                        "catalog_id": "cat-3f2a"}
    assert main(["verify", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK: {folder}: 4 files")
    assert f"ledger entry 7, chain hash {CHAIN} (catalog cat-3f2a)" in out


def test_a_receipt_inside_a_zip_is_read_too(g, tmp_path, capsys):
    folder = with_receipt(g, tmp_path)
    bundle = hb.write_zip(tmp_path / "receipt.zip", hb.zip_members(folder))
    report = verify_bundle(bundle)
    assert report.ok, report.problems
    assert report.ledger is not None and report.ledger.entry_id == 7


def test_a_bundle_without_a_receipt_passes_with_a_note(g, tmp_path, capsys):
    """Bundles exported before receipts existed (the genuine ones here carry one: take it out)."""
    folder = hb.copy_folder(g, tmp_path / "old")
    (folder / "LEDGER.json").unlink()
    old_zip = hb.write_zip(tmp_path / "old.zip", [(n, d) for n, d in hb.zip_members(folder)])
    assert main(["verify", str(old_zip)]) == 0
    out = capsys.readouterr().out
    assert "note: no ledger receipt (LEDGER.json)" in out
    report = verify_bundle(folder)
    assert report.ok and report.ledger is None and report.notes


def test_a_receipt_from_another_bundle_fails(g, tmp_path, capsys):
    assert main(["verify", str(hb.build_foreign_receipt(g, tmp_path / "foreign")), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ledger_receipt"] is None
    assert report["problems"] == ["LEDGER.json was written for another manifest (its manifest_sha256 is not "
                                  "manifest.json's): the receipt does not belong to this bundle"]


@pytest.mark.parametrize("override, fragment", [
    ({"entry_id": "7"}, "LEDGER.json: 'entry_id' should be a whole number, not text"),
    ({"entry_id": True}, "'entry_id' should be a whole number, not true/false"),
    ({"entry_id": 0}, "'entry_id' must be 1 or more"),
    ({"chain_hash": "not-hex"}, "'chain_hash' is not a SHA-256"),
    ({"chain_hash": ["ab"]}, "'chain_hash' should be text, not a list"),
    ({"catalog_id": None}, "'catalog_id' should be text, not null"),
    ({"format": "something-else/2"}, "LEDGER.json is not a mediadesk ledger receipt"),
])
def test_a_receipt_of_the_wrong_shape_is_a_finding(g, tmp_path, override, fragment):
    report = verify_bundle(with_receipt(g, tmp_path, **override))
    assert not report.ok and any(fragment in p for p in report.problems), report.problems


@pytest.mark.parametrize("content, fragment", [
    (b"{not json", "LEDGER.json is not valid JSON"),
    (b'{"format": "mediadesk-ledger-receipt/1", "x": "' + b"a" * 70_000 + b'"}', "more than the 65,536"),
    (b"[" * 6 + b"]" * 6, "LEDGER.json nests deeper than 4 levels"),
    (b"[" + b"{}," * 20 + b"{}]", "LEDGER.json holds 22 objects and lists, more than the 8 it may hold"),
])
def test_a_hostile_receipt_is_read_within_bounds(g, tmp_path, content, fragment):
    folder = hb.copy_folder(g, tmp_path / "hostile")
    (folder / "LEDGER.json").write_bytes(content)
    report = verify_bundle(folder)
    assert not report.ok and any(fragment in p for p in report.problems), report.problems


def test_a_receipt_that_is_a_fifo_is_not_opened(g, tmp_path):
    run = hb.run_verify(hb.build_fifo(g, tmp_path / "fifo", name="LEDGER.json"), timeout=60)
    assert run.status == 1
    assert run.report["problems"] == ["LEDGER.json: is a FIFO (named pipe), not a file; it was not opened"]
    assert run.report["notes"] == []
