"""``mediadesk codes import FILE``, ``codes export FILE``, ``codes list``, ``codes add CODE TEXT``,
``codes remove CODE``, ``codes expand TEXT``.

The file is Photo Mechanic's code replacement format: ``code<TAB>expansion`` per line, blank
lines and ``#`` comments ignored. Type ``=code=`` in a caption or template to expand it."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, EXIT_PARTIAL, add_json_flag, catalog_from_args, print_json, say
from mediadesk.services.codes import CodeTable, export_codes, import_codes, remove_code, set_code


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("codes", help=COMMANDS["codes"],
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    i = actions.add_parser("import", help="add the codes of a tab-separated file")
    i.add_argument("file", metavar="FILE",
                   help="tab-separated text file: one code, a tab, its expansion per line (Photo Mechanic's form)")
    i.add_argument("--replace-all", action="store_true",
                   help="make the catalog's list exactly the file's codes (default: add and update)")
    add_json_flag(i)
    i.set_defaults(func=run_import)
    e = actions.add_parser("export", help="write the codes as a tab-separated file")
    e.add_argument("file", metavar="FILE",
                   help="tab-separated text file to write (replaced atomically if it exists)")
    e.set_defaults(func=run_export)
    ls = actions.add_parser("list", help="list the codes")
    add_json_flag(ls)
    ls.set_defaults(func=run_list)
    a = actions.add_parser("add", help="add or change one code")
    a.add_argument("code", metavar="CODE", help="the shortcode, with or without its = signs (rutte or =rutte=)")
    a.add_argument("expansion", metavar="TEXT",
                   help="what the code stands for, e.g. \"NATO Secretary General Mark Rutte\"")
    a.set_defaults(func=run_add)
    r = actions.add_parser("remove", help="remove one code")
    r.add_argument("code", metavar="CODE", help="the shortcode to remove")
    r.set_defaults(func=run_remove)
    x = actions.add_parser("expand", help="print TEXT with its =codes= expanded")
    x.add_argument("text", metavar="TEXT", help="text with =codes= in it")
    x.set_defaults(func=run_expand)


def run_import(args: argparse.Namespace) -> int:
    with catalog_from_args(args, create=True) as catalog:
        parsed = import_codes(catalog, args.file, replace_all=args.replace_all)
    if args.json:
        print_json({"imported": len(parsed.entries), "errors": parsed.errors, "encoding": parsed.encoding})
    else:
        note = f" (read as {parsed.encoding})" if parsed.encoding != "utf-8" else ""
        say(f"imported {len(parsed.entries)} code(s) from {args.file}{note}")
        for error in parsed.errors:
            say(f"  problem: {error}")
        if parsed.errors:
            say(f"{len(parsed.errors)} line(s) were not imported; fix them and import the file again")
    return EXIT_PARTIAL if parsed.errors else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        count = export_codes(catalog, args.file)
    say(f"wrote {count} code(s) to {args.file}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        codes = catalog.codes.all()
    if args.json:
        print_json([{"code": c, "expansion": e} for c, e in codes.items()])
        return EXIT_OK
    if not codes:
        say("no codes yet; add one with: mediadesk codes add rutte \"NATO Secretary General Mark Rutte\"")
    width = max((len(c) for c in codes), default=0) + 2
    for code, expansion in codes.items():
        say(f"={code}=".ljust(width + 2) + expansion.replace("\t", " | "))
    return EXIT_OK


def run_add(args: argparse.Namespace) -> int:
    with catalog_from_args(args, create=True) as catalog:
        set_code(catalog, args.code, args.expansion)
    say(f"code ={args.code.strip('=')}= saved")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        remove_code(catalog, args.code)
    say(f"code ={args.code.strip('=')}= removed")
    return EXIT_OK


def run_expand(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        say(CodeTable.load(catalog).expand(args.text), keep_lines=True)
    return EXIT_OK
