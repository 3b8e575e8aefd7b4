"""Shared pieces of the command-line tools: opening the catalog, selections, output."""

from __future__ import annotations

import argparse
import json
import sys

from mediadesk.catalog import Catalog, open_catalog
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.permissions import PermissionDenied, allows, current_operation
from mediadesk.domain.query import MAX_ID, parse_query
from mediadesk.paths import resolve_catalog_path
from mediadesk.terminal_text import for_terminal, for_terminal_lines, json_for_terminal

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_ARGS = 2
EXIT_PARTIAL = 3
EXIT_NOTHING_DONE = 4  # `export`: every asset was blocked or failed; nothing was written
EXIT_PERMISSION = 5    # a team catalog: this person lacks the role the command needs (issue 13)
EXIT_BROKEN_PIPE = 128 + 13  # the reader went away (`| head`), as if killed by SIGPIPE


CONFIRM_ABOVE = 10   # a rights change to more assets than this says how many first (--yes)


def catalog_from_args(args: argparse.Namespace, *, create: bool = False) -> Catalog:
    """The catalog the command works on. Only commands that may start a catalog (``import``,
    ``demo``, setting up profiles, templates, codes, galleries) pass ``create``: a mistyped
    --catalog path must not quietly become a new empty catalog."""
    catalog = open_catalog(resolve_catalog_path(getattr(args, "catalog", None)), create=create)
    wanted = current_operation()
    if wanted is not None and not allows(catalog.roles, wanted):
        catalog.close()     # refused before any work starts; the server would refuse it too
        raise PermissionDenied(wanted)
    return catalog


def asset_id(text: str) -> int:
    """argparse type of an asset id: ASCII digits, 1 to 2**63-1 (what SQLite stores)."""
    value = str(text).strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not an asset id (a whole number, "
                                         "as `search` shows)")
    return int(value)


def whole_number(text: str) -> int:
    """argparse type of a count or limit: ASCII digits (a sign allowed), within SQLite's range."""
    value = str(text).strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdigit()) or abs(int(value)) > MAX_ID:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a whole number mediadesk can use")
    return int(value)


def add_yes_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true",
                        help=f"do not ask before changing more than {CONFIRM_ABOVE} assets (for scripts)")


def confirm_many(args: argparse.Namespace, count: int, action: str) -> None:
    """Say how many assets ``action`` (with ``{n}`` for the count: "clear the rights profile of
    {n} assets") would change before it acts on more than CONFIRM_ABOVE: ask at a terminal,
    refuse without --yes otherwise (a script must say it means it)."""
    if count <= CONFIRM_ABOVE or getattr(args, "yes", False):
        return
    question = action.format(n=f"{count:,}")
    if sys.stdin is not None and sys.stdin.isatty():
        sys.stderr.write(f"mediadesk: this will {question}. Continue? [y/N] ")
        sys.stderr.flush()
        try:
            answer = sys.stdin.readline().strip().lower()
        except (OSError, UnicodeDecodeError):
            answer = ""
        if answer in ("y", "yes"):
            return
        raise InvalidInput("nothing was changed")
    raise InvalidInput(f"this would {question}; nothing was changed. "
                       "Check the selection (`mediadesk search` with the same query shows it), "
                       "then add --yes to confirm")


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
    """``data`` as JSON on stdout: a list one element to a line (``[``, an element, ``,`` ...
    ``]``: what line tools and a reader both take; json's C encoder writes it, several times
    faster than the indented layout, which only the pure-Python encoder makes), anything else
    indented. json escapes C0 controls; DEL, C1, lone surrogates and Unicode format characters
    are written as ``\\u`` escapes too, so no string can drive a terminal."""
    if isinstance(data, list):
        items = (json.dumps(item, ensure_ascii=False, default=str) for item in data)
        text = "[\n  " + ",\n  ".join(items) + "\n]" if data else "[]"
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    text = json_for_terminal(text)
    # Nothing in it is left for the guarded stdout (cli.main) to escape: C0 controls are JSON
    # escapes, the rest \u escapes, and the newlines of the layout are kept anyway. Written past
    # it, the text is not scanned twice (a search of thousands of assets prints megabytes).
    stream = getattr(sys.stdout, "unguarded", sys.stdout)
    # In pieces: one big write that a closed pipe takes only in part ends without an error and
    # drops the rest (CPython's buffered writer); the next write raises BrokenPipeError, so a
    # reader that went away (`| head`) is noticed and the command ends with 141 (cli.main).
    for start in range(0, len(text), _JSON_PIECE):
        stream.write(text[start:start + _JSON_PIECE])
    stream.write("\n")
    stream.flush()


_JSON_PIECE = 1 << 16


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_selection_args(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--gallery NAME | --query TEXT | ID...``: which assets a command works on."""
    group = parser.add_argument_group("selection (one of)")
    group.add_argument("--gallery", metavar="NAME", help="all assets of this gallery")
    group.add_argument("--query", metavar="TEXT", help="all assets this search finds (same syntax as `search`)")
    group.add_argument("ids", nargs="*", type=asset_id, metavar="ID", help="asset ids")
    parser.set_defaults(_selection_required=required)


def resolve_selection(catalog: Catalog, args: argparse.Namespace) -> list[int]:
    chosen = [bool(args.gallery), args.query is not None, bool(args.ids)]
    if sum(chosen) > 1:
        raise InvalidInput("choose the assets one way: --gallery NAME, --query TEXT or asset ids")
    if args.gallery:
        gallery = catalog.galleries.require(args.gallery)
        return catalog.galleries.asset_ids(gallery.id)
    if args.query is not None:
        query = parse_query(args.query)
        if query.errors:
            raise InvalidInput("; ".join(query.errors))
        return catalog.index.ids(query)
    if args.ids:
        known = catalog.assets.existing_ids(args.ids)
        missing = [i for i in args.ids if i not in known]
        if missing:
            raise InvalidInput(f"no asset with id {', '.join(map(str, missing))} in this catalog")
        return list(dict.fromkeys(args.ids))
    if getattr(args, "_selection_required", True):
        raise InvalidInput("say which assets: --gallery NAME, --query TEXT or asset ids")
    return []
