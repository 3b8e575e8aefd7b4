#!/usr/bin/env python3
"""A throwaway PostgreSQL cluster for the tests and benchmarks (never a mock).

    python -m tests.support.pg_cluster start DIR    # make and start a cluster in DIR, print its owner URL
    python -m tests.support.pg_cluster stop DIR     # stop it and remove DIR

``initdb`` and ``pg_ctl`` refuse to run as root (the CI runs as root), so as root they run as the
``postgres`` user (``runuser -u postgres --``); as anyone else they run as that user. The server
listens on 127.0.0.1 on a free port only, its Unix socket goes into a private directory inside
the cluster's folder, and every connection authenticates with SCRAM-SHA-256: the superuser's and
the owner's passwords are random and go into a ``pgpass`` file (mode 0600) that libpq reads
through ``PGPASSFILE``, the way a desk is meant to keep its password.

Importable: :class:`Cluster` (``start``, ``create_database``, ``url``, ``stop``). The test
fixtures (tests/pg_fixtures.py) start one per test session.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OWNER = "mediadesk_owner"
SUPERUSER = "postgres"


class ClusterError(RuntimeError):
    """The cluster could not be made or started (the message says why and what to install)."""


def find_bindir() -> Path:
    """The newest PostgreSQL server binaries: Debian keeps them in /usr/lib/postgresql/N/bin."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    raise ClusterError("no PostgreSQL server found (initdb): install the Debian packages "
                       "'postgresql' and 'postgresql-contrib' (scripts/dev.sh setup does)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One throwaway cluster in ``folder`` (made by :meth:`start`, removed by :meth:`stop`)."""

    def __init__(self, folder: str | os.PathLike | None = None, *, durable: bool = False,
                 settings: dict[str, str] | None = None) -> None:
        """``durable``: keep PostgreSQL's crash safety (fsync, full page writes); the tests turn it
        off for speed (a throwaway cluster has nothing to keep), the benchmarks keep it on."""
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="mediadesk-pg-"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "sock"
        self.log = self.folder / "server.log"
        self.pgpass = self.folder / "pgpass"
        self.port = 0
        self.host = "127.0.0.1"
        self.durable = durable
        self.settings = dict(settings or {})
        self.superuser_password = ""
        self.owner_password = ""
        self._as_postgres = os.geteuid() == 0
        self.bindir: Path | None = None

    # -- running the server's tools ------------------------------------------------------------
    def _run(self, tool: str, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        assert self.bindir is not None
        cmd = [str(self.bindir / tool), *args]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.setdefault("LANG", "C.UTF-8")
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
        if check and out.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ClusterError(f"{tool} failed ({out.returncode}): {out.stderr.strip() or out.stdout.strip()}"
                               + (f"\nserver log:\n{log}" if log else ""))
        return out

    def _hand_to_postgres(self, path: Path) -> None:
        if self._as_postgres:
            shutil.chown(path, "postgres", "postgres")

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> Cluster:
        self.bindir = find_bindir()
        if self._as_postgres:
            try:
                import pwd
                pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterError("running as root, but there is no 'postgres' user to run initdb as "
                                   "(install the Debian package 'postgresql', which makes it)") from None
            if not shutil.which("runuser"):
                raise ClusterError("running as root needs runuser (util-linux) to start PostgreSQL as 'postgres'")
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o711)
        for folder in (self.sockets, self.data):
            folder.mkdir(mode=0o700, exist_ok=True)
            self._hand_to_postgres(folder)
        self.superuser_password = secrets.token_urlsafe(24)
        self.owner_password = secrets.token_urlsafe(24)
        pwfile = self.folder / "initdb.pw"
        pwfile.write_text(self.superuser_password + "\n")
        os.chmod(pwfile, 0o600)
        self._hand_to_postgres(pwfile)
        self.log.touch()
        self._hand_to_postgres(self.log)
        try:
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                      "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        finally:
            pwfile.unlink(missing_ok=True)
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.sockets}'",
            "password_encryption": "'scram-sha-256'",
            "max_connections": "200",
            "shared_buffers": "'128MB'",
            "log_min_messages": "warning",
            "log_statement": "'none'",
        }
        if not self.durable:
            conf.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        conf.update(self.settings)
        with open(self.data / "postgresql.auto.conf", "a") as f:
            for key, value in conf.items():
                f.write(f"{key} = {value}\n")
        for attempt in range(5):
            self.port = free_port()
            out = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                            "-o", f"-p {self.port}", "start", check=False)
            if out.returncode == 0:
                break
            if "could not bind" not in self.log.read_text(errors="replace") or attempt == 4:
                raise ClusterError(f"pg_ctl start failed: {out.stderr.strip() or out.stdout.strip()}\n"
                                   f"server log:\n{self.log.read_text(errors='replace')[-2000:]}")
        self._write_pgpass()
        from psycopg import sql

        self._admin(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(OWNER), sql.Literal(self.owner_password)))
        return self

    def _write_pgpass(self) -> None:
        lines = [f"{self.host}:{self.port}:*:{SUPERUSER}:{self.superuser_password}",
                 f"{self.host}:{self.port}:*:{OWNER}:{self.owner_password}"]
        fd = os.open(self.pgpass, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")

    def url(self, dbname: str = "postgres", user: str = OWNER) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", user: str = SUPERUSER):
        import psycopg

        return psycopg.connect(self.url(dbname, user), autocommit=True, passfile=str(self.pgpass))

    def _admin(self, statement, dbname: str = "postgres") -> None:
        with self.connect(dbname) as conn:
            conn.execute(statement)

    def create_database(self, name: str, *, template: str | None = None, owner: str = OWNER,
                        ctype: str | None = None) -> str:
        """A new database owned by ``owner``; returns its URL (the owner's, password from pgpass).
        ``ctype``: its LC_CTYPE and LC_COLLATE (made from template0), e.g. "C"."""
        from psycopg import sql

        query = sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner))
        if template:
            query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
        elif ctype:
            query = sql.SQL("{} TEMPLATE template0 LC_CTYPE {} LC_COLLATE {}").format(
                query, sql.Literal(ctype), sql.Literal(ctype))
        with self.connect() as conn:
            conn.execute(query)
        return self.url(name, owner)

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        with self.connect() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and remove the folder."""
        if self.bindir is not None and (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until_stopped(cluster: Cluster, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while (cluster.data / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description="a throwaway PostgreSQL cluster for mediadesk's tests and benchmarks")
    p.add_argument("action", choices=("start", "stop"))
    p.add_argument("folder")
    p.add_argument("--durable", action="store_true", help="keep fsync and full page writes on (benchmarks)")
    p.add_argument("--database", default="mediadesk", help="database to create, owned by mediadesk_owner")
    a = p.parse_args(argv)
    cluster = Cluster(a.folder, durable=a.durable)
    if a.action == "stop":
        cluster.bindir = find_bindir()
        cluster.stop()
        return 0
    try:
        cluster.start()
        url = cluster.create_database(a.database)
    except Exception as exc:
        print(f"cannot start PostgreSQL: {exc}", file=sys.stderr)
        cluster.stop()
        return 1
    print(url)
    print(f"PGPASSFILE={cluster.pgpass}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
