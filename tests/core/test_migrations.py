"""Every released schema opens and migrates: one fixture catalog per schema version."""

import shutil

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SCHEMA_VERSION
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.query import parse_query

from tests.support.paths import CATALOG_FIXTURES

# Schema 1 is the first released; every schema before the one this checkout writes has shipped, so
# each needs a catalog made by the mediadesk of its day: add schema-N.mediadesk whenever a migration
# is appended (the test below fails until it is there).
RELEASED = range(1, SCHEMA_VERSION)


def test_there_is_a_fixture_for_every_older_schema_and_no_other():
    found = sorted(p.name for p in CATALOG_FIXTURES.glob("schema-*.mediadesk"))
    assert found == [f"schema-{v}.mediadesk" for v in RELEASED]


@pytest.mark.parametrize("version", RELEASED, ids=[f"schema-{v}" for v in RELEASED])
def test_old_catalog_opens_migrated_with_data_intact(version, tmp_path):
    fixture = CATALOG_FIXTURES / f"schema-{version}.mediadesk"
    assert fixture.is_file(), f"no fixture catalog for the released schema {version}: {fixture}"
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
