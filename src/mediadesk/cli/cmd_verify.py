"""``mediadesk verify BUNDLE [--json]``: check a bundle someone received (exit 1 lists problems)."""

from __future__ import annotations

import argparse

from mediadesk.cli.common import EXIT_ERROR, EXIT_OK, add_json_flag, print_json
from mediadesk.services.bundle_verify import verify_bundle


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help="check an export bundle: checksums and the rights note in every file",
        description="Check a mediadesk bundle (folder or zip): every file listed in the manifest is "
                    "present with its SHA-256, nothing else is there, and every file carries the "
                    "rights note the manifest states. Needs no catalog.",
    )
    p.add_argument("bundle", metavar="BUNDLE", help="bundle folder or zip")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = verify_bundle(args.bundle)
    if args.json:
        print_json(report.to_json())
    elif report.ok:
        print(f"OK: {report.bundle}: {report.files_checked} files, checksums and rights notes match "
              f"(purpose {report.purpose}, recipient {report.recipient or 'not given'}, "
              f"created {report.created_at})")
    else:
        print(f"FAILED: {report.bundle}: {len(report.problems)} problem(s)")
        for problem in report.problems:
            print(f"  - {problem}")
    return EXIT_OK if report.ok else EXIT_ERROR
