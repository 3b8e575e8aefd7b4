"""Two programs, one catalog (issue 7): writers and readers in separate processes at once.

No "database is locked" may reach anyone, no write may be lost, and the window (when it exists)
shows what the command line did, by polling ``PRAGMA data_version``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PIL import Image

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.services.importer import import_paths

EDITS = 150


def jpeg(seed: int, caption: str) -> bytes:
    from mediadesk.media import embed_metadata

    im = Image.new("RGB", (120, 90), ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    buf = io.BytesIO()
    im.save(buf, "JPEG")
    data, _ = embed_metadata(buf.getvalue(), {"caption": caption})
    return data


EDITOR = textwrap.dedent("""
    import sys, json
    from mediadesk.catalog import open_catalog
    from mediadesk.services.edits import apply_edits
    cat = open_catalog(sys.argv[1])
    ids = json.loads(sys.argv[2])
    n = int(sys.argv[3])
    for i in range(n):
        aid = ids[i % len(ids)]
        apply_edits(cat, {aid: {"headline": f"edit {i} of asset {aid}"}})
    print("edits done", n)
""")

READER = textwrap.dedent("""
    import sys, time
    from mediadesk.catalog import open_catalog
    from mediadesk.domain.query import parse_query
    cat = open_catalog(sys.argv[1])
    deadline = time.monotonic() + float(sys.argv[2])
    reads = 0
    versions = set()
    while time.monotonic() < deadline:
        cat.index.ids(parse_query("edit"))
        cat.scalar("SELECT count(*) FROM assets")
        versions.add(cat.data_version())
        reads += 1
    print("reads", reads, "versions", len(versions))
""")


def _py(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _cli(catalog: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mediadesk", "--catalog", str(catalog), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_editor_importer_tagger_and_reader_at_once(catalog, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    for i in range(12):
        (first / f"a_{i}.jpg").write_bytes(jpeg(i, f"First batch {i}"))
    import_paths(catalog, [str(first)], workers=0)
    ids = AssetStore(catalog).all_ids()
    history_before = catalog.scalar("SELECT count(*) FROM edit_history")
    second = tmp_path / "second"
    second.mkdir()
    for i in range(80):
        (second / f"b_{i}.jpg").write_bytes(jpeg(100 + i, f"Second batch {i}"))

    procs = {
        "editor": _py(EDITOR, catalog.target, json.dumps(ids), str(EDITS)),
        "importer": _cli(catalog.target, "import", str(second), "--gallery", "Concurrent", "--json"),
        "reader": _py(READER, catalog.target, "8"),
    }
    taggers = []
    for n in range(4):
        taggers.append(_cli(catalog.target, "tag", "add", "--keyword", f"concurrent-{n}", *map(str, ids)))
        time.sleep(0.3)
    outputs = {}
    for name, proc in [*procs.items(), *((f"tagger{n}", p) for n, p in enumerate(taggers))]:
        out, err = proc.communicate(timeout=300)
        outputs[name] = (proc.returncode, out, err)
    for name, (rc, out, err) in outputs.items():
        assert "locked" not in (out + err).lower(), (name, err[-2000:])
        assert rc == 0, (name, rc, err[-2000:])

    # nothing lost: every edit is in the history, the last one of each asset is the value
    catalog.conn.execute("SELECT 1")  # refresh the snapshot
    store = AssetStore(catalog)
    for k, aid in enumerate(ids):
        last = max(i for i in range(EDITS) if i % len(ids) == k)
        assert store.get(aid).headline == f"edit {last} of asset {aid}"
    history_after = catalog.scalar("SELECT count(*) FROM edit_history")
    assert history_after - history_before >= EDITS + 4 * len(ids)
    for aid in ids:
        keywords = set(store.get(aid).keywords)
        assert {f"concurrent-{n}" for n in range(4)} <= keywords, keywords
    imported = json.loads(outputs["importer"][1])
    assert imported["imported"] == 80 and imported["failed"] == 0
    assert store.count() == 92
    if catalog.url is None:   # SQLite's own check of its file (a server checks its pages itself)
        assert catalog.scalar("PRAGMA integrity_check") == "ok"
    reads = outputs["reader"][1].split()
    assert int(reads[1]) > 10 and int(reads[3]) > 1   # the reader saw the others' commits


def test_data_version_shows_another_programs_commit(catalog, tmp_path):
    (tmp_path / "x.jpg").write_bytes(jpeg(1, "x"))
    before = catalog.data_version()
    proc = _cli(catalog.target, "import", str(tmp_path / "x.jpg"), "--json")
    proc.communicate(timeout=120)
    assert catalog.data_version() != before


def _create_main_window():
    from mediadesk.app import create_main_window  # Qt only for the test that opens the window

    return create_main_window


def _largest_row_count(window) -> int:
    from PySide6.QtWidgets import QAbstractItemView

    best = 0
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None:
            while model.canFetchMore(view.rootIndex()):
                model.fetchMore(view.rootIndex())
            best = max(best, model.rowCount(view.rootIndex()))
    return best


def test_window_shows_a_command_line_import_and_edit(qtbot, catalog_path, tmp_path):
    factory = _create_main_window()
    with open_catalog(catalog_path):
        pass
    window = factory(str(catalog_path))
    qtbot.addWidget(window)
    window.show()
    folder = tmp_path / "cli"
    folder.mkdir()
    for i in range(5):
        (folder / f"c_{i}.jpg").write_bytes(jpeg(i, f"From the command line {i}"))
    proc = _cli(catalog_path, "import", str(folder), "--json")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    qtbot.waitUntil(lambda: _largest_row_count(window) >= 5, timeout=10_000)
    proc = _cli(catalog_path, "caption", "replace", "--find", "command line", "--replace",
                "terminal", "--query", "command")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "locked" not in (out + err).lower()

    def shows_edit() -> bool:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractItemView

        for view in window.findChildren(QAbstractItemView):
            model = view.model()
            if model is None:
                continue
            for row in range(model.rowCount()):
                for col in range(max(1, model.columnCount())):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(row, col), role)
                        if isinstance(value, str) and "terminal" in value:
                            return True
        return False

    qtbot.waitUntil(shows_edit, timeout=10_000)
