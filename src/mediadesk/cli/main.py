"""``mediadesk``: with no command it opens the window; with a command it is a command-line tool."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Iterable

from mediadesk import __version__
from mediadesk.cli.commands import COMMANDS, NO_CATALOG
from mediadesk.terminal_text import guarded_output

DESCRIPTION = """\
Media-asset manager for press offices and newsrooms: catalog photos and videos, caption
them, export rights-checked bundles. Without a command, opens the window; with a command,
works on the catalog from the command line (the same program, the same catalog)."""

EPILOG = """\
Run `mediadesk COMMAND --help` for a command's options. --catalog may also be given after
the command. Commands that print data take --json for scripts.

first run:
  mediadesk demo                    build the demo library (drawn on this machine, ~1 min)
  mediadesk search rutte            find assets; see `mediadesk search --help` for the syntax
  mediadesk                         open the window

files (`mediadesk --paths` prints them for this machine):
  catalog     $MEDIADESK_CATALOG, else catalog.mediadesk in the user data folder
  thumbnails  <catalog>.thumbs/ beside the catalog file
  logs        mediadesk.log in the user log folder (1 MB, 5 old files kept)

team catalogs (PostgreSQL, shared by a whole office):
  --catalog postgresql://USER@HOST[:PORT]/DB[?sslmode=verify-full]   the password comes from
  PGPASSWORD, PGPASSFILE or ~/.pgpass, never from mediadesk's settings
  mediadesk catalog copy desk.mediadesk postgresql://...  --root press=/mnt/press

environment:
  MEDIADESK_CATALOG     catalog file (or team catalog URL) used when --catalog is not given
  MEDIADESK_LOG_LEVEL   DEBUG, INFO, WARNING (default for commands) or ERROR
  QT_QPA_PLATFORM       Qt platform for the window (e.g. offscreen, xcb, wayland)

exit status:
  0 done, 1 error, 2 bad arguments or nothing found, 3 done in part (see the report),
  5 permission denied (a team catalog: "permission denied: ... needs the ROLE role")

shell completion (bash):
  mediadesk --print-completion bash > ~/.local/share/bash-completion/completions/mediadesk"""


class _Parser(argparse.ArgumentParser):
    """argparse's parser, quicker to build. Its formatter is given the terminal's width
    (argparse's own looks it up through shutil, which loads three compression libraries, at
    every ``add_argument``); on a parser that lists only the commands named on the command line
    (``only_named``), an error is raised as :class:`_NotAllListed` so that the arguments are
    parsed again with every command listed, for argparse's message ("choose from ...")."""

    only_named = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        # (typeshed names only prog; every argparse formatter takes width)
        return self.formatter_class(prog=self.prog, width=_help_width())  # type: ignore[call-arg]

    def error(self, message: str):  # (NoReturn either way)
        if self.only_named:
            raise _NotAllListed(message)
        super().error(message)


class _NotAllListed(Exception):
    pass


def _help_width() -> int:
    """What shutil.get_terminal_size() would say, less argparse's margin of 2."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def build_parser(load: Iterable[str] | None = None, listed: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The parser of ``mediadesk``. ``load`` names the commands whose modules are imported and
    registered in full (None: every command, as completion and the tests need); the others are
    listed by name and summary only (``cli.commands``), so ``mediadesk --help`` or one command
    does not import every command's libraries. ``listed``: list only these commands (the words
    of the command line that name one: argparse can choose no other), None: every command."""
    load = set(COMMANDS) if load is None else set(load)
    only = None if listed is None else set(listed) | load
    parser = _Parser(
        prog="mediadesk",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mediadesk {__version__}",
                        help="print the version and exit")
    parser.add_argument("--catalog", metavar="PATH",
                        help="catalog file to use, or a team catalog's postgresql://USER@HOST[:PORT]/DB "
                             "(default: $MEDIADESK_CATALOG, else the user data folder)")
    parser.add_argument("--paths", action="store_true", dest="show_paths_",
                        help="print where mediadesk keeps its files (catalog, thumbnails, config, cache, logs) "
                             "and exit")
    parser.add_argument("--print-completion", metavar="SHELL", choices=["bash"], dest="print_completion_",
                        help="print a shell completion script (bash) and exit")
    check = parser.add_argument_group(
        "packaging checks",
        "Start the window on a freshly built demo library in a temporary folder, wait until the "
        "grid shows the assets, and quit (exit status 0 if it did).")
    check.add_argument("--self-test-window", action="store_true", dest="self_test_window_",
                       help="run the window self-test (uses the offscreen platform without a display)")
    check.add_argument("--screenshot", metavar="PNG", dest="screenshot_",
                       help="with --self-test-window: save a screenshot of the window")
    # (the global flags' dests end in "_" so no command's argument of the same name can shadow them)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if only is not None and name not in only:
            continue
        if name not in load:   # named only: enough to choose it, and for `mediadesk --help`
            sub.add_parser(name, help=summary, add_help=False)
            continue
        module_name = f"mediadesk.cli.cmd_{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(sub)
    for command_parser in _all_parsers(parser):
        command_parser.only_named = only is not None   # (all are _Parser: subparsers take its class)
        if command_parser.description:   # module docstrings are reST: ``code`` reads as `code` in a terminal
            command_parser.description = command_parser.description.replace("``", "`")
    for command_parser in _leaf_parsers(parser):
        if (command_parser is not parser and "--catalog" not in command_parser._option_string_actions
                and command_parser.prog.split()[1] in load and command_parser.prog.split()[1] not in NO_CATALOG):
            command_parser.add_argument("--catalog", metavar="PATH", default=argparse.SUPPRESS,
                                        help="catalog file to use (as before the command)")
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's subcommands by name (aliases left out)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            names = {choice.dest for choice in action._choices_actions}
            return {name: p for name, p in action.choices.items() if name in names or not names}
    return {}


