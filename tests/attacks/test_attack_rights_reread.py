"""Class 1: the file's note changed, the catalog kept the old rule.

The attack: a file imported with the editorial note gets "NOT FOR PUBLICATION" written into it
and is re-imported. Before the fix the asset kept its editorial profile and was exported
stamped "free for editorial use"."""

from __future__ import annotations

import os
import time

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.query import parse_query
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.importer import import_paths

from tests.support.attack_helpers import jpeg_bytes

NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION. Internal briefing material."


def _shoot(tmp_path, catalog, **fields):
    folder = tmp_path / "shoot"
    folder.mkdir(exist_ok=True)
    photo = folder / "summit.jpg"
    photo.write_bytes(jpeg_bytes(1, caption="Summit", credit="NATO", usage_terms=SEED_PROFILE_NOTE, **fields))
    report = import_paths(catalog, [str(folder)], workers=0)
    assert report.imported == 1
    asset_id = AssetStore(catalog).all_ids()[0]
    return photo, asset_id


def _rewrite(photo, when: float, **fields):
    """The attacker's (or the rights holder's) edit of the file, with its modification time."""
    photo.write_bytes(jpeg_bytes(1, caption="Summit", credit="NATO", **fields))
    os.utime(photo, (when, when))


def test_a_note_that_matches_no_profile_blocks_the_asset_and_flags_it(catalog, tmp_path, capsys):
    photo, asset_id = _shoot(tmp_path, catalog)
    assert AssetStore(catalog).get(asset_id).rights_profile_id == 1   # linked by its note
    _rewrite(photo, time.time(), usage_terms=NOT_FOR_PUBLICATION)
    report = import_paths(catalog, [str(photo.parent)], workers=0)
    assert report.updated == 1
    asset = AssetStore(catalog).get(asset_id)
    assert asset.rights_profile_id is None
    assert "usage terms changed" in asset.rights_review and "NOT FOR PUBLICATION" in asset.rights_review
    assert "Editorial only (NATO media)" in asset.rights_review        # what it had
    assert any("rights:" in w["warning"] for w in report.warnings)     # the import report says so
    # "Rights problems" lists it, and the export blocks it instead of stamping it editorial
    assert asset_id in catalog.index.ids(parse_query("rights:problems"))
    plan = plan_export(catalog, [asset_id], ExportOptions(purpose=Purpose.EDITORIAL_ONLINE))
    assert not plan.allowed and plan.blocked[0].decision.code == "no-profile"
    result = run_export(catalog, plan, tmp_path / "bundle")
    assert result.bundle is None and not (tmp_path / "bundle").exists()


def test_a_person_who_assigned_before_the_change_is_overruled(catalog, tmp_path):
    photo, asset_id = _shoot(tmp_path, catalog)
    with catalog.transaction():
        internal = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
            id=None, name="Internal", note="Internal use.", allowed_purposes=frozenset({Purpose.INTERNAL})))
    apply_edits(catalog, {asset_id: {"rights_profile_id": 1}})          # a no-op: it had it
    apply_edits(catalog, {asset_id: {"rights_profile_id": internal}})   # a person's choice...
    apply_edits(catalog, {asset_id: {"rights_profile_id": 1}})          # ...and back: explicit now
    time.sleep(0.01)
    _rewrite(photo, time.time(), usage_terms=NOT_FOR_PUBLICATION)       # ...then the file changed
    import_paths(catalog, [str(photo.parent)], workers=0)
    asset = AssetStore(catalog).get(asset_id)
    assert asset.rights_profile_id is None
    assert "blocked at export" in asset.rights_review


def test_a_person_who_assigned_after_the_change_is_kept_and_the_conflict_shown(catalog, tmp_path, capsys):
    from mediadesk.cli.main import main

    photo, asset_id = _shoot(tmp_path, catalog)
    with catalog.transaction():
        internal = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
            id=None, name="Internal", note="Internal use.", allowed_purposes=frozenset({Purpose.INTERNAL})))
    _rewrite(photo, time.time() - 3600, usage_terms=NOT_FOR_PUBLICATION)   # changed an hour ago
    apply_edits(catalog, {asset_id: {"rights_profile_id": internal}})     # a person decided since
    import_paths(catalog, [str(photo.parent)], workers=0)
    asset = AssetStore(catalog).get(asset_id)
    assert asset.rights_profile_id == internal
    assert "was kept" in asset.rights_review and "matches no rights profile" in asset.rights_review
    assert asset_id in catalog.index.ids(parse_query("rights:problems"))
    capsys.readouterr()
    assert main(["--catalog", catalog.target, "show", str(asset_id)]) == 0
    assert "Rights review" in capsys.readouterr().out
    # assigning again settles it
    assert main(["--catalog", catalog.target, "rights", "assign", "Internal", str(asset_id)]) == 0
    assert AssetStore(catalog).get(asset_id).rights_review is None
    assert asset_id not in catalog.index.ids(parse_query("rights:problems"))


def test_copyright_and_instructions_are_rights_bearing_too(catalog, tmp_path):
    photo, asset_id = _shoot(tmp_path, catalog, copyright="© NATO")
    _rewrite(photo, time.time(), usage_terms=SEED_PROFILE_NOTE, copyright="© Someone Else Agency")
    import_paths(catalog, [str(photo.parent)], workers=0)
    asset = AssetStore(catalog).get(asset_id)
    assert asset.rights_profile_id == 1                   # the note still matches
    assert "copyright notice changed" in asset.rights_review and "Someone Else" in asset.rights_review


def test_a_re_read_that_leaves_the_rights_alone_keeps_the_link(catalog, tmp_path):
    photo, asset_id = _shoot(tmp_path, catalog)
    with catalog.transaction():
        internal = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
            id=None, name="Internal", note="Internal use.", allowed_purposes=frozenset({Purpose.INTERNAL})))
    apply_edits(catalog, {asset_id: {"rights_profile_id": internal}})
    photo.write_bytes(jpeg_bytes(1, caption="Summit, corrected", credit="NATO", usage_terms=SEED_PROFILE_NOTE))
    import_paths(catalog, [str(photo.parent)], workers=0)
    asset = AssetStore(catalog).get(asset_id)
    assert asset.caption == "Summit, corrected"
    assert asset.rights_profile_id == internal and asset.rights_review is None
