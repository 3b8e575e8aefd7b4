"""The words in the real window (issue 16): a document in the preview with the search's words
marked, a search hit in a subtitle shown on the result and opening the player at its second,
the player's subtitles and chapters (jump, add at the position, rename, delete, undo), and links
made by dropping assets in the inspector, shown both ways."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QItemSelectionModel

from mediadesk.catalog.connection import Catalog
from mediadesk.services.importer import import_paths

from tests.support.document_fixtures import text_pdf
from tests.support.timed_text_fixtures import CHAPTERS_VTT, needs_ffmpeg, video_with_subtitles, write_text
from tests.support.ui_fixtures import close_window, make_photo, open_window

PHRASE = "kill the red tape"
SRT = ("1\n00:00:00,500 --> 00:00:01,500\nFirst of all, thank you\n\n"
       "2\n00:00:02,500 --> 00:00:03,500\nwe must kill the red tape now\n")


@pytest.fixture
def words_library(tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    make_photo(folder / "photo.jpg", "NATO Secretary General Mark Rutte at the press day", "Press day")
    text_pdf(folder / "release.pdf", ["Press release\n\nSource: NATO\n\nThe first page.",
                                      f"Second page: we must {PHRASE} in defence production."],
             title="Press release on defence production")
    video_with_subtitles(folder / "remarks.mkv", SRT, language="eng", title="English")
    write_text(folder / "remarks.chapters.vtt", CHAPTERS_VTT)
    path = tmp_path / "catalog.mediadesk"
    with Catalog(path) as catalog:
        report = import_paths(catalog, [str(folder)], workers=0)
    assert not report.errors and report.imported == 3, report.to_json()
    return path


@pytest.fixture
def window(qtbot, words_library, settings):
    win = open_window(qtbot, words_library, settings)
    yield win
    close_window(win)


def _row(window, kind):
    return next(r for r in range(window.model.rowCount()) if window.model.asset_at(r).kind == kind)


def _select(window, row):
    flags = QItemSelectionModel.SelectionFlag
    window.selection.setCurrentIndex(window.model.index(row, 0), flags.ClearAndSelect | flags.Rows)


def _search(window, qtbot, text):
    window.search.field.setText(text)
    window.search.search_changed.emit(text)
    qtbot.waitUntil(lambda: not window.results.pending and window.results.text == text, timeout=10000)


@needs_ffmpeg
def test_a_document_in_the_preview_with_the_search_marked(window, qtbot):
    _search(window, qtbot, f'"{PHRASE}"')
    row = _row(window, "document")
    _select(window, row)
    preview = window.preview
    qtbot.waitUntil(lambda: preview._stack.currentWidget() is preview.document, timeout=5000)
    view = preview.document
    assert view.title.text() == "Press release on defence production"
    assert view.page == 1 and view.position.text() == "Page 2 of 2"          # opened at the hit
    assert [s.cursor.selectedText() for s in view.text.extraSelections()] == [PHRASE]
    qtbot.waitUntil(lambda: window.model.hit(window.model.id_at(row)) is not None, timeout=5000)
    assert window.model.hit(window.model.id_at(row)).page == 2


@needs_ffmpeg
def test_a_hit_in_a_subtitle_opens_the_player_at_its_second(window, qtbot):
    _search(window, qtbot, f'"{PHRASE}"')
    row = _row(window, "video")
    video_id = window.model.id_at(row)
    window.model.want_rows(0, window.model.rowCount() - 1)
    qtbot.waitUntil(lambda: window.model.hit(video_id) is not None, timeout=5000)
    hit = window.model.hit(video_id)
    assert (hit.field, hit.start) == ("subtitles", 2.5)
    _select(window, row)
    preview = window.preview
    qtbot.waitUntil(lambda: preview._stack.currentWidget() is preview.video_page, timeout=5000)
    player = preview.player
    assert player._pending_ms == 2500 or player.player.position() == 2500
    assert player.seek.value() == 2500 and player.time.text().startswith("0:02")
    panel = preview.timed
    assert panel.current_track().track.language == "en"
    assert [panel.chapter_list.topLevelItem(i).text(1) for i in range(2)] == ["Opening remarks", "Q&A"]
    panel.set_position(2.7)
    assert panel.overlay.text() == "we must kill the red tape now"
    with qtbot.waitSignal(panel.seek_requested) as sought:
        panel._on_item_clicked(panel.chapter_list.topLevelItem(1))
    assert sought.args == [2000] and player.seek.value() == 2000


@needs_ffmpeg
def test_chapters_are_added_renamed_deleted_and_undone_in_the_window(window, qtbot):
    row = _row(window, "video")
    video_id = window.model.id_at(row)
    _select(window, row)
    preview = window.preview
    qtbot.waitUntil(lambda: preview._stack.currentWidget() is preview.video_page, timeout=5000)
    panel = preview.timed

    def titles():
        return [panel.chapter_list.topLevelItem(i).text(1) for i in range(panel.chapter_list.topLevelItemCount())]

    panel.set_position(3.0)
    panel.add_button.click()
    qtbot.waitUntil(lambda: len(titles()) == 3, timeout=5000)
    assert titles() == ["Opening remarks", "Q&A", "Chapter at 0:03"]
    item = panel.chapter_list.topLevelItem(2)
    item.setText(1, "Closing words")
    qtbot.waitUntil(lambda: titles()[2:] == ["Closing words"], timeout=5000)
    panel.chapter_list.setCurrentItem(panel.chapter_list.topLevelItem(0))
    panel.delete_button.click()
    qtbot.waitUntil(lambda: titles() == ["Q&A", "Closing words"], timeout=5000)
    with Catalog(window.catalog_path, readonly=True) as catalog:
        assert [c.title for _, c in catalog.words.chapters(video_id)] == ["Q&A", "Closing words"]
    for expected in (["Opening remarks", "Q&A", "Closing words"], ["Opening remarks", "Q&A", "Chapter at 0:03"],
                     ["Opening remarks", "Q&A"]):
        window.history.undo()
        qtbot.waitUntil(lambda expected=expected: titles() == expected, timeout=5000)


@needs_ffmpeg
def test_dropping_assets_on_the_inspector_links_them_both_ways(window, qtbot):
    document_row, photo_row = _row(window, "document"), _row(window, "photo")
    document_id, photo_id = window.model.id_at(document_row), window.model.id_at(photo_row)
    _select(window, photo_row)
    qtbot.waitUntil(lambda: window.inspector.summary is not None
                    and window.inspector.summary.ids == (photo_id,), timeout=5000)
    links = window.inspector.links
    assert links.list.count() == 0 and "Drop a press release" in links.hint.text()
    links._on_dropped([document_id])                     # what a drop from the grid delivers
    qtbot.waitUntil(lambda: links.list.count() == 1, timeout=5000)
    assert links.list.item(0).text() == "Document: Press release on defence production"
    _select(window, document_row)
    qtbot.waitUntil(lambda: window.inspector.summary.ids == (document_id,), timeout=5000)
    qtbot.waitUntil(lambda: links.list.count() == 1, timeout=5000)
    assert links.list.item(0).text() == "Photo: Press day"
    links.list.setCurrentRow(0)
    links.unlink.click()
    qtbot.waitUntil(lambda: links.list.count() == 0, timeout=5000)
