"""``mediadesk pick (selection) [--reject | --clear] [--json]``: mark assets picked (Photo
Mechanic's tag, Lightroom's flag), rejected, or neither.

Picks are the catalog's own (no file carries them); ``picked:yes``, ``rejected:yes`` and
``pick:none`` find them. One undoable operation, as P, X and U in the window."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import add_json_flag, add_selection_args, catalog_from_args, resolve_selection
from mediadesk.cli.marks_output import report
from mediadesk.domain.marks import PICKED, REJECTED, pick_word
from mediadesk.services.marks import set_pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pick", help=COMMANDS["pick"], description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--reject", action="store_true", help="mark them rejected instead")
    which.add_argument("--clear", action="store_true", help="neither picked nor rejected")
    add_selection_args(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pick = None if args.clear else REJECTED if args.reject else PICKED
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        result = set_pick(catalog, ids, pick)
    return report(result, "pick", pick_word(pick), what=pick_word(pick) if pick else "pick cleared",
                  selected=len(ids), as_json=args.json)
