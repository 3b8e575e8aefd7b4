"""Test-wide settings: Qt runs offscreen, catalogs live in tmp_path, no user settings are touched.

Fixtures for every test are here; the window's are in ui/conftest.py, the attack tests' in
attacks/conftest.py. Shared builders are plain functions in tests/support/ (``tests.support.NAME``)."""

from __future__ import annotations

import itertools
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


# -- a real PostgreSQL for the team catalog's tests -------------------------------------------------
# One throwaway cluster per test session (tests/support/pg_cluster.py), one template database that
# holds the team catalog's schema, and a database of its own for each test (``CREATE DATABASE t
# TEMPLATE tmpl`` takes a fraction of a second). Under ``CI=true`` a server that cannot start fails
# the tests that need it; elsewhere they are skipped with the reason.
TEMPLATE = "mediadesk_template"
_numbers = itertools.count(1)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL server; ``PGPASSFILE`` points at its passwords for the session
    (so subprocesses, such as the CLI under test, find them the way a desk does)."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        if _in_ci():
            pytest.fail(f"psycopg is not installed ({exc}); scripts/dev.sh setup installs it")
        pytest.skip(f"psycopg is not installed ({exc})")
    from tests.support.pg_cluster import Cluster, ClusterError

    cluster = Cluster()
    try:
        cluster.start()
    except (ClusterError, OSError) as exc:
        cluster.stop()
        if _in_ci():
            pytest.fail(f"PostgreSQL could not be started for the team-catalog tests: {exc}")
        pytest.skip(f"no PostgreSQL could be started here ({exc}); scripts/dev.sh test installs it")
    old = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(cluster.pgpass)
    try:
        yield cluster
    finally:
        if old is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """A database with the team catalog's schema, the template of every test's database."""
    from mediadesk import __version__
    from mediadesk.catalog.postgres import roles
    from mediadesk.catalog.postgres.connect import connect
    from mediadesk.catalog.postgres.migrations import current_version, migrate

    # the owner makes the group roles of people and roles (issue 13): CREATEROLE, given by a superuser
    with pg_cluster.connect() as admin:
        admin.execute("ALTER ROLE mediadesk_owner CREATEROLE")
    url = pg_cluster.create_database(TEMPLATE)
    conn = connect(url)
    try:
        migrate(conn, __version__)
        roles.ensure(conn, current_version(conn))
    finally:
        conn.close()
    return TEMPLATE


@pytest.fixture
def pg_empty_url(pg_cluster):
    """An empty database (no catalog yet) owned by the catalog owner."""
    name = f"empty_{os.getpid()}_{next(_numbers)}"
    url = pg_cluster.create_database(name)
    yield url
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_url(pg_cluster, pg_template):
    """A team catalog of the current schema, in a database of this test's own."""
    name = f"t_{os.getpid()}_{next(_numbers)}"
    url = pg_cluster.create_database(name, template=pg_template)
    yield url
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_conn(pg_url):
    from mediadesk.catalog.postgres.connect import connect

    conn = connect(pg_url)
    yield conn
    conn.close()


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


@pytest.fixture(scope="session")
def exiftool_installed() -> None:
    """exiftool reads written files back as a second opinion (``@needs_exiftool``)."""
    from tests.support.environment import require  # after register_assert_rewrite above

    require(shutil.which("exiftool"), "exiftool is not installed (apt-get install libimage-exiftool-perl)")
