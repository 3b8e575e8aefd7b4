"""``mediadesk undo``: undo the most recent edit operation (a whole batch is one step)."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_ERROR, EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.services.edits import EditResult, redo, undo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("undo", help=COMMANDS["undo"],
                       description="Undo the most recent edit operation (a batch edit, a template, a CSV "
                                   "import is one step) and print what changed back. `mediadesk history` "
                                   "shows which operation that is; `mediadesk redo` takes it back.")
    add_json_flag(p)
    p.set_defaults(func=run, action_name="undo")


def run(args: argparse.Namespace) -> int:
    redoing = args.action_name == "redo"
    with catalog_from_args(args) as catalog:
        result = (redo if redoing else undo)(catalog)
        op = catalog.history.get(result.operation_id) if result and result.operation_id is not None else None
    return report(result, op, args.json, "redo" if redoing else "undo")


def report(result: EditResult | None, op, as_json: bool, verb: str) -> int:
    if result is None:
        if as_json:
            print_json({verb: None})
        else:
            say(f"nothing to {verb}")
        return EXIT_ERROR
    if as_json:
        print_json({
            verb: op.to_json() if op else {"id": result.operation_id},
            "reverted" if verb == "undo" else "reapplied": len(result.changed),
            "skipped": result.skipped,
        })
        return EXIT_OK
    past = "undid" if verb == "undo" else "redid"
    title = f": {op.description}" if op else ""
    say(f"{past} operation {result.operation_id}{title} ({len(result.changed)} field change(s))")
    for line in result.skipped:
        say(f"  kept: {line}")
    return EXIT_OK
