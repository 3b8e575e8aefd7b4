"""Log file with rotation, CLI quietness, and the window's crash dialog (excepthook)."""

from __future__ import annotations

import logging
import logging.handlers
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mediadesk import logging_setup, paths


@pytest.fixture
def clean_logging():
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, logging_setup._MARK, False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, logging_setup._MARK, False)]


def test_log_file_in_the_platform_log_folder(clean_logging, _isolated_home):
    path = logging_setup.configure_logging("cli")
    assert path == paths.log_file()
    assert path.is_relative_to(_isolated_home / "state")      # $XDG_STATE_HOME/mediadesk/log/
    assert path.name == "mediadesk.log"
    handlers = _ours()
    assert len(handlers) == 1                                   # CLI: the file only, nothing on stdout
    handler = handlers[0]
    assert handler.maxBytes == 1_000_000 and handler.backupCount == 5
    assert handler.level == logging.WARNING
    assert logging_setup.log_path() == path
    # the file is opened at the first line (a command that logs nothing opens nothing) and it
    # is the rotating file of the window's kind
    logging.getLogger("mediadesk.test").warning("first line of the command")
    handler.flush()
    assert isinstance(handler.file, logging.handlers.RotatingFileHandler)
    assert handler.file.baseFilename == str(path)
    assert "first line of the command" in path.read_text(encoding="utf-8")


def test_gui_logs_info_and_mirrors_warnings_to_stderr(clean_logging):
    path = logging_setup.configure_logging("gui")
    handlers = _ours()
    assert len(handlers) == 2
    file_handler = next(h for h in handlers if isinstance(h, logging.FileHandler))
    console = next(h for h in handlers if not isinstance(h, logging.FileHandler))
    assert file_handler.level == logging.INFO and console.level == logging.WARNING
    assert console.stream is sys.stderr
    logging.getLogger("mediadesk.test").info("hello from the test")
    file_handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "hello from the test" in text and "mediadesk " in text


def test_configuring_twice_does_not_duplicate(clean_logging):
    logging_setup.configure_logging("gui")
    logging_setup.configure_logging("cli")
    logging_setup.configure_logging("cli")
    assert len(_ours()) == 1


def test_level_from_environment(clean_logging, monkeypatch):
    monkeypatch.setenv(logging_setup.LEVEL_ENV, "debug")
    logging_setup.configure_logging("cli")
    assert _ours()[0].level == logging.DEBUG
    monkeypatch.setenv(logging_setup.LEVEL_ENV, "nonsense")
    logging_setup.configure_logging("cli")
    assert _ours()[0].level == logging.WARNING


def test_bad_kind():
    with pytest.raises(ValueError):
        logging_setup.configure_logging("web")


def test_rotation(clean_logging, monkeypatch):
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    path = logging_setup.configure_logging("cli")
    log = logging.getLogger("mediadesk.rotation")
    for i in range(400):
        log.warning("line %04d %s", i, "x" * 60)
    for handler in _ours():
        handler.flush()
    rotated = sorted(p.name for p in path.parent.glob("mediadesk.log*"))
    assert rotated == ["mediadesk.log"] + [f"mediadesk.log.{i}" for i in range(1, 6)]
    assert all(p.stat().st_size <= 2_200 for p in path.parent.glob("mediadesk.log*"))


def test_unwritable_log_folder_falls_back_to_tmp(clean_logging, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(logging_setup, "log_file", lambda: blocker / "log" / "mediadesk.log")
    path = logging_setup.configure_logging("cli")
    assert path.name == "mediadesk.log" and path.parent.name.startswith("mediadesk")
    assert not path.is_relative_to(blocker)


def test_cli_command_writes_nothing_but_its_output(tmp_path):
    """A CLI command's stdout is its output only; its warnings go to the log file."""
    from mediadesk.catalog import open_catalog

    open_catalog(tmp_path / "c.mediadesk").close()   # `galleries` only reads: it needs a catalog
    env_code = (
        "import logging, sys\n"
        "from mediadesk.cli.main import main\n"
        f"rc = main(['--catalog', {str(tmp_path / 'c.mediadesk')!r}, 'galleries', '--json'])\n"
        "logging.getLogger('mediadesk.test').warning('quiet warning')\n"
        "import warnings; warnings.warn('a python warning')\n"
        "sys.exit(rc)\n"
    )
    import os

    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, "-c", env_code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert proc.stderr == ""
    text = (tmp_path / "state" / "mediadesk" / "log" / "mediadesk.log").read_text(encoding="utf-8")
    assert "quiet warning" in text and "a python warning" in text


def test_unexpected_cli_error_is_logged(clean_logging, monkeypatch, capsys, tmp_path):
    from mediadesk.cli import cmd_galleries
    from mediadesk.cli.main import main

    def boom(args):
        raise RuntimeError("kaput")

    monkeypatch.setattr(cmd_galleries, "run", boom, raising=False)
    import mediadesk.cli.main as cli_main

    real_build = cli_main.build_parser

    def build(*args, **kwargs):
        parser = real_build(*args, **kwargs)
        cli_main._subparsers(parser)["galleries"].set_defaults(func=boom)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build)
    with pytest.raises(RuntimeError):
        main(["--catalog", str(tmp_path / "c.mediadesk"), "galleries"])
    err = capsys.readouterr().err
    assert "unexpected error" in err and "mediadesk.log" in err
    for handler in _ours():
        handler.flush()
    text = paths.log_file().read_text(encoding="utf-8")
    assert "RuntimeError: kaput" in text and "Traceback" in text


