"""``mediadesk catalog info|upgrade|copy|check|repair``: what a catalog is and holds, its schema,
copies between a catalog file and a team catalog.

``info`` says which engine, schema version, counts and (team catalogs) storage roots. ``upgrade``
brings a team catalog to this mediadesk's schema (every desk then needs this version; a desk
catalog file is upgraded whenever it is opened). ``copy SRC DST`` copies a catalog file into a
team catalog (``postgresql://USER@HOST/DB``) or back, then verifies the counts and the export
ledger's chain; interrupted, it can be run again.

mediadesk refuses to open a catalog that carries triggers, views or indexes it did not make, or
whose own ones were changed (catalog/schema.py). ``check`` lists what differs; ``repair`` removes
what mediadesk did not make and rebuilds its own indexes and the search index. Tables whose
columns were changed cannot be rebuilt without losing data: restore those from a backup.
"""

from __future__ import annotations

import argparse
from typing import Any

from mediadesk import __version__
from mediadesk.catalog import open_catalog
from mediadesk.catalog.migrations import SCHEMA_VERSION
from mediadesk.catalog.summary import counts, server
from mediadesk.catalog.transfer import CopyFailed
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_BAD_ARGS, EXIT_ERROR, EXIT_OK, add_json_flag, fail, print_json, say
from mediadesk.domain.errors import CatalogError
from mediadesk.paths import resolve_catalog_path
from mediadesk.services.catalog_copy import copy_catalog
from mediadesk.services.catalog_repair import repair_catalog
from mediadesk.services.roots import root_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help=COMMANDS["catalog"],
                       description=__doc__.split("\n\n")[1])
    actions = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    i = actions.add_parser("info", help="engine, schema version, counts and storage roots of the catalog")
    add_json_flag(i)
    i.set_defaults(func=run_info)
    u = actions.add_parser("upgrade", help="bring a team catalog to this mediadesk's schema (its owner)")
    add_json_flag(u)
    u.set_defaults(func=run_upgrade)
    c = actions.add_parser("copy", help="copy a catalog file into a team catalog, or a team catalog into a file",
                           description="Copy everything (assets, galleries, history and undo, the export "
                                       "ledger, profiles, templates, codes, saved searches, people, "
                                       "thumbnails) and verify it. SRC and DST: a catalog file and a "
                                       "postgresql:// URL, either way round.")
    c.add_argument("source", metavar="SRC", help="the catalog to copy (a file, or postgresql://USER@HOST/DB)")
    c.add_argument("destination", metavar="DST", help="where to (a team catalog URL, or a new catalog file)")
    c.add_argument("--root", action="append", default=[], metavar="NAME=FOLDER",
                   help="into a team catalog: the storage root that holds the files under FOLDER "
                        "(added, or mapped if the team catalog has it); repeat for several")
    add_json_flag(c)
    c.set_defaults(func=run_copy)
    c = actions.add_parser("check", help="list schema objects mediadesk did not make or that were changed")
    add_json_flag(c)
    c.set_defaults(func=run_check)
    r = actions.add_parser("repair", help="remove foreign triggers, views and indexes; rebuild mediadesk's "
                                          "own indexes and the search index")
    add_json_flag(r)
    r.set_defaults(func=run_repair)


def run_check(args: argparse.Namespace) -> int:
    path = resolve_catalog_path(getattr(args, "catalog", None))
    with open_catalog(path, create=False, schema="report") as catalog:
        problems = [p.describe() for p in catalog.schema_problems]
    if args.json:
        print_json({"catalog": str(path), "ok": not problems, "problems": problems})
    elif problems:
        say(f"the catalog {path} was altered outside mediadesk:")
        for problem in problems:
            say(f"  - {problem}")
        say(f"`mediadesk catalog repair --catalog {path}` removes what mediadesk did not make")
    else:
        say(f"the catalog {path} has mediadesk's own schema")
    return EXIT_ERROR if problems else EXIT_OK


def run_repair(args: argparse.Namespace) -> int:
    path = resolve_catalog_path(getattr(args, "catalog", None))
    with open_catalog(path, create=False, schema="report") as catalog:
        report = repair_catalog(catalog)
    still = []
    if not report.unrepairable:
        try:
            open_catalog(path, create=False).close()   # opens (and upgrades) it as every command does
        except CatalogError as exc:
            still.append(str(exc))
    ok = not report.unrepairable and not still
    if args.json:
        print_json({"catalog": str(path), "ok": ok, "done": report.done,
                    "unrepairable": report.unrepairable + still})
        return EXIT_OK if ok else EXIT_ERROR
    for line in report.done:
        say(f"  {line}")
    for line in report.unrepairable:
        say(f"  cannot repair: {line}; restore the catalog from a backup")
    for line in still:
        say(f"  {line}")
    say(f"the catalog {path} is repaired" if ok else f"the catalog {path} is NOT repaired")
    return EXIT_OK if ok else EXIT_ERROR


