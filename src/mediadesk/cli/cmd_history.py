"""``mediadesk history [ID] [--field FIELD] [--json]``.

With an asset ID: that asset's field changes, newest first (time, operation, old -> new).
Without: the recent operations, newest first, and which one `undo` / `redo` would take."""

from __future__ import annotations

import argparse

from mediadesk.catalog.history import MEMBERSHIP, HistoryStore
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, asset_id, catalog_from_args, print_json, say, whole_number
from mediadesk.domain.fields import FIELD_BY_NAME, METADATA_FIELDS
from mediadesk.services.find_replace import display_value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help=COMMANDS["history"],
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("id", nargs="?", type=asset_id, metavar="ID", help="asset id")
    p.add_argument("--field", choices=(*METADATA_FIELDS, "rights_profile_id", MEMBERSHIP), metavar="FIELD",
                   help=f"only this field ({MEMBERSHIP} for gallery membership)")
    p.add_argument("--limit", type=whole_number, default=50, metavar="N", help="operations to list (default 50)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        history = catalog.history
        if args.id is None:
            return _operations(history, args)
        catalog.assets.get(args.id)  # NotFound names the id
        changes = history.for_asset(args.id, args.field, newest_first=True)
        titles = {g.id: g.title for g in catalog.galleries.list()}
    if args.json:
        print_json([c.to_json() for c in changes])
        return EXIT_OK
    if not changes:
        say(f"asset {args.id} has no recorded changes" + (f" to {args.field}" if args.field else ""))
    for c in changes:
        label = FIELD_BY_NAME[c.field].label if c.field in FIELD_BY_NAME else c.field
        old, new = c.old, c.new
        if c.field == MEMBERSHIP:   # gallery ids, shown by title
            label = "Galleries"
            old, new = ([titles.get(i, f"gallery {i} (deleted)") for i in v or ()] for v in (old, new))
        state = "  (undone)" if c.undone else ""
        by = f"  by {c.user}" if c.user else ""
        say(f"{c.at}  op {c.operation_id} {c.kind}: {c.description}{state}{by}")
        say(f"    {label}: {display_value(old) or '(none)'}  ->  {display_value(new) or '(none)'}")
    return EXIT_OK


def _operations(history: HistoryStore, args: argparse.Namespace) -> int:
    ops = history.operations(args.limit)
    undo_next, redo_next = history.last_undoable(), history.next_redoable()
    if args.json:
        print_json({"operations": [o.to_json() for o in ops],
                    "undo": undo_next.id if undo_next else None,
                    "redo": redo_next.id if redo_next else None})
        return EXIT_OK
    if not ops:
        say("no edits recorded yet")
    for o in ops:
        mark = " <- undo" if undo_next and o.id == undo_next.id else (
            " <- redo" if redo_next and o.id == redo_next.id else "")
        state = " (undone)" if o.undone else ""
        by = f"  by {o.user}" if o.user else ""
        say(f"{o.id:>5}  {o.at}  {o.kind:<9} {o.count:>6} change(s)  {o.description}{state}{by}{mark}")
    return EXIT_OK
