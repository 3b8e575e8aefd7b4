"""``mediadesk search [QUERY] [--kind K] [--gallery NAME] [--limit N] [--json]``"""

from __future__ import annotations

import argparse
from dataclasses import replace

from mediadesk.catalog.search import ORDERS
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, catalog_from_args, print_json, say, whole_number
from mediadesk.domain.asset import format_duration
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.query import KINDS, parse_query
from mediadesk.services.search_words import match_line, matches_for

SHOWN_MATCHES = 3


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search", help=COMMANDS["search"],
        description="Free text over title, caption, headline, keywords, people, organisations, place, "
                    "event, creator, credit, file name, a document's text, subtitle and transcript cues and "
                    "chapter names (word starts, case and accents ignored; \"quoted phrases\"). "
                    "Filters inside QUERY: kind:video|document gallery:\"...\" people:rutte "
                    "date:2025-03-01..2025-03-31 after:2025-03 rights:editorial|none|embargoed|expired|problems "
                    "missing:caption imported:recent has:subtitles|transcript|chapters|text|links lang:pl "
                    "chapter:\"Q&A\" text:... subtitle:... . A hit in the words is printed under its asset "
                    "([2:31] for a moment of a video); --json adds \"matches\". "
                    "Example: mediadesk search \"defence production\" kind:video --json",
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
        matches = matches_for(catalog, query, [a.id for a in assets])
    if args.json:
        print_json([{**a.to_json(), "matches": [m.to_json() for m in matches[a.id]]} for a in assets])
        return EXIT_OK
    for a in assets:
        extra = f" [{format_duration(a.duration)}]" if a.duration else ""
        say(f"{a.id:>6}  {a.kind:<5}  {(a.date_created or '')[:10]:<10}  {a.display_title}{extra}")
        found = matches[a.id]
        if found:
            for match in found[:SHOWN_MATCHES]:
                say(f"        {match_line(match)}")
        elif a.caption and a.caption != a.title:
            say(f"        {a.caption[:110]}")
    say(f"{len(assets)} asset(s)")
    return EXIT_OK
