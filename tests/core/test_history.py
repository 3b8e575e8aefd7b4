from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.history import HistoryStore
from mediadesk.services.edits import apply_edits, redo, undo
from mediadesk.services.find_replace import find_replace
from mediadesk.services.tagging import add_tags
from mediadesk.services.templates import add_template, apply_template

from tests.support.factories import insert


def test_template_batch_undo_redo_across_restarts(catalog_path):
    cat = open_catalog(catalog_path)
    ids = [insert(cat, caption=f"frame {i}", city="Brussels") for i in range(50)]
    add_template(cat, "t", "caption", "{caption}, {city}")
    add_template(cat, "t", "keywords", "NATO; summit")
    result = apply_template(cat, "t", ids)
    assert len(result.preview) == 100
    cat.close()

    cat = open_catalog(catalog_path)  # restart
    done = undo(cat)
    assert len(done.changed) == 100 and not done.skipped
    assets = AssetStore(cat).get_many(ids)
    assert [a.caption for a in assets] == [f"frame {i}" for i in range(50)]
    assert {a.keywords for a in assets} == {()}
    cat.close()

    cat = open_catalog(catalog_path)  # restart again
    redo(cat)
    assets = AssetStore(cat).get_many(ids)
    assert assets[7].caption == "frame 7, Brussels" and assets[7].keywords == ("NATO", "summit")
    cat.close()


def test_every_change_recorded_per_field_with_operation(catalog):
    a = insert(catalog, caption="one")
    apply_edits(catalog, {a: {"caption": "two"}}, kind="edit", description="Typed in the inspector")
    find_replace(catalog, [a], "two", "three")
    add_tags(catalog, [a], keywords=["x"])
    changes = HistoryStore(catalog).for_asset(a, newest_first=True)
    assert [(c.field, c.old, c.new, c.kind) for c in changes] == [
        ("keywords", [], ["x"], "tag"),
        ("caption", "two", "three", "replace"),
        ("caption", "one", "two", "edit"),
    ]
    assert all(c.at for c in changes)
    caption_only = HistoryStore(catalog).for_asset(a, "caption")
    assert [c.new for c in caption_only] == ["two", "three"]


def test_undo_skips_values_changed_since_and_reports_it(catalog):
    ids = [insert(catalog, caption="a") for _ in range(3)]
    apply_edits(catalog, {i: {"caption": "b"} for i in ids})
    with catalog.transaction():  # changed outside the history (e.g. a re-import)
        AssetStore(catalog).set_fields_unrecorded(ids[0], {"caption": "typed later"})
    result = undo(catalog)
    assert len(result.changed) == 2
    assert "changed again since" in result.skipped[0]
    assert AssetStore(catalog).get(ids[0]).caption == "typed later"
    assert AssetStore(catalog).get(ids[1]).caption == "a"


def test_new_operation_ends_redo(catalog):
    a = insert(catalog, caption="a")
    apply_edits(catalog, {a: {"caption": "b"}})
    undo(catalog)
    apply_edits(catalog, {a: {"title": "t"}})
    assert redo(catalog) is None
