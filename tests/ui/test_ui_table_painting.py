"""The table paints its visible rows itself (ui/table_painter.py): the pixels must be those of
QTableView's own painting through the delegate, cell by cell, in every state a row can be in."""

from __future__ import annotations

import pytest
from PIL import Image

from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPalette, qGray

from mediadesk.catalog.connection import Catalog
from mediadesk.services.importer import import_paths

from mediadesk.ui.asset_model import CAPTION, DURATION, LOADING, PAGE_SIZE, TITLE, AssetModel
from mediadesk.ui.asset_query import LIBRARY, find_ids
from mediadesk.ui.runner import CatalogLane
from mediadesk.ui.table_painter import REMOVED, elide
from mediadesk.ui.table_view import AssetTableView
from mediadesk.ui.visible_rows import VisibleRowsReporter

from tests.support.ui_fixtures import make_sources

SELECT_ROWS = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


@pytest.fixture
def catalog_path(tmp_path):
    """Six photos with titles, a video (its duration right-aligned) and two photos without any
    metadata (their Title column shows the file name in grey italics)."""
    folder = make_sources(tmp_path / "media", photos=6, videos=1)
    for n in range(2):
        Image.new("RGB", (64, 48), (200, 40 * n, 40)).save(folder / f"bare_{n}.jpg")
    path = tmp_path / "catalog.mediadesk"
    with Catalog(path) as catalog:
        report = import_paths(catalog, [str(folder)], workers=0)
    assert not report.errors and report.imported == 9
    return path


@pytest.fixture
def catalog(catalog_path):
    with Catalog(catalog_path) as cat:
        yield cat


def make_view(qtbot, model: AssetModel) -> AssetTableView:
    view = AssetTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(1300, 420)
    view.show()
    qtbot.waitExposed(view)
    return view


def painted(view: AssetTableView, itself: bool) -> QImage:
    view.paints_rows_itself = itself
    try:
        return view.viewport().grab().toImage()
    finally:
        view.paints_rows_itself = True


