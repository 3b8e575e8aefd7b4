"""The window on a team catalog (a real PostgreSQL): opening it (URL dialog, recent catalogs
without passwords, a password prompt, the server away at start), other desks' changes live, a
typed edit that met another desk's change, a connection lost while saving, thumbnails fetched
from the catalog, offline storage roots."""

from __future__ import annotations

import shutil

import pytest

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.postgres.connect import connect, remember_password
from mediadesk.services.importer import import_paths
from mediadesk.services.roots import add_root

from mediadesk.ui import team_open
from mediadesk.ui.team_open import LOCAL, RETRY, CatalogOpener, RecentCatalogs
from mediadesk.ui.team_watch import TeamChangeWatcher

from tests.support.ui_fixtures import close_window, make_sources, open_window, rows_where, select, wait_inspector


@pytest.fixture
def team(tmp_path, pg_url):
    """A team catalog with six photos in the storage root "press" (a folder with its marker)."""
    folder = tmp_path / "press"
    make_sources(folder, photos=4, videos=0)
    with Catalog(pg_url) as catalog:
        add_root(catalog, "press", folder)
        report = import_paths(catalog, [str(folder)], workers=0)
        assert not report.errors, report.errors
    return pg_url, folder


@pytest.fixture
def team_window(qtbot, team, settings):
    win = open_window(qtbot, team[0], settings)
    yield win
    close_window(win)


def _caption_in_catalog(url: str, asset_id: int) -> str | None:
    with Catalog(url, readonly=True) as catalog:
        return catalog.assets.get(asset_id).caption


def test_the_window_on_a_team_catalog_hears_other_desks(qtbot, team, team_window):
    url, _folder = team
    window = team_window
    assert "(team)" in window.windowTitle() and "password" not in window.windowTitle()
    assert isinstance(window.watcher, TeamChangeWatcher)
    assert window.team.label.text().startswith("Team catalog:")
    row = rows_where(window, lambda a: a.kind == "photo")[0]
    asset = window.model.asset_at(row)
    select(window, [row])
    wait_inspector(qtbot, window, [asset.id])
    with connect(url) as other:      # another desk saves a caption: it shows here, unasked
        other.execute("SET mediadesk.desk = 'desk-b'")
        other.execute("UPDATE assets SET caption = 'Changed at desk B' WHERE id = %s", (asset.id,))
    qtbot.waitUntil(lambda: window.inspector.editor("caption").text() == "Changed at desk B", timeout=5000)


def test_a_typed_edit_of_a_field_changed_meanwhile_is_a_conflict_with_both_values(qtbot, team, team_window):
    url, _folder = team
    window = team_window
    row = rows_where(window, lambda a: a.kind == "photo")[1]
    asset = window.model.asset_at(row)
    select(window, [row])
    wait_inspector(qtbot, window, [asset.id])
    editor = window.inspector.editor("caption")
    window.watcher.stop()                         # this desk does not hear it in time
    with connect(url) as other:
        other.execute("SET mediadesk.desk = 'desk-b'")
        other.execute("UPDATE assets SET caption = 'Theirs' WHERE id = %s", (asset.id,))
    editor.input.setFocus()
    editor.input.selectAll()
    qtbot.keyClicks(editor.input, "Mine")
    with qtbot.waitSignal(window.history.conflicts, timeout=5000):
        window.grid.setFocus()                    # leaving the field saves
    qtbot.waitUntil(lambda: bool(window.outcomes.dialogs), timeout=5000)
    dialog = window.outcomes.dialogs[-1]
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    assert cells[1] == "Mine" and cells[2] == "Theirs" and "caption" in cells[0].lower()
    assert _caption_in_catalog(url, asset.id) == "Theirs"        # nothing overwritten unseen
    dialog.mine_button.click()                                   # the person chooses theirs over mine
    qtbot.waitUntil(lambda: _caption_in_catalog(url, asset.id) == "Mine", timeout=5000)


