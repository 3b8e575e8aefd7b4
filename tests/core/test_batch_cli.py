import json
import subprocess
import sys

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.cli.main import main

from tests.support.batch_helpers import imported


def _run(capsys, catalog_path, *args):
    code = main(["--catalog", str(catalog_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_template_caption_undo_history(capsys, catalog_path, tmp_path):
    cat = open_catalog(catalog_path)
    ids = imported(cat, tmp_path / "pics", 3, gallery="President of Poland visits NATO")
    cat.close()
    code, out, _ = _run(capsys, catalog_path, "template", "add", "visit", "--field", "caption",
                        "--text", "{event} ({seq:03})")
    assert code == 0
    _run(capsys, catalog_path, "template", "add", "visit", "--field", "credit", "--text", "NATO")
    code, out, _ = _run(capsys, catalog_path, "template", "list", "--json")
    listed = json.loads(out)
    assert listed == [{"name": "visit", "fields": [
        {"field": "caption", "text": "{event} ({seq:03})", "mode": "replace"},
        {"field": "credit", "text": "NATO", "mode": "replace"}]}]

    code, out, _ = _run(capsys, catalog_path, "caption", "apply", "--template", "visit",
                        "--gallery", "President of Poland visits NATO", "--dry-run", "--json")
    data = json.loads(out)
    assert code == 0 and data["dry_run"] and data["changed_fields"] == 6
    assert data["changes"][0]["new"] == "President of Poland visits NATO (001)"

    code, out, _ = _run(capsys, catalog_path, "caption", "apply", "--template", "visit", *map(str, ids))
    assert code == 0 and "changed 6 field(s) on 3 asset(s)" in out

    code, out, _ = _run(capsys, catalog_path, "caption", "replace", "--find", r"\((\d+)\)",
                        "--replace", r"#\1", "--regex", "--field", "caption", "--query", "", "--json")
    assert json.loads(out)["changed_fields"] == 3

    code, out, _ = _run(capsys, catalog_path, "history", str(ids[0]))
    lines = out.splitlines()
    assert "op 2 replace" in lines[0] and lines[1].endswith("->  President of Poland visits NATO #001")

    code, out, _ = _run(capsys, catalog_path, "undo")
    assert code == 0 and "undid operation" in out
    with open_catalog(catalog_path) as cat:
        assert AssetStore(cat).get(ids[0]).caption == "President of Poland visits NATO (001)"
    code, out, _ = _run(capsys, catalog_path, "redo")
    code, out, _ = _run(capsys, catalog_path, "history", "--json")
    assert json.loads(out)["undo"] == json.loads(out)["operations"][0]["id"]


def test_errors_exit_2_with_a_message(capsys, catalog_path, tmp_path):
    code, _, err = _run(capsys, catalog_path, "template", "add", "x", "--field", "caption", "--text", "{nope}")
    assert code == 2 and "{nope}" in err
    code, _, err = _run(capsys, catalog_path, "caption", "apply", "--template", "missing", "1")
    assert code == 2 and "no asset with id 1" in err
    code, _, err = _run(capsys, catalog_path, "undo")
    assert code == 1


def test_tag_codes_csv_writeback(capsys, catalog_path, tmp_path):
    cat = open_catalog(catalog_path)
    ids = imported(cat, tmp_path / "pics", 2)
    cat.close()
    sel = [str(i) for i in ids]
    code, out, _ = _run(capsys, catalog_path, "tag", "add", "--keyword", "Places|Europe|Belgium",
                        "--person", "Mark Rutte", "--role", "NATO Secretary General",
                        "--organisation", "NATO", *sel)
    assert code == 0
    codes = tmp_path / "codes.txt"
    codes.write_text("rutte\tNATO Secretary General Mark Rutte\noops\n", encoding="utf-8")
    code, out, _ = _run(capsys, catalog_path, "codes", "import", str(codes))
    assert code == 3 and "line 2" in out
    code, out, _ = _run(capsys, catalog_path, "codes", "export", str(tmp_path / "back.txt"))
    assert (tmp_path / "back.txt").read_text(encoding="utf-8") == "rutte\tNATO Secretary General Mark Rutte\n"

    sheet = tmp_path / "sheet.csv"
    code, out, _ = _run(capsys, catalog_path, "csv", "export", str(sheet), *sel, "--field", "caption")
    assert code == 0
    sheet.write_text(f"id,caption\n{ids[0]},=rutte= in Brussels\n999,ghost\n", encoding="utf-8")
    code, out, _ = _run(capsys, catalog_path, "csv", "import", str(sheet), "--dry-run")
    assert code == 3 and "no asset with id 999" in out and "dry run" in out
    code, out, _ = _run(capsys, catalog_path, "csv", "import", str(sheet))
    with open_catalog(catalog_path) as cat:
        # the CSV cell started with "=" but was not quoted: a value, taken as it is
        assert AssetStore(cat).get(ids[0]).caption == "=rutte= in Brussels"
        assert AssetStore(cat).get(ids[1]).people == ("Mark Rutte",)

    code, out, _ = _run(capsys, catalog_path, "writeback", *sel, "--dry-run", "--json")
    data = json.loads(out)
    assert data["would_write"] == 2
    assert {c["field"] for c in data["files"][0]["changes"]} == {"caption", "keywords", "people", "organisations"}
    code, out, _ = _run(capsys, catalog_path, "writeback", *sel)
    assert code == 0 and "wrote 2 file(s)" in out


def test_module_entry_point_runs(tmp_path):
    open_catalog(tmp_path / "c.md").close()   # a command that only reads needs a catalog
    done = subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(tmp_path / "c.md"),
                           "codes", "expand", "plain"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "plain"


def test_asset_ids_may_follow_options(capsys, catalog_path, tmp_path):
    cat = open_catalog(catalog_path)
    ids = imported(cat, tmp_path / "pics", 3)
    cat.close()
    sheet = tmp_path / "sheet.csv"
    code, out, _ = _run(capsys, catalog_path, "csv", "export", str(sheet), "--field", "caption",
                        *map(str, ids[:2]))
    assert code == 0 and "wrote 2 row(s)" in out
    assert sheet.read_text(encoding="utf-8-sig").splitlines()[0] == "id,file_name,caption"
    try:
        main(["--catalog", str(catalog_path), "csv", "export", str(sheet), "--field", "caption", "1", "x"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("a word where ids go must be refused")
    assert "unrecognized arguments: 1 x" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status(catalog_path):
    from tests.support.factories import insert

    cat = open_catalog(catalog_path)
    for i in range(600):
        insert(cat, caption=f"Rutte and Duda at the joint press conference, frame {i} " + "x" * 200)
    cat.close()
    proc = subprocess.Popen([sys.executable, "-m", "mediadesk", "--catalog", str(catalog_path),
                             "search", "rutte", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100)      # like `| head -c 100`: read a little, then go away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and "Broken pipe" not in err, err


def test_a_list_prints_one_element_to_a_line_and_reads_back(capsys, catalog_path):
    """``--json`` lists: ``[``, an element a line, ``]`` (json's C encoder writes it); hostile
    text inside stays escaped, and the whole is still one JSON document."""
    from tests.support.factories import insert

    cat = open_catalog(catalog_path)
    ids = [insert(cat, caption=f"Rutte line {i}\nforged\x1b[2J\u202e", keywords=("nato",)) for i in range(3)]
    cat.close()
    code, out, _ = _run(capsys, catalog_path, "search", "rutte", "--json")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 5
    assert all(line.startswith('  {"id": ') for line in lines[1:-1])
    assert "\x1b" not in out and "\u202e" not in out and "\\u202e" in out
    data = json.loads(out)
    assert sorted(a["id"] for a in data) == sorted(ids)
    assert data[0]["caption"].endswith("\nforged\x1b[2J\u202e") and data[0]["keywords"] == ["nato"]
    code, out, _ = _run(capsys, catalog_path, "search", "nothing-like-this", "--json")
    assert (code, out) == (0, "[]\n")
