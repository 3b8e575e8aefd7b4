"""``mediadesk show ID [--json]``"""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, asset_id, catalog_from_args, print_json, say
from mediadesk.domain.asset import AssetKind, format_duration
from mediadesk.domain.fields import FIELDS, LIST_FIELDS
from mediadesk.domain.timed_text import clock


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help=COMMANDS["show"],
                       description="Every field of one asset, where each value came from (Exif, IPTC, XMP, "
                                   "sidecar) and where the stores disagree. IDs are in `search` output.")
    p.add_argument("id", type=asset_id, metavar="ID", help="asset id")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        asset = catalog.assets.get(args.id)
        links = catalog.assets.get_many(catalog.words.links(asset.id))
        tracks = [t for _, t in catalog.words.tracks(asset.id)]
        chapters = [c for _, c in catalog.words.chapters(asset.id)]
        document = catalog.words.document(asset.id)
    if args.json:
        print_json({**asset.to_json(),
                    "links": [{"id": a.id, "kind": a.kind, "title": a.display_title} for a in links],
                    "tracks": [{"kind": str(t.kind), "language": t.language, "origin": t.origin,
                                "label": t.label, "cues": len(t.cues)} for t in tracks],
                    "chapters": [{"start": c.start, "end": c.end, "title": c.title} for c in chapters],
                    "text_characters": len("".join(document.pages)) if document else None})
        return EXIT_OK
    say(f"Asset {asset.id}: {asset.display_title}")
    say(f"  {'File':<18} {asset.path}{'  (missing)' if asset.missing else ''}")
    dims = f"{asset.width}x{asset.height}" if asset.width else ""
    say(f"  {'Kind':<18} {asset.kind} {asset.format or ''} {dims} {format_duration(asset.duration)}".rstrip())
    for spec in FIELDS:
        value = asset.get(spec.name)
        if spec.name in LIST_FIELDS:
            value = "; ".join(value)
        if value in (None, ""):
            continue
        source = asset.field_sources.get(spec.name)
        note = f"  [{source}]" if source else ""
        first, *more = str(value).splitlines() or [""]
        say(f"  {spec.label:<18} {first}{note}")
        for line in more:               # a caption's paragraphs: indented under it, never a line of their own
            say(f"  {'':<18} {line}")
        if spec.name in asset.conflicts:
            for store, other in asset.conflicts[spec.name].items():
                say(f"  {'':<18}   {store} says: {other}")
    say(f"  {'Rights profile':<18} {asset.rights_profile or 'none (blocked at export until one is assigned)'}")
    if asset.rights_review:
        say(f"  {'Rights review':<18} {asset.rights_review}")
    if asset.galleries:
        say(f"  {'Galleries':<18} {'; '.join(asset.galleries)}")
    if asset.language:
        say(f"  {'Language':<18} {asset.language}")
    if document is not None and asset.kind == AssetKind.DOCUMENT:
        pages = f"{asset.page_count} page(s), " if asset.page_count else ""
        found = f"{len(''.join(document.pages)):,} characters of text" if document.text_found else "no text"
        say(f"  {'Text':<18} {pages}{found}")
    for track in tracks:
        say(f"  {str(track.kind).capitalize():<18} {track.language or 'language unknown'}: "
            f"{len(track.cues)} cue(s) from {track.origin}" + (f" ({track.label})" if track.label else ""))
    for n, chapter in enumerate(chapters, 1):
        say(f"  {'Chapters' if n == 1 else '':<18} {clock(chapter.start)}  {chapter.title}")
    for other in links:
        say(f"  {'Linked' if other is links[0] else '':<18} {other.id}  {other.kind}  {other.display_title}")
    for warning in asset.warnings:
        say(f"  warning: {warning}")
    return EXIT_OK
