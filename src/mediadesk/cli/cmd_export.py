"""``mediadesk export --purpose PURPOSE --out PATH [--gallery NAME | --query TEXT | ID...] ...``

Exit status: 0 when everything requested went, 3 when some assets were blocked (or could not be
read) and the rest went, 4 when nothing at all went (every asset blocked or unreadable: no bundle),
2 on bad arguments, 1 when the bundle could not be written.
"""

from __future__ import annotations

import argparse
import signal

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_ERROR,
    EXIT_NOTHING_DONE,
    EXIT_OK,
    EXIT_PARTIAL,
    add_json_flag,
    add_selection_args,
    catalog_from_args,
    fail,
    print_json,
    resolve_selection,
    say,
)
from mediadesk.cli.progress import TerminalProgress
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import Purpose
from mediadesk.jobs import Job
from mediadesk.services.activity import export_bundle
from mediadesk.services.export import ExportOptions, ExportPlan, ExportResult, plan_export
from mediadesk.services.naming import DEFAULT_PATTERN, VARIABLES
from mediadesk.services.renditions import DEFAULT_QUALITY, RenditionSpec


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help=COMMANDS["export"],
        description="Decide every asset's rights for the declared purpose, then write the allowed "
                    "ones with their rights note and caption inside, RIGHTS.txt and a manifest "
                    "with checksums. Blocked assets are listed with the reason and never written.",
    )
    p.add_argument("--purpose", required=True, metavar="PURPOSE",
                   help="what the files will be used for: " + ", ".join(x.value for x in Purpose))
    p.add_argument("--out", metavar="PATH", help="the bundle to create (a new folder, or a .zip with --zip)")
    add_selection_args(p)
    p.add_argument("--recipient", default="", metavar="TEXT", help="who receives the bundle")
    p.add_argument("--zip", action="store_true", help="write one zip file instead of a folder")
    p.add_argument("--max-size", type=int, metavar="PX",
                   help="export JPEG renditions with this long edge instead of the originals")
    p.add_argument("--quality", type=int, default=None, metavar="Q",
                   help=f"JPEG quality of renditions, 1-100 (default {DEFAULT_QUALITY})")
    p.add_argument("--pattern", default=DEFAULT_PATTERN, metavar="PATTERN",
                   help="file-name pattern using " + " ".join("{" + v + "}" for v in VARIABLES)
                        + f" (default {DEFAULT_PATTERN})")
    p.add_argument("--keep-credentials", action="store_true",
                   help="export originals that carry C2PA content credentials untouched, with their "
                        "metadata in an XMP sidecar (embedding metadata would break the credentials)")
    p.add_argument("--with-documents", action="store_true",
                   help="also export the documents linked to the chosen assets (press releases, "
                        "transcripts; `mediadesk link`), each decided by its own rights")
    p.add_argument("--dry-run", action="store_true", help="show what would go and what is blocked; write nothing")
    add_json_flag(p)
    p.set_defaults(func=run)


def _options(args: argparse.Namespace) -> ExportOptions:
    rendition = None
    if args.max_size is not None or args.quality is not None:
        rendition = RenditionSpec(args.max_size, args.quality or DEFAULT_QUALITY)
    return ExportOptions(purpose=args.purpose, recipient=args.recipient, rendition=rendition,
                         pattern=args.pattern, zip=args.zip, gallery=args.gallery,
                         keep_credentials=args.keep_credentials, with_documents=args.with_documents)


def _status(went: int, blocked: int, failed: int) -> int:
    if not blocked and not failed:
        return EXIT_OK
    if not went:
        return EXIT_NOTHING_DONE
    return EXIT_PARTIAL


def run(args: argparse.Namespace) -> int:
    options = _options(args)
    if not args.dry_run and not args.out:
        raise InvalidInput("say where to write the bundle: --out PATH (or use --dry-run)")
    with catalog_from_args(args) as catalog:
        ids = resolve_selection(catalog, args)
        if not ids:
            raise InvalidInput("the selection is empty: no assets to export")
        plan = plan_export(catalog, ids, options)
        if args.dry_run:
            return _print_plan(plan, args.json)
        if not args.json:
            for line in plan.credential_warnings():  # said before anything is written
                say(f"  warning   {line}", err=True)
        try:
            result = _run(catalog, plan, args.out)
        except OSError as exc:
            return fail(f"the bundle could not be written at {args.out}: {exc.strerror or exc}", EXIT_ERROR)
    if args.json:
        print_json({"purpose": options.purpose.value, "recipient": options.recipient,
                    "dry_run": False, "credentials": plan.credential_warnings(), **result.to_json()})
    else:
        _print_result(result)
    if result.cancelled:
        return EXIT_ERROR
    return _status(len(result.exported), len(result.blocked), len(result.failed))


def _run(catalog, plan: ExportPlan, out: str) -> ExportResult:
    display = TerminalProgress()
    job = Job("Exporting", on_progress=display)

    def on_sigint(signum, frame):
        if job.cancelled:
            raise KeyboardInterrupt
        job.cancel()
        say(err=True)   # below the progress line
        say("mediadesk: stopping; the unfinished bundle will be removed…", err=True)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        return export_bundle(catalog, plan, out, job=job)
    finally:
        signal.signal(signal.SIGINT, previous)
        display.close()


def _print_plan(plan: ExportPlan, as_json: bool) -> int:
    if as_json:
        print_json({"dry_run": True, **plan.to_json()})
    else:
        for item in plan.allowed:
            say(f"  would export  {item.asset.id:>6}  {item.file_name}")
        for item in plan.blocked + plan.unavailable:
            say(f"  BLOCKED       {item.asset.id:>6}  {item.reason}")
        for line in plan.credential_warnings():
            say(f"  warning       {line}")
        say(f"dry run for {plan.options.purpose.value}: {len(plan.allowed)} would go, "
            f"{len(plan.blocked)} blocked, {len(plan.unavailable)} unavailable; nothing written")
    return _status(len(plan.allowed), len(plan.blocked), len(plan.unavailable))


def _print_result(result: ExportResult) -> None:
    for item in result.exported:
        extra = f" (+ {item['sidecar']})" if item.get("sidecar") else ""
        say(f"  exported  {item['id']:>6}  {item['file']}{extra}")
    for item in result.blocked:
        say(f"  BLOCKED   {item['id']:>6}  {item['reason']}")
    for item in result.failed:
        say(f"  FAILED    {item['id']:>6}  {item['reason']}")
    for warning in result.warnings:
        say(f"  warning   {warning}")
    if result.cancelled:
        say("cancelled: nothing was kept")
    elif result.bundle:
        say(f"bundle {result.bundle}: {len(result.exported)} exported, {len(result.blocked)} blocked, "
            f"{len(result.failed)} failed; ledger entry {result.ledger_id}")
    else:
        say(f"nothing exported: {len(result.blocked)} blocked, {len(result.failed)} failed; no bundle written")
