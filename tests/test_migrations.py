"""Every released schema opens and migrates: one fixture catalog per schema version."""

import shutil
from pathlib import Path

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SCHEMA_VERSION
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.query import parse_query

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "catalogs").glob("schema-*.mediadesk"))


def test_there_is_a_fixture_for_every_older_schema():
    versions = {int(p.stem.split("-")[1]) for p in FIXTURES}
    # schema 1 is the first released; add a fixture whenever a migration is appended and released
    assert versions and min(versions) == 1 and max(versions) < SCHEMA_VERSION + 1


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_old_catalog_opens_migrated_with_data_intact(fixture, tmp_path):
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    cat = open_catalog(copy)
    assert cat.scalar("PRAGMA user_version") == SCHEMA_VERSION
    assert cat.scalar("PRAGMA integrity_check") == "ok"
    asset = AssetStore(cat).get(1)
    assert asset.caption.startswith("NATO Secretary General Mark Rutte")
    assert asset.people == ("Mark Rutte", "Andrzej Duda")
    assert asset.galleries == ("President of Poland visits NATO",)
    assert asset.rights_profile == "Editorial only (NATO media)"
    assert cat.index.ids(parse_query("duda")) == [1]
    assert RightsProfileStore(cat).list()[0].embargo_until is None
    cat.close()
