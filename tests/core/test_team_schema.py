"""The team catalog's schema on a real PostgreSQL: migrations, version skew, the ledger's server
function, and copying whole catalogs between SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import psycopg
import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import HistoryStore
from mediadesk.catalog.ledger import LedgerStore, _hash_row
from mediadesk.catalog.postgres import migrations
from mediadesk.catalog.postgres.connect import connect, redact
from mediadesk.catalog.transfer import CopyFailed, chain_problems, postgres_to_sqlite, sqlite_to_postgres
from mediadesk.domain.errors import CatalogError
from mediadesk.services.codes import set_code
from mediadesk.services.galleries import create_gallery
from mediadesk.services.saved_searches import save_search

from tests.support.factories import record
from tests.support.team import add_root


def test_an_empty_database_gets_the_schema_once(pg_empty_url):
    conn = connect(pg_empty_url)
    assert migrations.current_version(conn) == 0
    assert migrations.migrate(conn, "1.2.3") == 0
    assert migrations.current_version(conn) == migrations.SCHEMA_VERSION
    assert migrations.migrate(conn, "1.2.3") == migrations.SCHEMA_VERSION  # nothing to do
    rows = conn.execute("SELECT version, program, applied_by FROM mediadesk.schema_migrations").fetchall()
    assert rows == [(v, "1.2.3", "mediadesk_owner") for v in range(migrations.BASELINE, migrations.SCHEMA_VERSION + 1)]
    seed = conn.execute("SELECT name, credit_required FROM rights_profiles").fetchall()
    assert seed == [(migrations.SEED_PROFILE_NAME, 1)]
    catalog_id = conn.execute("SELECT value FROM settings WHERE key = 'catalog.id'").fetchone()[0]
    assert len(catalog_id) == 32 and int(catalog_id, 16) >= 0
    conn.close()


def test_desks_opening_an_empty_catalog_at_once_make_one_schema(pg_empty_url):
    errors: list[BaseException] = []

    def open_it():
        try:
            conn = connect(pg_empty_url)
            migrations.migrate(conn, "1.0")
            conn.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    conn = connect(pg_empty_url)
    assert conn.execute("SELECT count(*) FROM mediadesk.schema_migrations").fetchone()[0] == (
        migrations.SCHEMA_VERSION - migrations.BASELINE + 1)   # each step once
    assert conn.execute("SELECT count(*) FROM rights_profiles").fetchone()[0] == 1
    conn.close()


def test_a_newer_catalog_is_refused_naming_the_version_to_install(pg_conn):
    pg_conn.execute("INSERT INTO mediadesk.schema_migrations (version, program) VALUES (%s, '2.4.0')",
                    (migrations.SCHEMA_VERSION + 1,))
    with pytest.raises(CatalogError, match=r"install mediadesk 2\.4\.0 or newer"):
        migrations.migrate(pg_conn, "1.0")


def test_an_older_catalog_is_refused_unless_upgraded(pg_conn, monkeypatch):
    later = migrations.SCHEMA_VERSION + 1
    monkeypatch.setitem(migrations.MIGRATIONS, later,
                        lambda ext: "ALTER TABLE mediadesk.assets ADD COLUMN later_field text;")
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", later)
    with pytest.raises(CatalogError, match="mediadesk catalog upgrade"):
        migrations.migrate(pg_conn, "9.0")
    assert migrations.current_version(pg_conn) == later - 1
    assert migrations.migrate(pg_conn, "9.0", upgrade=True) == later - 1
    assert migrations.current_version(pg_conn) == later
    pg_conn.execute("SELECT later_field FROM assets")


def test_a_failing_step_leaves_the_catalog_as_it_was(pg_conn, monkeypatch):
    later = migrations.SCHEMA_VERSION + 1
    monkeypatch.setitem(migrations.MIGRATIONS, later, lambda ext: (
        "ALTER TABLE mediadesk.assets ADD COLUMN half_done text; SELECT 1/0;"))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", later)
    with pytest.raises(psycopg.errors.DivisionByZero):
        migrations.migrate(pg_conn, "9.0", upgrade=True)
    assert migrations.current_version(pg_conn) == later - 1
    cols = pg_conn.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'mediadesk'"
                           " AND table_name = 'assets' AND column_name = 'half_done'").fetchone()[0]
    assert cols == 0


def test_a_role_that_may_not_create_is_told_who_can(pg_cluster, pg_empty_url):
    from psycopg import sql

    with pg_cluster.connect() as admin:
        admin.execute(sql.SQL("CREATE ROLE desk_reader LOGIN PASSWORD {}").format(sql.Literal("pw-reader")))
    try:
        url = pg_empty_url.replace("mediadesk_owner@", "desk_reader@")
        conn = connect(url, password="pw-reader")
        conn.execute("SELECT 1")
        with pytest.raises(CatalogError, match=r"its owner \(mediadesk_owner\)"):
            migrations.migrate(conn, "1.0")
        conn.close()
    finally:
        with pg_cluster.connect() as admin:
            admin.execute("DROP ROLE desk_reader")


def test_urls_are_shown_without_passwords():
    assert redact("postgresql://ola:s3cret@db.press/team?sslmode=verify-full") == \
        "postgresql://ola:***@db.press/team?sslmode=verify-full"
    assert redact("postgresql://ola@db.press/team?password=s3cret&sslmode=require") == \
        "postgresql://ola@db.press/team?password=***&sslmode=require"
    assert redact("postgresql://ola@db.press:5433/team") == "postgresql://ola@db.press:5433/team"


def test_an_unreachable_server_is_a_clear_message():
    from tests.support.pg_cluster import free_port

    with pytest.raises(CatalogError, match=r"cannot connect to the team catalog postgresql://x:\*\*\*@127") as err:
        connect(f"postgresql://x:s3cret@127.0.0.1:{free_port()}/team", connect_timeout=2)
    assert "s3cret" not in str(err.value) and "Connection refused" in str(err.value)


# -- the ledger's server function ---------------------------------------------------------------
TRICKY = ['Redakcja "Łódź"\n\ttab\\slash', "\x01\x1f control", "emoji 📰 and \u2028 line sep", "plain"]


def _append(conn, n: int, who: str):
    return conn.execute(
        "SELECT * FROM mediadesk.ledger_append(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (f"2025-03-0{n % 9 + 1}T10:00:00.000000Z", who, "editorial-online", TRICKY[n % len(TRICKY)],
         f"/exports/b{n}", f"[{n}, {n + 1}]", '[{"id": 99, "reason": "No rights profile"}]',
         f"{n:064x}", "publish-failed" if n == 2 else None,
         '{"error": "disk full"}' if n == 2 else None)).fetchone()


def test_ledger_entries_appended_by_the_server_verify_in_python(pg_conn):
    for n in range(1, 6):
        entry_id, prev_hash, entry_hash = _append(pg_conn, n, "ola")
        assert entry_id == n
    cols = ("id", "at", "who", "purpose", "recipient", "bundle", "assets", "blocked", "manifest_sha256",
            "prev_hash", "entry_hash", "event", "detail")
    rows = [dict(zip(cols, r, strict=True)) for r in pg_conn.execute(
        f"SELECT {', '.join(cols)} FROM export_ledger ORDER BY id")]
    for row in rows:   # the same hash as catalog/ledger.py computes
        assert _hash_row(row) == row["entry_hash"]
    head = pg_conn.execute("SELECT value FROM settings WHERE key = 'export_ledger.head'").fetchone()[0]
    assert chain_problems(rows, head)[0] == []
    assert head == f"5:{rows[-1]['entry_hash']}"


def test_desks_appending_at_once_keep_one_chain(pg_url):
    def desk(k: int):
        conn = connect(pg_url)
        for n in range(10):
            with conn.transaction():
                _append(conn, n, f"desk{k}")
        conn.close()

    threads = [threading.Thread(target=desk, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn = connect(pg_url)
    cols = ("id", "at", "who", "purpose", "recipient", "bundle", "assets", "blocked", "manifest_sha256",
            "prev_hash", "entry_hash", "event", "detail")
    rows = [dict(zip(cols, r, strict=True))
            for r in conn.execute(f"SELECT {', '.join(cols)} FROM export_ledger ORDER BY id")]
    head = conn.execute("SELECT value FROM settings WHERE key = 'export_ledger.head'").fetchone()[0]
    assert len(rows) == 40 and chain_problems(rows, head)[0] == []
    conn.close()


# -- catalog copy --------------------------------------------------------------------------------
def _fill(catalog: Catalog, share) -> dict:
    """30 assets in ``share`` (thumbnails for the first 5), a gallery, history, a saved search,
    a code, and three ledger entries."""
    assets = AssetStore(catalog)
    with catalog.transaction():
        ids = [assets.insert(record(caption=f"Caption {n} Vučić", keywords=["défense", str(n)],
                                    path=str(share / "2025" / f"Łódź {n}.jpg"), has_thumbnail=n < 5))
               for n in range(30)]
        create_gallery(catalog, "Summit", asset_ids=ids[:10])
        history = HistoryStore(catalog)
        op = history.start("edit", "typed caption")
        history.record_many(op, [(ids[0], "caption", "old", "new")])
    save_search(catalog, "mine", "vucic")
    set_code(catalog, "sg", "Secretary General")
    for asset in assets.get_many(ids[:5]):
        thumb = catalog.thumbnail_path(asset.content_hash)
        thumb.parent.mkdir(parents=True, exist_ok=True)
        thumb.write_bytes(b"\xff\xd8 jpeg of " + asset.content_hash.encode())
    ledger = LedgerStore(catalog)
    for n in range(3):
        ledger.append(who="ola", purpose="editorial-online", recipient="Łódź", bundle=f"/b{n}",
                      assets=ids[:2], blocked=[], manifest_sha256=f"{n:064x}")
    return {"ids": ids}


def test_copy_there_and_back_keeps_everything(tmp_path, pg_conn):
    source = Catalog(tmp_path / "desk.mediadesk")
    share = tmp_path / "share"
    _fill(source, share)
    add_root(pg_conn, "press", share)
    mounts = {"press": share}
    there = sqlite_to_postgres(source, pg_conn, mounts=mounts)
    assert there.ok and there.counts["assets"] == 30 and there.counts["gallery_assets"] == 10
    assert there.ledger_entries == 3 and there.thumbnails == 5
    assert there.counts["edit_history"] == source.scalar("SELECT count(*) FROM edit_history") == 11
    assert there.counts["object_history"] == source.scalar("SELECT count(*) FROM object_history") == 2
    stored = pg_conn.execute("SELECT s.name, a.path FROM assets a JOIN storage_roots s ON s.id = a.root_id"
                             " WHERE a.id = 1").fetchone()
    assert stored == ("press", "2025/Łódź 0.jpg")     # a root and a path inside it, never absolute
    # the copy is a working catalog: new rows get new ids after the copied ones
    new_id = pg_conn.execute(
        "INSERT INTO assets (content_hash, path, file_name, size, mtime, kind, imported_at, modified_at, root_id)"
        " VALUES ('h', 'p', 'p', 1, 1, 'photo', 'x', 'x', 1) RETURNING id").fetchone()[0]
    assert new_id == 31
    pg_conn.execute("DELETE FROM assets WHERE id = 31")
    back = postgres_to_sqlite(pg_conn, tmp_path / "back.mediadesk", mounts=mounts)
    assert back.ok and back.counts == there.counts and back.thumbnails == 5
    copy = Catalog(tmp_path / "back.mediadesk")
    assert LedgerStore(copy).verify() == []
    for table in ("assets", "export_ledger", "settings", "edit_history", "gallery_assets", "rights_profiles"):
        mine = source.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        theirs = copy.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        assert mine == theirs, table
    from mediadesk.domain.query import parse_query
    assert len(copy.index.ids(parse_query("vucic defense"))) == 30   # the index was rebuilt
    for asset in AssetStore(source).get_many(there_ids := AssetStore(source).all_ids()[:5]):
        assert copy.thumbnail_path(asset.content_hash).read_bytes() == \
            source.thumbnail_path(asset.content_hash).read_bytes()
    assert len(there_ids) == 5
    copy.close()
    source.close()


def test_an_interrupted_copy_leaves_nothing_and_runs_again(tmp_path, pg_conn):
    source = Catalog(tmp_path / "desk.mediadesk")
    _fill(source, tmp_path / "share")
    add_root(pg_conn, "press", tmp_path / "share")
    mounts = {"press": tmp_path / "share"}

    def interrupt(table, done):
        if table == "gallery_assets":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sqlite_to_postgres(source, pg_conn, mounts=mounts, progress=interrupt)
    assert pg_conn.execute("SELECT count(*) FROM assets").fetchone()[0] == 0
    assert pg_conn.execute("SELECT count(*) FROM rights_profiles").fetchone()[0] == 1  # the seed is back
    assert sqlite_to_postgres(source, pg_conn, mounts=mounts).ok
    with pytest.raises(KeyboardInterrupt):
        postgres_to_sqlite(pg_conn, tmp_path / "back.mediadesk", mounts=mounts, progress=interrupt)
    assert not (tmp_path / "back.mediadesk").exists() and not (tmp_path / "back.mediadesk.thumbs").exists()
    assert postgres_to_sqlite(pg_conn, tmp_path / "back.mediadesk", mounts=mounts).ok
    source.close()


def test_copy_never_merges_into_a_catalog_with_work(tmp_path, pg_conn):
    source = Catalog(tmp_path / "desk.mediadesk")
    _fill(source, tmp_path / "share")
    add_root(pg_conn, "press", tmp_path / "share")
    mounts = {"press": tmp_path / "share"}
    assert sqlite_to_postgres(source, pg_conn, mounts=mounts).ok
    with pytest.raises(CatalogError, match="already holds work"):
        sqlite_to_postgres(source, pg_conn, mounts=mounts)
    with pytest.raises(CatalogError, match="exists already"):
        postgres_to_sqlite(pg_conn, source.path, mounts=mounts)
    source.close()


def test_files_outside_every_root_are_named_and_nothing_is_copied(tmp_path, pg_conn):
    source = Catalog(tmp_path / "desk.mediadesk")
    _fill(source, tmp_path / "elsewhere")
    add_root(pg_conn, "press", tmp_path / "share")
    with pytest.raises(CatalogError, match=r"30 file\(s\) of the source lie outside every storage root.*elsewhere"):
        sqlite_to_postgres(source, pg_conn, mounts={"press": tmp_path / "share"})
    assert pg_conn.execute("SELECT count(*) FROM assets").fetchone()[0] == 0
    source.close()


def test_copying_back_needs_every_root_mapped(tmp_path, pg_conn):
    source = Catalog(tmp_path / "desk.mediadesk")
    _fill(source, tmp_path / "share")
    add_root(pg_conn, "press", tmp_path / "share")
    assert sqlite_to_postgres(source, pg_conn, mounts={"press": tmp_path / "share"}).ok
    with pytest.raises(CatalogError, match=r"root 'press' is not mapped on this desk.*roots map press"):
        postgres_to_sqlite(pg_conn, tmp_path / "back.mediadesk", mounts={})
    assert not (tmp_path / "back.mediadesk").exists()
    source.close()


def test_a_tampered_ledger_does_not_verify_and_nothing_is_kept(tmp_path, pg_conn):
    source = Catalog(tmp_path / "desk.mediadesk")
    _fill(source, tmp_path / "share")
    add_root(pg_conn, "press", tmp_path / "share")
    source.conn.execute("UPDATE export_ledger SET who = 'mallory' WHERE id = 2")
    with pytest.raises(CopyFailed, match="ledger entry 2"):
        sqlite_to_postgres(source, pg_conn, mounts={"press": tmp_path / "share"})
    assert pg_conn.execute("SELECT count(*) FROM assets").fetchone()[0] == 0
    source.close()


def test_the_team_catalog_has_the_indexes_of_the_desk_catalog_for_broad_filters(pg_conn):
    """Schema 6 (issue 18) on both engines: rights:none and missing:caption in date order from an
    index of their own (tests/core/test_search_lists.py reads SQLite's plan)."""
    indexes = dict(pg_conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'mediadesk'"
        " AND tablename = 'assets'").fetchall())
    assert "(rights_profile_id, date_created NULLS FIRST, id)" in indexes["assets_rights_date"]
    assert "WHERE ((caption IS NULL) OR (caption = ''" in indexes["assets_no_caption"]
    assert "assets_profile" not in indexes
