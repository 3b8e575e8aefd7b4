"""Is this catalog's schema the one mediadesk's migrations build? (and ``catalog repair``)

A catalog is a file anyone can send: a trigger planted in it would run on every change (one that
re-grants rights after ``rights assign --none``), a recursive view can hang every query. So each
catalog is opened with ``trusted_schema`` OFF and its schema objects (tables, indexes, triggers,
views) are compared with those the migrations build for its version, in a private in-memory
database. A catalog with a trigger or view mediadesk did not make, or with one of its own objects
changed or missing, is refused with a message that names them; :func:`repair` drops the foreign
code and rebuilds the known indexes and the search index (``mediadesk catalog repair``). Tables
whose columns were changed are not rebuilt: that is damage (or tampering) to restore from a backup.
Extra tables are left alone: nothing reads or writes them, so they cannot act.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from mediadesk.catalog.dialect.sqlite_fts import rebuild_index
from mediadesk.catalog.migrations import run_steps
from mediadesk.catalog.writers import store_writer

FTS_TABLE = "assets_fts"
_SHADOW_PREFIX = FTS_TABLE + "_"   # FTS5's own tables; their DDL belongs to the SQLite version
CODE_TYPES = ("trigger", "view")


@dataclass(frozen=True)
class SchemaProblem:
    """One difference between a catalog's schema and the one mediadesk makes."""

    kind: str      # unknown | changed | missing
    type: str      # table | index | trigger | view
    name: str
    table: str = ""

    @property
    def runs_code(self) -> bool:
        return self.type in CODE_TYPES and self.kind != "missing"

    def describe(self) -> str:
        on = f" on {self.table}" if self.table and self.type in ("index", "trigger") else ""
        if self.kind == "unknown":
            what = {"trigger": "code that runs on every change", "view": "a stored query",
                    "index": "an index", "table": "a table"}[self.type]
            return f"{self.type} {self.name!r}{on} was not made by mediadesk ({what})"
        if self.kind == "changed":
            return f"{self.type} {self.name!r}{on} differs from the one mediadesk makes"
        return f"{self.type} {self.name!r}{on} is missing"


# a string literal (kept as it is), or a name quoted "x", [x] or `x` that needs no quotes
# (a string: re compiles it when a statement first differs, not at every open)
_LITERAL_OR_QUOTED_NAME = r"'(?:[^']|'')*'|\"(\w+)\"|\[(\w+)\]|`(\w+)`"


def _norm(sql: str | None) -> str:
    """The statement with its spacing and the quoting of plain names made uniform (steps made
    with sqlite-utils quote every name); string literals are compared as they are."""
    def unquote(m: re.Match[str]) -> str:
        return m.group(1) or m.group(2) or m.group(3) or m.group(0)

    text = re.sub(_LITERAL_OR_QUOTED_NAME, unquote, sql or "")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ?([(),]) ?", r"\1", text)


@functools.cache
def expected_schema(version: int) -> dict[str, tuple[str, str, str, str]]:
    """{name: (type, table, normalised sql, sql)} of what migrations 1..version build.

    Building it runs every step in memory, and the newer steps are made with sqlite-utils (~50 ms
    to import): too much for every start of the command line. So what was built is kept in the
    user's cache folder under a key of everything it depends on (the schema version, the SQLite
    library, the steps' source, the sqlite-utils that made them), and read back next time."""
    key = _cache_key(version)
    cached = _read_cached(key)
    if cached is not None:
        return cached
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        run_steps(conn, version)
        built = _objects(conn)
    finally:
        conn.close()
    _write_cached(key, built)
    return built


def _cache_key(version: int) -> str | None:
    """None when the steps' source cannot be read (a frozen build): then nothing is cached."""
    import zlib  # (a checksum is enough to tell versions apart; hashlib costs an OpenSSL load)
    from importlib.machinery import PathFinder  # (importlib.util would cost a command's start more)

    from mediadesk.catalog import migrations

    try:
        with open(migrations.__file__, "rb") as fh:
            steps = fh.read()
        made_by = ""
        spec = PathFinder.find_spec("sqlite_utils")
        if spec is not None and spec.origin:
            info = os.stat(os.path.join(os.path.dirname(spec.origin), "db.py"))
            made_by = f"{info.st_size}-{info.st_mtime_ns}"
    except (OSError, TypeError):
        return None
    sums = zlib.crc32(steps), len(steps), zlib.crc32(f"{sqlite3.sqlite_version}|{made_by}".encode())
    return "schema-{}-{:08x}{:x}-{:08x}.json".format(version, *sums)


def _cache_path(key: str) -> Path:
    from mediadesk.paths import cache_dir

    return cache_dir() / key


