"""An import with the stationery pad and a rights profile (issue 17): both go to what the import
added, each is one undoable step, and files the catalog had keep what a person gave them."""

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.cli.main import main
from mediadesk.domain.errors import NotFound
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.services.codes import set_code
from mediadesk.services.edits import apply_edits, undo
from mediadesk.services.ingest import IngestOptions, ingest
from mediadesk.services.rights import create_profile
from mediadesk.services.templates import add_template

from tests.support.ui_fixtures import make_photo


@pytest.fixture
def desk(tmp_path):
    shoot = tmp_path / "shoot"
    for n in range(3):
        make_photo(shoot / f"DSC_{n + 1:04d}.jpg", "", editorial=False, colour=(40 * n, 90, 160))
    catalog = Catalog(tmp_path / "desk.mediadesk")
    set_code(catalog, "hq", "NATO headquarters")
    add_template(catalog, "summit", "caption", "Leaders meet at =hq= ({seq} of the shoot)")
    add_template(catalog, "summit", "credit", "NATO")
    profile = create_profile(catalog, RightsProfile(
        id=None, name="Pool", note="Pool photo: editorial use only.",
        allowed_purposes=frozenset({Purpose.EDITORIAL_ONLINE}))).object_id
    yield catalog, shoot, profile
    catalog.close()


def test_the_pad_and_the_profile_go_to_the_new_assets_in_file_order(desk):
    catalog, shoot, profile = desk
    result = ingest(catalog, [str(shoot)], IngestOptions("Summit day 1", "summit", profile), workers=0)
    assert result.report.imported == 3 and not result.problems
    by_name = {a.file_name: a for a in catalog.assets.get_many(result.asset_ids)}
    assert by_name["DSC_0002.jpg"].caption == "Leaders meet at NATO headquarters (2 of the shoot)"
    assert {a.credit for a in by_name.values()} == {"NATO"}
    assert {a.rights_profile for a in by_name.values()} == {"Pool"}
    assert {a.galleries for a in by_name.values()} == {("Summit day 1",)}
    assert result.changes.added and result.changes.rights
    undo(catalog)                                       # the profile, in one step
    assert {a.rights_profile for a in catalog.assets.get_many(result.asset_ids)} == {None}
    undo(catalog)                                       # the whole pad, in one step
    assert {a.caption for a in catalog.assets.get_many(result.asset_ids)} == {None}


def test_importing_the_card_again_keeps_the_captions_a_person_fixed(desk):
    catalog, shoot, profile = desk
    first = ingest(catalog, [str(shoot)], IngestOptions("Summit day 1", "summit"), workers=0)
    fixed = first.asset_ids[0]
    apply_edits(catalog, {fixed: {"caption": "Mark Rutte arrives"}})
    make_photo(shoot / "DSC_0004.jpg", "", editorial=False, colour=(200, 10, 10))
    again = ingest(catalog, [str(shoot)], IngestOptions("Summit day 1", "summit", profile), workers=0)
    assert again.report.imported == 1 and again.report.unchanged == 3
    assert set(again.asset_ids) == set(first.asset_ids) | set(again.report.added_ids)
    assert catalog.assets.get(fixed).caption == "Mark Rutte arrives"
    assert catalog.assets.get(fixed).rights_profile is None
    [new] = again.report.added_ids
    assert catalog.assets.get(new).caption.endswith("(1 of the shoot)")
    assert catalog.assets.get(new).rights_profile == "Pool"


def test_a_wrong_template_or_profile_stops_before_any_file_is_read(desk):
    catalog, shoot, _profile = desk
    with pytest.raises(NotFound, match="nope"):
        ingest(catalog, [str(shoot)], IngestOptions(template="nope"), workers=0)
    with pytest.raises(NotFound):
        ingest(catalog, [str(shoot)], IngestOptions(rights_profile_id=999), workers=0)
    assert catalog.assets.count() == 0


def test_cli_import_with_pad_and_profile(desk, capsys):
    catalog, shoot, _profile = desk
    path = str(catalog.path)
    catalog.close()
    assert main(["--catalog", path, "import", str(shoot), "--gallery", "Summit", "--template", "summit",
                 "--rights-profile", "Pool", "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert 'template "summit": changed 6 field(s) on 3 asset(s)' in out
    assert 'rights profile "Pool": given to 3 asset(s)' in out
    assert main(["--catalog", path, "import", str(shoot), "--rights-profile", "Nobody"]) == 2
    assert "Nobody" in capsys.readouterr().err
