"""``mediadesk writeback (selection) [--dry-run] [--json]``.

Writes the catalog's metadata into the original files (XMP, IIM with UTF-8, Exif), only the
fields that differ, losslessly and atomically; videos and read-only files get an XMP sidecar
(``name.ext.xmp``). ``--dry-run`` lists which fields would change in which files."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    add_json_flag,
    add_selection_args,
    catalog_from_args,
    print_json,
    resolve_selection,
    say,
)
from mediadesk.cli.progress import TerminalProgress
from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.jobs import Job
from mediadesk.services.activity import write_back
from mediadesk.services.find_replace import display_value

WIDTH = 90


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("writeback", help=COMMANDS["writeback"],
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_selection_args(p)
    p.add_argument("--dry-run", action="store_true", help="list what would change; write nothing")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="files written in parallel")
    add_json_flag(p)
    p.set_defaults(func=run)


def _short(value) -> str:
    text = display_value(value).replace("\n", "⏎ ") or "(empty)"
    return text if len(text) <= WIDTH else text[:WIDTH - 1] + "…"


def run(args: argparse.Namespace) -> int:
    display = TerminalProgress()
    job = Job("Writing metadata", on_progress=display)
    try:
        with catalog_from_args(args) as catalog:
            ids = resolve_selection(catalog, args)
            report = write_back(catalog, ids, dry_run=args.dry_run, job=job, workers=args.workers)
    finally:
        display.close()
    code = EXIT_PARTIAL if report.failed else EXIT_OK
    if args.json:
        print_json(report.to_json())
        return code
    for f in report.files:
        if f.status == "unchanged":
            continue
        where = f.written_to if f.target == "sidecar" else f.path
        if f.status in ("failed", "skipped"):
            say(f"{f.status.upper()}  asset {f.asset_id}: {f.error}")
            continue
        verb = "would write" if f.status == "would-write" else "wrote"
        say(f"{verb} {where}" + ("  (sidecar)" if f.target == "sidecar" else ""))
        for name, old, new in f.changes:
            label = FIELD_BY_NAME[name].label if name in FIELD_BY_NAME else name
            say(f"    {label}: {_short(old)}  ->  {_short(new)}")
        for warning in f.warnings:
            say(f"    warning: {warning}")
    rate = report.count("written") / report.seconds if report.seconds and report.count("written") else 0
    summary = (f"would write {report.count('would-write')} file(s)" if report.dry_run
               else f"wrote {report.count('written')} file(s) ({rate:.1f} files/s)")
    say(f"{summary}, {report.count('unchanged')} already up to date, "
        f"{len(report.failed)} not written" + ("; cancelled" if report.cancelled else ""))
    return code
