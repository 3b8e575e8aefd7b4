"""Rating, pick and colour label (issue 17): one operation per change, the search filters, the
commands, and the label's trip through files (xmp:Label)."""

import json
import shutil
import subprocess

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.cli.main import main
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.query import parse_query
from mediadesk.services.edits import undo
from mediadesk.services.importer import import_paths
from mediadesk.services.marks import set_label, set_pick, set_rating, toggle_label, toggle_pick
from mediadesk.services.writeback import writeback

from tests.support.factories import insert
from tests.support.paths import CATALOG_FIXTURES
from tests.support.ui_fixtures import make_photo


def _ids(catalog, text):
    return sorted(catalog.index.ids(parse_query(text)))


def test_each_mark_is_one_undoable_operation_on_the_whole_selection(catalog):
    a, b, c = (insert(catalog) for _ in range(3))
    before = catalog.history.last_undoable()
    result = set_rating(catalog, [a, b], 4)
    assert {(x[0], x[1], x[3]) for x in result.changed} == {(a, "rating", 4), (b, "rating", 4)}
    assert catalog.history.last_undoable().id == result.operation_id != (before and before.id)
    assert catalog.history.last_undoable().description == "Rate ★★★★ (2 assets)"
    set_pick(catalog, [b, c], "picked")
    set_label(catalog, [a], "red")                       # canonical spelling
    assert catalog.assets.get(a).label == "Red"
    assert (catalog.assets.get(b).pick, catalog.assets.get(c).pick) == (1, 1)
    undo(catalog)                                        # the label only
    assert catalog.assets.get(a).label is None and catalog.assets.get(b).pick == 1
    undo(catalog)                                        # both picks at once
    assert catalog.assets.get(b).pick is None and catalog.assets.get(c).pick is None
    undo(catalog)
    assert catalog.assets.get(a).rating is None and catalog.assets.get(b).rating is None


def test_zero_stars_clears_and_out_of_range_is_refused(catalog):
    a = insert(catalog)
    set_rating(catalog, [a], 3)
    set_rating(catalog, [a], 0)
    assert catalog.assets.get(a).rating is None
    with pytest.raises(InvalidInput, match="0 to 5"):
        set_rating(catalog, [a], 6)
    with pytest.raises(InvalidInput, match="picked, rejected or none"):
        set_pick(catalog, [a], "maybe")
    with pytest.raises(InvalidInput, match="empty"):
        set_rating(catalog, [], 2)


def test_toggles_set_then_clear_when_every_asset_has_it(catalog):
    a, b = insert(catalog), insert(catalog)
    set_pick(catalog, [a], 1)
    toggle_pick(catalog, [a, b])                         # not all picked: pick both
    assert (catalog.assets.get(a).pick, catalog.assets.get(b).pick) == (1, 1)
    toggle_pick(catalog, [a, b])                         # all picked: clear
    assert (catalog.assets.get(a).pick, catalog.assets.get(b).pick) == (None, None)
    toggle_label(catalog, [a], "Green")
    toggle_label(catalog, [a, b], "green")
    assert catalog.assets.get(b).label == "Green"
    toggle_label(catalog, [a, b], "Green")
    assert catalog.assets.get(a).label is None and catalog.assets.get(b).label is None


def test_search_filters_for_rating_pick_and_label(catalog):
    ids = [insert(catalog) for _ in range(6)]
    for stars, asset in zip((5, 4, 2, 1), ids[:4], strict=True):
        set_rating(catalog, [asset], stars)
    set_pick(catalog, ids[:2], "picked")
    set_pick(catalog, [ids[2]], "rejected")
    set_label(catalog, [ids[0]], "Red")
    set_label(catalog, [ids[1]], "Blue")
    with catalog.transaction():   # another program's word for a label, in its own spelling
        catalog.assets.set_fields_unrecorded(ids[5], {"label": "Winner"}, source="xmp")
    assert _ids(catalog, "rating:>=4") == ids[:2]
    assert _ids(catalog, "rating:4") == [ids[1]]
    assert _ids(catalog, "rating:<3") == ids[2:]          # includes the unrated
    assert _ids(catalog, "rating:0") == _ids(catalog, "rating:none") == ids[4:]
    assert _ids(catalog, "picked:yes") == ids[:2]
    assert _ids(catalog, "picked:no") == ids[2:]
    assert _ids(catalog, "rejected:yes") == [ids[2]]
    assert _ids(catalog, "pick:none") == ids[3:]
    assert _ids(catalog, "label:red") == [ids[0]]
    assert _ids(catalog, "colour:red,blue") == ids[:2]
    assert _ids(catalog, "label:winner") == [ids[5]]
    assert _ids(catalog, "label:none") == ids[2:5]
    assert _ids(catalog, "label:any picked:yes rating:5") == [ids[0]]
    assert catalog.index.count(parse_query("rating:>=4")) == 2
    for bad in ("rating:6", "rating:>>4", "picked:maybe", "label:!!", "pick:yes"):
        assert parse_query(bad).errors, bad