def _all_parsers(parser: argparse.ArgumentParser):
    yield parser
    for child in _subparsers(parser).values():
        yield from _all_parsers(child)


def _leaf_parsers(parser: argparse.ArgumentParser):
    children = _subparsers(parser)
    if not children:
        yield parser
    for child in children.values():
        yield from _leaf_parsers(child)


# -- bash completion -----------------------------------------------------------------------------

_PATHLIKE = ("PATH", "FILE", "PNG", "CSV", "ZIP", "JSON", "OUT", "BUNDLE", "FOLDER", "DIR")


def _options(parser: argparse.ArgumentParser) -> tuple[list[str], dict[str, str]]:
    """(option strings, {option: completion words or '@file'/'@dir'}) of one parser."""
    opts: list[str] = []
    values: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        for opt in action.option_strings:
            opts.append(opt)
            if action.nargs == 0:
                continue
            if action.choices:
                values[opt] = " ".join(str(c) for c in action.choices)
            else:
                metavar = str(action.metavar or action.dest).upper()
                if "DIR" in metavar or "FOLDER" in metavar:
                    values[opt] = "@dir"
                elif any(word in metavar for word in _PATHLIKE):
                    values[opt] = "@file"
                else:
                    values[opt] = "@none"
    return opts, values


def bash_completion(parser: argparse.ArgumentParser | None = None) -> str:
    """A bash completion script for the commands, sub-actions and options this parser knows."""
    parser = parser or build_parser()
    commands = _subparsers(parser)
    global_opts, global_values = _options(parser)
    lines = [
        "# bash completion for mediadesk; made by `mediadesk --print-completion bash`.",
        "# Install: mediadesk --print-completion bash > ~/.local/share/bash-completion/completions/mediadesk",
        "_mediadesk() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local cmd="" action="" i w',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        w="${COMP_WORDS[i]}"',
        '        case "$w" in',
    ]
    takes_value = sorted({opt for opt, kind in global_values.items()}
                         | {opt for p in _leaf_parsers(parser) for opt in _options(p)[1]})
    if takes_value:
        lines.append(f"            {'|'.join(takes_value)}) ((i++)) ;;")
    lines += [
        "            -*) ;;",
        '            *) if [[ -z "$cmd" ]]; then cmd="$w"; elif [[ -z "$action" ]]; then action="$w"; fi ;;',
        "        esac",
        "    done",
        '    local key="$cmd"',
    ]
    nested = {name: _subparsers(p) for name, p in commands.items()}
    with_actions = [name for name, subs in nested.items() if subs]
    if with_actions:
        lines.append(f'    case "$cmd" in {"|".join(with_actions)}) [[ -n "$action" ]] && key="$cmd $action" ;; esac')
    lines += ['    local opts="" words="" kind=""', '    case "$key" in']

    def emit(key: str, p: argparse.ArgumentParser, words: str) -> None:
        opts, values = _options(p)
        lines.append(f'        "{key}")')
        lines.append(f'            opts="{" ".join(opts)}"; words="{words}"')
        if values:
            lines.append('            case "$prev" in')
            for opt, kind in values.items():
                lines.append(f'                {opt}) kind="{kind}" ;;')
            lines.append("            esac ;;")
        else:
            lines[-1] += " ;;"

    emit("", parser, " ".join(commands))
    for name, p in commands.items():
        subs = nested[name]
        emit(name, p, " ".join(subs) if subs else "@file")
        for action_name, ap in subs.items():
            emit(f"{name} {action_name}", ap, "@file")
    lines += [
        "    esac",
        '    case "$kind" in',
        '        @file) COMPREPLY=($(compgen -f -- "$cur")); return ;;',
        '        @dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;',
        "        @none) COMPREPLY=(); return ;;",
        '        ?*) COMPREPLY=($(compgen -W "$kind" -- "$cur")); return ;;',
        "    esac",
        '    if [[ "$cur" == -* ]]; then',
        '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
        '    elif [[ "$words" == @file ]]; then',
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "    else",
        '        COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        "    fi",
        "}",
        "complete -o filenames -o bashdefault -F _mediadesk mediadesk",
        "",
    ]
    return "\n".join(lines)


