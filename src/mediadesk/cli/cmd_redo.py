"""``mediadesk redo``: redo the operation the last undo reverted."""

from __future__ import annotations

import argparse

from mediadesk.cli import cmd_undo
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import add_json_flag


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("redo", help=COMMANDS["redo"],
                       description="Apply again the operation the last `mediadesk undo` took back. "
                                   "A new edit after an undo clears what can be redone.")
    add_json_flag(p)
    p.set_defaults(func=cmd_undo.run, action_name="redo")
