"""The window's building blocks without the window: model paging, queries, editors, workers."""

from array import array

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.saved_searches import SavedSearchStore
from mediadesk.domain.asset import format_duration
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.services.edits import apply_edits
from mediadesk.services.saved_searches import delete_search, rename_search, save_search

from mediadesk.ui import asset_model
from mediadesk.ui.asset_model import ASSET_ROLE, BADGE_ROLE, CAPTION, DURATION, KIND, ROW_ROLE, AssetModel
from mediadesk.ui.asset_query import LIBRARY, find_ids, gallery_scope
from mediadesk.ui.badges import format_date
from mediadesk.ui.field_editors import FieldEditor, byte_warning, parse_date, show_date
from mediadesk.ui.runner import CatalogLane as CatalogWorker
from mediadesk.ui.selection_summary import MULTIPLE, summarise


@pytest.fixture
def catalog(library):
    with Catalog(library) as cat:
        yield cat


def test_model_reads_rows_a_page_at_a_time(qtbot, catalog, monkeypatch):
    monkeypatch.setattr(asset_model, "PAGE_SIZE", 3)
    model = AssetModel(catalog)
    ids = find_ids(catalog, LIBRARY[0], "").ids
    model.set_ids(ids)
    calls = []
    original = model._store.display_rows
    monkeypatch.setattr(model._store, "display_rows", lambda chunk: calls.append(list(chunk)) or original(chunk))
    whole = []
    original_whole = model._store.get_many
    monkeypatch.setattr(model._store, "get_many", lambda chunk: whole.append(list(chunk)) or original_whole(chunk))
    assert model.rowCount() == 7
    model.index(0, 0).data()
    model.index(2, 0).data()
    assert len(calls) == 1 and len(calls[0]) == 3          # one page for rows 0-2
    model.index(4, 0).data()
    assert len(calls) == 2                                  # the next page
    assert whole == []                                      # painting reads no whole Asset
    assert all(isinstance(model.index(r, 0).data(ROW_ROLE), tuple) for r in range(6))
    video_row = next(r for r in range(7) if model.index(r, 0).data(ASSET_ROLE).kind == "video")
    assert whole == [[ids[r]] for r in range(video_row + 1)]   # ... the inspector's, one at a time
    assert model.index(video_row, DURATION).data() == "0:02"
    assert model.index(video_row, KIND).data() == "Video"
    assert "Mark Rutte" in model.index(0, CAPTION).data()


def test_model_rereads_only_changed_assets(qtbot, catalog):
    model = AssetModel(catalog)
    model.set_ids(find_ids(catalog, LIBRARY[0], "").ids)
    first = model.index(0, 0).data(ASSET_ROLE)
    apply_edits(catalog, {first.id: {"caption": "A new caption"}})
    assert model.index(0, CAPTION).data() != "A new caption"     # cached until told
    with qtbot.waitSignal(model.dataChanged):
        model.invalidate_assets({first.id})
    assert model.index(0, CAPTION).data() == "A new caption"


def test_rights_badges(catalog):
    model = AssetModel(catalog)
    model.set_ids(find_ids(catalog, LIBRARY[0], "").ids)
    texts = {model.index(r, 0).data(BADGE_ROLE).text for r in range(model.rowCount())}
    assert texts == {"EDITORIAL", "NO RIGHTS"}


def test_gallery_scope_keeps_gallery_order_and_filters(catalog):
    store = GalleryStore(catalog)
    with catalog.transaction():
        gid = store.create_unrecorded("Summit")
        all_ids = store.asset_ids(store.find("President of Poland visits NATO").id)
        store.add_assets_unrecorded(gid, list(reversed(all_ids[:4])))
    scope = gallery_scope(gid, "Summit")
    assert list(find_ids(catalog, scope, "").ids) == list(reversed(all_ids[:4]))
    assert len(find_ids(catalog, scope, "kind:video").ids) <= 1
    assert list(find_ids(catalog, scope, "", order="id").ids) == sorted(all_ids[:4])
    # "gallery:" in the search language matches titles by substring; the sidebar scope is exact
    with catalog.transaction():
        store.create_unrecorded("Summit dinner")
    assert len(find_ids(catalog, scope, "").ids) == 4