def _read_cached(key: str | None) -> dict[str, tuple[str, str, str, str]] | None:
    if key is None:
        return None
    try:
        data = json.loads(_cache_path(key).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(
            isinstance(name, str) and isinstance(row, list) and len(row) == 4
            and all(isinstance(x, str) for x in row) for name, row in data.items()):
        return None
    return {name: (row[0], row[1], row[2], row[3]) for name, row in data.items()}


def _write_cached(key: str | None, objects: dict[str, tuple[str, str, str, str]]) -> None:
    if key is None:
        return
    from mediadesk.fsutil import atomic_write_bytes

    path = _cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps(objects, sort_keys=True).encode(), verify=False)
    except OSError:
        pass   # a cache: the next start builds it again


def _master(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()


def _objects(conn: sqlite3.Connection) -> dict[str, tuple[str, str, str, str]]:
    return {name: (kind, table, _norm(sql), sql or "") for kind, name, table, sql in _master(conn)}


def check(conn: sqlite3.Connection, version: int) -> list[SchemaProblem]:
    """Every difference between the catalog's schema and the one of its version (unknown extra
    tables are not listed: they cannot act). A statement stored exactly as the migrations wrote
    it is not normalised (most are: ~1 ms less at every open)."""
    want = expected_schema(version)
    have = {name: (kind, table, sql or "") for kind, name, table, sql in _master(conn)}
    problems: list[SchemaProblem] = []
    for name, (kind, table, raw) in sorted(have.items()):
        expected = want.get(name)
        if expected is None:
            if kind != "table":
                problems.append(SchemaProblem("unknown", kind, name, table))
        elif expected[0] != kind:
            problems.append(SchemaProblem("changed", kind, name, table))
        elif name.startswith(_SHADOW_PREFIX) and kind == "table":
            continue
        elif raw != expected[3] and _norm(raw) != expected[2]:
            problems.append(SchemaProblem("changed", kind, name, table))
    for name, (kind, table, _sql, _raw) in sorted(want.items()):
        if name not in have:
            problems.append(SchemaProblem("missing", kind, name, table))
    return problems


def refusal_message(path: object, problems: list[SchemaProblem]) -> str:
    shown = "; ".join(p.describe() for p in problems[:6])
    more = f" (and {len(problems) - 6} more)" if len(problems) > 6 else ""
    code = any(p.runs_code for p in problems)
    why = (" A catalog must not carry code: it could change rights behind your back."
           if code else "")
    return (f"the catalog {path} was altered outside mediadesk: {shown}{more}.{why} It was not "
            f"opened. If you trust where it came from, `mediadesk catalog repair --catalog {path}` "
            "removes what mediadesk did not make and rebuilds its own indexes")


@dataclass
class RepairReport:
    """What ``catalog repair`` did, and what it cannot repair (changed or missing tables)."""

    done: list[str]
    unrepairable: list[str]


@store_writer
def repair(conn: sqlite3.Connection, version: int) -> RepairReport:
    """Drop foreign triggers, views and indexes, rebuild mediadesk's own indexes and the search
    index (one transaction). Changed or missing tables are listed as unrepairable."""
    want = expected_schema(version)
    done: list[str] = []
    unrepairable: list[str] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        problems = check(conn, version)
        for p in problems:
            if p.kind == "unknown" and p.type in ("trigger", "view", "index"):
                conn.execute(f'DROP {p.type.upper()} IF EXISTS "{_ident(p.name)}"')
                done.append(f"removed {p.type} {p.name!r}")
        fts_broken = any(p.name == FTS_TABLE or p.name.startswith(_SHADOW_PREFIX) for p in problems)
        for p in problems:
            if p.kind == "unknown" or p.name == FTS_TABLE or p.name.startswith(_SHADOW_PREFIX):
                continue
            kind, _table, _norm_sql, sql = want[p.name]
            if kind in ("index", "trigger", "view") and p.type in ("index", "trigger", "view"):
                if p.kind == "changed":
                    conn.execute(f'DROP {p.type.upper()} IF EXISTS "{_ident(p.name)}"')
                conn.execute(sql)
                done.append(f"rebuilt {kind} {p.name!r}")
            else:
                unrepairable.append(p.describe())
        if fts_broken:
            conn.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            for name in [n for n in _objects(conn) if n.startswith(_SHADOW_PREFIX)]:
                conn.execute(f'DROP TABLE IF EXISTS "{_ident(name)}"')
            conn.execute(want[FTS_TABLE][3])
            done.append("recreated the search index table")
        if "assets" in _objects(conn) and FTS_TABLE in _objects(conn):
            count = rebuild_index(conn)
            done.append(f"rebuilt the search index ({count} assets)")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return RepairReport(done, unrepairable)


def _ident(name: str) -> str:
    return name.replace('"', '""')
