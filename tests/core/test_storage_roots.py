"""Storage roots: a path is a root plus a path inside it; markers catch a wrong mapping; names
come back in either Unicode normal form."""

from __future__ import annotations

import threading
import time
import unicodedata

import pytest

from mediadesk.catalog import roots
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.roots import (
    MARKER_NAME,
    MountTable,
    StorageRoot,
    check_name,
    local_path,
    marker_problem,
    read_marker,
    resolve,
    split,
    write_marker,
)
from mediadesk.domain.errors import CatalogError, InvalidInput
from mediadesk.services.roots import add_root


def test_split_takes_the_deepest_root_and_stores_nfc(tmp_path):
    mounts = {"press": tmp_path / "press", "video": tmp_path / "press" / "video"}
    nfd = unicodedata.normalize("NFD", "Łódź 2025")
    assert split(tmp_path / "press" / nfd / "a.jpg", mounts) == ("press", "Łódź 2025/a.jpg")
    assert split(tmp_path / "press" / "video" / "x.mp4", mounts) == ("video", "x.mp4")
    assert split(tmp_path / "pressroom" / "a.jpg", mounts) is None     # a prefix of a name is not a folder
    assert split(tmp_path / "press", mounts) is None                    # the root itself is no file


def test_a_stored_path_that_leaves_its_root_is_refused(tmp_path):
    for bad in ("../etc/passwd", "/etc/passwd", "a/../../b", "a\\..\\b", ""):
        with pytest.raises(CatalogError, match="not inside its root"):
            local_path(tmp_path, bad)


def test_resolve_finds_names_in_either_normal_form(tmp_path):
    nfd_folder = tmp_path / unicodedata.normalize("NFD", "Łódź")
    nfd_folder.mkdir()
    (nfd_folder / unicodedata.normalize("NFD", "Vučić.jpg")).write_bytes(b"x")
    found = resolve(tmp_path, "Łódź/Vučić.jpg")
    assert found is not None and found.read_bytes() == b"x"
    mixed = tmp_path / "Kraków"           # NFC folder, NFD file: the level-by-level lookup
    mixed.mkdir()
    (mixed / unicodedata.normalize("NFD", "Gdańsk.jpg")).write_bytes(b"y")
    assert resolve(tmp_path, "Kraków/Gdańsk.jpg").read_bytes() == b"y"
    assert resolve(tmp_path, "Kraków/none.jpg") is None


def test_markers_catch_a_wrong_mapping(tmp_path):
    press, archive = tmp_path / "press", tmp_path / "archive"
    press.mkdir()
    archive.mkdir()
    root = StorageRoot(1, "press", "m-press")
    write_marker(press, root, "cat-1")
    write_marker(archive, StorageRoot(2, "archive", "m-archive"), "cat-1")
    assert read_marker(press)["root"] == "press"
    assert marker_problem(press, root, "cat-1") is None
    assert "is the storage root 'archive', not 'press'" in marker_problem(archive, root, "cat-1")
    assert "no storage-root marker" in marker_problem(tmp_path, root, "cat-1")
    assert "not reachable" in marker_problem(tmp_path / "unmounted", root, "cat-1")
    (press / MARKER_NAME).write_text("{not json")
    assert "no storage-root marker" in marker_problem(press, root, "cat-1")


def test_a_marker_cannot_be_written_into_a_missing_folder(tmp_path):
    with pytest.raises(InvalidInput, match="mount the share first"):
        write_marker(tmp_path / "nope", StorageRoot(1, "press", "m"), "c")


def test_the_mount_table_is_per_catalog(tmp_path):
    table = MountTable(tmp_path / "roots.json")
    table.set("cat-a", "press", tmp_path / "a")
    table.set("cat-b", "press", tmp_path / "b")
    assert table.mounts("cat-a") == {"press": tmp_path / "a"}
    assert MountTable(tmp_path / "roots.json").mounts("cat-b") == {"press": tmp_path / "b"}
    table.remove("cat-a", "press")
    assert table.mounts("cat-a") == {}
    (tmp_path / "roots.json").write_text("[broken")
    with pytest.raises(CatalogError, match="fix or remove it"):
        table.mounts("cat-a")


@pytest.mark.parametrize("name", ["", ".hidden", "a b", "press/2", "x" * 65, "Łódź"])
def test_root_names_are_plain(name):
    with pytest.raises(InvalidInput):
        check_name(name)


def test_root_names_accepted():
    assert check_name("archive-2024.v2") == "archive-2024.v2"


def _wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_window_asks_about_a_share_without_waiting_for_it(pg_url, tmp_path, monkeypatch):
    """A hung network mount blocks stat() and open() for minutes: asked in the background, the
    answer is the last one known, "not answering" after PROBE_PATIENCE_S, and each change is
    announced; the command line (no background) still asks the share itself."""
    folder = tmp_path / "press"
    folder.mkdir()
    gate = threading.Event()
    checked_on: list[int] = []
    real = roots.root_problem

    def hung(name, mount):
        checked_on.append(threading.get_ident())
        gate.wait(60)
        return real(name, mount)

    with Catalog(pg_url) as catalog:
        add_root(catalog, "press", folder)
        path = str(folder / "a.jpg")
        monkeypatch.setattr(roots, "root_problem", hung)
        monkeypatch.setattr(roots, "PROBE_PATIENCE_S", 0.2)
        announced: list[str | None] = []
        catalog.paths.check_in_background(lambda: announced.append(catalog.paths.offline(path)))
        try:
            assert catalog.paths.offline(path) is None          # not known yet: online
            _wait(lambda: checked_on)
            assert checked_on[0] != threading.get_ident()        # the check is not the asker's
            _wait(lambda: announced)                             # the patience ran out
            assert "not answering" in announced[0]
            assert "not answering" in catalog.paths.offline(path)
            assert len(checked_on) == 1                          # one check per root at a time
        finally:
            gate.set()
        _wait(lambda: len(announced) == 2)                       # it answered: online again
        assert announced[1] is None and catalog.paths.offline(path) is None

    monkeypatch.setattr(roots, "root_problem", real)
    (folder / roots.MARKER_NAME).unlink()
    with Catalog(pg_url) as catalog:                             # the command line: asks itself
        assert "offline" in catalog.paths.offline(path)
