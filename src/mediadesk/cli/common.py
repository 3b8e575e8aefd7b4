"""Shared pieces of the command-line tools: opening the catalog, selections, output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mediadesk.catalog import Catalog, open_catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.search import SearchIndex
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.query import parse_query
from mediadesk.paths import resolve_catalog_path
from mediadesk.terminal_text import for_terminal, for_terminal_lines, json_for_terminal

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_ARGS = 2
EXIT_PARTIAL = 3
EXIT_NOTHING_DONE = 4  # `export`: every asset was blocked or failed; nothing was written
EXIT_BROKEN_PIPE = 128 + 13  # the reader went away (`| head`), as if killed by SIGPIPE


def catalog_from_args(args: argparse.Namespace) -> Catalog:
    return open_catalog(resolve_catalog_path(getattr(args, "catalog", None)))


def say(text: object = "", *, err: bool = False, keep_lines: bool = False) -> None:
    """Print one line of human output (stdout, or stderr with ``err``): every command prints
    through here. File names, captions and messages in it may come from hostile files, so every
    control character is shown escaped (``\\x1b``, ``\\n``, ``\\u202e``), never obeyed; with
    ``keep_lines`` newlines and tabs are kept (text the user asked to see as it is, such as
    ``codes expand``)."""
    text = for_terminal_lines(text) if keep_lines else for_terminal(text)
    print(text, file=sys.stderr if err else sys.stdout)


def fail(message: str, code: int = EXIT_ERROR) -> int:
    say(f"mediadesk: {message}", err=True)
    return code


def print_json(data: Any) -> None:
    """``data`` as JSON on stdout. json escapes C0 controls; DEL, C1, lone surrogates and Unicode
    format characters are written as ``\\u`` escapes too, so no string can drive a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(json_for_terminal(text))
    sys.stdout.write("\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_selection_args(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--gallery NAME | --query TEXT | ID...``: which assets a command works on."""
    group = parser.add_argument_group("selection (one of)")
    group.add_argument("--gallery", metavar="NAME", help="all assets of this gallery")
    group.add_argument("--query", metavar="TEXT", help="all assets this search finds (same syntax as `search`)")
    group.add_argument("ids", nargs="*", type=int, metavar="ID", help="asset ids")
    parser.set_defaults(_selection_required=required)


def resolve_selection(catalog: Catalog, args: argparse.Namespace) -> list[int]:
    chosen = [bool(args.gallery), args.query is not None, bool(args.ids)]
    if sum(chosen) > 1:
        raise InvalidInput("choose the assets one way: --gallery NAME, --query TEXT or asset ids")
    if args.gallery:
        gallery = GalleryStore(catalog).require(args.gallery)
        return GalleryStore(catalog).asset_ids(gallery.id)
    if args.query is not None:
        query = parse_query(args.query)
        if query.errors:
            raise InvalidInput("; ".join(query.errors))
        return SearchIndex(catalog).ids(query)
    if args.ids:
        marks = ",".join("?" * len(args.ids))
        known = {r[0] for r in catalog.conn.execute(f"SELECT id FROM assets WHERE id IN ({marks})",
                                                     tuple(args.ids))}
        missing = [i for i in args.ids if i not in known]
        if missing:
            raise InvalidInput(f"no asset with id {', '.join(map(str, missing))} in this catalog")
        return list(dict.fromkeys(args.ids))
    if getattr(args, "_selection_required", True):
        raise InvalidInput("say which assets: --gallery NAME, --query TEXT or asset ids")
    return []