def test_a_high_rating_filter_uses_the_partial_index(catalog):
    for _ in range(50):
        insert(catalog)
    explain = "EXPLAIN QUERY PLAN "
    if catalog.url is not None:   # PostgreSQL: can the partial index serve it (50 rows: a scan is cheaper)
        catalog.execute("SET enable_seqscan = off")
        explain = "EXPLAIN "
    plan = " ".join(str(row[-1]) for row in catalog.execute(
        explain + "SELECT a.id FROM assets a WHERE a.rating >= 4"))
    assert "assets_rating" in plan, plan
    plan = " ".join(str(row[-1]) for row in catalog.execute(
        explain + "SELECT a.id FROM assets a WHERE a.pick = 1"))
    assert "assets_pick" in plan, plan


def test_a_schema_6_catalog_gains_the_marks_and_keeps_its_data(tmp_path):
    """Step 7 (the marks) on a catalog made before it: the columns come empty, the partial
    indexes are built, and the marks work at once."""
    copy = tmp_path / "schema-6.mediadesk"
    shutil.copy(CATALOG_FIXTURES / "schema-6.mediadesk", copy)
    with Catalog(copy) as catalog:
        assert catalog.scalar("PRAGMA user_version") == 7
        columns = {row[1] for row in catalog.execute("PRAGMA table_info(assets)")}
        assert {"rating", "pick", "label", "language"} <= columns            # step 5's column kept too
        indexes = {row[0] for row in catalog.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"assets_rating", "assets_pick", "assets_label", "assets_rights_date"} <= indexes
        asset = catalog.assets.get(1)
        assert asset.caption.startswith("NATO Secretary General Mark Rutte") and asset.label is None
        assert _ids(catalog, "picked:no") == catalog.assets.all_ids()
        set_rating(catalog, [1], 4)
        set_pick(catalog, [1], "picked")
        set_label(catalog, [1], "Red")
        assert _ids(catalog, "rating:>=4 picked:yes label:red duda") == [1]


def test_rate_pick_and_label_commands(catalog_path, capsys):
    with Catalog(catalog_path) as catalog:
        ids = [insert(catalog) for _ in range(3)]
    base = ["--catalog", str(catalog_path)]
    assert main(base + ["rate", "5", str(ids[0]), str(ids[1])]) == 0
    assert "rated ★★★★★: 2 of 2 asset(s)" in capsys.readouterr().out
    assert main(base + ["pick", "--reject", "--query", "rating:5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["field"] == "pick" and out["value"] == "rejected" and out["changed"] == ids[:2]
    assert main(base + ["label", "purple", str(ids[2])]) == 0
    capsys.readouterr()
    assert main(base + ["search", "label:purple", "--json"]) == 0
    [found] = json.loads(capsys.readouterr().out)
    assert (found["id"], found["label"], found["pick"]) == (ids[2], "Purple", None)
    assert main(base + ["rate", "9", str(ids[0])]) == 2
    assert "0 to 5" in capsys.readouterr().err
    assert main(base + ["label", "mauve", str(ids[0])]) == 2
    assert "not a colour label" in capsys.readouterr().err
    assert main(base + ["undo"]) == 0                    # the label
    with Catalog(catalog_path) as catalog:
        assert catalog.assets.get(ids[2]).label is None
        assert catalog.assets.get(ids[0]).pick == -1


def _exiftool(path) -> dict:
    out = subprocess.run(["exiftool", "-json", "-XMP:Label", "-XMP:Rating", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)[0]


def test_label_and_rating_go_into_the_file_and_come_back_on_import(tmp_path):
    photo = make_photo(tmp_path / "shoot" / "frame_0001.jpg", "Rutte arrives")
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-XMP:Label=yellow", str(photo)], check=True)
    with Catalog(tmp_path / "c.mediadesk") as catalog:
        import_paths(catalog, [str(photo)], workers=0)
        [asset_id] = catalog.assets.all_ids()
        assert catalog.assets.get(asset_id).label == "Yellow"      # another tool's spelling
        set_label(catalog, [asset_id], "Red")
        set_rating(catalog, [asset_id], 4)
        set_pick(catalog, [asset_id], "picked")
        report = writeback(catalog, [asset_id], workers=0)
        assert report.count("written") == 1, report.to_json()
        changed = {f for f, _old, _new in report.files[0].changes}
        assert {"label", "rating"} <= changed and "pick" not in changed   # a pick stays in the catalog
    tags = _exiftool(photo)
    assert (tags["Label"], tags["Rating"]) == ("Red", 4)
