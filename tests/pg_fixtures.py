"""pytest fixtures for a real PostgreSQL (a plugin loaded by conftest.py).

One throwaway cluster per test session (tests/pg_cluster.py), one template database that holds
the team catalog's schema, and a database of its own for each test (``CREATE DATABASE t TEMPLATE
tmpl`` takes a fraction of a second). Under ``CI=true`` a server that cannot start fails the
tests that need it; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os

import pytest
from pg_cluster import Cluster, ClusterError

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
    from mediadesk.catalog.postgres.migrations import current_version as migrations_version, migrate

    # the owner makes the group roles of people and roles (issue 13): CREATEROLE, given by a superuser
    with pg_cluster.connect() as admin:
        admin.execute("ALTER ROLE mediadesk_owner CREATEROLE")
    url = pg_cluster.create_database(TEMPLATE)
    conn = connect(url)
    try:
        migrate(conn, __version__)
        roles.ensure(conn, migrations_version(conn))
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


def add_root(conn, name: str, folder, mounts=None):
    """A storage root in the team catalog on ``conn``, its marker in ``folder`` (made if need be)
    and this desk's mapping of it; returns the root's id."""
    import secrets
    from pathlib import Path

    from mediadesk.catalog.roots import MountTable, StorageRoot, write_marker

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = secrets.token_hex(16)
    root_id = conn.execute("INSERT INTO mediadesk.storage_roots (name, marker, created_at)"
                           " VALUES (%s, %s, now()::text) RETURNING id", (name, marker)).fetchone()[0]
    catalog_id = conn.execute("SELECT value FROM mediadesk.settings WHERE key = 'catalog.id'").fetchone()[0]
    write_marker(folder, StorageRoot(root_id, name, marker), catalog_id)
    (mounts or MountTable()).set(catalog_id, name, folder)
    return root_id
