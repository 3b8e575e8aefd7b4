"""``mediadesk gallery add|remove TITLE (selection) [--create] [--json]``.

Put assets into a gallery or take them out, as one undoable operation (``mediadesk undo``
takes it back, as Edit > Undo does in the window). Assets taken out stay in the catalog and
in their other galleries. ``galleries`` lists the galleries and creates empty ones."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_OK,
    add_json_flag,
    add_selection_args,
    catalog_from_args,
    print_json,
    resolve_selection,
    say,
)
from mediadesk.services.galleries import create_gallery
from mediadesk.services.gallery_membership import add_to_gallery, remove_from_gallery


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gallery", help=COMMANDS["gallery"],
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (("add", "put the selected assets into the gallery"),
                       ("remove", "take the selected assets out of the gallery")):
        a = actions.add_parser(name, help=text, description=text)
        a.add_argument("title", metavar="TITLE", help="the gallery's title (see `mediadesk galleries`)")
        if name == "add":
            a.add_argument("--create", action="store_true", help="create the gallery if there is none by that title")
        add_selection_args(a)
        add_json_flag(a)
        a.set_defaults(func=run, adding=name == "add")


def run(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        store = catalog.galleries
        ids = resolve_selection(catalog, args)
        if args.adding and getattr(args, "create", False) and store.find(args.title) is None:
            create_gallery(catalog, args.title)
        gallery = store.require(args.title)
        change = add_to_gallery if args.adding else remove_from_gallery
        result = change(catalog, gallery.id, ids)
        count = store.get(gallery.id).count
    if args.json:
        print_json({"gallery": gallery.title, "gallery_id": gallery.id, "selected": len(ids),
                    "changed": result.count, "operation_id": result.operation_id, "count": count})
        return EXIT_OK
    verb, unchanged = ("added", "already in it") if args.adding else ("removed", "not in it")
    line = f'{verb} {result.count:,} asset(s) {"to" if args.adding else "from"} "{gallery.title}"'
    if len(ids) > result.count:
        line += f" ({len(ids) - result.count:,} were {unchanged})"
    say(line + f"; it now holds {count:,}")
    if result.operation_id is not None:
        say(f"operation {result.operation_id}; `mediadesk undo` reverts it")
    return EXIT_OK
