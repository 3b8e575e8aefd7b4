"""``mediadesk tag add|remove --keyword K | --person P | --organisation O (selection)``.

Repeat an option to add or remove several; hierarchical keywords are written as paths
(``Places|Europe|Belgium|Brussels``); removing a path removes what is below it too. ``--role``
with one ``--person`` also records the person's role in the people directory, which ``{people}``
in caption templates uses. One undoable operation."""

from __future__ import annotations

import argparse

from mediadesk.cli.cmd_caption import print_batch
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import add_json_flag, add_selection_args, catalog_from_args, resolve_selection
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.people import set_person
from mediadesk.services.tagging import change_tags


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tag", help=COMMANDS["tag"], description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name in ("add", "remove"):
        a = actions.add_parser(name, help=f"{name} keywords, people or organisations")
        a.add_argument("--keyword", action="append", default=[], metavar="K", dest="keywords",
                       help="a keyword (Places|Europe|Belgium for a hierarchy); repeat for several")
        a.add_argument("--person", action="append", default=[], metavar="P", dest="people",
                       help="a person shown; repeat for several")
        a.add_argument("--organisation", "--organization", action="append", default=[], metavar="O",
                       dest="organisations", help="an organisation; repeat for several")
        if name == "add":
            a.add_argument("--role", metavar="ROLE",
                           help="the person's role, kept in the people directory (one --person only)")
        add_selection_args(a)
        a.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
        add_json_flag(a)
        a.set_defaults(func=run, adding=name == "add")


def run(args: argparse.Namespace) -> int:
    role = getattr(args, "role", None)
    if role is not None and len(args.people) != 1:
        raise InvalidInput("--role goes with exactly one --person")
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        result = change_tags(catalog, ids, add=args.adding, keywords=args.keywords, people=args.people,
                             organisations=args.organisations, dry_run=args.dry_run)
        if role is not None and not args.dry_run:
            set_person(catalog, args.people[0], role)
    return print_batch(result, args.json, selected=len(ids))
