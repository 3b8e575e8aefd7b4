"""The change log and LISTEN/NOTIFY of a team catalog: what one desk commits reaches the others
in commit order, nothing is missed across a reconnect, a trimmed log is said to be incomplete."""

from __future__ import annotations

import threading
import time

import pytest

from mediadesk.catalog.postgres.connect import connect
from mediadesk.catalog.postgres.live import ChangeFeed, ConnectionLost, trim


def _insert_asset(conn, n: int) -> int:
    return conn.execute(
        "INSERT INTO assets (content_hash, path, file_name, size, mtime, kind, imported_at, modified_at, root_id)"
        " VALUES (%s, %s, %s, 1, 1, 'photo', 'x', 'x', (SELECT min(id) FROM storage_roots)) RETURNING id",
        (f"{n:064x}", f"p/{n}.jpg", f"{n}.jpg")).fetchone()[0]


@pytest.fixture
def writer(pg_url):
    conn = connect(pg_url)
    conn.execute("INSERT INTO storage_roots (name, marker, created_at) VALUES ('press', 'm', 'now')")
    conn.execute("SET mediadesk.desk = 'desk-a'")
    yield conn
    conn.close()


def test_a_commit_reaches_a_listening_desk_with_ids_not_rows(pg_url, writer):
    with ChangeFeed(pg_url) as feed:
        with writer.transaction():
            first = _insert_asset(writer, 1)
            second = _insert_asset(writer, 2)
            assert not feed.read()                       # nothing before the commit
        found = feed.wait(5)
        assert found.complete and found.ids_of("assets") == {first, second}
        assert {c.op for c in found.items} == {"insert"}
        assert all(c.desk == "desk-a" and c.who == "mediadesk_owner" for c in found.items)
        writer.execute("UPDATE assets SET caption = 'x' WHERE id = %s", (first,))
        change = feed.wait(5).items
        assert [(c.entity, c.op, c.ids) for c in change] == [("assets", "update", (first,))]
        writer.execute("UPDATE assets SET caption = 'y' WHERE id = -1")   # touched nothing: no change
        writer.execute("DELETE FROM assets WHERE id = %s", (second,))
        assert [(c.op, c.ids) for c in feed.wait(5).items] == [("delete", (second,))]


def test_keyed_tables_report_their_keys(pg_url, writer):
    with ChangeFeed(pg_url) as feed:
        writer.execute("INSERT INTO code_replacements (code, expansion) VALUES ('#sg', 'Secretary General')")
        writer.execute("INSERT INTO galleries (title, created_at) VALUES ('Summit', 'now')")
        found = feed.wait(5)
        found.items += feed.wait(1).items
        assert found.keys_of("code_replacements") == {"#sg"}
        assert len(found.ids_of("galleries")) == 1


def test_a_rolled_back_write_is_never_reported(pg_url, writer):
    with ChangeFeed(pg_url) as feed:
        with pytest.raises(ZeroDivisionError), writer.transaction():
            _insert_asset(writer, 3)
            raise ZeroDivisionError
        _insert_asset(writer, 4)
        found = feed.wait(5)
        assert len(found.ids_of("assets")) == 1 and found.items[0].ids != ()


def test_writers_queue_so_the_log_is_in_commit_order(pg_url, writer):
    other = connect(pg_url)
    done: list[float] = []
    feed = ChangeFeed(pg_url).open()
    with writer.transaction():
        first = _insert_asset(writer, 5)                 # holds the catalog's write lock now

        def second_desk():
            _insert_asset(other, 6)                      # waits for the first desk's commit
            done.append(time.monotonic())

        t = threading.Thread(target=second_desk)
        t.start()
        time.sleep(0.3)
        assert done == []                                # still queued behind the open transaction
        committed_at = time.monotonic()
    t.join(10)
    assert done and done[0] >= committed_at
    items = feed.wait(5).items
    items += [] if len(items) > 1 else feed.wait(5).items
    assert [c.ids for c in items][0] == (first,) and items[0].id < items[1].id
    feed.close()
    other.close()


def test_nothing_is_missed_across_a_lost_connection(pg_cluster, pg_url, writer):
    feed = ChangeFeed(pg_url).open()
    pid = feed.conn.info.backend_pid
    with pg_cluster.connect() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    made = [_insert_asset(writer, n) for n in range(10, 13)]   # while the desk is cut off
    with pytest.raises(ConnectionLost, match="read after reconnecting"):
        for _ in range(50):
            feed.read()
            time.sleep(0.05)
    feed.reconnect()
    assert feed.read().ids_of("assets") == set(made)
    feed.close()


def test_a_desk_away_longer_than_the_log_is_told_to_reload(pg_url, writer):
    feed = ChangeFeed(pg_url).open()
    _insert_asset(writer, 20)
    writer.execute("UPDATE change_log SET at = at - interval '40 days'")
    assert trim(writer, keep_days=30) >= 1
    found = feed.read()
    assert not found.complete and found        # reload what it shows
    _insert_asset(writer, 21)
    again = feed.wait(5)
    assert again.complete and len(again.ids_of("assets")) == 1
    feed.close()