def run_info(args: argparse.Namespace) -> int:
    target = resolve_catalog_path(getattr(args, "catalog", None))
    with open_catalog(target, create=False, readonly=True) as catalog:
        info: dict[str, Any] = {
            "catalog": catalog.location, "engine": catalog.dialect.name,
            "schema_version": catalog.schema_version(), "program_schema_version": SCHEMA_VERSION,
            "program": __version__, "counts": counts(catalog),
            "catalog_id": catalog.ledger.catalog_id(),
            "storage_roots": [s.to_json() for s in root_status(catalog).values()],
        }
        if catalog.url is not None:
            info["server"] = server(catalog)
    if args.json:
        print_json(info)
        return EXIT_OK
    say(f"catalog      {info['catalog']}")
    say(f"engine       {'PostgreSQL (team catalog)' if info['engine'] == 'postgresql' else 'SQLite (desk catalog)'}")
    say(f"schema       {info['schema_version']} (this mediadesk {__version__}: {SCHEMA_VERSION})")
    if "server" in info:
        srv = info["server"]
        say(f"server       {srv['version']}, database {srv['database']} as {srv['user']}"
            f"{', TLS' if srv['tls'] else ', no TLS'}")
    for name, n in info["counts"].items():
        say(f"  {name.replace('_', ' '):<18} {n:,}")
    if catalog.url is not None:
        roots = info["storage_roots"]
        say(f"storage roots ({len(roots)})" + ("" if roots else ": none yet (mediadesk roots add NAME FOLDER)"))
        for root in roots:
            state = "online" if root["online"] else f"offline: {root['problem']}"
            say(f"  {root['name']:<14} {root['mount'] or '(not mapped here)'}  {root['assets']:,} assets, {state}")
    return EXIT_OK


def run_upgrade(args: argparse.Namespace) -> int:
    target = resolve_catalog_path(getattr(args, "catalog", None))
    if not isinstance(target, str):
        with open_catalog(target, create=False, schema="report") as catalog:
            before = catalog.schema_version()
        with open_catalog(target, create=False) as catalog:     # a file is upgraded when opened
            after = catalog.schema_version()
    else:
        with open_catalog(target, create=False, upgrade=True) as catalog:
            before, after = catalog.schema_before, catalog.schema_version()
            target = catalog.location
    if args.json:
        print_json({"catalog": str(target), "from": before, "to": after, "upgraded": after != before})
    elif after != before:
        say(f"the catalog {target} was upgraded from schema {before} to {after}; every desk needs "
            f"mediadesk {__version__} or newer now")
    else:
        say(f"the catalog {target} is at schema {after} already: nothing to do")
    return EXIT_OK


def _roots(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        name, sep, folder = value.partition("=")
        if not sep or not name or not folder:
            raise ValueError(f"--root {value!r}: write NAME=FOLDER (e.g. press=/mnt/press)")
        out.append((name, folder))
    return out


def run_copy(args: argparse.Namespace) -> int:
    try:
        roots = _roots(args.root)
    except ValueError as exc:
        return fail(str(exc), EXIT_BAD_ARGS)
    shown: dict[str, int] = {}

    def progress(table: str, done: int) -> None:   # a line per 20,000 rows of the big tables
        if not args.json and done - shown.get(table, 0) >= 20_000:
            shown[table] = done
            say(f"  {table}: {done:,}", err=True)

    try:
        report = copy_catalog(args.source, args.destination, roots=roots, progress=progress)
    except CopyFailed as exc:
        if args.json:
            print_json(exc.report.to_json())
            return EXIT_ERROR
        return fail(str(exc))
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    say(f"copied {report.source} -> {report.destination}: " + ", ".join(
        f"{n:,} {name.replace('_', ' ')}" for name, n in report.counts.items() if n) +
        f", {report.thumbnails:,} thumbnails")
    say(f"verified: every table's count, and the export ledger's chain ({report.ledger_entries} "
        f"entr{'y' if report.ledger_entries == 1 else 'ies'}, head {report.ledger_head or 'none'})")
    return EXIT_OK