def test_a_connection_lost_while_saving_keeps_what_was_typed_and_saves_it_when_back(
        qtbot, pg_cluster, team, team_window):
    url, _folder = team
    window = team_window
    row = rows_where(window, lambda a: a.kind == "photo")[2]
    asset = window.model.asset_at(row)
    select(window, [row])
    wait_inspector(qtbot, window, [asset.id])
    dbname = url.rsplit("/", 1)[1]
    with pg_cluster.connect() as admin:           # the server turns this desk away
        admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (dbname,))
    editor = window.inspector.editor("caption")
    editor.input.setFocus()
    editor.input.selectAll()
    qtbot.keyClicks(editor.input, "Typed while the server was away")
    with qtbot.waitSignal(window.history.unsaved, timeout=15000):
        window.grid.setFocus()
    assert editor.text() == "Typed while the server was away" and editor.is_dirty()
    qtbot.waitUntil(lambda: "not saved yet" in window.team.label.text(), timeout=5000)
    assert "NOT saved yet" in window.statusBar().currentMessage()
    with pg_cluster.connect() as admin:
        admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true')
    with qtbot.waitSignal(window.history.saved_late, timeout=30000):
        window.history.retry_pending()
    assert _caption_in_catalog(url, asset.id) == "Typed while the server was away"
    qtbot.waitUntil(lambda: not editor.is_dirty(), timeout=5000)
    qtbot.waitUntil(lambda: window.team.label.text().startswith("Team catalog:"), timeout=20000)


def test_thumbnails_come_from_the_team_catalog_into_an_empty_cache(qtbot, team, settings):
    url, _folder = team
    with Catalog(url, readonly=True) as catalog:
        shutil.rmtree(catalog.thumbs_dir)           # a desk that joins: nothing cached yet
        hashes = [r[0] for r in catalog.query("SELECT content_hash FROM assets")]
        paths = [catalog.thumbnail_path(h) for h in hashes]
    window = open_window(qtbot, url, settings)
    try:
        assert window.loader.fetch is window.team.fetcher
        qtbot.waitUntil(lambda: all(p.exists() for p in paths), timeout=10000)
        qtbot.waitUntil(lambda: window.loader.pixmap(hashes[0], str(paths[0])) is not None, timeout=5000)
    finally:
        close_window(window)


def test_files_of_an_unreachable_root_show_as_offline(qtbot, team, settings, monkeypatch):
    """The window asks whether a share is reachable on a thread of its own (a hung mount must
    not freeze it): the answer arrives, the preview shows the note; the share comes back and
    the note goes, with no new selection."""
    from mediadesk.catalog import roots

    monkeypatch.setattr(roots, "OFFLINE_CHECK_S", 0.3)
    url, folder = team
    moved = folder.with_name("press-unmounted")
    folder.rename(moved)                            # the share is not mounted on this desk now
    window = open_window(qtbot, url, settings)
    try:
        row = rows_where(window, lambda a: a.kind == "photo")[0]
        asset = window.model.asset_at(row)
        qtbot.waitUntil(lambda: "offline" in (window.catalog.paths.offline(asset.path) or ""), timeout=5000)
        select(window, [row])
        wait_inspector(qtbot, window, [asset.id])
        qtbot.waitUntil(lambda: window.preview.offline_note.isVisibleTo(window.preview), timeout=5000)
        assert "press" in window.preview.offline_note.text()
        assert window.inspector.editor("caption").text() == asset.caption   # metadata still there
        with qtbot.waitSignal(window.team.roots_changed, timeout=10000):
            moved.rename(folder)                    # mounted again: the window notices by itself
        qtbot.waitUntil(lambda: not window.preview.offline_note.isVisibleTo(window.preview), timeout=5000)
        assert window.catalog.paths.offline(asset.path) is None
    finally:
        close_window(window)


