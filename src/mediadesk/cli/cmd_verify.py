"""``mediadesk verify BUNDLE [--json]``: check a bundle someone received (exit 1 lists problems)."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_ERROR, EXIT_OK, add_json_flag, print_json, say
from mediadesk.services.bundle_verify import MAX_PROBLEMS_SHOWN, verify_bundle

_SHOWN = 120   # characters of a manifest value shown in the summary line


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help=COMMANDS["verify"],
        description="Check a mediadesk bundle (folder or zip): every file listed in the manifest is "
                    "present with its SHA-256, nothing else is there, every photo, video, audio file "
                    "or document carries the rights note the manifest states, and the ledger receipt "
                    "(LEDGER.json) belongs to this manifest. A hostile bundle (zip bombs, special "
                    "files, forged roles) gives findings, in bounded time and memory. Needs no catalog.",
    )
    p.add_argument("bundle", metavar="BUNDLE", help="bundle folder or zip")
    add_json_flag(p)
    p.set_defaults(func=run)


def _short(value: str | None, default: str) -> str:
    if not value:
        return default
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def run(args: argparse.Namespace) -> int:
    report = verify_bundle(args.bundle)
    if args.json:
        print_json(report.to_json())
        return EXIT_OK if report.ok else EXIT_ERROR
    if report.ok:
        say(f"OK: {report.bundle}: {report.files_checked} files, checksums and rights notes match "
            f"(purpose {_short(report.purpose, '?')}, recipient {_short(report.recipient, 'not given')}, "
            f"created {_short(report.created_at, '?')})")
    else:
        say(f"FAILED: {report.bundle}: {len(report.problems)} problem(s)")
        for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
            say(f"  - {problem}")
        if len(report.problems) > MAX_PROBLEMS_SHOWN:
            say(f"  … and {len(report.problems) - MAX_PROBLEMS_SHOWN} more (`mediadesk verify --json` "
                "lists them all)")
    if report.ledger:
        say(f"ledger entry {report.ledger.entry_id}, chain hash {report.ledger.chain_hash} "
            f"(catalog {_short(report.ledger.catalog_id, '?')}); on that catalog, "
            f"`mediadesk ledger --verify --bundle BUNDLE` proves the entry is still in its ledger")
    for note in report.notes:
        say(f"note: {note}")
    return EXIT_OK if report.ok else EXIT_ERROR
