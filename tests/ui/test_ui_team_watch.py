"""The window hears other desks' commits through a socket notifier on the change feed, says when
the team catalog is out of reach, and catches up after it is back."""

from __future__ import annotations

import pytest

from mediadesk.catalog.postgres.connect import connect
from mediadesk.catalog.postgres.live import ChangeFeed

from mediadesk.ui.catalog_events import CatalogEvents, is_external
from mediadesk.ui.team_watch import TEAM, TeamChangeWatcher


def _insert_asset(conn, n: int) -> int:
    return conn.execute(
        "INSERT INTO assets (content_hash, path, file_name, size, mtime, kind, imported_at, modified_at, root_id)"
        " VALUES (%s, %s, %s, 1, 1, 'photo', 'x', 'x', (SELECT min(id) FROM storage_roots)) RETURNING id",
        (f"{n:064x}", f"p/{n}.jpg", f"{n}.jpg")).fetchone()[0]


@pytest.fixture
def desks(pg_url):
    mine, other = connect(pg_url), connect(pg_url)
    mine.execute("INSERT INTO storage_roots (name, marker, created_at) VALUES ('press', 'm', 'now')")
    mine.execute("SET mediadesk.desk = 'me'")
    other.execute("SET mediadesk.desk = 'other'")
    yield mine, other
    mine.close()
    other.close()


def test_another_desks_commit_arrives_as_precise_changes(qtbot, pg_url, desks):
    mine, other = desks
    events = CatalogEvents()
    watcher = TeamChangeWatcher(ChangeFeed(pg_url).open(), events, own_desk="me")
    try:
        _insert_asset(mine, 1)                           # this desk's own: announced elsewhere
        with qtbot.waitSignal(events.changed, timeout=5000) as got:
            theirs = _insert_asset(other, 2)
        changes = got.args[0]
        assert changes.assets == {theirs} and changes.added and changes.extra[TEAM]
        assert not is_external(changes)
        with qtbot.waitSignal(events.changed, timeout=5000) as got:
            other.execute("UPDATE assets SET caption = 'new' WHERE id = %s", (theirs,))
        assert got.args[0].assets == {theirs} and "caption" in got.args[0].fields and not got.args[0].added
        with qtbot.waitSignal(events.changed, timeout=5000) as got:
            other.execute("INSERT INTO rights_profiles (name, note, allowed_purposes, created_at)"
                          " VALUES ('Pool', 'n', '[]', 'now')")
        assert got.args[0].rights
    finally:
        watcher.stop()


def test_a_lost_connection_is_said_and_nothing_is_missed(qtbot, pg_cluster, pg_url, desks):
    _mine, other = desks
    events = CatalogEvents()
    seen: list = []
    events.changed.connect(seen.append)
    feed = ChangeFeed(pg_url).open()
    watcher = TeamChangeWatcher(feed, events, own_desk="me")
    try:
        with qtbot.waitSignal(watcher.status, timeout=5000) as lost, pg_cluster.connect() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (feed.conn.info.backend_pid,))
        assert "cannot be reached" in lost.args[0] and "trying again" in lost.args[0]
        made = _insert_asset(other, 3)                   # committed while this desk is cut off
        with qtbot.waitSignal(watcher.status, timeout=15000, check_params_cb=lambda text: text == ""):
            pass                                         # back: the status line clears
        qtbot.waitUntil(lambda: any(made in c.assets for c in seen), timeout=5000)
        assert watcher.lost_message == ""
    finally:
        watcher.stop()