def test_open_team_catalog_from_the_file_menu_and_recent_catalogs(qtbot, team, tmp_path, settings):
    url, _folder = team
    window = open_window(qtbot, tmp_path / "desk.mediadesk", settings)
    opened: list[str] = []
    window.open_catalog = opened.append
    window.catalog_menu._open = opened.append
    menu = window.catalog_menu

    def fill(dialog):
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
        dialog.url.setText("/home/me/catalog.mediadesk")
        assert dialog.problem.text() and not dialog.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
        user_host = url.split("://", 1)[1]
        dialog.url.setText(f"postgresql://{user_host.replace('@', ':s3cret@', 1)}")
        return QDialog.DialogCode.Accepted

    menu.execute = fill
    try:
        window.actions_.open_team.trigger()
        assert opened == [url]                        # the password left the URL
        assert team_open.split_password(url)[1] is None
        RecentCatalogs(settings).add(f"postgresql://{url.split('://', 1)[1].replace('@', ':pw@', 1)}")
        recent = RecentCatalogs(settings).list()
        assert recent[0] == url and not any("pw" in r or "s3cret" in r for r in recent)
        menu.fill_recent()
        entries = [a.data() for a in window.actions_.recent.actions()]
        assert url in entries
    finally:
        remember_password(url, None)
        close_window(window)


def test_a_password_is_asked_when_libpq_has_none_and_kept_in_memory_only(
        qtbot, pg_cluster, team, tmp_path, monkeypatch, settings):
    from mediadesk.app import create_main_window

    url, _folder = team
    empty = tmp_path / "no-pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    asked: list[bool] = []
    windows = []

    def make(target):
        windows.append(create_main_window(target, settings))
        return windows[-1]

    opener = CatalogOpener(make)
    answers = iter(["wrong", pg_cluster.owner_password])
    opener.password = lambda target, refused: (asked.append(refused), next(answers))[1]
    try:
        window = opener.open(url)
        assert window is not None and asked == [False, True]     # refused once, then right
        qtbot.addWidget(window)
        window.recent.add(window.catalog_path)         # as run_app and File > Open do
        settings.sync()
        text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
        assert pg_cluster.owner_password not in text and url in text
    finally:
        remember_password(url, None)
        for w in windows:
            w.shutdown()


def test_the_server_away_at_start_offers_retry_or_the_local_catalog(qtbot, pg_cluster, tmp_path, settings):
    from mediadesk.app import create_main_window

    from tests.support.pg_cluster import free_port

    url = f"postgresql://nobody@127.0.0.1:{free_port()}/press?connect_timeout=2"
    seen: list[str] = []
    choices = iter([RETRY, LOCAL])
    windows = []

    def make(target):
        windows.append(create_main_window(target, settings))
        return windows[-1]

    opener = CatalogOpener(make)
    opener.unreachable = lambda target, message: (seen.append(message), next(choices))[1]
    try:
        window = opener.open(url)
        assert len(seen) == 2 and "cannot connect to the team catalog" in seen[0]
        assert window is not None and window.catalog.url is None        # this desk's own catalog
        assert window.catalog_path == team_open.local_catalog()
    finally:
        for w in windows:
            w.shutdown()


def test_a_password_in_the_url_is_kept_in_memory_and_shown_nowhere(qtbot, pg_cluster, team, tmp_path, monkeypatch,
                                                                    settings):
    from mediadesk.app import create_main_window

    url, _folder = team
    empty = tmp_path / "no-pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))       # only the URL has the password
    secret = pg_cluster.owner_password
    windows = []

    def make(target):
        windows.append(create_main_window(target, settings))
        return windows[-1]

    try:
        window = CatalogOpener(make).open(url.replace("@", f":{secret}@", 1))
        assert window is not None and window.catalog.url is not None
        qtbot.addWidget(window)
        window.recent.add(window.catalog_path)
        settings.sync()
        shown = [window.catalog_path, window.windowTitle(), window.welcome.findChild(QLabel, "welcomeCatalog").text(),
                 window.team.label.text(), (tmp_path / "settings.ini").read_text(encoding="utf-8")]
        assert not any(secret in text for text in shown), shown
    finally:
        remember_password(url, None)
        for w in windows:
            w.shutdown()
