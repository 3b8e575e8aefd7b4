"""A team catalog with people in roles, for tests/test_roles.py and tests/test_ui_roles.py."""

from __future__ import annotations

import io
import itertools
import os
import sys
from pathlib import Path

import psycopg

from mediadesk.catalog.roots import MountTable
from mediadesk.cli.main import main

from tests.support.export_fixtures import jpeg

_numbers = itertools.count(1)
PASSWORD = "correct horse battery"


def _run(argv: list[str], stdin: str | None = None) -> int:
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        return main(argv)
    finally:
        sys.stdin = old


class Office:
    """One team catalog with three photos in the root "press", and one person per role."""

    def __init__(self, cluster, template: str, folder: Path) -> None:
        self.cluster = cluster
        self.db = f"roles_{os.getpid()}_{next(_numbers)}"
        cluster.create_database(self.db, template=template)
        self.owner_url = cluster.url(self.db)
        self.share = folder / "press share"
        self.share.mkdir(parents=True)
        for n in range(3):
            jpeg(self.share / f"summit {n}.jpg", color=(60 * n, 90, 160),
                 fields={"caption": f"Summit photo {n}", "credit": "NATO"})
        self.folder = folder
        self.people: dict[str, str] = {}
        self.catalog_id = ""
        self.asset = self.other = 0        # two imported assets (the fixture fills them in)
        self.csv = folder / "fields.csv"

    def person(self, role: str) -> str:
        return self.people[role]

    def url(self, role: str | None) -> str:
        return self.owner_url if role is None else self.cluster.url(self.db, self.people[role])

    def sql_connection(self, role: str):
        return psycopg.connect(self.url(role), autocommit=False, passfile=str(self.cluster.pgpass))

    def map_root(self) -> None:
        """This test's desk (its own home folder) mounts the share where it is."""
        MountTable().set(self.catalog_id, "press", self.share)

    def add_person(self, name: str, roles: list[str], password: str = PASSWORD) -> None:
        argv = ["--catalog", self.owner_url, "users", "add", name, "--password-stdin"]
        for role in roles:
            argv += ["--role", role]
        assert _run(argv, stdin=password + "\n") == 0
        with open(self.cluster.pgpass, "a") as f:
            f.write(f"{self.cluster.host}:{self.cluster.port}:*:{name}:{password}\n")


