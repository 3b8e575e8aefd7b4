"""The Export dialog: preview with blocked rows and reasons, an export on a worker thread."""

from __future__ import annotations

import os

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from mediadesk.catalog.ledger import LedgerStore
from mediadesk.services.bundle_verify import verify_bundle

from mediadesk.ui import desktop
from mediadesk.ui.export_dialog import ExportDialog

from tests.support.export_fixtures import build_library


@pytest.fixture
def lib(tmp_path):
    return build_library(tmp_path, with_video=False)


def rows(dialog) -> dict[str, tuple[str, str, str]]:
    table = dialog.table
    out = {}
    for r in range(table.rowCount()):
        asset = table.item(r, 0).text()
        out[asset.split(" · ")[0]] = (table.item(r, 1).text(), table.item(r, 2).text(), table.item(r, 3).text())
    return out


def choose(dialog, purpose: str) -> None:
    dialog.purpose.setCurrentIndex(dialog.purpose.findData(purpose))
    dialog.refresh_preview()


def test_blocked_rows_show_reasons_and_export_runs(qtbot, lib, tmp_path, monkeypatch):
    ids = [lib.ids["pl"], lib.ids["none"]]
    dialog = ExportDialog(str(lib.catalog_path), ids, gallery_title="Wizyta w Łodzi")
    qtbot.addWidget(dialog)
    choose(dialog, "advertising")
    table = rows(dialog)
    assert table[str(lib.ids["pl"])][1:] == (
        "Blocked", "Restricted: editorial use only; 'advertising' is not an editorial purpose")
    assert table[str(lib.ids["none"])][1:] == ("Blocked", "No rights profile: ask the rights holder")
    blocked_cell = dialog.table.item(0, 2)
    assert blocked_cell.background().color().name() != "#000000"  # marked, not plain
    assert not dialog.export_button.isEnabled()
    assert "nothing can go" in dialog.summary.text()

    choose(dialog, "editorial-online")
    table = rows(dialog)
    assert table[str(lib.ids["pl"])][:2] == ("krakow.jpg", "Allowed")
    assert table[str(lib.ids["none"])][1] == "Blocked"
    assert dialog.export_button.isEnabled()

    dialog.folder.setText(str(tmp_path / "exports"))
    dialog.bundle_name.setText("../bundle for Łódź")  # sanitised into one folder name
    dialog.recipient.setText("Gazeta Wyborcza")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None and not dialog.running, timeout=20000)
    result = dialog.outcome
    assert [e["id"] for e in result.exported] == [lib.ids["pl"]]
    assert [b["id"] for b in result.blocked] == [lib.ids["none"]]
    bundle = tmp_path / "exports" / "bundle for Łódź"
    assert result.bundle == str(bundle) and verify_bundle(bundle).ok
    assert sorted(os.listdir(tmp_path / "exports")) == ["bundle for Łódź"]
    assert "Exported 1 file" in dialog.status.text()
    assert not dialog.open_button.isHidden() and dialog.cancel_button.isHidden()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    monkeypatch.setattr(desktop, "file_manager_available", lambda: True)   # this machine may have none
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(bundle)]
    with lib.open() as catalog:
        assert LedgerStore(catalog).list()[0].recipient == "Gazeta Wyborcza"
    dialog.reject()


def test_bad_pattern_disables_export(qtbot, lib):
    dialog = ExportDialog(str(lib.catalog_path), [lib.ids["pl"]])
    qtbot.addWidget(dialog)
    dialog.pattern.setEditText("{date}_{nonsense}")
    dialog.refresh_preview()
    assert "unknown variable" in dialog.summary.text()
    assert not dialog.export_button.isEnabled()
    dialog.pattern.setEditText("{date}_{seq}")
    dialog.refresh_preview()
    assert dialog.export_button.isEnabled()
    assert dialog.table.item(0, 1).text().endswith("_1.jpg") or dialog.table.item(0, 1).text().endswith("_001.jpg")
    dialog.reject()
