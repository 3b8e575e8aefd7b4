"""Packaging and desktop integration: resources, desktop entry, metainfo, CLI help, wheel, frozen app.

The fast tests run everywhere. ``@pytest.mark.slow`` ones build things: the wheel installed into a
fresh virtual environment (then ``mediadesk demo`` and ``mediadesk search rutte --json`` there),
and the PyInstaller one-folder build (``--version``, an import of more than 8 files through the
worker processes, the workers ending when the app is killed, and the window self-test under Xvfb
when it is installed, else offscreen).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from mediadesk import resources
from mediadesk.cli.main import NO_CATALOG, _leaf_parsers, _subparsers, bash_completion, build_parser, main

from tests.support.environment import require
from tests.support.paths import REPO

ROOT = REPO
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION = PROJECT["version"]
DESKTOP = ROOT / "resources" / "linux" / f"{resources.APP_ID}.desktop"
METAINFO = ROOT / "resources" / "linux" / f"{resources.APP_ID}.metainfo.xml"
PY = sys.executable


def run(cmd, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 600)
    return subprocess.run([str(c) for c in cmd], **kw)


# -- resources -----------------------------------------------------------------------------------

def test_resource_root_is_the_repository_folder_in_a_checkout():
    assert resources.resource_root() == ROOT / "resources"


@pytest.mark.parametrize("name", resources.UI_ICONS + ("mediadesk",))
def test_every_icon_is_found_and_is_svg(name):
    path = resources.icon_path(name)
    assert path.is_file() and path.suffix == ".svg"
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")


def test_no_stray_ui_icons():
    on_disk = {p.stem for p in (ROOT / "resources" / "icons" / "ui").glob("*.svg")}
    assert on_disk == set(resources.UI_ICONS)


@pytest.mark.parametrize("size", resources.APP_ICON_SIZES)
def test_app_icon_png_sizes(size):
    from PIL import Image

    with Image.open(resources.app_icon_png(size)) as im:
        assert im.size == (size, size)
        assert im.mode == "RGBA"
        assert im.getpixel((0, 0))[3] == 0          # transparent corner (rounded tile)
        assert im.getpixel((size // 2, size // 2))[3] == 255


def test_missing_resources_are_errors():
    with pytest.raises(resources.ResourceNotFound):
        resources.icon_path("no-such-icon")
    with pytest.raises(ValueError):
        resources.resource_path("../pyproject.toml")
    with pytest.raises(ValueError):
        resources.app_icon_png(100)


def test_resources_env_override(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "resources", tmp_path / "res")
    monkeypatch.setenv(resources.ENV, str(tmp_path / "res"))
    resources.resource_root.cache_clear()
    try:
        assert resources.icon_path("undo") == tmp_path / "res" / "icons" / "ui" / "undo.svg"
    finally:
        monkeypatch.delenv(resources.ENV)
        resources.resource_root.cache_clear()


def test_qt_icons_load(qapp):
    from mediadesk.ui import icons

    for name in resources.UI_ICONS:
        qicon = icons.icon(name)
        assert not qicon.isNull()
        assert not qicon.pixmap(24, 24).toImage().isNull()
    app_icon = icons.app_icon()
    assert not app_icon.isNull()
    assert {s.width() for s in app_icon.availableSizes()} >= {16, 32, 48, 256}


# -- desktop entry and metainfo ------------------------------------------------------------------

def _desktop_entry() -> dict[str, str]:
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_desktop_entry_matches_the_project():
    entry = _desktop_entry()
    assert entry["Exec"].split()[0] in PROJECT["scripts"]
    assert entry["Icon"] == "mediadesk"          # resources/icons/hicolor/*/apps/mediadesk.png
    assert entry["Categories"].startswith("Graphics;Photography;")
    assert entry["Type"] == "Application"


def test_metainfo_matches_the_project():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == resources.APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") in PROJECT["scripts"]
    assert root.findtext("project_license") == PROJECT["license"]["text"]
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == VERSION, "add a <release> for the new version"
    assert [c.text for c in root.findall("categories/category")] == ["Graphics", "Photography"]
    assert root.find("content_rating") is not None
    # no <url>/<screenshots>: the project has no public address yet, and made-up ones are worse
    assert root.find("url") is None and root.find("screenshots") is None


def test_desktop_file_validates():
    require(shutil.which("desktop-file-validate"), "desktop-file-utils is not installed")
    proc = run(["desktop-file-validate", DESKTOP])
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_metainfo_validates():
    require(shutil.which("appstreamcli"), "appstream is not installed")
    proc = run(["appstreamcli", "validate", "--no-net", METAINFO])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "E:" not in proc.stdout and "W:" not in proc.stdout, proc.stdout


# -- command line --------------------------------------------------------------------------------

def test_version_is_the_pyproject_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"mediadesk {VERSION}"
    with pytest.raises(SystemExit) as exc:   # argparse's --version, when other options come too
        main(["--catalog", "x", "--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"mediadesk {VERSION}"


def test_version_in_a_subprocess_loads_no_qt():
    code = ("import sys; from mediadesk.cli.main import main; rc = main(['--version']); "
            "sys.exit(3 if any(m.startswith('PySide6') for m in sys.modules) else rc)")
    proc = run([PY, "-c", code])
    assert proc.returncode == 0 and proc.stdout.strip() == f"mediadesk {VERSION}", proc.stderr


def _command_paths() -> list[list[str]]:
    parser = build_parser()
    paths = []
    for name, sub in _subparsers(parser).items():
        paths.append([name])
        paths.extend([name, action] for action in _subparsers(sub))
    return paths


def test_global_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in _subparsers(build_parser()):
        assert f"\n    {name} " in out or f"\n    {name}\n" in out, name
    for words in ("--version", "--catalog", "--paths", "MEDIADESK_CATALOG", "exit status", "--print-completion"):
        assert words in out


@pytest.mark.parametrize("words", _command_paths(), ids=" ".join)
def test_every_command_help(words, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*words, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: mediadesk {' '.join(words)}")
    parser = build_parser()
    for word in words:
        parser = _subparsers(parser)[word]
    if not _subparsers(parser) and words[0] not in NO_CATALOG:   # a command that runs on a catalog
        assert "--catalog" in out
    if not _subparsers(parser):   # every argument of a command says what it is for
        for action in parser._actions:
            assert action.help, (words, action.dest)
    assert "``" not in out


def test_every_command_has_a_summary():
    parser = build_parser()
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for choice in action._choices_actions:
                assert choice.help and len(choice.help) > 10, choice.dest


def test_catalog_after_the_command(tmp_path, capsys):
    cat = tmp_path / "after.mediadesk"
    # (a command that only reads would refuse a catalog that is not there: create one)
    assert main(["galleries", "--create", "Summit", "--json", "--catalog", str(cat)]) == 0
    assert [g["title"] for g in json.loads(capsys.readouterr().out)] == ["Summit"]
    assert cat.exists()


def test_global_flags_are_not_shadowed_by_command_arguments(tmp_path, capsys):
    """`import PATH...` has a `paths` argument: it must not switch on the global --paths."""
    (tmp_path / "empty").mkdir()
    assert main(["--catalog", str(tmp_path / "c.mediadesk"), "import", str(tmp_path / "empty"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 0


def test_paths(capsys, tmp_path):
    assert main(["--catalog", str(tmp_path / "c.mediadesk"), "--paths"]) == 0
    out = capsys.readouterr().out
    assert f"thumbnails: {tmp_path / 'c.mediadesk.thumbs'}" in out
    assert "mediadesk.log" in out


@pytest.mark.skipif(not shutil.which("bash"), reason="no bash")
def test_bash_completion(tmp_path):
    script = tmp_path / "mediadesk.bash"
    script.write_text(bash_completion(), encoding="utf-8")
    assert run(["bash", "-n", script]).returncode == 0

    def complete(*words: str) -> list[str]:
        line = " ".join(("mediadesk",) + words)
        code = (f"source {script}; COMP_WORDS=(mediadesk {' '.join(repr(w) for w in words)}); "
                f"COMP_CWORD={len(words)}; COMP_LINE={line!r}; _mediadesk; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        proc = run(["bash", "-c", code], cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    assert "search" in complete("se") and "show" in complete("s")
    assert "--version" in complete("--v")
    assert "--json" in complete("search", "--j")
    assert set(complete("search", "--order", "")) >= {"date", "title"}
    leaf_with_actions = [n for n, p in _subparsers(build_parser()).items() if _subparsers(p)]
    if "rights" in leaf_with_actions:
        assert "list" in complete("rights", "")
    (tmp_path / "photos").mkdir()
    assert "photos" in complete("import", "ph")


def test_leaf_parsers_cover_every_command():
    leaves = list(_leaf_parsers(build_parser()))
    assert len(leaves) >= len(_subparsers(build_parser()))


# -- wheel ---------------------------------------------------------------------------------------

IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                ".pytest_cache", ".hypothesis", "out", "benchmarks", "tests", "docs")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a clean copy of the checkout (no stale build/ folder can leak in)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=IGNORE)
    started = time.monotonic()
    proc = run([PY, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", base / "out", src])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = list((base / "out").glob("mediadesk-*.whl"))
    assert len(found) == 1
    print(f"\nwheel: {found[0].name}, {found[0].stat().st_size / 1e3:.0f} kB, built in "
          f"{time.monotonic() - started:.1f} s")
    return found[0]


@pytest.mark.slow   # ~5 s alone, >10 s on a busy machine (pip builds in an isolated environment)
def test_wheel_carries_the_resources(wheel):
    assert wheel.name == f"mediadesk-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    expected = {f"mediadesk/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
                for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert expected <= names
    assert "mediadesk/resources/icons/ui/import.svg" in names
    assert "mediadesk/resources/icons/hicolor/512x512/apps/mediadesk.png" in names
    assert "mediadesk/resources.py" in names and "mediadesk/cli/main.py" in names
    assert not any(n.startswith(("tests/", "packaging/", "resources/")) for n in names)


@pytest.mark.slow
def test_wheel_in_a_fresh_venv(wheel, tmp_path):
    """pip install the wheel into a new venv; `mediadesk demo`, then `mediadesk search rutte --json`."""
    venv = tmp_path / "venv"
    assert run([PY, "-m", "venv", venv]).returncode == 0
    vpy = venv / "bin" / "python"
    started = time.monotonic()
    proc = run([vpy, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel], timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(f"\ninstall into a fresh venv: {time.monotonic() - started:.1f} s")
    exe = venv / "bin" / "mediadesk"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("PYTHONPATH", None)

    proc = run([exe, "--version"], env=env)
    assert proc.stdout.strip() == f"mediadesk {VERSION}", proc.stderr
    proc = run([vpy, "-c", "import mediadesk.resources as r; print(r.resource_root())"], env=env, cwd=tmp_path)
    root = Path(proc.stdout.strip())
    assert root.is_relative_to(venv) and root.name == "resources", proc.stdout + proc.stderr

    catalog = tmp_path / "press.mediadesk"
    proc = run([exe, "--catalog", catalog, "demo"], env=env, cwd=tmp_path, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run([exe, "--catalog", catalog, "search", "rutte", "--json"], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found and all("id" in a for a in found)
    assert not proc.stderr.strip()
    # the default catalog lives in the platform's data folder
    proc = run([exe, "--paths"], env=env)
    assert f"catalog:    {tmp_path / 'data' / 'mediadesk' / 'catalog.mediadesk'}" in proc.stdout


# -- PyInstaller one-folder build ----------------------------------------------------------------

@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("frozen")
    started = time.monotonic()
    proc = run(["bash", ROOT / "packaging" / "build.sh", "--dist", base / "dist", "--work", base / "work"],
               env={**os.environ, "PYTHON": PY}, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    app = base / "dist" / "mediadesk" / "mediadesk"
    size = sum(p.stat().st_size for p in app.parent.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nPyInstaller build: {time.monotonic() - started:.0f} s, {size / 1e6:.0f} MB")
    assert app.is_file() and os.access(app, os.X_OK)
    return app


def _frozen_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


@pytest.mark.slow
def test_frozen_version(frozen_app, tmp_path):
    started = time.monotonic()
    proc = run([frozen_app, "--version"], env=_frozen_env(tmp_path))
    print(f"\nfrozen --version: {time.monotonic() - started:.2f} s")
    assert proc.returncode == 0 and proc.stdout.strip() == f"mediadesk {VERSION}", proc.stderr
    proc = run([frozen_app, "--help"], env=_frozen_env(tmp_path))
    assert proc.returncode == 0 and "export" in proc.stdout
    assert (frozen_app.parent / "_internal" / "mediadesk" / "resources" / "icons" / "mediadesk.svg").is_file()


@pytest.mark.slow
def test_frozen_import_uses_worker_processes(frozen_app, tmp_path):
    """More files than workers: the spawn pool re-executes the frozen binary (freeze_support)."""
    from PIL import Image

    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(12):
        Image.new("RGB", (320, 200), (20 * i, 100, 200 - 10 * i)).save(folder / f"p{i:02}.jpg", quality=80)
    proc = run([frozen_app, "--catalog", tmp_path / "c.mediadesk", "import", folder, "--workers", "2", "--json"],
               env=_frozen_env(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["imported"] == 12 and report["failed"] == 0, report
    assert len(list((tmp_path / "c.mediadesk.thumbs").rglob("*.jpg"))) == 12


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_frozen_workers_die_with_the_app(frozen_app, tmp_path):
    """Issue 19 in the frozen build: the app is SIGKILLed while its export workers (re-executed
    copies of the binary, found by a mark in their environment) render; none of them is left."""
    import crash_harness  # stress/ is on pytest's pythonpath
    import orphans

    media, catalog = tmp_path / "media", tmp_path / "c.mediadesk"
    crash_harness.build_media(media, photos=24)
    env = _frozen_env(tmp_path)
    imported = run([frozen_app, "--catalog", catalog, "import", media, "--gallery", crash_harness.GALLERY],
                   env=env, timeout=300)
    assert imported.returncode == 0, imported.stderr
    mark = f"frozen-{os.getpid()}"
    proc = subprocess.Popen([str(frozen_app), "--catalog", str(catalog), "export", "--purpose",
                             crash_harness.PURPOSE, "--gallery", crash_harness.GALLERY, "--max-size",
                             "2048", "--out", str(tmp_path / "bundle")],
                            env={**env, orphans.MARK: mark}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and not orphans.busy_workers(mark) and time.monotonic() < deadline:
            time.sleep(0.01)
        workers = orphans.busy_workers(mark)
        assert workers and all("--multiprocessing-fork" in w.cmd for w in workers), workers
        known = orphans.descendants(proc.pid)
        os.kill(proc.pid, 9)
        proc.wait(timeout=30)
        left, spent = orphans.wait_until_gone(mark, proc.pid, known)
        assert not left, [p.line() for p in left]
        print(f"\nfrozen app killed with {len(workers)} busy workers: all gone in {spent:.2f} s")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)


@pytest.mark.slow
def test_frozen_window_self_test(frozen_app, tmp_path):
    """The packaged app builds the demo library, opens the window on it, screenshots it, quits."""
    shot = tmp_path / "frozen-window.png"
    env = _frozen_env(tmp_path)
    cmd = [frozen_app, "--self-test-window", "--screenshot", shot]
    if shutil.which("xvfb-run") and shutil.which("xauth"):
        env["QT_QPA_PLATFORM"] = "xcb"
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", *cmd]
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    proc = run(cmd, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    assert "ok: the window showed" in proc.stderr
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size[0] >= 800 and im.size[1] >= 500
        colours = im.convert("RGB").resize((64, 40)).getcolors(64 * 40)
        assert colours is None or len(colours) > 50      # a real window, not a blank frame
    out = os.environ.get("MEDIADESK_SELFTEST_SCREENSHOT")   # CI may keep the screenshot
    if out:
        shutil.copy(shot, out)
