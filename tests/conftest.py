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


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """Every test that uses the ``catalog`` fixture runs on both engines (issue 12): a SQLite
    file and a team catalog on a real PostgreSQL. ``@pytest.mark.sqlite_only("why")`` keeps a
    test on SQLite where the engines must differ, and says why."""
    if "engine" in metafunc.fixturenames:
        for mark in metafunc.definition.iter_markers("parametrize"):
            names = mark.args[0]
            if "engine" in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
                return    # the test chose its engines itself
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("engine", ["sqlite"] if only else list(ENGINES))


@pytest.fixture
def engine():
    return "sqlite"


@pytest.fixture
def catalog(engine, catalog_path, request):
    """An empty catalog: a SQLite file in tmp_path, or a team catalog in a database of the
    test's own whose storage root "system" is mapped at / on this desk (so the paths tests
    make, real or not, lie in a root)."""
    from mediadesk.catalog import open_catalog

    if engine == "sqlite":
        cat = open_catalog(catalog_path)
    else:
        from mediadesk.services.roots import add_root

        cat = open_catalog(request.getfixturevalue("pg_url"))
        add_root(cat, "system", "/", marker=False)
    yield cat
    cat.close()
