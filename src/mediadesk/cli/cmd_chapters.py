"""``mediadesk chapters VIDEO_ID [--add TIME TITLE | --rename N TITLE | --delete N] [--json]``"""

from __future__ import annotations

import argparse

from mediadesk.cli.common import EXIT_OK, add_json_flag, asset_id, catalog_from_args, print_json, say
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.timed_text import clock
from mediadesk.media.timedtext.cues import BadTime, parse_time
from mediadesk.services import chapters as chapter_edits


def _time(text: str) -> float:
    try:
        return parse_time(text) if ":" in text else float(text)
    except (BadTime, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a time (2:31, 1:02:31 or seconds)") from None


def _number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a chapter number (1, 2, ... as listed)")
    return int(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "chapters", help="list, add, rename and delete a video's chapters (undoable)",
        description="A video's chapters (from MP4/MKV chapters, NAME.chapters.vtt beside it, or typed "
                    "here). Edits are in the edit history (`mediadesk undo`); exports write them as "
                    "NAME.chapters.vtt and as XMP markers in the sidecar.")
    p.add_argument("video", type=asset_id, metavar="VIDEO_ID", help="the video's asset id")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--add", nargs=2, metavar=("TIME", "TITLE"), help="start a chapter at TIME (2:31)")
    group.add_argument("--rename", nargs=2, metavar=("N", "TITLE"), help="rename chapter N")
    group.add_argument("--delete", type=_number, metavar="N", help="delete chapter N")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        if args.add:
            try:
                at = _time(args.add[0])
            except argparse.ArgumentTypeError as exc:
                raise InvalidInput(str(exc)) from None
            chapter_edits.add(catalog, args.video, at, args.add[1])
        elif args.rename:
            if not args.rename[0].isdigit() or int(args.rename[0]) < 1:
                raise InvalidInput(f"{args.rename[0]!r} is not a chapter number (1, 2, ... as listed)")
            chapter_edits.rename(catalog, args.video, int(args.rename[0]) - 1, args.rename[1])
        elif args.delete:
            chapter_edits.delete(catalog, args.video, args.delete - 1)
        else:
            catalog.assets.get(args.video)   # NotFound names the id
        found = [c for _, c in catalog.words.chapters(args.video)]
    if args.json:
        print_json([{"number": n, "start": c.start, "end": c.end, "title": c.title}
                    for n, c in enumerate(found, 1)])
        return EXIT_OK
    for n, c in enumerate(found, 1):
        end = f"-{clock(c.end)}" if c.end is not None else ""
        say(f"{n:>3}  {clock(c.start)}{end}  {c.title}")
    say(f"{len(found)} chapter(s)")
    return EXIT_OK
