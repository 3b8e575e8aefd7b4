"""The core never imports Qt: every package outside ui/ and app.py loads without PySide6."""

import pkgutil
import subprocess
import sys

import mediadesk
from mediadesk.catalog import open_catalog


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(mediadesk.__path__, "mediadesk."):
        if info.name.startswith("mediadesk.ui") or info.name in ("mediadesk.app", "mediadesk.__main__"):
            continue
        names.append(info.name)
    return names


def test_core_modules_do_not_import_qt():
    modules = core_modules()
    assert "mediadesk.catalog.search" in modules and "mediadesk.cli.main" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_command_does_not_import_qt(tmp_path):
    open_catalog(tmp_path / "c.mediadesk").close()   # `galleries` only reads: it needs a catalog
    code = (
        "import sys\n"
        "from mediadesk.cli.main import main\n"
        f"rc = main(['--catalog', {str(tmp_path / 'c.mediadesk')!r}, 'galleries', '--json'])\n"
        "sys.exit(3 if any(m.startswith('PySide6') for m in sys.modules) else rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
