"""``mediadesk demo [--media-dir DIR] [--json]``: build the demo library into the catalog."""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_ERROR, EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.cli.progress import TerminalProgress, cancel_on_ctrl_c
from mediadesk.demo import build_demo_library, default_media_dir
from mediadesk.demo.content import GALLERIES
from mediadesk.jobs import Job


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help=COMMANDS["demo"],
        description="Draw the demo photos and encode the demo videos (nothing is downloaded), then "
                    "import them through the normal import into five galleries. The files go to "
                    "demo-media/ beside the catalog unless --media-dir says otherwise. Running it "
                    "again adds nothing.")
    p.add_argument("--media-dir", metavar="DIR",
                   help="folder for the demo files (default: demo-media/ beside the catalog)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args, create=True)
    display = TerminalProgress()
    job = Job("Drawing photos", on_progress=display)

    try:
        with cancel_on_ctrl_c(job, "the current file"):
            media_dir = args.media_dir or str(default_media_dir(catalog))
            report = build_demo_library(catalog, job=job, media_dir=media_dir)
        store = catalog.galleries
        galleries = [g for g in (store.find(d.title) for d in GALLERIES) if g is not None]
    finally:
        display.close()
        catalog.close()
    if args.json:
        print_json({**report.to_json(), "media_dir": media_dir,
                    "galleries": [g.to_json() for g in galleries]})
    else:
        say(f"demo library in {media_dir}: imported {report.imported}, unchanged "
            f"{report.unchanged}, failed {report.failed} in {report.seconds:.1f} s")
        for g in galleries:
            when = g.date + (f"..{g.end_date}" if g.end_date else "") if g.date else ""
            say(f"  {when:<22} {g.count:>3} assets  {g.title}")
        if report.cancelled:
            say("cancelled: what was made and imported so far is kept; run it again to finish")
        for item in report.errors:
            say(f"  FAILED  {item['path']}: {item['error']}")
    return EXIT_OK if not report.cancelled and not report.failed else EXIT_ERROR
