"""Which operation (domain/permissions.py) each command is, so that a person without its role is
refused before any work starts (``catalog_from_args``) and the server's refusal is reported with
the same words (exit status :data:`~mediadesk.cli.common.EXIT_PERMISSION`)."""

from __future__ import annotations

import argparse

# (command, action or None) -> operation; commands not listed only read (the "read" operation)
# or are decided by the server alone (undo, redo, catalog upgrade and copy: the owner's)
COMMAND_OPERATIONS: dict[tuple[str, str | None], str | None] = {
    ("import", None): "import",
    ("demo", None): "import",
    ("caption", "apply"): "template",
    ("caption", "replace"): "batch",
    ("tag", "add"): "tag",
    ("tag", "remove"): "tag",
    ("gallery", "add"): "gallery",
    ("gallery", "remove"): "gallery",
    ("template", "add"): "template",
    ("template", "remove"): "template",
    ("codes", "import"): "codes",
    ("codes", "add"): "codes",
    ("codes", "remove"): "codes",
    ("csv", "import"): "csv-import",
    ("writeback", None): "writeback",
    ("link", None): "edit",
    ("export", None): "export",
    ("publish", None): "publish",
    ("ledger", None): "ledger",
    ("rights", "create"): "rights-profile",
    ("rights", "update"): "rights-profile",
    ("rights", "assign"): "rights-assign",
    ("roots", "add"): "roots",
    ("users", "add"): "people",
    ("users", "list"): "people",
    ("users", "grant"): "people",
    ("users", "revoke"): "people",
    ("users", "disable"): "people",
    ("users", "enable"): "people",
    ("undo", None): "undo",
    ("redo", None): "undo",
    ("catalog", "upgrade"): None,
    ("catalog", "copy"): None,
}


def operation_for(args: argparse.Namespace) -> str | None:
    command = getattr(args, "command", None)
    if command is None:
        return None
    if command == "chapters":   # listing reads; --add, --rename, --delete edit
        changing = any(getattr(args, name, None) is not None for name in ("add", "rename", "delete"))
        return "edit" if changing else "read"
    action = getattr(args, f"{command}_command", None) or getattr(args, "action", None)
    if not isinstance(action, str):
        action = None
    for key in ((command, action), (command, None)):
        if key in COMMAND_OPERATIONS:
            return COMMAND_OPERATIONS[key]
    return "read"