def differing_pixels(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    return sum(1 for y in range(a.height()) for x in range(a.width()) if a.pixel(x, y) != b.pixel(x, y))


def cell_rect(view: AssetTableView, row: int, column: int) -> QRect:
    return view.visualRect(view.model().index(row, column))


def ink(image: QImage, rect: QRect, background: QColor) -> int:
    """Pixels in ``rect`` that are not the background (text)."""
    return sum(1 for y in range(rect.top() + 2, rect.bottom() - 1) for x in range(rect.left(), rect.right())
               if QColor(image.pixel(x, y)) != background)


def test_rows_look_as_the_per_cell_painting_would_paint_them(qtbot, catalog):
    model = AssetModel(catalog)
    model.set_ids(find_ids(catalog, LIBRARY[0], "").ids)
    view = make_view(qtbot, model)
    bare = [r for r in range(model.rowCount()) if model.row_at(r)[12].startswith("bare_")]
    video = next(r for r in range(model.rowCount()) if model.row_at(r)[5] == "video")
    assert len(bare) == 2 and model.display_text(model.row_at(video), DURATION)
    selection = view.selectionModel()
    selection.select(model.index(1, 0), SELECT_ROWS)
    selection.select(model.index(bare[0], 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    selection.select(model.index(4, CAPTION), QItemSelectionModel.SelectionFlag.Select)   # one cell only
    ours, theirs = painted(view, True), painted(view, False)
    assert differing_pixels(ours, theirs) == 0

    palette = view.palette()
    group = QPalette.ColorGroup.Active if view.isActiveWindow() else QPalette.ColorGroup.Inactive
    highlight = palette.color(group, QPalette.ColorRole.Highlight)
    alternate = palette.color(group, QPalette.ColorRole.AlternateBase)
    base = palette.color(group, QPalette.ColorRole.Base)
    assert alternate != base
    def corner(row: int, column: int) -> int:
        return ours.pixel(cell_rect(view, row, column).topLeft()) & 0xFFFFFF

    assert corner(1, TITLE) == highlight.rgb() & 0xFFFFFF == corner(1, DURATION)
    assert corner(4, CAPTION) == highlight.rgb() & 0xFFFFFF != corner(4, TITLE)
    unselected = [r for r in range(model.rowCount()) if not selection.rowIntersectsSelection(r)]
    assert {corner(r, TITLE) for r in unselected if r % 2} == {alternate.rgb() & 0xFFFFFF}
    assert {corner(r, TITLE) for r in unselected if not r % 2} == {base.rgb() & 0xFFFFFF}
    # the stand-in title (the file name) is drawn in the placeholder colour (grey), a title in
    # the text colour
    def darkest(row: int) -> int:
        rect = cell_rect(view, row, TITLE)
        return min(qGray(ours.pixel(x, y)) for y in range(rect.top(), rect.bottom())
                   for x in range(rect.left(), rect.right()))

    unselected_bare = next(r for r in bare if r in unselected)
    titled = next(r for r in unselected if r not in bare)
    assert darkest(titled) < 40 and 80 < darkest(unselected_bare) < 200
    # the video's duration is right-aligned: its ink ends near the cell's right edge
    duration = cell_rect(view, video, DURATION)
    background = QColor(ours.pixel(duration.topLeft()))
    right_half = QRect(duration.center().x(), duration.top(), duration.width() // 2, duration.height())
    left_half = QRect(duration.left(), duration.top(), duration.width() // 2, duration.height())
    assert ink(ours, right_half, background) > 0 and ink(ours, left_half, background) == 0


def test_the_focused_cell_and_resized_moved_columns_look_the_same(qtbot, catalog):
    model = AssetModel(catalog)
    model.set_ids(find_ids(catalog, LIBRARY[0], "").ids)
    view = make_view(qtbot, model)
    view.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.selectionModel().setCurrentIndex(model.index(2, CAPTION), SELECT_ROWS)
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(DURATION), 0)
    header.resizeSection(CAPTION, 120)
    view.horizontalScrollBar().setValue(40)
    assert differing_pixels(painted(view, True), painted(view, False)) == 0


def test_a_removed_asset_says_so_and_a_page_that_arrives_late_is_painted(qtbot, catalog_path):
    worker = CatalogLane(str(catalog_path), "rows")
    try:
        with Catalog(catalog_path) as catalog:
            model = AssetModel(catalog, worker)
            ids = find_ids(catalog, LIBRARY[0], "").ids
            missing = max(ids) + 1000                       # an asset deleted meanwhile
            many = list(ids) * (PAGE_SIZE // len(ids) + 1) * 3 + [missing]
            model.set_ids(many)
            view = make_view(qtbot, model)
            reporter = VisibleRowsReporter(view, model.want_rows)   # as the window has it
            reporter.schedule()
            last = model.rowCount() - 1
            qtbot.waitUntil(lambda: model.row_to_paint(0) is not LOADING, timeout=5000)
            view.scrollToBottom()
            view.viewport().update()
            assert model.row_to_paint(last) is LOADING     # its page is on its way
            loading = painted(view, True)
            rect = cell_rect(view, last - 1, TITLE)
            background = QColor(loading.pixel(rect.topLeft()))
            assert ink(loading, rect, background) == 0     # an empty row for now
            qtbot.waitUntil(lambda: model.row_to_paint(last) is not LOADING, timeout=5000)
            qtbot.waitUntil(lambda: ink(view.viewport().grab().toImage(), rect, background) > 0, timeout=5000)
            assert model.row_to_paint(last) is None and model.index(last, TITLE).data() == REMOVED
            ours, theirs = painted(view, True), painted(view, False)
            assert differing_pixels(ours, theirs) == 0
            removed = cell_rect(view, last, TITLE)
            assert ink(ours, removed, QColor(ours.pixel(removed.topLeft()))) > 0     # "(removed)"
            caption = cell_rect(view, last, CAPTION)
            assert ink(ours, caption, QColor(ours.pixel(caption.topLeft()))) == 0
            del reporter
    finally:
        worker.stop()


@pytest.mark.parametrize("text", [
    "NATO Secretary General Mark Rutte " * 40,
    "i" * 400,                        # narrow glyphs
    "e\u0301" * 300,                  # combining marks: no width of their own
    "short",
])
def test_eliding_a_cut_text_gives_what_eliding_the_whole_text_gives(qtbot, text):
    metrics = QFontMetrics(QFont())
    for width in (0, 40, 120, 300):
        assert elide(text, width, metrics) == metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