# -- the crash dialog ----------------------------------------------------------------------------

@pytest.fixture
def reporter(qapp, tmp_path, clean_logging):
    from mediadesk.ui import crash_dialog

    log_path = logging_setup.configure_logging("gui")
    shown = []

    def show(box):          # non-blocking stand-in for box.exec()
        shown.append({"icon": box.icon(), "title": box.windowTitle(), "text": box.text(),
                      "informative": box.informativeText(), "details": box.detailedText()})
        box.deleteLater()

    previous = sys.excepthook, threading.excepthook
    rep = crash_dialog.install_excepthook(log_path, show=show)
    rep.shown = shown
    rep.log_file = log_path
    yield rep
    rep.uninstall()
    assert (sys.excepthook, threading.excepthook) == previous


def _raise_and_report(hook, exc: BaseException) -> None:
    try:
        raise exc
    except BaseException as e:
        hook(type(e), e, e.__traceback__)


def test_excepthook_logs_and_shows_the_dialog(reporter, qtbot, capsys):
    from PySide6.QtWidgets import QMessageBox

    assert sys.excepthook == reporter.excepthook
    _raise_and_report(sys.excepthook, ValueError("the grid fell over"))
    qtbot.waitUntil(lambda: len(reporter.shown) == 1, timeout=3000)   # shown later, on the GUI thread
    box = reporter.shown[0]
    assert box["icon"] == QMessageBox.Icon.Critical
    assert "ValueError: the grid fell over" in box["text"]
    assert str(reporter.log_file) in box["informative"]
    assert "The catalog is safe; your last saved changes are kept." in box["informative"]
    assert "Traceback" in box["details"]
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = reporter.log_file.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "ValueError: the grid fell over" in text and "Traceback" in text
    assert "the grid fell over" in capsys.readouterr().err


def test_exceptions_while_the_dialog_is_open_are_not_shown_again(reporter, qtbot):
    for i in range(5):
        _raise_and_report(sys.excepthook, RuntimeError(f"paint error {i}"))
    qtbot.waitUntil(lambda: len(reporter.shown) == 1, timeout=3000)
    qtbot.wait(100)
    assert len(reporter.shown) == 1 and reporter.reported == 5
    _raise_and_report(sys.excepthook, RuntimeError("later"))       # after it closed: shown again
    qtbot.waitUntil(lambda: len(reporter.shown) == 2, timeout=3000)


def test_exception_in_a_worker_thread(reporter, qtbot):
    def work():
        raise OSError("disk gone")

    thread = threading.Thread(target=work, name="thumbnail-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(reporter.shown) == 1, timeout=3000)
    assert "OSError: disk gone" in reporter.shown[0]["text"]
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "thread thumbnail-worker" in reporter.log_file.read_text(encoding="utf-8")


def test_a_failing_dialog_does_not_recurse(reporter, qtbot):
    calls = []

    def broken_show(box):
        calls.append(1)
        raise RuntimeError("dialog broke")

    reporter.show = broken_show
    _raise_and_report(sys.excepthook, KeyError("x"))
    qtbot.waitUntil(lambda: calls == [1], timeout=3000)
    qtbot.wait(100)
    assert calls == [1] and reporter.showing is False
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "could not show the error dialog" in reporter.log_file.read_text(encoding="utf-8")


def test_keyboard_interrupt_is_not_a_crash(reporter, qtbot, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "__excepthook__", lambda *a: seen.append(a[0]))
    _raise_and_report(sys.excepthook, KeyboardInterrupt())
    qtbot.wait(50)
    assert seen == [KeyboardInterrupt] and reporter.shown == []


def test_exception_in_a_slot_reaches_the_dialog(reporter, qtbot):
    """PySide6 hands exceptions raised in slots to sys.excepthook: the box appears."""
    from PySide6.QtCore import QTimer

    def slot():
        raise ZeroDivisionError("in a slot")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: len(reporter.shown) == 1, timeout=3000)
    assert "ZeroDivisionError" in reporter.shown[0]["text"]


def test_real_message_box_has_the_log_location(qapp, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from mediadesk.ui.crash_dialog import CrashReporter

    rep = CrashReporter(Path(tmp_path / "x.log"))
    box = rep.message_box("ValueError: v", "Traceback ...")
    assert box.icon() == QMessageBox.Icon.Critical
    assert str(tmp_path / "x.log") in box.informativeText()
    assert any(b.text() == "Open Log Folder" for b in box.buttons())
    box.deleteLater()
