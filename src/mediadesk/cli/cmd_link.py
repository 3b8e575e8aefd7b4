"""``mediadesk link DOC_ID ASSET_ID... [--remove] [--json]``"""

from __future__ import annotations

import argparse

from mediadesk.cli.common import EXIT_OK, add_json_flag, asset_id, catalog_from_args, print_json, say
from mediadesk.services.links import link


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "link", help="link a document to the photos and videos it describes (undoable)",
        description="Link a document (a press release, a transcript) to the assets it describes; "
                    "`mediadesk show` lists the links both ways. A transcript with timestamps "
                    "([0:02:31] at the start of a paragraph) linked to a video becomes its timed "
                    "transcript. `mediadesk undo` takes a link back.")
    p.add_argument("document", type=asset_id, metavar="DOC_ID", help="the document's asset id")
    p.add_argument("assets", type=asset_id, nargs="+", metavar="ASSET_ID", help="assets it describes")
    p.add_argument("--remove", action="store_true", help="take these links away instead")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        result = link(catalog, args.document, args.assets, remove=args.remove)
        now = catalog.words.linked_assets(args.document)
    if args.json:
        print_json({"document": args.document, "linked": now, "operation_id": result.edit.operation_id,
                    "transcripts": [{"video": v, "cues": n} for v, n in sorted(result.aligned.items())]})
        return EXIT_OK
    if result.edit.operation_id is None:
        say("nothing changed (the links were already so)")
    else:
        verb = "unlinked from" if args.remove else "linked to"
        say(f"document {args.document} {verb} {', '.join(map(str, args.assets))}; "
            f"now linked to {', '.join(map(str, now)) or 'nothing'} (`mediadesk undo` takes it back)")
    for video, cues in sorted(result.aligned.items()):
        say(f"  aligned as the transcript of video {video}: {cues} cue(s)")
    return EXIT_OK
