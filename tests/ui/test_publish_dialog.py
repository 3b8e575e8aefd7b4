"""File > Publish as Web Page: the preview of what goes online and what is left out, then a publish
on a worker thread; the menu item opens the dialog for the gallery shown."""

from __future__ import annotations

from pathlib import Path

from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.ledger import LedgerStore

from mediadesk.ui.publish_dialog import PublishDialog

from tests.support.export_fixtures import build_library


def _rows(dialog) -> dict[str, tuple[str, ...]]:
    t = dialog.table
    return {t.item(r, 0).text().split(" · ")[0]: tuple(t.item(r, c).text() for c in range(1, 4))
            for r in range(t.rowCount())}


def test_preview_then_publish(qtbot, tmp_path):
    lib = build_library(tmp_path, with_video=False)
    with lib.open() as catalog:
        with catalog.transaction():
            gid = GalleryStore(catalog).create_unrecorded("Wizyta w Łodzi", date="2025-03-06", place="Łódź")
            GalleryStore(catalog).add_assets_unrecorded(gid, list(lib.ids.values()))
        gallery = GalleryStore(catalog).get(gid)
    dialog = PublishDialog(str(lib.catalog_path), list(lib.ids.values()), gallery=gallery)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "site"))
    dialog.refresh_preview()
    rows = _rows(dialog)
    assert rows[str(lib.ids["pl"])][:2] == ("Online", "yes")
    assert rows[str(lib.ids["none"])] == ("Left out", "—", "No rights profile: ask the rights holder")
    assert rows[str(lib.ids["ad"])][0] == "Left out"
    assert "<b>2</b> will go online, <b>2</b> left out" in dialog.summary.text()
    assert "no alt text" in dialog.summary.text()

    dialog.start_publish()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.outcome is not None and dialog.outcome.site, dialog.status.text()
    assert "Published 2 asset(s)" in dialog.status.text() and not dialog.open_button.isHidden()
    page = Path(dialog.page_path())
    assert page == tmp_path / "site" / "wizyta-w-lodzi" / "index.html" and page.is_file()
    with lib.open() as catalog:
        assert LedgerStore(catalog).list()[-1].purpose == "editorial-online"

    dialog.refresh_preview()                     # the folder now holds the page: nothing changes
    assert "added" not in dialog.summary.text()
    dialog.title.setText("")
    dialog.refresh_preview()
    assert dialog.plan is not None               # the gallery's title is used


def test_file_menu_opens_the_dialog_for_the_gallery_shown(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from mediadesk.ui import main_window as mw
    from mediadesk.ui.asset_query import gallery_scope

    from tests.support.ui_fixtures import close_window, open_window

    lib = build_library(tmp_path, with_video=False)
    with lib.open() as catalog, catalog.transaction():
        gid = GalleryStore(catalog).create_unrecorded("Summit")
        GalleryStore(catalog).add_assets_unrecorded(gid, [lib.ids["pl"], lib.ids["rs"]])
    opened = []
    monkeypatch.setattr(mw.PublishDialog, "open", lambda self: opened.append(self))
    window = open_window(qtbot, lib.catalog_path, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
        assert window.actions_.publish in file_menu.actions()
        assert window.actions_.publish.text().replace("&", "") == "Publish as Web Page…"
        window.sidebar.scope_selected.emit(gallery_scope(gid, "Summit"))
        assert window.actions_.publish.isEnabled()
        window.actions_.publish.trigger()
        assert opened and opened[0].gallery.title == "Summit"
        assert sorted(opened[0].asset_ids) == sorted([lib.ids["pl"], lib.ids["rs"]])
        opened[0].reject()
    finally:
        close_window(window)
