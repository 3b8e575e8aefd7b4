"""The export ledger: appended per export, chained by hashes; edits and deletions are named."""

from __future__ import annotations

import itertools
import json

import pytest

from mediadesk.catalog import Catalog
from mediadesk.catalog.ledger import GENESIS, LedgerStore
from mediadesk.cli.main import main


def add(store: LedgerStore, n: int):
    return store.append(who="ola", purpose="editorial-online", recipient=f"Redakcja {n} Łódź",
                        bundle=f"/exports/b{n}", assets=[n, n + 1],
                        blocked=[{"id": 99, "reason": "No rights profile: ask the rights holder"}],
                        manifest_sha256=f"{n:064x}")


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "c.mediadesk"
    with Catalog(path) as catalog:
        store = LedgerStore(catalog)
        for n in range(1, 5):
            add(store, n)
    return path


def test_entries_are_chained(ledger):
    with Catalog(ledger) as catalog:
        entries = LedgerStore(catalog).list()
        assert [e.id for e in entries] == [1, 2, 3, 4]
        assert entries[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
        assert entries[1].recipient == "Redakcja 2 Łódź" and entries[1].assets == [2, 3]
        assert LedgerStore(catalog).verify() == []
        assert [e.id for e in LedgerStore(catalog).list(limit=2)] == [3, 4]


@pytest.mark.parametrize("sql, expected", [
    ("UPDATE export_ledger SET purpose = 'advertising' WHERE id = 2", "entry 2: its contents were changed"),
    ("UPDATE export_ledger SET assets = '[2]' WHERE id = 2", "entry 2: its contents were changed"),
    ("DELETE FROM export_ledger WHERE id = 2", "entry 3: does not follow"),
    ("DELETE FROM export_ledger WHERE id = 4", "entries after 3 up to 4 are missing"),
    ("DELETE FROM settings WHERE key = 'export_ledger.head'", "head record is missing"),
])
def test_tampering_is_named(ledger, sql, expected):
    with Catalog(ledger) as catalog:
        catalog.conn.execute(sql)
        problems = LedgerStore(catalog).verify()
    assert any(expected in p for p in problems), problems


def test_rehashing_an_edited_entry_still_breaks_the_chain(ledger):
    with Catalog(ledger) as catalog:
        catalog.conn.execute("UPDATE export_ledger SET recipient = 'x' WHERE id = 2")
        row = catalog.query("SELECT * FROM export_ledger WHERE id = 2")[0]
        from mediadesk.catalog.ledger import _hash_row
        catalog.conn.execute("UPDATE export_ledger SET entry_hash = ? WHERE id = 2", (_hash_row(row),))
        problems = LedgerStore(catalog).verify()
    assert any("entry 3: does not follow" in p for p in problems)


def test_cli_ledger_lists_and_verifies(ledger, capsys):
    assert main(["--catalog", str(ledger), "ledger", "--verify"]) == 0
    out = capsys.readouterr().out
    assert "Redakcja 4 Łódź" in out and "ledger intact" in out
    with Catalog(ledger) as catalog:
        catalog.conn.execute("UPDATE export_ledger SET who = 'mallory' WHERE id = 1")
    assert main(["--catalog", str(ledger), "ledger", "--verify", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and any("entry 1" in p for p in data["problems"])
    assert main(["--catalog", str(ledger), "ledger"]) == 0  # listing alone does not check
