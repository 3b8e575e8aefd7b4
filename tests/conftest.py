"""Test-wide settings: Qt runs offscreen, catalogs live in tmp_path, no user settings are touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

# a real PostgreSQL for the team catalog's tests (pg_cluster, pg_url, pg_conn, ...)
pytest_plugins = ["pg_fixtures"]

INTEROP = Path(__file__).resolve().parents[1].parent / "shared" / "interop"


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
