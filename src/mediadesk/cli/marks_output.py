"""What ``rate``, ``pick`` and ``label`` print: how many assets changed, and how to undo it."""

from __future__ import annotations

from mediadesk.cli.common import EXIT_OK, print_json, say
from mediadesk.services.edits import EditResult


def report(result: EditResult, field: str, value: object, *, what: str, selected: int, as_json: bool) -> int:
    """``what``: the change in words ("rated ★★★★", "picked", "labelled Red")."""
    changed = sorted({c[0] for c in result.changed})
    if as_json:
        print_json({"operation_id": result.operation_id, "field": field, "value": value,
                    "selected": selected, "changed": changed})
        return EXIT_OK
    if not changed:
        say(f"nothing changed: the {selected:,} selected asset(s) already had it")
        return EXIT_OK
    undo = f" (operation {result.operation_id}; `mediadesk undo` takes it back)"
    say(f"{what}: {len(changed):,} of {selected:,} asset(s){undo}")
    return EXIT_OK