# -- arguments that are not UTF-8 --------------------------------------------------------------------

_PATH_METAVARS = frozenset({"PATH", "FILE", "DIR", "BUNDLE", "PNG"})


def _text_arguments(parser: argparse.ArgumentParser) -> dict[str, str]:
    """dest -> how the user wrote it (``--query``, ``QUERY``) for every argument that is text,
    not a file name (a path may be any bytes on Linux; text goes into the catalog as UTF-8)."""
    found: dict[str, str] = {}
    for p in _all_parsers(parser):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction) or action.nargs == 0:
                continue
            if str(action.metavar or "").upper() in _PATH_METAVARS:
                continue
            found.setdefault(action.dest, action.option_strings[0] if action.option_strings
                             else str(action.metavar or action.dest).upper())
    return found


def _not_utf8(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """A message naming the first text argument that holds bytes that are not UTF-8 (Python
    keeps them as lone surrogates), or None."""
    text_args = _text_arguments(parser)
    for dest, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if (isinstance(item, str) and dest in text_args
                    and any("\udc80" <= ch <= "\udcff" for ch in item)):
                shown = item.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
                return (f"{text_args[dest]}: '{shown[:80]}' is not valid UTF-8 text; type it again "
                        "in UTF-8 (check the terminal's character encoding)")
    return None


# -- entry point ---------------------------------------------------------------------------------

def _print_paths(catalog: str | None) -> int:
    from mediadesk.paths import all_paths

    for what, path in all_paths(catalog).items():
        print(f"{what + ':':12}{path}")
    return 0


def _take_trailing_ids(parser: argparse.ArgumentParser, args: argparse.Namespace,
                       extra: list[str]) -> None:
    """Accept asset ids after options (``csv export out.csv --field caption 1 2``).

    Python 3.11's argparse gives a ``nargs="*"`` positional nothing once an option separates it
    from the positional before it (CPython issue bpo-15112, fixed in later versions) and calls the ids
    unrecognised. Commands that take ids get them here; anything else is still an error."""
    if getattr(args, "ids", None) == [] and all(x.isascii() and x.isdigit() for x in extra):
        from mediadesk.cli.common import asset_id

        try:
            args.ids = [asset_id(x) for x in extra]
        except argparse.ArgumentTypeError as exc:
            parser.error(str(exc))
        return
    parser.error(f"unrecognized arguments: {' '.join(extra)}")


def run() -> int:
    """The program's entry (the ``mediadesk`` command, ``python -m mediadesk``, the frozen app).

    Python's cyclic collector is off while the program's modules load (they allocate hundreds
    of thousands of objects that all stay) and on again, with those objects frozen out of its
    walks (``gc.freeze``), once they have: before a command runs or the window opens. At the
    end the objects left are frozen too: the interpreter's last collection at exit would walk
    every one of them (6 ms of a 60 ms `mediadesk search`), and the memory is the system's to
    take back. Every cleanup still runs (atexit, the log file's flush, module teardown). For a
    command, the standard-library modules it need not load are deferred (cli/deferred.py)."""
    global _collector_paused
    gc.disable()
    _collector_paused = True
    if any(word in COMMANDS for word in sys.argv[1:]):   # a command, not the window
        from mediadesk.cli.deferred import defer

        defer()
    try:
        return main()
    finally:
        _resume_collector()
        gc.freeze()


_collector_paused = False


def _resume_collector() -> None:
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    # Everything printed while a command runs (its output, argparse's messages, log lines on
    # stderr) goes through a stream that escapes control characters; commands print through
    # ``cli.common.say``, which escapes newlines in hostile text too.
    with guarded_output():
        return _main(argv)


def _parse(argv: list[str] | None, likely: str | None,
           listed: list[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace, list[str]]:
    parser = build_parser(load=(likely,) if likely else (), listed=listed)
    args, extra = parser.parse_known_args(argv)
    if args.command is not None and args.command != likely:
        parser = build_parser(load=(args.command,), listed=listed)
        args, extra = parser.parse_known_args(argv)
    return parser, args, extra


def _main(argv: list[str] | None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(f"mediadesk {__version__}")   # without loading the commands (and their libraries)
        return 0
    # Only the command's own module is loaded. The first word that names a command is most
    # likely it; argparse has the last word (`--catalog import search` is a search), and if it
    # chose another command, the arguments are parsed again with that one loaded. Only the
    # commands named on the command line are listed (argparse can choose no other), unless
    # help is asked for or the arguments are wrong: then every command is, for the message.
    words = sys.argv[1:] if argv is None else argv
    named = [word for word in words if word in COMMANDS]
    listed = named if named and not {"-h", "--help"} & set(words) else None
    likely = named[0] if named else None
    try:
        parser, args, extra = _parse(argv, likely, listed)
    except _NotAllListed:
        parser, args, extra = _parse(argv, likely, None)
    for each in _all_parsers(parser):   # parsed: later errors are the user's, said as they are
        each.only_named = False
    if extra:
        _take_trailing_ids(parser, args, extra)
    if args.print_completion_:
        sys.stdout.write(bash_completion())
        return 0
    if args.show_paths_:
        return _print_paths(args.catalog)
    if args.screenshot_ and not args.self_test_window_:
        parser.error("--screenshot needs --self-test-window")
    _resume_collector()   # (the window's or the command's modules are loaded by now)
    if args.self_test_window_:
        from mediadesk.logging_setup import configure_logging

        from mediadesk.ui.selftest import run_window_selftest  # Qt only here

        configure_logging("gui")
        return run_window_selftest(args.screenshot_)
    if args.command is None:
        from mediadesk.app import run_app  # Qt is loaded only when the window is wanted

        return run_app(catalog=args.catalog)
    return _run_command(parser, args)


def _run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    # Imported here, not at the top: `mediadesk --version` and `--help` need none of it, and the
    # command's own module has already loaded the rest.
    from mediadesk.cli.common import EXIT_BAD_ARGS, EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_PERMISSION, fail
    from mediadesk.cli.log_file import log, log_to_file_from_the_first_line
    from mediadesk.cli.operations import operation_for
    from mediadesk.domain.errors import InvalidInput, MediadeskError, NotFound
    from mediadesk.domain.permissions import PermissionDenied, operation

    bad_text = _not_utf8(parser, args)
    if bad_text:
        return fail(bad_text, EXIT_BAD_ARGS)
    log_to_file_from_the_first_line()
    try:
        with operation(operation_for(args)):
            return int(args.func(args) or 0)
    except PermissionDenied as exc:
        log().warning("%s: %s", args.command, exc)
        return fail(str(exc), EXIT_PERMISSION)
    except (InvalidInput, NotFound) as exc:
        return fail(str(exc), EXIT_BAD_ARGS)
    except UnicodeEncodeError as exc:
        log().warning("%s: %s", args.command, exc)
        return fail(f"text that is not valid UTF-8 cannot be used here ({exc.reason}); check the "
                    "arguments and the terminal's character encoding", EXIT_BAD_ARGS)
    except MediadeskError as exc:
        log().warning("%s: %s", args.command, exc)
        return fail(str(exc), EXIT_ERROR)
    except BrokenPipeError:
        # The reader went away (e.g. piped into `head`): stop quietly like a Unix tool killed by
        # SIGPIPE (exit 141), and point stdout at /dev/null so the flush at exit cannot raise again
        # (the recipe in Python's signal module documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception:
        log().critical("unexpected error in `mediadesk %s`", args.command, exc_info=True)
        from mediadesk.logging_setup import log_path

        print(f"mediadesk: unexpected error; the details are also in {log_path()}", file=sys.stderr)
        raise


if __name__ == "__main__":
    raise SystemExit(main())
