"""``mediadesk template add NAME --field FIELD --text TEXT [--mode replace|append|prepend]``,
``template list [--json]``, ``template remove NAME [--field FIELD]``.

A template with several fields: one ``template add`` per field with the same NAME; ``caption
apply`` fills them all as one operation. Variables: {event} {date} {date:%d %B %Y} {city}
{country} {people} {people:names} {creator} {title} {seq} {seq:03} {filename} {gallery} and any
field by name ({caption}, {headline}, ...); =code= replacements are expanded."""

from __future__ import annotations

import argparse
from typing import Any

from mediadesk.catalog.templates import MODES
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.services.templates import TEMPLATE_FIELDS, add_template, remove_template


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help=COMMANDS["template"], description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="add a field to a template (or change that field)")
    a.add_argument("name", metavar="NAME",
                   help="template name; a new field extends an existing template, "
                        "the same field again replaces its text")
    a.add_argument("--field", required=True, choices=TEMPLATE_FIELDS, metavar="FIELD",
                   help="field to fill: " + ", ".join(TEMPLATE_FIELDS))
    a.add_argument("--text", required=True, metavar="TEXT", help="text with {variables} and =codes=")
    a.add_argument("--mode", choices=MODES, default="replace",
                   help="replace the field (default), append to it or prepend to it")
    a.set_defaults(func=run_add)
    ls = actions.add_parser("list", help="list templates and their fields")
    add_json_flag(ls)
    ls.set_defaults(func=run_list)
    rm = actions.add_parser("remove", help="delete a template (or one of its fields)")
    rm.add_argument("name", metavar="NAME", help="template to remove (see `template list`)")
    rm.add_argument("--field", metavar="FIELD", help="remove only this field")
    rm.set_defaults(func=run_remove)


def run_add(args: argparse.Namespace) -> int:
    with catalog_from_args(args, create=True) as catalog:
        line = add_template(catalog, args.name, args.field, args.text, args.mode)
    say(f'template "{line.name}": {line.field} ({line.mode}) = {line.text}')
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        lines = catalog.templates.all()
    if args.json:
        grouped: dict[str, list[Any]] = {}
        for line in lines:
            grouped.setdefault(line.name, []).append(
                {"field": line.field, "text": line.text, "mode": line.mode})
        print_json([{"name": n, "fields": f} for n, f in grouped.items()])
        return EXIT_OK
    if not lines:
        say("no templates yet; add one with: mediadesk template add NAME --field caption --text TEXT")
    current = None
    for line in lines:
        if line.name != current:
            say(line.name)
            current = line.name
        say(f"  {line.field:<14} {line.mode:<8} {line.text}")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        removed = remove_template(catalog, args.name, args.field)
    say(f"removed {removed} template field(s)")
    return EXIT_OK
