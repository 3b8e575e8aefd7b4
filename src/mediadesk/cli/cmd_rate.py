"""``mediadesk rate STARS (selection) [--json]``: 0-5 stars (0 or ``none`` clears the rating).

The stars are written to files as xmp:Rating by ``writeback`` and found with ``rating:>=4``.
One undoable operation, as the 0-5 keys in the window."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import add_json_flag, add_selection_args, catalog_from_args, resolve_selection
from mediadesk.cli.marks_output import report
from mediadesk.domain.marks import normalise_rating
from mediadesk.services.marks import set_rating


def _stars(text: str) -> int | None:
    return None if text.strip().lower() == "none" else normalise_rating(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rate", help=COMMANDS["rate"], description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("stars", metavar="STARS", help="0 to 5 (0 or none: not rated)")
    add_selection_args(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    stars = _stars(args.stars)
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        result = set_rating(catalog, ids, stars)
    return report(result, "rating", stars, what=f"rated {'★' * stars}" if stars else "rating cleared",
                  selected=len(ids), as_json=args.json)
