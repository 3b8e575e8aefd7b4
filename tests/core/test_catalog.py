import sqlite3

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.migrations import MIGRATIONS, SCHEMA_VERSION, SEED_PROFILE_NOTE, migrate
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.errors import CatalogError, InvalidInput, NotFound
from mediadesk.domain.rights import Purpose

from tests.support.factories import insert


@pytest.mark.sqlite_only("WAL, foreign_keys and user_version are SQLite's; tests/test_team_schema.py checks "
                        "a team catalog's version and seed")
def test_new_catalog_is_migrated_wal_and_seeded(catalog):
    assert catalog.scalar("PRAGMA user_version") == SCHEMA_VERSION == len(MIGRATIONS)
    assert catalog.scalar("PRAGMA journal_mode") == "wal"
    assert catalog.scalar("PRAGMA foreign_keys") == 1
    profiles = RightsProfileStore(catalog).list()
    assert len(profiles) == 1
    seed = profiles[0]
    assert seed.note == SEED_PROFILE_NOTE
    assert seed.allowed_purposes == {Purpose.EDITORIAL_BROADCAST, Purpose.EDITORIAL_PRINT,
                                      Purpose.EDITORIAL_ONLINE, Purpose.EDITORIAL_RADIO}
    assert seed.editorial_only


def test_reopening_does_not_migrate_again(catalog_path):
    open_catalog(catalog_path).close()
    cat = open_catalog(catalog_path)
    assert len(RightsProfileStore(cat).list()) == 1
    cat.close()


def test_catalog_from_newer_program_is_refused(catalog_path):
    open_catalog(catalog_path).close()
    conn = sqlite3.connect(catalog_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(CatalogError, match="newer mediadesk"):
        open_catalog(catalog_path)


def test_failed_migration_leaves_previous_version(monkeypatch):
    conn = sqlite3.connect(":memory:", isolation_level=None)
    monkeypatch.setattr("mediadesk.catalog.migrations.MIGRATIONS",
                        [MIGRATIONS[0], "CREATE TABLE extra (x); INSERT INTO nonexistent VALUES (1);"])
    monkeypatch.setattr("mediadesk.catalog.migrations.SCHEMA_VERSION", 2)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0


def test_not_a_catalog_gives_clear_error(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not a database" * 100)
    with pytest.raises(CatalogError, match="cannot open catalog"):
        open_catalog(bogus)


def test_asset_roundtrip_lists_and_sources(catalog):
    aid = insert(catalog, caption="Rutte with Duda", keywords=["NATO", "Poland"], people=["Mark Rutte"],
                 field_sources={"caption": "xmp"}, date_created="2025-03-06T14:05:00+01:00")
    asset = AssetStore(catalog).get(aid)
    assert asset.keywords == ("NATO", "Poland")
    assert asset.people == ("Mark Rutte",)
    assert asset.field_sources == {"caption": "xmp"}
    assert asset.to_json()["keywords"] == ["NATO", "Poland"]
    with pytest.raises(NotFound):
        AssetStore(catalog).get(999999)


def test_gallery_membership_and_cascade(catalog):
    a, b = insert(catalog), insert(catalog)
    galleries = GalleryStore(catalog)
    with catalog.transaction():
        gid = galleries.create_unrecorded("President of Poland visits NATO", date="2025-03-06", place="Brussels")
        assert galleries.add_assets_unrecorded(gid, [a, b, a]) == 2
    assert galleries.get(gid).count == 2
    assert AssetStore(catalog).get(a).galleries == ("President of Poland visits NATO",)
    with catalog.transaction():
        AssetStore(catalog).delete([a])
    assert galleries.asset_ids(gid) == [b]
    with pytest.raises(InvalidInput, match="already exists"), catalog.transaction():
        galleries.create_unrecorded("president of poland visits nato")
    with catalog.transaction():
        galleries.delete_unrecorded(gid)
    assert AssetStore(catalog).get(b).galleries == ()


def test_rights_note_matching_ignores_case_and_spacing(catalog):
    store = RightsProfileStore(catalog)
    seed = store.list()[0]
    messy = "  this media asset is free for editorial broadcast, print, online and radio use.\n" \
            "It is restricted for use for other purposes. "
    assert store.match_note(messy) == seed.id
    assert store.match_note("All rights reserved") is None
    assert store.match_note(None) is None


def test_transaction_rolls_back_on_error(catalog):
    with pytest.raises(RuntimeError), catalog.transaction():
        insert(catalog)  # joins the outer transaction
        raise RuntimeError("boom")
    assert AssetStore(catalog).count() == 0


def test_profile_keeps_its_time_zone_name(catalog):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from mediadesk.domain.rights import RightsProfile
    from mediadesk.rights.policy import decide

    store = RightsProfileStore(catalog)
    brussels = ZoneInfo("Europe/Brussels")
    with catalog.transaction():
        pid = store.create_unrecorded(RightsProfile(
            None, "Embargoed pool", "Pool photos; editorial only.", frozenset({Purpose.EDITORIAL_ONLINE}),
            embargo_until=datetime(2025, 3, 6, 14, 0, tzinfo=brussels)))
    profile = store.get(pid)
    assert profile.embargo_until.tzinfo.key == "Europe/Brussels"
    aid = insert(catalog, rights_profile_id=pid, credit="NATO")
    decision = decide(AssetStore(catalog).get(aid), profile, Purpose.EDITORIAL_ONLINE,
                      datetime(2025, 3, 6, 9, 0, tzinfo=brussels))
    assert not decision.allowed
    assert "2025-03-06 14:00 CET" in decision.reason
