"""``mediadesk search [QUERY] [--kind K] [--gallery NAME] [--limit N] [--json]``"""

from __future__ import annotations

import argparse
from dataclasses import replace

from mediadesk.catalog.search import ORDERS
from mediadesk.cli.common import EXIT_OK, add_json_flag, catalog_from_args, print_json, say, whole_number
from mediadesk.domain.asset import format_duration
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.query import KINDS, parse_query


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search", help="find assets by free text and filters",
        description="Free text over title, caption, headline, keywords, people, organisations, place, "
                    "event, creator, credit and file name (word starts, case and accents ignored). "
                    "Filters inside QUERY: kind:video gallery:\"...\" people:rutte date:2025-03-01..2025-03-31 "
                    "after:2025-03 rights:editorial|none|embargoed|expired|problems missing:caption imported:recent. "
                    "Example: mediadesk search rutte kind:video --json",
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help="words and filters")
    p.add_argument("--kind", choices=KINDS, help="only assets of this kind (same as kind: in QUERY)")
    p.add_argument("--gallery", metavar="NAME", help="only assets in this gallery (its title, or a part of it)")
    p.add_argument("--limit", type=whole_number, default=None, metavar="N", help="print at most N assets")
    p.add_argument("--order", choices=sorted(ORDERS), default="date", help="sort order (default: date, newest first)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    query = parse_query(" ".join(args.query))
    if query.errors:
        raise InvalidInput("; ".join(query.errors))
    if args.kind:
        query = replace(query, kind=args.kind)
    if args.gallery:
        query = replace(query, galleries=query.galleries + (args.gallery,))
    if args.limit is not None and args.limit < 0:
        raise InvalidInput("--limit must be 0 or more")
    with catalog_from_args(args) as catalog:
        ids = catalog.index.ids(query, order=args.order, limit=args.limit)
        assets = catalog.assets.get_many(ids)
    if args.json:
        print_json([a.to_json() for a in assets])
        return EXIT_OK
    for a in assets:
        extra = f" [{format_duration(a.duration)}]" if a.duration else ""
        say(f"{a.id:>6}  {a.kind:<5}  {(a.date_created or '')[:10]:<10}  {a.display_title}{extra}")
        if a.caption and a.caption != a.title:
            say(f"        {a.caption[:110]}")
    say(f"{len(assets)} asset(s)")
    return EXIT_OK
