"""``mediadesk galleries [--json]`` and gallery management."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.services.galleries import create_gallery


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("galleries", help=COMMANDS["galleries"],
                       description="List galleries; with --create, add one.")
    p.add_argument("--create", metavar="TITLE", help="create a gallery with this title")
    p.add_argument("--date", help="event date (YYYY-MM-DD) for --create")
    p.add_argument("--place", help="event place for --create")
    p.add_argument("--description", help="description for --create")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with catalog_from_args(args, create=bool(args.create)) as catalog:
        if args.create:
            create_gallery(catalog, args.create, date=args.date, place=args.place, description=args.description)
        galleries = catalog.galleries.list()
    if args.json:
        print_json([g.to_json() for g in galleries])
        return EXIT_OK
    for g in galleries:
        when = g.date or ""
        say(f"{g.id:>4}  {when:<10}  {g.count:>5} assets  {g.title}" + (f" — {g.place}" if g.place else ""))
    if not galleries:
        say("no galleries yet (import with --gallery NAME, or `mediadesk galleries --create TITLE`)")
    return EXIT_OK
