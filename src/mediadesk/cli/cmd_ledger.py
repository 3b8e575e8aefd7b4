"""``mediadesk ledger [--verify [--bundle PATH]] [--limit N] [--json]``: the exports made from this catalog."""

from __future__ import annotations

import argparse

from mediadesk.catalog import open_catalog
from mediadesk.catalog.ledger import PUBLISH_FAILED, LedgerEntry
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    add_json_flag,
    catalog_from_args,
    print_json,
    say,
    whole_number,
)
from mediadesk.domain.errors import InvalidInput
from mediadesk.paths import resolve_catalog_path
from mediadesk.services.ledger_check import check_receipt, head_problems, remember_head


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ledger", help=COMMANDS["ledger"],
        description="Every export is appended to a ledger in the catalog, each entry chained to the "
                    "one before by its hash, and each bundle carries a receipt (LEDGER.json) with its "
                    "entry id and chain hash. --verify recomputes the chain, names any entry that was "
                    "edited or deleted and reports a ledger that ends before the newest entry this "
                    "machine saw (exit 1); with --bundle it also proves that the bundle's entry is "
                    "still in the ledger and that its manifest is the one recorded.",
    )
    p.add_argument("--verify", action="store_true", help="check that no entry was edited or deleted")
    p.add_argument("--bundle", metavar="PATH", action="append", default=[],
                   help="with --verify: a bundle (folder or zip) whose LEDGER.json receipt to prove "
                        "against this ledger (may be given more than once)")
    p.add_argument("--limit", type=whole_number, metavar="N", help="only the newest N entries")
    add_json_flag(p)
    p.set_defaults(func=run)


def _line(e: LedgerEntry) -> str:
    when = e.at[:19].replace("T", " ")
    if e.event == PUBLISH_FAILED:
        detail = e.detail if isinstance(e.detail, dict) else {}
        return (f"{e.id:>5}  {when}  {e.who:<12}  publish of entry {detail.get('entry', '?')} failed: "
                f"{detail.get('reason', '?')}")
    return (f"{e.id:>5}  {when}  {e.who:<12}  {e.purpose:<20}  "
            f"{len(e.assets):>4} exported  {len(e.blocked):>4} blocked  "
            f"to {e.recipient or '-'}  {e.bundle}")


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise InvalidInput("--limit must be 1 or more")
    if args.bundle and not args.verify:
        raise InvalidInput("--bundle goes with --verify: mediadesk ledger --verify --bundle PATH")
    if not args.verify:
        with catalog_from_args(args) as catalog:
            entries = catalog.ledger.list(limit=args.limit)
        if args.json:
            print_json({"entries": [e.to_json() for e in entries]})
        else:
            for e in entries:
                say(_line(e))
            if not entries:
                say("no exports yet")
        return EXIT_OK
    # --verify opens even an altered catalog (read only, no migration) so that tampering is
    # reported as such; nothing in it is run: triggers never fire on reads, views are not read.
    path = resolve_catalog_path(getattr(args, "catalog", None))
    with open_catalog(path, create=False, schema="report") as catalog:
        store = catalog.ledger
        entries = store.list(limit=args.limit)
        problems = [f"the catalog's schema was altered: {p.describe()}" for p in catalog.schema_problems]
        problems += store.verify()
        catalog_id = store.catalog_id()
        if catalog_id is None and catalog.schema_version() >= 3:
            problems.append("the catalog's id (settings 'catalog.id') is missing: it was altered outside mediadesk")
        problems += head_problems(store, catalog_id)
        receipts = [check_receipt(catalog, bundle) for bundle in args.bundle]
        head = store.head() if not problems else None
    if head is not None:
        remember_head(catalog_id, head[0], head[1], str(path))
    failed = bool(problems) or any(r.problems for r in receipts)
    if args.json:
        print_json({"entries": [e.to_json() for e in entries], "ok": not failed, "problems": problems,
                    "bundles": [r.to_json() for r in receipts], "catalog_id": catalog_id})
        return EXIT_ERROR if failed else EXIT_OK
    for e in entries:
        say(_line(e))
    if not entries:
        say("no exports yet")
    if problems:
        say(f"LEDGER DAMAGED: {len(problems)} problem(s)")
        for problem in problems:
            say(f"  - {problem}")
    else:
        say("ledger intact: the hash chain of every entry checks out"
            + (" and it does not end before the newest entry this machine saw" if entries else ""))
    for r in receipts:
        receipt = r.receipt or {}
        if r.problems:
            say(f"bundle {r.bundle}: NOT PROVEN")
            for problem in r.problems:
                say(f"  - {problem}")
        else:
            say(f"bundle {r.bundle}: ledger entry {receipt.get('entry_id')} (chain hash "
                f"{receipt.get('chain_hash')}) is in this ledger and its manifest matches")
        for note in r.notes:
            say(f"  note: {note}")
    return EXIT_ERROR if failed else EXIT_OK
