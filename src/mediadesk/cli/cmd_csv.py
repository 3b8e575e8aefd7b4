"""``mediadesk csv export FILE (selection) [--field F]...`` and ``csv import FILE [--dry-run]``.

Export writes id, file_name and the chosen fields (default: all) as UTF-8 CSV for a
spreadsheet. Import checks every row first: rows that match no asset or hold bad values are
reported with their line number and skipped; the rest is one undoable operation."""

from __future__ import annotations

import argparse

from mediadesk.cli.cmd_caption import print_batch
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, add_selection_args, catalog_from_args, resolve_selection, say
from mediadesk.domain.fields import METADATA_FIELDS
from mediadesk.services.csv_io import export_csv, import_csv


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("csv", help=COMMANDS["csv"],
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = actions.add_parser("export", help="write a CSV of the selection")
    e.add_argument("file", metavar="FILE", help="CSV file to write (UTF-8, with an id column to import it back)")
    e.add_argument("--field", action="append", dest="fields", choices=METADATA_FIELDS, metavar="FIELD",
                   help="field to export (repeat; default: every field)")
    add_selection_args(e)
    e.set_defaults(func=run_export)
    i = actions.add_parser("import", help="apply an edited CSV")
    i.add_argument("file", metavar="FILE",
                   help="CSV file written by `csv export` and edited (the id column says which asset)")
    i.add_argument("--dry-run", action="store_true", help="check and show the changes; change nothing")
    add_json_flag(i)
    i.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        rows = export_csv(catalog, ids, args.file, args.fields)
    say(f"wrote {rows} row(s) to {args.file}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        result = import_csv(catalog, args.file, dry_run=args.dry_run)
    return print_batch(result, args.json)
