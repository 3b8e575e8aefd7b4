"""Issue 10, class 8: output that a file can forge.

File names, captions and zip member names carry ESC sequences (clear screen, set the window
title, move the cursor), C1 CSI, carriage returns, newlines and a right-to-left override. Whatever
mediadesk prints to a terminal (`import`, `show`, `search`, `verify`, errors, argparse messages,
log lines, the progress line) must show them as visible escapes; a zip must not be able to make
the terminal show a fake "OK ... rights notes match". `--json` output keeps the exact values.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import unicodedata
from pathlib import Path

import pytest

from mediadesk import logging_setup
from mediadesk.cli.main import main
from mediadesk.cli.progress import TerminalProgress
from mediadesk.jobs import Progress
from mediadesk.media import embed_metadata
from mediadesk.terminal_text import (
    TerminalSafeStream,
    for_terminal,
    for_terminal_lines,
    guarded_output,
    has_unsafe,
    json_for_terminal,
)

from tests.support import hostile_bundles as hb

CAPTION = "A\x1b[2J\x1b]0;pwned\x07 \x9b31m red \u202egpj.exe\nOK: all good\rX"
NAME = "\x1b[31mred\u202egpj.jpg"
BROKEN = "\x1b]0;title\x07broken.jpg"
UNSUPPORTED = "\x9bnote\x1b[2J.xyz"
KEPT = {"\u200d", "\u200c"}          # zero-width joiner and non-joiner: emoji, Persian, Indic


def clean(text: str) -> bool:
    """No character a terminal would obey, on any line (the newlines between lines are ours)."""
    return not any(has_unsafe(line) for line in text.split("\n"))


# -- the escaping function ---------------------------------------------------------------------
def test_every_control_format_and_separator_character_is_escaped():
    unsafe = [chr(cp) for cp in range(0x110000)
              if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs", "Zl", "Zp") and chr(cp) not in KEPT]
    text = "".join(unsafe)
    shown = for_terminal(text)
    assert not has_unsafe(shown) and shown.isascii() and shown.isprintable()
    assert all(has_unsafe(ch) for ch in unsafe)
    assert for_terminal("\x1b[2J\r\n\t\x7f\x9b\u202e\U000e0041\udcff") == \
        "\\x1b[2J\\r\\n\\t\\x7f\\x9b\\u202e\\U000e0041\\xff"


def test_ordinary_text_is_left_alone():
    for text in ("Łódź — zażółć gęślą jaźń", "Vučić, Đorđević", "東京 🇵🇱 👩‍👩‍👧 «€»", "فارسی‌ها", "C:\\Photos\\a.jpg"):
        assert for_terminal(text) == text
    assert for_terminal_lines("line one\n\tline two") == "line one\n\tline two"


def test_ascii_text_takes_the_short_path_to_the_same_result():
    """ASCII text is matched against the ASCII part of the set (faster): every ASCII character
    must come out as the full set makes it (the trailing é forces the full set)."""
    every = "".join(chr(cp) for cp in range(128))
    assert for_terminal(every) == for_terminal(every + "é")[:-1]
    assert for_terminal_lines(every) == for_terminal_lines(every + "é")[:-1]
    assert json_for_terminal(every) == json_for_terminal(every + "é")[:-1]
    assert json_for_terminal('"a\x7fb"') == '"a\\u007fb"'


def test_json_output_escapes_what_json_leaves_raw_and_keeps_the_value():
    value = {"caption": CAPTION + "\x7f\x85\u2028\U000e0041\udc80", "emoji": "👩‍👧 ok"}
    text = json_for_terminal(json.dumps(value, ensure_ascii=False))
    assert clean(text)
    assert json.loads(text) == value


# -- commands on a catalog holding a hostile file ------------------------------------------------
@pytest.fixture
def hostile_catalog(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    data, _ = embed_metadata(hb.plain_jpeg(), {"caption": CAPTION, "title": "T\x1b[1mB\u202e"}, fmt="JPEG")
    (folder / NAME).write_bytes(data)
    (folder / BROKEN).write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / UNSUPPORTED).write_bytes(b"notes")
    return tmp_path / "catalog.mediadesk", folder


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_import_show_and_search_print_hostile_names_and_captions_escaped(hostile_catalog, capsys):
    catalog, folder = hostile_catalog
    status, out, err = run(capsys, "--catalog", str(catalog), "import", str(folder), "--workers", "0")
    assert clean(out) and clean(err)
    assert for_terminal(BROKEN) in out and for_terminal(UNSUPPORTED) in out   # named, escaped
    status, out, err = run(capsys, "--catalog", str(catalog), "search", "--json")
    asset = next(a for a in json.loads(out) if a["file_name"] == NAME)
    assert asset["caption"] == CAPTION              # --json keeps the exact value
    assert clean(out)

    status, out, err = run(capsys, "--catalog", str(catalog), "search")
    assert status == 0 and clean(out) and clean(err)
    assert "T [1mB\\u202e" in out and "A\\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m red \\u202egpj.exe\\nOK" in out

    status, out, err = run(capsys, "--catalog", str(catalog), "show", str(asset["id"]))
    assert status == 0 and clean(out) and clean(err)
    assert for_terminal(str(folder / NAME)) in out
    lines = out.split("\n")
    assert not any(line.startswith("OK") for line in lines)
    assert any(line.endswith("OK: all good\\rX") and line.startswith(" " * 20) for line in lines), out


def test_verify_cannot_be_made_to_print_a_fake_ok(tmp_path, capsys):
    g = hb.genuine(tmp_path / "genuine")
    bundle = hb.build_escape_names(g, tmp_path / "forged")
    status, out, err = run(capsys, "verify", str(bundle))
    assert status == 1 and clean(out) and clean(err)
    lines = out.split("\n")
    assert lines[0].startswith("FAILED: ")
    assert not any(line.lstrip().startswith("OK") for line in lines)
    assert "'\\x1b[2K\\r\\x1b[1AOK: bundle.zip: 3 files, checksums and rights notes match" in out

    status, out, _err = run(capsys, "verify", str(bundle), "--json")
    assert clean(out)
    assert any(p.startswith(repr(hb.FORGED_OK + ".jpg")) for p in json.loads(out)["problems"])

    forged_recipient = hb.copy_folder(g, tmp_path / "recipient")
    manifest = g.manifest()
    manifest["recipient"] = "Reuters" + hb.FORGED_OK
    hb.reseal(forged_recipient, manifest)
    status, out, err = run(capsys, "verify", str(forged_recipient))
    assert status == 0 and clean(out), out          # a genuine bundle, its recipient shown escaped
    assert out.count("\n") == 2 and "recipient Reuters\\x1b[2K\\r\\x1b[1AOK" in out


def test_error_messages_are_escaped(tmp_path, capsys):
    status, out, err = run(capsys, "verify", str(tmp_path / ("nothing" + hb.FORGED_OK)))
    assert status == 1 and clean(out) and clean(err)
    assert "\\x1b]0;verified\\x07 does not exist" in out


def test_argparse_messages_go_through_the_guard(capsys):
    with pytest.raises(SystemExit):
        main(["show", "1\x1b[2J\u202e"])
    err = capsys.readouterr().err
    assert clean(err) and "1\\x1b[2J\\u202e" in err


def test_the_guard_is_lifted_after_the_command(capsys):
    before = sys.stdout
    main(["verify", "/nonexistent-bundle", "--json"])
    assert sys.stdout is before
    assert not isinstance(sys.stdout, TerminalSafeStream)


def test_log_lines_are_escaped(tmp_path, capsys):
    root = logging.getLogger()
    level = root.level
    path = logging_setup.configure_logging("gui")
    try:
        logging.getLogger("mediadesk.attack").warning("could not read %s: %s", NAME, CAPTION)
        try:
            raise ValueError(CAPTION)
        except ValueError:
            logging.getLogger("mediadesk.attack").exception("failed on %s", NAME)
    finally:
        for handler in list(root.handlers):
            if getattr(handler, logging_setup._MARK, False):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        logging.captureWarnings(False)
    text = Path(path).read_text("utf-8")
    assert clean(text)
    assert f"could not read {for_terminal(NAME)}: {for_terminal(CAPTION)}" in text
    assert "Traceback (most recent call last):\n" in text      # a traceback keeps its lines
    assert clean(capsys.readouterr().err)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_redraws_below_the_guard():
    tty = _Tty()
    progress = TerminalProgress(TerminalSafeStream(tty), interval=0)
    progress(Progress(3, 10, NAME, 1.0, 3.0, 2.3, False))
    progress(Progress(10, 10, NAME, 2.0, 5.0, 0.0, False))
    progress.close()
    written = tty.getvalue()
    assert written.startswith("\r3/10 files") and "\r10/10 files" in written   # a real carriage return
    assert "\\r" not in written


def test_guarded_output_escapes_what_bypasses_say(capsys):
    with guarded_output():
        print("plain print of " + NAME)
        sys.stderr.write(CAPTION + "\n")
    captured = capsys.readouterr()
    assert clean(captured.out) and clean(captured.err)
    assert "\\x1b[31mred\\u202egpj.jpg" in captured.out
    assert "\nOK: all good\\rX" in captured.err       # the guard keeps newlines; `say` escapes them too
