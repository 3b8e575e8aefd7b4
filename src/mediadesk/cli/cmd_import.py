"""``mediadesk import PATH... [--gallery NAME] [--json]``"""

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
from mediadesk.services.importer import import_paths
from mediadesk.services.templates import apply_template_after_import, template_lines


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
                   help="apply this caption template to the imported assets (one undoable step)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.template:
        with catalog_from_args(args, create=True) as catalog:
            template_lines(catalog, args.template)  # a wrong name fails before the import starts
        args.after_import = lambda report: _apply_template(args, report)
    catalog = catalog_from_args(args, create=True)
    display = TerminalProgress()
    job = Job("Importing", on_progress=display)

    try:
        with cancel_on_ctrl_c(job):
            report = import_paths(catalog, args.paths, gallery=args.gallery, job=job,
                                  workers=args.workers, time_limit=args.time_limit)
    finally:
        display.close()
        catalog.close()
    if getattr(args, "after_import", None):
        args.after_import(report)
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(report)
    if report.cancelled:
        return EXIT_ERROR
    # 3: done in part (a file failed); unchanged, duplicate and unsupported files are no failure
    return EXIT_PARTIAL if report.failed else EXIT_OK


def _apply_template(args: argparse.Namespace, report) -> None:
    with catalog_from_args(args) as catalog:
        result = apply_template_after_import(catalog, args.template, report.asset_ids, gallery=args.gallery)
    undo_note = f" (operation {result.operation_id}; `mediadesk undo` reverts it)" if result.operation_id else ""
    say(f'template "{args.template}": changed {len(result.preview)} field(s) on '
        f"{len(result.assets)} asset(s){undo_note}", err=args.json)


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