def test_find_ids_reports_query_errors(catalog):
    result = find_ids(catalog, LIBRARY[0], "kind:banana")
    assert result.errors and "kind:banana" in result.errors[0]
    assert isinstance(result.ids, array)


def test_saved_searches(catalog):
    store = SavedSearchStore(catalog)
    sid = save_search(catalog, "Videos of Rutte", "kind:video rutte").object_id
    assert save_search(catalog, "videos of rutte", "kind:video").object_id == sid    # same name: replaced
    assert store.get(sid).query == "kind:video"
    rename_search(catalog, sid, "Clips")
    assert [s.name for s in store.list()] == ["Clips"]
    with pytest.raises(InvalidInput):
        save_search(catalog, "", "x")
    with pytest.raises(InvalidInput):
        save_search(catalog, "Empty", "  ")
    delete_search(catalog, sid)
    assert store.list() == []


def test_selection_summary_marks_differences(catalog):
    ids = catalog.conn.execute("SELECT id FROM assets WHERE kind = 'photo' ORDER BY id LIMIT 3").fetchall()
    ids = [i[0] for i in ids]
    summary = summarise(catalog, ids)
    assert summary.values["caption"] is MULTIPLE
    assert summary.values["creator"] == "Jane Doe"
    assert summary.kinds == {"photo": 3}
    one = summarise(catalog, ids[:1])
    assert one.asset is not None and one.asset.field_sources["caption"] == "xmp"


def test_field_editor_validates_dates_and_byte_limits(qtbot):
    date = FieldEditor(FIELD_BY_NAME["date_created"])
    qtbot.addWidget(date)
    committed = []
    date.committed.connect(lambda name, value: committed.append((name, value)))
    date.set_value("2025-03-12T10:00:00+01:00")
    assert date.text() == "2025-03-12 10:00:00 +01:00"
    date.input.setText("12 March")
    date._validate()
    date.commit()
    assert committed == [] and "not a date" in date.message_text
    date.input.setText("2025-03-14 09:30")
    date._validate()
    date.commit()
    assert committed == [("date_created", "2025-03-14T09:30")] and date.message_text == ""

    title = FieldEditor(FIELD_BY_NAME["title"])
    qtbot.addWidget(title)
    title.input.setText("é" * 40)  # 80 bytes in UTF-8, 40 characters
    title._validate()
    assert "80 bytes" in title.message_text and "64" in title.message_text


def test_field_editor_multiple_values(qtbot):
    editor = FieldEditor(FIELD_BY_NAME["caption"])
    qtbot.addWidget(editor)
    committed = []
    editor.committed.connect(lambda name, value: committed.append(value))
    editor.set_value(None, multiple=True)
    assert editor.input.placeholderText() == "(multiple values)"
    editor.commit()
    assert committed == []                       # untouched: nothing written
    editor.input.setPlainText("Same for all")
    editor.commit()
    assert committed == ["Same for all"]


def test_formatting():
    assert format_duration(2.0) == "0:02" and format_duration(3725) == "1:02:05"
    assert format_date("2025-03-12T10:05:00+01:00") == "2025-03-12 10:05 +01:00"
    assert parse_date(show_date("2025-03-12T10:05:00+01:00")) == "2025-03-12T10:05:00+01:00"
    assert byte_warning(FIELD_BY_NAME["keywords"], ("ok", "x" * 70)) is not None


def test_catalog_worker_drops_superseded_answers(qtbot, library):
    worker = CatalogWorker(str(library), "test")
    answers = []
    try:
        for n in range(20):
            worker.submit(lambda catalog, n=n: n, answers.append, key="search")
        worker.submit(lambda catalog: 1 / 0, on_error=answers.append)
        qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    finally:
        worker.stop()
    assert answers[0] == 19 and len(answers) == 2     # only the newest search answers
    assert "ZeroDivisionError" in answers[1]


