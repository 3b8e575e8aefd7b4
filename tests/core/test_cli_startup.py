"""The command line imports only what the command needs (issue 18).

Each case starts a fresh interpreter, runs ``mediadesk.cli.main.main`` with the arguments and
reports the modules it loaded. ``--version`` and ``--help`` must load no library of the window,
the media readers or the catalog; a command loads its own module, not the other commands'.
Timing is not asserted here (``benchmarks/bench_search.py`` measures the whole process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.cli.commands import COMMANDS

HEAVY = ("PySide6", "shiboken6", "PIL", "av", "pyexiv2", "pillow_heif", "sqlite_utils")

PROBE = """
import json, sys
from mediadesk.cli.main import main
try:
    rc = main(json.loads(sys.argv[1]))
except SystemExit as exc:   # argparse's --help exits
    rc = exc.code
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(rc or 0)
"""


def loaded_by(args: list[str]) -> tuple[set[str], str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):])), proc.stdout


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def commands(modules: set[str]) -> set[str]:
    return {m for m in modules if m.startswith("mediadesk.cli.cmd_")}


@pytest.mark.parametrize("args", [["--version"], ["--help"]], ids=" ".join)
def test_version_and_help_load_no_library(args):
    modules, out = loaded_by(args)
    assert out.startswith("mediadesk ") if args == ["--version"] else "search" in out
    assert heavy(modules) == []
    assert commands(modules) == set()
    assert not any(m.startswith("mediadesk.catalog") for m in modules)
    assert "importlib.metadata" not in modules        # the version is a constant, not a scan
    assert "logging" not in modules                    # nothing is logged before a command runs


def test_a_command_help_loads_that_command_only():
    modules, out = loaded_by(["search", "--help"])
    assert out.startswith("usage: mediadesk search")
    assert commands(modules) == {"mediadesk.cli.cmd_search"}
    assert heavy(modules) == []


def test_search_loads_the_catalog_but_no_media_or_window_library(tmp_path):
    path = tmp_path / "c.mediadesk"
    open_catalog(path).close()
    args = ["--catalog", str(path), "search", "rutte", "--json"]
    loaded_by(args)   # the first start may build the schema check's reference (with sqlite-utils)
    modules, out = loaded_by(args)
    assert json.loads(out) == []
    assert commands(modules) == {"mediadesk.cli.cmd_search"}
    assert heavy(modules) == []                        # the reference came from the cache
    assert "logging.handlers" not in modules          # the log file opens at its first line
    stores = {m for m in modules if m.startswith("mediadesk.catalog.")}
    assert not stores & {"mediadesk.catalog.ledger", "mediadesk.catalog.history", "mediadesk.catalog.templates"}
    # a search writes no file and finds the user's folders without platformdirs; argparse's
    # help formatter is given the width (its own loads shutil and three compression libraries)
    assert not modules & {"platformdirs", "tempfile", "shutil", "hashlib", "random", "bz2", "lzma"}
    # no result has words, so the matcher and the timed-text types are not loaded
    assert not modules & {"mediadesk.domain.search_matches", "mediadesk.domain.timed_text",
                          "mediadesk.catalog.words"}
    assert "mediadesk.catalog.roots" not in modules   # a team catalog's storage roots
    # typing only for the type checker; logging set up only once something imports it
    assert not modules & {"typing", "logging"}


LATE_LOGGER = """
import json, sys
import mediadesk.cli.cmd_search as command

def run(args):
    import logging   # a library the command loads while it runs, and that warns
    logging.getLogger("somelib").warning("a library warned during the command")
    return real(args)

real, register = command.run, command.register
command.register = lambda sub: (register(sub), sub.choices["search"].set_defaults(func=run))
from mediadesk.cli.main import main
sys.exit(main(json.loads(sys.argv[1])))
"""


def test_a_warning_from_code_that_loads_logging_late_goes_to_the_log_file(tmp_path):
    path = tmp_path / "c.mediadesk"
    open_catalog(path).close()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, "-c", LATE_LOGGER, json.dumps(["--catalog", str(path), "search", "x"])],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "warned" not in proc.stderr                  # a command's stderr is its messages only
    log = (tmp_path / "state" / "mediadesk" / "log" / "mediadesk.log").read_text()
    assert "WARNING" in log and "somelib: a library warned during the command" in log


def test_the_command_is_the_one_argparse_chose(tmp_path):
    """The first word naming a command is only a guess: here it is the catalog's file name."""
    open_catalog(tmp_path / "import").close()
    args = ["--catalog", "import", "galleries", "--json"]
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_every_command_is_listed_in_the_table():
    from mediadesk.cli.main import _subparsers, build_parser

    full = build_parser()
    assert list(_subparsers(full)) == list(COMMANDS)
    for action in full._subparsers._group_actions[0]._choices_actions:
        assert action.help == COMMANDS[action.dest]


RUN_PROBE = """
import atexit, gc, json, sys
sys.argv = ["mediadesk", *json.loads(sys.argv[1])]
from mediadesk.cli import main as cli

seen = {}
real = cli._run_command

def spy(parser, args):
    seen["collector on while the command runs"] = gc.isenabled()
    return real(parser, args)

cli._run_command = spy
from mediadesk.cli.deferred import loaded

def report():
    sys.stderr.write("\\nGC " + json.dumps([seen, gc.get_freeze_count() > 0, loaded("inspect")]) + "\\n")

atexit.register(report)
sys.exit(cli.run())
"""


def test_the_program_entry_collects_while_a_command_runs_and_skips_the_walk_at_exit(tmp_path):
    """run() (the console script, python -m, the frozen app) keeps the collector off only while
    the modules load; the command runs with it on; what is left at exit is frozen."""
    path = tmp_path / "c.mediadesk"
    open_catalog(path).close()
    args = ["--catalog", str(path), "search", "x", "--json"]
    loaded_by(args)   # the first start may build the schema check's reference (with sqlite-utils)
    proc = subprocess.run([sys.executable, "-c", RUN_PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("GC "))
    # ... and a search never loaded inspect (dataclasses' import of it was deferred)
    assert json.loads(line[3:]) == [{"collector on while the command runs": True}, True, False]


DEFERRAL = """
import json, sys
from mediadesk.cli.deferred import defer, loaded
defer()
import dataclasses
import inspect                       # the stand-in
out = [loaded("inspect")]

@dataclasses.dataclass
class Plain:                         # no docstring: dataclasses asks inspect for the signature
    a: int
    b: str = "x"

out += [loaded("inspect"), Plain.__doc__, str(inspect.signature(Plain)),
        inspect.signature is sys.modules["inspect"].signature, "signature" in dir(inspect)]
print(json.dumps(out))
"""


def test_a_deferred_module_is_imported_at_its_first_use_and_then_whole():
    proc = subprocess.run([sys.executable, "-c", DEFERRAL], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [False, True, "Plain(a: int, b: str = 'x')",
                                       "(a: int, b: str = 'x') -> None", True, True]
