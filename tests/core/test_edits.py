import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.history import HistoryStore
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.edits import apply_edits, redo, undo

from tests.support.factories import insert


def test_edit_records_history_and_marks_source(catalog):
    a = insert(catalog, caption="Old caption", field_sources={"caption": "iim"})
    result = apply_edits(catalog, {a: {"caption": "New caption", "keywords": ["NATO", "NATO", " "]}})
    assert result.count == 2
    asset = AssetStore(catalog).get(a)
    assert asset.caption == "New caption"
    assert asset.keywords == ("NATO",)
    assert asset.field_sources["caption"] == "typed"
    changes = HistoryStore(catalog).for_asset(a, "caption")
    assert [(c.old, c.new) for c in changes] == [("Old caption", "New caption")]


def test_no_op_edit_creates_no_operation(catalog):
    a = insert(catalog, caption="Same")
    assert apply_edits(catalog, {a: {"caption": "  Same "}}).operation_id is None
    assert HistoryStore(catalog).operations() == []


def test_unknown_field_and_bad_rating_are_refused(catalog):
    a = insert(catalog)
    with pytest.raises(InvalidInput):
        apply_edits(catalog, {a: {"path": "/etc/passwd"}})
    with pytest.raises(InvalidInput, match="whole number"):
        apply_edits(catalog, {a: {"rating": "five"}})


def test_batch_undo_redo_survive_restart(catalog_path):
    cat = open_catalog(catalog_path)
    ids = [insert(cat, caption=f"c{i}") for i in range(5)]
    apply_edits(cat, {i: {"caption": "batch"} for i in ids}, kind="template", description="Template")
    cat.close()

    cat = open_catalog(catalog_path)
    result = undo(cat)
    assert result is not None and len(result.changed) == 5
    assert [a.caption for a in AssetStore(cat).get_many(ids)] == [f"c{i}" for i in range(5)]
    cat.close()

    cat = open_catalog(catalog_path)
    redo(cat)
    assert {a.caption for a in AssetStore(cat).get_many(ids)} == {"batch"}
    assert redo(cat) is None
    cat.close()


def test_undo_keeps_values_changed_since(catalog):
    a = insert(catalog, caption="one")
    apply_edits(catalog, {a: {"caption": "two", "title": "T"}})
    with catalog.transaction():
        AssetStore(catalog).set_fields_unrecorded(a, {"caption": "changed elsewhere"}, source="xmp")
    result = undo(catalog)
    assert any("changed again" in s for s in result.skipped)
    asset = AssetStore(catalog).get(a)
    assert asset.caption == "changed elsewhere" and asset.title is None


def test_new_edit_clears_redo(catalog):
    a = insert(catalog, caption="one")
    apply_edits(catalog, {a: {"caption": "two"}})
    undo(catalog)
    apply_edits(catalog, {a: {"caption": "three"}})
    assert redo(catalog) is None
    assert AssetStore(catalog).get(a).caption == "three"
