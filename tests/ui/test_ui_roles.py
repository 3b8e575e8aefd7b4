"""The window on a team catalog as a press officer and as an admin (issue 13): the person and
roles in the status bar, export, publish and the rights profile greyed out with a tooltip naming
the role, People and Roles listing and changing people through the server.

``MEDIADESK_SCREENSHOTS=DIR`` saves what the tests show as PNGs (the tooltip painted in)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.domain.permissions import ROLES

from tests.support.role_office import _numbers, _run
from tests.support.ui_fixtures import close_window, make_sources, open_window


class TeamDesk:
    def __init__(self, cluster, template: str, folder: Path) -> None:
        self.cluster = cluster
        self.db = f"uiroles_{os.getpid()}_{next(_numbers)}"
        cluster.create_database(self.db, template=template)
        self.owner_url = cluster.url(self.db)
        self.share = make_sources(folder / "press", photos=8, videos=0)
        assert _run(["--catalog", self.owner_url, "roots", "add", "press", str(self.share)]) == 0
        assert _run(["--catalog", self.owner_url, "import", str(self.share)]) == 0
        self.people: dict[str, str] = {}

    def add(self, first: str, roles: list[str]) -> str:
        name = f"{first}.{os.getpid()}{next(_numbers)}"
        argv = ["--catalog", self.owner_url, "users", "add", name, "--password-stdin"]
        for role in roles:
            argv += ["--role", role]
        assert _run(argv, stdin="a password for the desk\n") == 0
        with open(self.cluster.pgpass, "a") as f:
            f.write(f"{self.cluster.host}:{self.cluster.port}:*:{name}:a password for the desk\n")
        return name

    def url(self, name: str) -> str:
        return self.cluster.url(self.db, name)


@pytest.fixture
def team(pg_cluster, pg_template, tmp_path):
    desk = TeamDesk(pg_cluster, pg_template, tmp_path)
    yield desk
    pg_cluster.drop_database(desk.db)


def _save(widget, name: str, tooltip_at=None) -> None:
    folder = os.environ.get("MEDIADESK_SCREENSHOTS")
    if not folder:
        return
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    picture = widget.grab()
    tip = next((w for w in QApplication.topLevelWidgets()
                if w.metaObject().className() == "QTipLabel" and w.isVisible()), None)
    if tip is not None and tooltip_at is not None:
        painter = QPainter(picture)
        painter.drawPixmap(tooltip_at, tip.grab())
        painter.end()
    Path(folder).mkdir(parents=True, exist_ok=True)
    picture.save(str(Path(folder) / name))


def test_a_press_officer_sees_what_they_may_not_do(qtbot, team, settings, tmp_path):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QScrollArea, QToolButton, QToolTip

    officer = team.add("ola", ["press-officer"])
    window = open_window(qtbot, team.url(officer), settings)
    try:
        a = window.actions_
        window.pane.current_view().selectAll()
        qtbot.waitUntil(lambda: window.selection.hasSelection(), timeout=5000)
        window._update_actions()
        assert not a.export.isEnabled() and "needs the editor role" in a.export.toolTip()
        assert not a.publish.isEnabled() and "needs the editor role" in a.publish.toolTip()
        assert not a.find_replace.isEnabled() and "archivist" in a.find_replace.toolTip()
        assert a.import_folder.isEnabled() and a.batch_edit.isEnabled() and a.new_gallery.isEnabled()
        assert not window.ledger_action.isEnabled()
        assert "needs the editor role" in window.ledger_action.toolTip()
        combo = window.inspector.profile_combo
        assert not combo.isEnabled() and "needs the rights-manager role" in combo.toolTip()
        label = window.role_gate.label
        assert label is not None and label.text() == f"{officer} · press-officer"
        assert window.role_gate.people_action is not None and not window.role_gate.people_action.isEnabled()
        # a disabled toolbar button still tells why
        button = next(b for b in window.findChildren(QToolButton) if b.defaultAction() is a.export)
        assert not button.isEnabled()
        at = button.mapTo(window, QPoint(0, button.height() + 4))
        QToolTip.showText(button.mapToGlobal(QPoint(0, button.height() + 4)), a.export.toolTip(), button)
        qtbot.wait(200)
        _save(window, "window_press_officer.png", tooltip_at=at)
        QToolTip.hideText()
        # the rights profile in the inspector: greyed out, and it says why
        scroll = window.inspector.findChild(QScrollArea)
        scroll.ensureWidgetVisible(combo, 0, 160)
        qtbot.wait(100)
        below = QPoint(0, combo.height() + 2)
        QToolTip.showText(combo.mapToGlobal(below), combo.toolTip(), combo)
        qtbot.wait(200)
        _save(window, "window_press_officer_rights.png", tooltip_at=combo.mapTo(window, below))
        QToolTip.hideText()
    finally:
        close_window(window)


def test_people_and_roles_for_an_admin(qtbot, team, settings):
    from PySide6.QtCore import Qt

    from mediadesk.catalog import open_catalog
    from mediadesk.services.users import list_people

    from mediadesk.ui.people_dialog import PeopleDialog

    admin = team.add("kari", ["admin"])
    officer = team.add("ola", ["press-officer"])
    team.add("per", ["archivist", "editor"])
    team.add("lise", ["rights-manager"])
    window = open_window(qtbot, team.url(admin), settings)
    try:
        assert window.role_gate.people_action.isEnabled()
        assert not window.actions_.export.isEnabled()   # an admin is not an editor
        dialog = PeopleDialog(lambda fn, done, on_error=None: window.writer.submit(fn, done, on_error=on_error),
                              window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.table.rowCount() >= 4, timeout=10000)
        names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        row = names.index(officer)
        editor_column = ROLES.index("editor") + 1
        assert dialog.table.item(row, ROLES.index("press-officer") + 1).checkState() == Qt.Checked
        assert dialog.table.item(row, editor_column).checkState() == Qt.Unchecked
        dialog.table.item(row, editor_column).setCheckState(Qt.Checked)   # grant through the server
        qtbot.waitUntil(lambda: "now holds the editor role" in dialog.status.text(), timeout=10000)
        with open_catalog(team.owner_url) as catalog:
            held = {p.name: p.roles for p in list_people(catalog)}
        assert held[officer] == ("press-officer", "editor")
        dialog.table.selectRow(row)
        _save(dialog, "people_and_roles.png")
        dialog.close()
    finally:
        close_window(window)


def test_the_inspector_shows_who_changed_an_asset(qtbot, team, settings):
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QScrollArea

    from mediadesk.catalog import open_catalog

    officer = team.add("ola", ["press-officer"])
    viewer = team.add("vera", ["viewer"])
    with open_catalog(team.owner_url) as catalog:
        asset_id = sorted(catalog.assets.all_ids())[0]
    assert _run(["--catalog", team.url(officer), "tag", "add", "--keyword", "summit <b>x</b>", str(asset_id)]) == 0
    window = open_window(qtbot, team.url(viewer), settings)
    try:
        row = window.model.row_of(asset_id)
        window.selection.setCurrentIndex(window.model.index(row, 0), QItemSelectionModel.ClearAndSelect)
        qtbot.waitUntil(lambda: officer in window.inspector.changes.text.text(), timeout=10000)
        text = window.inspector.changes.text.text()
        assert "Keywords" in text and "summit &lt;b&gt;x&lt;/b&gt;" in text   # escaped, never markup
        # a viewer edits nothing: every field is read-only and says which role it needs
        caption = window.inspector.editors["caption"]
        assert caption.input.isReadOnly() and "needs the press-officer or archivist role" in caption.input.toolTip()
        window.inspector.findChild(QScrollArea).ensureWidgetVisible(window.inspector.changes, 0, 40)
        qtbot.wait(100)
        _save(window, "inspector_changes.png")
        assert window.role_gate.label.text() == f"{viewer} · viewer"
    finally:
        close_window(window)


def test_the_ledger_view_shows_who_exported(qtbot, team, settings, tmp_path):
    from mediadesk.ui.ledger_dialog import LedgerDialog

    editor = team.add("eva", ["editor"])
    with open_catalog(team.owner_url) as catalog:
        ids = sorted(catalog.assets.all_ids())
    assert _run(["--catalog", team.owner_url, "rights", "assign", "Editorial only (NATO media)", str(ids[0])]) == 0
    assert _run(["--catalog", team.url(editor), "export", "--purpose", "editorial-online", "--recipient",
                 "Le Soir", "--out", str(tmp_path / "bundle"), str(ids[0])]) == 0
    window = open_window(qtbot, team.url(editor), settings)
    try:
        assert window.ledger_action.isEnabled()
        dialog = LedgerDialog(lambda fn, done, on_error=None: window.reader.submit(fn, done, on_error=on_error),
                              window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
        row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
        assert row[2] == editor and row[3] == "editorial-online" and row[4] == "Le Soir" and row[5] == "1"
        _save(dialog, "export_ledger.png")
        dialog.close()
    finally:
        close_window(window)