def test_thumbnail_loader_drops_stale_answers_and_remembers_failures(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from mediadesk.ui.thumbnail_loader import ThumbnailLoader

    loader = ThumbnailLoader(edge=64)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    loader._on_loaded(loader._generation - 1, "old", image, 64)   # asked before a new result set
    assert not loader.is_cached("old")
    loader._on_loaded(loader._generation, "fresh", image, 64)
    assert loader.is_cached("fresh")
    assert loader.pixmap("fresh", "unused").width() == 64         # answered from memory
    missing = tmp_path / "gone.jpg"
    assert loader.pixmap("gone", str(missing)) is None              # requested on a worker
    qtbot.waitUntil(lambda: "gone" in loader._failed, timeout=5000)
    assert loader.pixmap("gone", str(missing)) is None and not loader._queue  # not asked again
    loader.stop()


def test_async_pages_arrive_for_the_rows_on_screen(qtbot, library):
    worker = CatalogWorker(str(library), "rows")
    try:
        with Catalog(library) as catalog:
            model = AssetModel(catalog, worker)
            model.set_ids(find_ids(catalog, LIBRARY[0], "").ids)
            assert model.index(0, 0).data() is None and not model.is_loaded(0)   # nothing read yet
            with qtbot.waitSignal(model.dataChanged, timeout=5000):
                model.want_rows(0, 3)
            assert model.is_loaded(3) and model.index(3, 0).data(ASSET_ROLE) is not None
    finally:
        worker.stop()


def test_rows_read_on_the_gui_thread_meanwhile_are_still_announced(qtbot, library):
    """A view painted the rows as loading; the inspector then read the page with asset_at() on
    the GUI thread before the worker's copy arrived. The arrival must still say the rows changed,
    or the view never paints them (nor asks for their thumbnails)."""
    worker = CatalogWorker(str(library), "rows")
    try:
        with Catalog(library) as catalog:
            model = AssetModel(catalog, worker)
            model.set_ids(find_ids(catalog, LIBRARY[0], "").ids)
            assert not model.is_loaded(0)
            with qtbot.waitSignal(model.dataChanged, timeout=5000) as blocker:
                model.want_rows(0, 3)                 # the page is now in flight
                assert model.asset_at(0) is not None  # ... and read here meanwhile
            assert blocker.args[0].row() == 0
    finally:
        worker.stop()


def test_pages_are_read_ahead_in_the_direction_of_the_scroll(qtbot, library):
    """Each step of a drag along the scroll bar lands on rows not read yet: the page ahead is
    worth reading, the page behind is not (until the view has moved, both are)."""
    worker = CatalogWorker(str(library), "rows")
    try:
        with Catalog(library) as catalog:
            model = AssetModel(catalog, worker)
            ids = find_ids(catalog, LIBRARY[0], "").ids
            model.set_ids(list(ids) * (2000 // len(ids)))          # 20 pages of rows
            size = asset_model.PAGE_SIZE

            def show(first: int) -> None:
                model.want_rows(first, first + 30)
                qtbot.waitUntil(lambda: model.is_loaded(first) and model.is_loaded(first + 30), timeout=5000)
                qtbot.wait(50)   # the page read ahead comes in a batch of its own

            show(5 * size + 10)                            # not scrolled yet: both sides
            qtbot.waitUntil(lambda: model.is_loaded(4 * size) and model.is_loaded(6 * size), timeout=5000)
            show(12 * size + 10)                           # down
            qtbot.waitUntil(lambda: model.is_loaded(13 * size), timeout=5000)
            assert not model.is_loaded(11 * size)
            show(9 * size + 10)                            # up
            qtbot.waitUntil(lambda: model.is_loaded(8 * size), timeout=5000)
            assert not model.is_loaded(10 * size)
    finally:
        worker.stop()
