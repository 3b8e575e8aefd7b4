"""``mediadesk catalog check|repair``: is the catalog's schema mediadesk's own, and mend it.

mediadesk refuses to open a catalog that carries triggers, views or indexes it did not make, or
whose own ones were changed (catalog/schema.py). ``check`` lists what differs; ``repair`` removes
what mediadesk did not make and rebuilds its own indexes and the search index. Tables whose
columns were changed cannot be rebuilt without losing data: restore those from a backup.
"""

from __future__ import annotations

import argparse

from mediadesk.catalog import open_catalog
from mediadesk.cli.common import EXIT_ERROR, EXIT_OK, add_json_flag, print_json, say
from mediadesk.domain.errors import CatalogError
from mediadesk.paths import resolve_catalog_path
from mediadesk.services.catalog_repair import repair_catalog


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help="check the catalog's schema, or repair it (a catalog from elsewhere)",
                       description=__doc__.split("\n\n")[1])
    actions = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
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
