"""Class 2: a filter that cannot be parsed selected everything.

The attack: ``rights assign PROFILE --query "id:1O"`` (a letter O for a zero) gave the profile to
every asset, because a filter value without usable words was dropped instead of refused."""

from __future__ import annotations

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.saved_searches import SavedSearchStore
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.edits import apply_edits
from mediadesk.services.saved_searches import save_search

from mediadesk.ui.asset_query import Scope, find_ids, saved_scope

# (query, what the error must name)
UNUSABLE = [("id:1O", "id:1O"), ("id:12,x", "'x'"), ("id:٣", "id:٣"), ("id:2_0", "id:2_0"),
            ("id:99999999999999999999", "99999999999999999999"), ("people:!!!", "people:!!!"),
            ("rutte @@", "'@@'"), ("people:", "people:"), ("caption:___", "caption:___"),
            ("imported:yesterday", "imported:yesterday"), ("rutte kind:spaceship", "kind:spaceship"),
            ("date:2025-13-45x", "date:2025-13-45x"), (" ".join(["rutte"] * 1100), "1,100 parts")]


def _profiles(catalog_path):
    with Catalog(catalog_path) as catalog:
        return dict(catalog.query("SELECT id, rights_profile_id FROM assets"))


@pytest.mark.parametrize("query, named", UNUSABLE, ids=[q[:20] for q, _n in UNUSABLE])
def test_rights_assign_with_an_unusable_query_changes_nothing(cli, library, query, named):
    before = _profiles(library.catalog_path)
    code, _out, err = cli("rights", "assign", "Campaign licence", "--query", query, "--yes")
    assert code == 2
    assert named in err, err          # the error names what it could not use
    assert "Traceback" not in err
    assert _profiles(library.catalog_path) == before


def test_assign_none_with_an_unusable_query_keeps_every_profile(cli, library):
    before = _profiles(library.catalog_path)
    code, _out, err = cli("rights", "assign", "--none", "--query", "id:1O", "--yes")
    assert code == 2 and "id:1O" in err
    assert _profiles(library.catalog_path) == before


def test_export_with_an_unusable_query_writes_nothing(cli, library, tmp_path):
    code, _out, err = cli("export", "--purpose", "editorial-online", "--query", "id:1O",
                          "--out", tmp_path / "bundle")
    assert code == 2 and "id:1O" in err
    assert not (tmp_path / "bundle").exists()


def test_a_usable_query_still_works(cli, library):
    pl = library.ids["pl"]
    code, out, _err = cli("rights", "assign", "Campaign licence", "--query", f"id:{pl}")
    assert code == 0 and "1 of 1 asset(s)" in out
    assert _profiles(library.catalog_path)[pl] == library.profiles["commercial"]


def test_a_rights_change_to_many_assets_says_how_many_first(capsys, catalog, tmp_path):
    from tests.support.attack_helpers import Cli
    from tests.support.factories import insert

    ids = [insert(catalog, caption=f"Crowd {n}") for n in range(12)]
    apply_edits(catalog, {i: {"rights_profile_id": 1} for i in ids})
    run = Cli(capsys, catalog.target)
    code, _out, err = run("rights", "assign", "--none", "--query", "crowd")
    assert code == 2
    assert "12 assets" in err and "--yes" in err
    assert all(v == 1 for v in _profiles(catalog.target).values())
    code, out, _err = run("rights", "assign", "--none", "--query", "crowd", "--yes")
    assert code == 0 and "12 of 12" in out
    assert all(v is None for v in _profiles(catalog.target).values())
    code, _out, _err = run("rights", "assign", "1", *map(str, ids[:10]))   # a few: no question
    assert code == 0


def test_saved_searches_cannot_hold_an_unusable_search(catalog):
    store = SavedSearchStore(catalog)
    with pytest.raises(InvalidInput, match="id:1O"):
        save_search(catalog, "Broken", "id:1O")
    # one planted in a catalog (another program, an older version) selects nothing in the window
    with catalog.transaction():
        catalog.conn.execute("INSERT INTO saved_searches (name, query) VALUES ('Planted', 'people:!!!')")
    planted = store.find("Planted")
    result = find_ids(catalog, saved_scope(planted.id, planted.name, planted.query), "")
    assert len(result.ids) == 0 and any("people:!!!" in e for e in result.errors)


def test_the_window_search_selects_nothing_for_an_unusable_part(catalog):
    from tests.support.factories import insert

    for n in range(3):
        insert(catalog, caption=f"Summit {n}")
    scope = Scope(("library", "all"), "All assets")
    assert len(find_ids(catalog, scope, "summit").ids) == 3
    for text in ("id:1O", "summit @@", "people:"):
        result = find_ids(catalog, scope, text)
        assert len(result.ids) == 0 and result.errors, text
