"""Importing through the window: menu, drop, progress and Cancel, the report, the welcome page."""

import time

import pytest

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from mediadesk import demo as demo_package
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.services import importer
from mediadesk.services.importer import import_paths

from mediadesk.ui.import_report import ImportReportDialog

from tests.support.ui_fixtures import close_window, make_photo, make_sources, open_window


@pytest.fixture
def empty_window(qtbot, tmp_path, settings):
    win = open_window(qtbot, tmp_path / "empty.mediadesk", settings)
    yield win
    close_window(win)


def catalog_count(path) -> int:
    with Catalog(path) as catalog:
        return AssetStore(catalog).count()


def test_empty_catalog_welcomes_then_import_from_menu_fills_the_grid(empty_window, qtbot, tmp_path, monkeypatch):
    window = empty_window
    assert window.centre.currentWidget() is window.welcome
    sources = make_sources(tmp_path / "in", photos=5, videos=1)
    window.file_dialogs.execute = lambda dialog: (dialog.selectFile(str(sources)), dialog.accept(),
                                                  QDialog.DialogCode.Accepted)[-1]
    window.actions_.import_folder.trigger()                       # File > Import Folder… (Ctrl+I)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=15000)
    qtbot.waitUntil(lambda: window.centre.currentWidget() is window.pane, timeout=5000)
    qtbot.waitUntil(lambda: not window.importer.running, timeout=10000)
    assert "6 imported" in window.statusBar().currentMessage()
    asset = window.model.asset_at(0)
    qtbot.waitUntil(lambda: window.loader.is_cached(asset.content_hash), timeout=5000)  # thumbnails paint


def test_dropping_files_on_the_window_imports_them(empty_window, qtbot, tmp_path):
    window = empty_window
    sources = make_sources(tmp_path / "dropped", photos=3, videos=0)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in sorted(sources.iterdir())])
    centre = window.centre
    pos = QPoint(centre.width() // 2, centre.height() // 2)
    enter = QDragEnterEvent(pos, *_copy_with(mime))
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(pos), *_copy_with(mime)))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=15000)


def test_dropping_a_folder_on_a_gallery_imports_into_it(qtbot, tmp_path, settings):
    path = tmp_path / "cat.mediadesk"
    first = make_sources(tmp_path / "first", photos=2, videos=0)
    with Catalog(path) as catalog:
        import_paths(catalog, [str(first)], gallery="Summit", workers=0)
    window = open_window(qtbot, path, settings)
    try:
        folder = tmp_path / "second"
        for n in range(3):
            make_photo(folder / f"extra_{n}.jpg", f"Extra photo {n}", colour=(200, 20 * n, 40))
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(folder))])
        gallery = window.sidebar_data.galleries[0]
        item = window.sidebar._items[("gallery", gallery.id)][0]
        pos = window.sidebar.visualRect(item.index()).center()
        viewport = window.sidebar.viewport()
        QApplication.sendEvent(viewport, QDragEnterEvent(pos, *_copy_with(mime)))
        QApplication.sendEvent(viewport, QDropEvent(QPointF(pos), *_copy_with(mime)))
        qtbot.waitUntil(lambda: any(g.count == 5 for g in window.sidebar_data.galleries), timeout=15000)
    finally:
        close_window(window)


def test_cancel_an_import_halfway_keeps_what_landed(empty_window, qtbot, tmp_path, monkeypatch):
    window = empty_window
    sources = tmp_path / "many"
    for n in range(200):
        make_photo(sources / f"p_{n:03d}.jpg", f"Photo {n}", size=(64, 48), colour=(n, 80, 120))
    original = importer.process_file

    def slow_process(*args):  # a file takes 10 ms, like a real photo, so there is time to cancel
        time.sleep(0.01)
        return original(*args)

    monkeypatch.setattr(importer, "process_file", slow_process)
    window.import_paths([str(sources)])
    qtbot.waitUntil(lambda: window.importer.progress.isVisible(), timeout=10000)   # shown after 600 ms
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10000)            # a batch landed
    qtbot.mouseClick(window.importer.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.importer.running, timeout=10000)
    report = window.importer.last_report
    assert report.cancelled
    kept = catalog_count(window.catalog_path)
    assert 0 < kept < 200 and kept == report.imported
    qtbot.waitUntil(lambda: window.model.rowCount() == kept, timeout=5000)
    assert not window.importer.progress.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    # importing again resumes: only the rest is read
    monkeypatch.setattr(importer, "process_file", original)
    window.import_paths([str(sources)])
    qtbot.waitUntil(lambda: not window.importer.running and window.model.rowCount() == 200, timeout=30000)
    assert window.importer.last_report.imported == 200 - kept


def test_failed_files_are_listed_in_the_report(empty_window, qtbot, tmp_path):
    window = empty_window
    sources = make_sources(tmp_path / "mixed", photos=2, videos=0)
    (sources / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    window.import_paths([str(sources)])
    qtbot.waitUntil(lambda: bool(window.findChildren(ImportReportDialog)), timeout=15000)
    dialog = window.findChildren(ImportReportDialog)[0]
    assert not dialog.isModal()
    paths = [dialog.files.topLevelItem(r).text(0) for r in range(dialog.files.topLevelItemCount())]
    assert any(p.endswith("broken.jpg") for p in paths)
    # the report opens as the import ends; the result list is refreshed by a job of the window's
    # reader that may still be on its way
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
    dialog.close()


def test_welcome_offers_the_demo_library(empty_window, qtbot, tmp_path, monkeypatch):
    window = empty_window
    sources = make_sources(tmp_path / "demo-media", photos=3, videos=1)
    calls = []

    def small_demo(catalog, job=None):   # the real builder takes ~20 s; see the slow test below
        calls.append(job)
        return import_paths(catalog, [str(sources)], gallery="President of Poland visits NATO",
                            job=job, workers=0)

    monkeypatch.setattr(demo_package, "build_demo_library", small_demo)
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=15000)
    qtbot.waitUntil(lambda: not window.importer.running, timeout=10000)
    assert calls and calls[0] is not None                       # progress goes to the status bar
    assert window.centre.currentWidget() is window.pane
    qtbot.waitUntil(lambda: [g.title for g in window.sidebar_data.galleries] == ["President of Poland visits NATO"],
                    timeout=5000)


@pytest.mark.slow
def test_real_demo_library_from_the_welcome_page(empty_window, qtbot):
    window = empty_window
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.importer.running, timeout=180000)
    # the result list and the sidebar's counts are read on workers after the last batch lands:
    # wait for them, don't race them
    qtbot.waitUntil(lambda: window.model.rowCount() >= 20, timeout=10000)
    qtbot.waitUntil(lambda: len(window.sidebar_data.galleries) >= 3, timeout=10000)
    with Catalog(window.catalog_path) as catalog:
        assert GalleryStore(catalog).list()


def _copy_with(mime: QMimeData) -> tuple:
    """A plain drag: copy ``mime`` with the left button and no modifier key."""
    return Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
