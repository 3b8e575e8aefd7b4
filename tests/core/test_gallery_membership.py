"""Gallery membership as undoable history (window and command line use the same service)."""

import json

from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.history import HistoryStore
from mediadesk.cli.main import main
from mediadesk.services.edits import redo, undo
from mediadesk.services.gallery_membership import add_to_gallery, remove_from_gallery

from tests.support.factories import insert


def _gallery(catalog, title):
    with catalog.transaction():
        return GalleryStore(catalog).create_unrecorded(title)


def test_add_and_remove_are_one_undoable_step_each(catalog):
    ids = [insert(catalog, caption=f"frame {i}") for i in range(4)]
    summit = _gallery(catalog, "Summit")
    other = _gallery(catalog, "Best of")
    store = GalleryStore(catalog)
    with catalog.transaction():
        store.add_assets_unrecorded(other, ids[:1])

    result = add_to_gallery(catalog, summit, ids[:3])
    assert result.count == 3 and result.changes.galleries and "galleries" in result.changes.fields
    assert HistoryStore(catalog).get(result.operation_id).description == 'Add 3 assets to "Summit"'
    again = add_to_gallery(catalog, summit, ids[:3])                # already there: no operation
    assert again.operation_id is None and again.count == 0
    assert store.asset_ids(summit) == ids[:3]

    removed = remove_from_gallery(catalog, summit, [ids[0], ids[3]])  # ids[3] was never in it
    assert removed.count == 1
    assert store.asset_ids(summit) == ids[1:3]
    assert store.asset_ids(other) == ids[:1]                         # other galleries untouched

    undo(catalog)
    assert sorted(store.asset_ids(summit)) == ids[:3]
    undo(catalog)
    assert store.asset_ids(summit) == []
    assert store.asset_ids(other) == ids[:1]
    redo(catalog)
    assert store.asset_ids(summit) == ids[:3]


def test_undo_keeps_newer_membership_and_skips_deleted_galleries(catalog):
    ids = [insert(catalog) for _ in range(2)]
    summit = _gallery(catalog, "Summit")
    add_to_gallery(catalog, summit, ids)
    remove_from_gallery(catalog, summit, ids)
    store = GalleryStore(catalog)
    with catalog.transaction():
        store.delete_unrecorded(summit)                 # the gallery is gone: undoing the removal can't restore it
    result = undo(catalog)
    assert result.changed == []
    assert len(result.skipped) == 2 and "was deleted since" in result.skipped[0]
    assert catalog.scalar("SELECT count(*) FROM gallery_assets") == 0

    second = _gallery(catalog, "Second")
    add_to_gallery(catalog, second, ids)
    with catalog.transaction():
        store.remove_assets_unrecorded(second, ids[:1])  # someone changed asset 0's membership since
    result = undo(catalog)
    assert len(result.skipped) == 1 and f"asset {ids[0]}" in result.skipped[0]
    assert store.asset_ids(second) == []


def test_gallery_command(capsys, catalog_path):
    from mediadesk.catalog import open_catalog

    cat = open_catalog(catalog_path)
    ids = [insert(cat, caption=f"frame {i}") for i in range(3)]
    cat.close()

    def run(*args):
        code = main(["--catalog", str(catalog_path), *args])
        return code, capsys.readouterr()

    code, out = run("gallery", "add", "Best of", *map(str, ids))
    assert code == 2 and 'no gallery called "Best of"' in out.err
    code, out = run("gallery", "add", "Best of", "--create", "--json", *map(str, ids[:2]))
    data = json.loads(out.out)
    assert code == 0 and data["changed"] == 2 and data["count"] == 2
    code, out = run("gallery", "add", "best of", *map(str, ids))          # titles match in any case
    assert code == 0 and 'added 1 asset(s) to "Best of" (2 were already in it); it now holds 3' in out.out
    code, out = run("gallery", "remove", "Best of", "--query", "frame")
    assert code == 0 and "removed 3 asset(s)" in out.out
    code, out = run("history", str(ids[0]), "--field", "gallery_ids")
    assert "Galleries: Best of  ->  (none)" in out.out
    code, out = run("undo")
    assert code == 0 and 'Remove 3 assets from "Best of"' in out.out
    code, out = run("galleries", "--json")
    assert json.loads(out.out)[0]["count"] == 3
