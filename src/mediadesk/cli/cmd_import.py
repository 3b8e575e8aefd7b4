"""``mediadesk import PATH... [--gallery NAME] [--template NAME] [--rights-profile NAME] [--json]``"""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTIAL,
    add_json_flag,
    catalog_from_args,
    print_json,
    say,
)
from mediadesk.cli.progress import TerminalProgress, cancel_on_ctrl_c
from mediadesk.jobs import Job
from mediadesk.services.ingest import IngestOptions, IngestResult, check_options, ingest


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help=COMMANDS["import"],
                       description="Import files and folders (recursively) into the catalog. "
                                   "Ctrl-C stops cleanly; running the same import again resumes.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    p.add_argument("--gallery", metavar="NAME", help="put the imported assets into this gallery (created if new)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help="report and skip a file that takes longer than this to read (default 60)")
    p.add_argument("--template", metavar="NAME",
                   help="apply this caption template (the stationery pad) to the assets the import "
                        "adds (one undoable step; files already in the catalog keep their captions)")
    p.add_argument("--rights-profile", metavar="NAME",
                   help="give the assets the import adds this rights profile (one undoable step)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args, create=True)
    display = TerminalProgress()
    job = Job("Importing", on_progress=display)
    try:
        profile = catalog.rights.require(args.rights_profile) if args.rights_profile else None
        options = IngestOptions(gallery=args.gallery, template=args.template,
                                rights_profile_id=profile.id if profile else None)
        check_options(catalog, options)   # a wrong name fails before the import starts
        with cancel_on_ctrl_c(job):
            result = ingest(catalog, args.paths, options, job=job, workers=args.workers,
                            time_limit=args.time_limit)
    finally:
        display.close()
        catalog.close()
    report = result.report
    _print_after_import(args, result)
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(report)
    if report.cancelled:
        return EXIT_ERROR
    # 3: done in part (a file failed, or the template or profile could not be applied);
    # unchanged, duplicate and unsupported files are no failure
    return EXIT_PARTIAL if report.failed or result.problems else EXIT_OK


def _print_after_import(args: argparse.Namespace, result: IngestResult) -> None:
    def undo_note(op: int | None) -> str:
        return f" (operation {op}; `mediadesk undo` reverts it)" if op else ""

    if result.template is not None:
        t = result.template
        say(f'template "{args.template}": changed {len(t.preview)} field(s) on {len(t.assets)} '
            f"asset(s){undo_note(t.operation_id)}", err=args.json)
    if result.rights is not None:
        r = result.rights
        say(f'rights profile "{args.rights_profile}": given to {len({c[0] for c in r.changed})} '
            f"asset(s){undo_note(r.operation_id)}", err=args.json)
    for problem in result.problems:
        say(f"warning: {problem}", err=True)


def _print_report(report) -> None:
    rate = (report.imported + report.updated) / report.seconds if report.seconds else 0
    say(f"imported {report.imported}, updated {report.updated}, duplicates {report.duplicates}, "
        f"unchanged {report.unchanged}, unsupported {report.unsupported}, failed {report.failed} "
        f"in {report.seconds:.1f} s ({rate:.1f} files/s)")
    if report.cancelled:
        say("cancelled: what was imported so far is kept; run the same command again to finish")
    for item in report.errors:
        say(f"  FAILED  {item['path']}: {item['error']}")
    for item in report.warnings:
        say(f"  warning {item['path']}: {item['warning']}")
    for item in report.skipped:
        say(f"  skipped {item['path']}: {item['reason']}")
    if report.unsupported_files:
        shown = report.unsupported_files[:20]
        say(f"  unsupported ({report.unsupported}): " + ", ".join(shown)
            + (" …" if report.unsupported > len(shown) else ""))
