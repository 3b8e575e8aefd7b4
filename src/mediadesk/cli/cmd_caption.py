"""``mediadesk caption apply --template NAME (selection)`` and
``mediadesk caption replace --find TEXT --replace TEXT [--regex] [--field F]... (selection)``.

Both print every change (old -> new); ``--dry-run`` only shows them. A real run is one
undoable operation (``mediadesk undo``)."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    add_json_flag,
    add_selection_args,
    catalog_from_args,
    print_json,
    resolve_selection,
    say,
)
from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.services.edits import BatchResult
from mediadesk.services.find_replace import SEARCHABLE_FIELDS, display_value, find_replace
from mediadesk.services.templates import apply_template

PREVIEW_WIDTH = 100


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("caption", help=COMMANDS["caption"],
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("apply", help="apply a saved template to assets")
    a.add_argument("--template", required=True, metavar="NAME", help="template name (see `template list`)")
    _common(a)
    a.set_defaults(func=run_apply)

    r = actions.add_parser("replace", help="find and replace text in chosen fields")
    r.add_argument("--find", required=True, metavar="TEXT", help="text (or with --regex, expression) to find")
    r.add_argument("--replace", required=True, metavar="TEXT",
                   help="replacement; with --regex \\1 or \\g<name> insert groups; =code= is expanded")
    r.add_argument("--regex", action="store_true", help="--find is a regular expression (Python syntax)")
    r.add_argument("--whole-word", action="store_true", help="match whole words only")
    r.add_argument("--ignore-case", action="store_true", help="match regardless of case")
    r.add_argument("--field", action="append", dest="fields", metavar="FIELD", choices=SEARCHABLE_FIELDS,
                   help="field to search (repeat for several; default: every text and list field)")
    _common(r)
    r.set_defaults(func=run_replace)


def _common(p: argparse.ArgumentParser) -> None:
    add_selection_args(p)
    p.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    add_json_flag(p)


def run_apply(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        result = apply_template(catalog, args.template, ids, dry_run=args.dry_run, gallery=args.gallery)
    return print_batch(result, args.json, selected=len(ids))


def run_replace(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        result = find_replace(catalog, ids, args.find, args.replace, fields=args.fields, regex=args.regex,
                              whole_word=args.whole_word, match_case=not args.ignore_case,
                              dry_run=args.dry_run)
    return print_batch(result, args.json, selected=len(ids))


def _short(text: str) -> str:
    text = text.replace("\n", "⏎ ")
    return text if len(text) <= PREVIEW_WIDTH else text[:PREVIEW_WIDTH - 1] + "…"


def print_batch(result: BatchResult, as_json: bool, *, selected: int | None = None) -> int:
    """Print a batch preview/result; exit 3 when some rows or assets had problems."""
    code = EXIT_PARTIAL if result.problems else EXIT_OK
    if as_json:
        data = result.to_json()
        if selected is not None:
            data["selected"] = selected
        print_json(data)
        return code
    for asset_id, field, old, new in result.preview:
        label = FIELD_BY_NAME[field].label if field in FIELD_BY_NAME else field
        say(f"asset {asset_id}  {label}")
        say(f"    old: {_short(display_value(old)) or '(empty)'}")
        say(f"    new: {_short(display_value(new)) or '(empty)'}")
    for warning in result.warnings:
        say(f"warning: {warning}")
    for problem in result.problems:
        say(f"problem: {problem}")
    what = f"{len(result.preview)} field(s) on {len(result.assets)} asset(s)"
    if result.dry_run:
        say(f"dry run: would change {what}; nothing was changed")
    elif result.operation_id is None:
        say("nothing to change: the assets already hold these values")
    else:
        say(f"changed {what} (operation {result.operation_id}; `mediadesk undo` reverts it)")
    return code
