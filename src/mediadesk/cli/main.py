"""``mediadesk``: with no command it opens the window; with a command it is a command-line tool."""

from __future__ import annotations

import argparse
import importlib
import sys

from mediadesk import __version__
from mediadesk.cli.common import EXIT_BAD_ARGS, EXIT_ERROR, fail
from mediadesk.domain.errors import InvalidInput, MediadeskError, NotFound

# Each name is a module ``mediadesk.cli.cmd_<name>`` with ``register(subparsers)``; the order is
# the order of ``mediadesk --help``.
COMMANDS = (
    "import", "search", "show", "galleries", "demo",
    "export", "rights", "ledger", "verify",
    "template", "caption", "tag", "codes", "csv", "undo", "redo", "history", "writeback",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mediadesk",
        description="Media-asset manager for press offices: catalog photos and videos, caption them, "
                    "export rights-checked bundles. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"mediadesk {__version__}")
    parser.add_argument("--catalog", metavar="PATH",
                        help="catalog file to use (default: $MEDIADESK_CATALOG, else the user data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module_name = f"mediadesk.cli.cmd_{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from mediadesk.app import run_app  # Qt is loaded only when the window is wanted

        return run_app(catalog=args.catalog)
    try:
        return int(args.func(args) or 0)
    except (InvalidInput, NotFound) as exc:
        return fail(str(exc), EXIT_BAD_ARGS)
    except MediadeskError as exc:
        return fail(str(exc), EXIT_ERROR)
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
