"""``mediadesk ledger [--verify] [--limit N] [--json]``: the exports made from this catalog."""

from __future__ import annotations

import argparse

from mediadesk.catalog.ledger import LedgerStore
from mediadesk.cli.common import EXIT_ERROR, EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.domain.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ledger", help="list the exports made (who, when, purpose, recipient); --verify checks the chain",
        description="Every export is appended to a ledger in the catalog, each entry chained to the "
                    "one before by its hash. --verify recomputes the chain and names any entry that "
                    "was edited or deleted (exit 1).",
    )
    p.add_argument("--verify", action="store_true", help="check that no entry was edited or deleted")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N entries")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise InvalidInput("--limit must be 1 or more")
    with catalog_from_args(args) as catalog:
        store = LedgerStore(catalog)
        entries = store.list(limit=args.limit)
        problems = store.verify() if args.verify else None
    if args.json:
        data = {"entries": [e.to_json() for e in entries]}
        if problems is not None:
            data.update(ok=not problems, problems=problems)
        print_json(data)
    else:
        for e in entries:
            say(f"{e.id:>5}  {e.at[:19].replace('T', ' ')}  {e.who:<12}  {e.purpose:<20}  "
                f"{len(e.assets):>4} exported  {len(e.blocked):>4} blocked  "
                f"to {e.recipient or '-'}  {e.bundle}")
        if not entries:
            say("no exports yet")
        if problems is not None:
            if problems:
                say(f"LEDGER DAMAGED: {len(problems)} problem(s)")
                for problem in problems:
                    say(f"  - {problem}")
            else:
                say("ledger intact: the hash chain of every entry checks out")
    return EXIT_ERROR if problems else EXIT_OK
