"""Galleries, rights profiles and saved searches are undone like caption edits (issue 11).

Creating, renaming and deleting a gallery, creating and changing a rights profile, saving,
renaming and deleting a search: each is one operation in the edit history, so ``undo`` and
``redo`` (the CLI's and Edit > Undo) take it back, also after a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.cli.main import main
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.services.edits import redo, undo
from mediadesk.services.galleries import create_gallery, delete_gallery, rename_gallery, update_gallery
from mediadesk.services.gallery_membership import add_to_gallery
from mediadesk.services.rights import assign_profile, create_profile, update_profile
from mediadesk.services.saved_searches import delete_search, rename_search, save_search

from tests.support.factories import insert


def test_a_deleted_gallery_comes_back_with_its_assets_in_their_order(catalog):
    ids = [insert(catalog, caption=f"frame {n}") for n in range(4)]
    made = create_gallery(catalog, "Summit", asset_ids=ids[:2], place="Brussels")
    gallery_id = made.object_id
    add_to_gallery(catalog, gallery_id, [ids[3], ids[2]])
    order = catalog.galleries.asset_ids(gallery_id)
    assert order == [ids[0], ids[1], ids[3], ids[2]]
    deleted = delete_gallery(catalog, gallery_id)
    assert deleted.changes.galleries and deleted.changes.history
    assert catalog.galleries.find("Summit") is None
    assert (catalog.history.get(deleted.operation_id).description
            == 'Delete gallery "Summit" (4 assets stay in the catalog)')
    assert catalog.assets.count() == 4
    result = undo(catalog)
    assert result.operation_id == deleted.operation_id and not result.skipped
    back = catalog.galleries.get(gallery_id)
    assert (back.title, back.place, back.count) == ("Summit", "Brussels", 4)
    assert catalog.galleries.asset_ids(gallery_id) == order
    assert redo(catalog).operation_id == deleted.operation_id
    assert catalog.galleries.find("Summit") is None


def test_create_with_assets_and_rename_are_undone_step_by_step(catalog):
    ids = [insert(catalog) for _ in range(3)]
    made = create_gallery(catalog, "Summit", asset_ids=ids)
    assert catalog.history.get(made.operation_id).count == 4      # the gallery and three memberships
    renamed = rename_gallery(catalog, made.object_id, "NATO Summit The Hague")
    assert catalog.history.get(renamed.operation_id).description == (
        'Rename gallery "Summit" to "NATO Summit The Hague"')
    undo(catalog)
    assert catalog.galleries.get(made.object_id).title == "Summit"
    undo(catalog)                                                   # the creation: members leave, gallery goes
    assert catalog.galleries.find("Summit") is None
    assert all(a.galleries == () for a in catalog.assets.get_many(ids))
    redo(catalog)                                                   # the gallery first, then its members
    assert catalog.galleries.get(made.object_id).count == 3
    redo(catalog)
    assert catalog.galleries.get(made.object_id).title == "NATO Summit The Hague"


def test_undo_keeps_what_changed_since_and_says_so(catalog):
    made = create_gallery(catalog, "Summit")
    gallery_id = made.object_id
    with catalog.transaction():   # another program renames it behind our back (no history)
        catalog.galleries.update_unrecorded(gallery_id, title="Summit (edited elsewhere)")
    result = undo(catalog)
    assert result.skipped == ['gallery "Summit" was changed since; it was kept as it is now']
    assert catalog.galleries.get(gallery_id).title == "Summit (edited elsewhere)"

    second = create_gallery(catalog, "Dinner").object_id
    delete_gallery(catalog, second)
    create_gallery(catalog, "Dinner")                 # the title is taken again
    undo(catalog)                                     # takes back the new "Dinner"
    taken = create_gallery(catalog, "Dinner")
    undo_once_more = undo(catalog)
    assert undo_once_more.operation_id == taken.operation_id
    with catalog.transaction():
        catalog.galleries.create_unrecorded("Dinner")
    result = undo(catalog)                            # the deletion of the first "Dinner"
    assert result.skipped == ['another gallery is called "Dinner" now; gallery "Dinner" was not put back']


def test_ids_of_undone_galleries_are_not_handed_out_again(catalog):
    first = create_gallery(catalog, "First").object_id
    undo(catalog)
    second = create_gallery(catalog, "Second").object_id
    assert second != first
    redo_result = redo(catalog)                       # nothing to redo: a new operation came after
    assert redo_result is None
    assert catalog.galleries.find("First") is None


def test_update_gallery_checks_its_fields(catalog):
    gallery_id = create_gallery(catalog, "Summit").object_id
    with pytest.raises(InvalidInput, match="unknown gallery field"):
        update_gallery(catalog, gallery_id, colour="blue")
    create_gallery(catalog, "Dinner")
    with pytest.raises(InvalidInput, match="already exists"):
        rename_gallery(catalog, gallery_id, "dinner")


def _profile(name: str = "Pool", **kw) -> RightsProfile:
    values: dict[str, Any] = {"id": None, "name": name, "note": "Pool photo:  editorial\nonly.",
              "allowed_purposes": frozenset({Purpose.EDITORIAL_ONLINE})}
    values.update(kw)
    return RightsProfile(**values)


def test_rights_profiles_are_created_and_changed_through_the_history(catalog):
    made = create_profile(catalog, _profile(credit_line=" Pool ", credit_required=True))
    profile = catalog.rights.get(made.object_id)
    assert (profile.note, profile.credit_line) == ("Pool photo: editorial only.", "Pool")
    assert made.changes.rights and made.changes.history
    brussels = ZoneInfo("Europe/Brussels")
    changed = update_profile(catalog, profile.id, embargo_until=datetime(2030, 3, 6, 14, 0, tzinfo=brussels))
    assert catalog.rights.get(profile.id).embargo_until.tzinfo.key == "Europe/Brussels"
    undo(catalog)
    assert catalog.rights.get(profile.id).embargo_until is None
    redo(catalog)
    assert catalog.rights.get(profile.id).embargo_until == datetime(2030, 3, 6, 14, 0, tzinfo=brussels)
    assert catalog.history.get(changed.operation_id).kind == "rights"
    with pytest.raises(InvalidInput, match="expiry must be after the embargo"):
        update_profile(catalog, profile.id, expires_at=datetime(2029, 1, 1, tzinfo=brussels))
    with pytest.raises(InvalidInput, match="note must not be empty"):
        create_profile(catalog, _profile("Empty", note="  "))
    with pytest.raises(InvalidInput, match="already exists"):
        create_profile(catalog, _profile("pool"))


def test_a_profile_in_use_is_not_taken_away_by_undoing_its_creation(catalog):
    asset = insert(catalog)
    made = create_profile(catalog, _profile())
    with catalog.transaction():      # assigned by another program (not in our history)
        catalog.rights.assign_unrecorded([asset], made.object_id)
    result = undo(catalog)
    assert result.skipped == ['rights profile "Pool" is given to assets or galleries now; it was kept '
                              "(assign them another profile first)"]
    assert catalog.assets.get(asset).rights_profile == "Pool"


def test_assigning_a_profile_is_one_undoable_rights_operation(catalog):
    ids = [insert(catalog) for _ in range(3)]
    result = assign_profile(catalog, ids, 1)
    assert result.count == 3 and result.changes.rights
    assert catalog.history.get(result.operation_id).description == (
        "Assign rights profile 'Editorial only (NATO media)' (3 assets)")
    undo(catalog)
    assert {a.rights_profile_id for a in catalog.assets.get_many(ids)} == {None}


def test_saved_searches_are_undone_too(catalog):
    saved = save_search(catalog, "Rutte videos", "kind:video rutte")
    rename_search(catalog, saved.object_id, "Clips")
    delete_search(catalog, saved.object_id)
    assert catalog.searches.list() == []
    undo(catalog)
    assert [s.name for s in catalog.searches.list()] == ["Clips"]
    undo(catalog)
    assert catalog.searches.get(saved.object_id).name == "Rutte videos"
    undo(catalog)
    assert catalog.searches.list() == []


def test_rights_update_on_the_command_line_is_undoable(catalog_path, capsys):
    open_catalog(catalog_path).close()
    base = ["--catalog", str(catalog_path), "rights"]
    assert main(base + ["update", "Editorial only (NATO media)", "--expires",
                        "2030-01-01 00:00 Europe/Brussels", "--credit", "NATO Photo"]) == 0
    assert "changed rights profile 1" in capsys.readouterr().out
    with open_catalog(catalog_path) as catalog:
        profile = catalog.rights.get(1)
        assert profile.credit_line == "NATO Photo" and profile.expires_at.year == 2030
    assert main(["--catalog", str(catalog_path), "undo"]) == 0
    capsys.readouterr()
    with open_catalog(catalog_path) as catalog:
        assert catalog.rights.get(1).expires_at is None and catalog.rights.get(1).credit_line == "NATO"
    assert main(base + ["update", "Editorial only (NATO media)"]) == 2
    assert "say what to change" in capsys.readouterr().err
    assert main(base + ["update", "Editorial only (NATO media)", "--expires", "2030-01-01 00:00"]) == 2
    assert "time zone" in capsys.readouterr().err
