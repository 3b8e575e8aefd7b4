"""Test-wide settings: Qt runs offscreen, catalogs live in tmp_path, no user settings are touched.

Fixtures for every test are here; the window's are in ui/conftest.py, the attack tests' in
attacks/conftest.py. Shared builders are plain functions in tests/support/ (``tests.support.NAME``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.multimedia.ffmpeg*=false")

# the builders' own asserts say what went wrong, as the tests' do
pytest.register_assert_rewrite("tests.support")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Point the platform folders (config, data, cache, QSettings) at a temporary home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("MEDIADESK_CATALOG", raising=False)
    yield home


@pytest.fixture
def catalog_path(tmp_path) -> Path:
    return tmp_path / "catalog.mediadesk"


@pytest.fixture
def catalog(catalog_path):
    from mediadesk.catalog import open_catalog

    cat = open_catalog(catalog_path)
    yield cat
    cat.close()


@pytest.fixture(scope="session")
def exiftool_installed() -> None:
    """exiftool reads written files back as a second opinion (``@needs_exiftool``)."""
    from tests.support.environment import require  # after register_assert_rewrite above

    require(shutil.which("exiftool"), "exiftool is not installed (apt-get install libimage-exiftool-perl)")
