"""Issue 10, "Also broken": export staging and publishing, CSV import, and the command line.

Each test builds the hostile folder, file, argument or catalog itself."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.ledger import PUBLISH_FAILED, LedgerStore
from mediadesk.domain.errors import MediaError
from mediadesk.domain.rights import Purpose
from mediadesk.services import bundle_writer
from mediadesk.services.bundle_verify import verify_bundle
from mediadesk.services.csv_io import import_csv
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export

from tests.support.attack_helpers import Cli
from tests.support.environment import require

# -- export: staging, publishing, names ------------------------------------------------------------

def test_a_users_folder_named_like_staging_is_never_deleted(library, tmp_path):
    out = tmp_path / "out" / "Report"
    out.parent.mkdir()
    mine = out.parent / "Report.partial-2019"          # the user's, years old
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    mine_zip = out.parent / "Report.partial-old.zip"
    mine_zip.write_bytes(b"PK\x03\x04 not ours")
    killed = out.parent / "Report.partial-k1ll3d"      # a killed export's, with the marker
    killed.mkdir()
    (killed / "Report").mkdir()
    (killed / ".mediadesk-staging").write_text('{"format": "mediadesk-staging/1"}')
    planted = out.parent / "Report.partial-link"       # a marked folder reached through a link
    os.symlink(mine, planted)
    long_ago = time.time() - 7200
    for path in (mine, mine / "notes.txt", mine_zip, killed / ".mediadesk-staging"):
        os.utime(path, (long_ago, long_ago))
    with library.open() as catalog:
        plan = plan_export(catalog, [library.ids["pl"]], ExportOptions(purpose=Purpose.EDITORIAL_ONLINE))
        assert run_export(catalog, plan, out).bundle
    assert (mine / "notes.txt").read_text() == "keep me" and mine_zip.exists() and planted.is_symlink()
    assert not killed.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "Report", "Report.partial-2019", "Report.partial-link", "Report.partial-old.zip"]


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_a_publish_that_fails_after_the_ledger_entry_is_recorded_and_kept(monkeypatch, library, tmp_path,
                                                                          capsys, zipped):
    out = tmp_path / "press"
    final = out.with_name("press.zip") if zipped else out
    real = bundle_writer.BundleWriter.add_receipt

    def receipt_then_race(self, data):
        real(self, data)
        final.mkdir()                                  # another program takes the name meanwhile
        (final / "theirs.txt").write_text("not ours")

    monkeypatch.setattr(bundle_writer.BundleWriter, "add_receipt", receipt_then_race)
    with library.open() as catalog:
        plan = plan_export(catalog, [library.ids["pl"]], ExportOptions(purpose=Purpose.EDITORIAL_ONLINE,
                                                                       zip=zipped))
        with pytest.raises(MediaError) as caught:
            run_export(catalog, plan, out)
        entries = LedgerStore(catalog).list()
    message = str(caught.value)
    assert "was not published" in message and "kept as" in message
    kept = tmp_path / message.split("kept as ")[1].split(";")[0].strip().rsplit("/", 1)[-1]
    assert kept.exists() and verify_bundle(kept).ok                     # the copy the message names
    assert (final / "theirs.txt").read_text() == "not ours"              # theirs is untouched
    assert [e.event for e in entries] == [None, PUBLISH_FAILED]
    assert entries[1].detail["entry"] == entries[0].id and entries[1].detail["kept"] == str(kept)
    assert f"entry {entries[1].id}" in message
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    code, out_text, _err = Cli(capsys, library.catalog_path)("ledger", "--verify", "--bundle", kept)
    assert code == 0 and "publishing this bundle failed" in out_text
    assert f"publish of entry {entries[0].id} failed" in out_text


def test_a_publish_that_fails_otherwise_removes_the_staging_and_says_so(monkeypatch, library, tmp_path):
    def disk_full(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle_writer.BundleWriter, "add_receipt", disk_full)
    with library.open() as catalog:
        plan = plan_export(catalog, [library.ids["pl"]], ExportOptions(purpose=Purpose.EDITORIAL_ONLINE))
        with pytest.raises(MediaError, match="staged copy was removed; the ledger records the failure"):
            run_export(catalog, plan, tmp_path / "press")
        assert [e.event for e in LedgerStore(catalog).list()] == [None, PUBLISH_FAILED]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("press")] == []


def test_windows_device_names_with_superscripts_and_spaces_get_the_prefix(library, tmp_path):
    titles = {"pl": "COM¹", "rs": "LPT² ", "ad": "CON .x"}
    with library.open() as catalog:
        apply_edits(catalog, {library.ids[k]: {"title": t, "rights_profile_id": 1} for k, t in titles.items()})
        ids = [library.ids[k] for k in titles]
        options = ExportOptions(purpose=Purpose.EDITORIAL_ONLINE, pattern="{title}")
        result = run_export(catalog, plan_export(catalog, ids, options), tmp_path / "b")
    names = sorted(e["file"] for e in result.exported)
    assert names == ["_COM¹.jpg", "_CON .x.jpg", "_LPT².jpg"], names


# -- CSV ---------------------------------------------------------------------------------------------

def _csv(path, rows, header=("id", "caption")):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_200000_character_caption_round_trips(catalog, tmp_path, capsys):
    from tests.support.factories import insert

    asset = insert(catalog, caption="short")
    long_caption = ("Łódź " * 40_000)[:200_000]
    apply_edits(catalog, {asset: {"caption": long_caption}})
    run = Cli(capsys, catalog.target)
    assert run("csv", "export", tmp_path / "out.csv", "--field", "caption", str(asset))[0] == 0
    apply_edits(catalog, {asset: {"caption": "changed"}})
    code, out, err = run("csv", "import", tmp_path / "out.csv")
    assert code == 0, err
    assert AssetStore(catalog).get(asset).caption == long_caption.strip()


def test_ids_that_python_would_read_as_numbers_are_refused(catalog, tmp_path):
    from tests.support.factories import insert

    ids = [insert(catalog, caption=f"n{n}") for n in range(25)]
    assert 20 in ids and 2 in ids
    path = _csv(tmp_path / "ids.csv", [["2_0", "underscore"], ["٢", "arabic-indic two"],
                                       ["２", "full-width two"], ["+3", "signed"], ["1", "fine"]])
    result = import_csv(catalog, path)
    assert len(result.problems) == 4
    assert all("is not an asset id" in p for p in result.problems)
    assert AssetStore(catalog).get(20).caption == "n19" and AssetStore(catalog).get(2).caption == "n1"
    assert AssetStore(catalog).get(1).caption == "fine"


@pytest.mark.parametrize("when, what", [
    ("2025-03-01T25:99:00", "hour 25"), ("2025-03-01T10:99:00", "minute 99"),
    ("2025-03-01T10:30:60", "second 60"), ("2025-03-01T10:30:00+25:00", "offset +25:00"),
    ("2025-03-01T10:30:00+02:75", "offset +02:75"), ("2025-02-30", "not a real calendar date"),
    ("٢٠٢٥-03-01", "not an ISO date"),
])
def test_impossible_times_are_refused_per_row_at_import(catalog, tmp_path, when, what):
    from tests.support.factories import insert

    asset = insert(catalog, date_created="2024-01-01")
    path = _csv(tmp_path / "dates.csv", [[str(asset), when]], header=("id", "date_created"))
    result = import_csv(catalog, path)
    assert len(result.problems) == 1 and what in result.problems[0] and "line 2" in result.problems[0]
    assert AssetStore(catalog).get(asset).date_created == "2024-01-01"


def test_real_times_are_still_taken(catalog, tmp_path):
    from tests.support.factories import insert

    asset = insert(catalog)
    path = _csv(tmp_path / "ok.csv", [[str(asset), "2025-03-01T23:59:59+14:00"]], header=("id", "date_created"))
    assert import_csv(catalog, path).problems == []
    assert AssetStore(catalog).get(asset).date_created == "2025-03-01T23:59:59+14:00"


# -- the command line ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["show", "99999999999999999999"], "is not an asset id"),
    (["search", "id:99999999999999999999"], "is not an asset id"),
    (["search", " ".join(["kind:photo"] * 1100)], "at most 200"),
    (["search", "--limit", "99999999999999999999"], "not a whole number"),
    (["history", "٣"], "is not an asset id"),
    (["search", "caf\udce9"], "not valid UTF-8"),
    (["rights", "assign", "--none", "--query", "\udcff\udcfe", "--yes"], "not valid UTF-8"),
])
def test_hostile_arguments_get_a_clear_error(cli, args, expected):
    code, _out, err = cli(*args)
    assert code == 2 and expected in err, err
    assert "Traceback" not in err and "unexpected error" not in err


def test_non_utf8_bytes_on_a_real_command_line(library):
    done = subprocess.run([sys.executable.encode(), b"-m", b"mediadesk", b"--catalog",
                           os.fsencode(library.catalog_path), b"search", b"Krak\xf3w"],
                          capture_output=True, timeout=120)
    assert done.returncode == 2 and b"not valid UTF-8" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("args", [["search", "x"], ["show", "1"], ["galleries"], ["history"],
                                  ["ledger"], ["ledger", "--verify"], ["rights", "list"],
                                  ["rights", "assign", "1", "1"], ["undo"], ["csv", "export", "x.csv"],
                                  ["export", "--purpose", "internal", "--out", "b", "1"]])
def test_a_mistyped_catalog_is_refused_and_nothing_is_created(capsys, tmp_path, args):
    missing = tmp_path / "Archvie" / "press.mediadesk"
    code, out, err = Cli(capsys, missing)(*args)
    assert code == 2 and "there is no catalog" in err and "intact" not in out
    assert not missing.parent.exists()


def test_a_read_only_catalog_file_refuses_writes_and_still_searches(cli, library, tmp_path):
    path = library.catalog_path
    with open_catalog(path) as catalog:
        catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in ("-wal", "-shm"):
        if os.path.exists(str(path) + extra):
            os.unlink(str(path) + extra)
    os.chmod(path, 0o444)
    try:
        code, out, _err = cli("search", "krakow")
        assert code == 0 and "1 asset(s)" in out
        for args in (["rights", "assign", "--none", str(library.ids["pl"])], ["undo"],
                     ["galleries", "--create", "New"], ["caption", "replace", "--find", "a", "--replace", "b",
                                                        "--field", "caption", str(library.ids["pl"])],
                     ["import", str(library.files["pl"].parent)]):
            code, _out, err = cli(*args)
            assert code == 1 and "is read-only" in err and "Traceback" not in err, (args, err)
        assert not os.path.exists(str(path) + "-wal")      # reading made no journal files beside it
    finally:
        os.chmod(path, 0o644)


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


def test_a_catalog_on_a_read_only_file_system_can_be_searched(library, tmp_path):
    require(_unshare_works(), "needs user and mount namespaces (unshare -rm) to make a read-only file system")
    folder = library.catalog_path.parent
    with open_catalog(library.catalog_path) as catalog:
        catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in ("-wal", "-shm"):
        if os.path.exists(str(library.catalog_path) + extra):
            os.unlink(str(library.catalog_path) + extra)
    mediadesk = f"{sys.executable} -m mediadesk --catalog {library.catalog_path}"
    script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
              f"{mediadesk} search krakow; echo search=$?; "
              f"{mediadesk} rights assign --none 1; echo assign=$?")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert "search=0" in done.stdout and "1 asset(s)" in done.stdout, done.stdout + done.stderr
    assert "assign=1" in done.stdout and "read-only file system" in done.stderr
    assert "Traceback" not in done.stderr


def test_json_output_of_a_refused_write_is_not_half_written(cli, library):
    """A write refused on a read-only catalog prints no partial JSON on stdout."""
    os.chmod(library.catalog_path, 0o444)
    try:
        code, out, _err = cli("rights", "assign", "--none", str(library.ids["pl"]), "--json")
        assert code == 1 and out == ""
    finally:
        os.chmod(library.catalog_path, 0o644)
