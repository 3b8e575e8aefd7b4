"""``mediadesk label COLOUR (selection) [--json]``: a colour label (red, yellow, green, blue,
purple, or ``none`` to take it off).

Labels are written to files as xmp:Label (the word Lightroom, Bridge and digiKam read) by
``writeback`` and found with ``label:red``. One undoable operation, as 6-9 in the window."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import add_json_flag, add_selection_args, catalog_from_args, resolve_selection
from mediadesk.cli.marks_output import report
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.marks import LABEL_BY_KEY, normalise_label
from mediadesk.services.marks import set_label


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("label", help=COMMANDS["label"], description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("colour", metavar="COLOUR", help=", ".join(LABEL_BY_KEY) + " or none")
    add_selection_args(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    label = normalise_label(args.colour)
    if label is not None and label.casefold() not in LABEL_BY_KEY:
        raise InvalidInput(f"{args.colour!r} is not a colour label; use {', '.join(LABEL_BY_KEY)} or none")
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        result = set_label(catalog, ids, label)
    return report(result, "label", label, what=f"labelled {label}" if label else "label cleared",
                  selected=len(ids), as_json=args.json)
