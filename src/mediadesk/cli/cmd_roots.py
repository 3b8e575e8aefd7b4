"""``mediadesk roots list|add|map``: the shared folders of a team catalog, mapped on this desk.

A team catalog stores each file as a storage root plus a path inside it. ``add NAME FOLDER``
makes the shared folder FOLDER (as this desk mounts it) the root NAME: a marker file is written
into it and the desk maps it there. On every other desk, ``map NAME FOLDER`` says where that desk
mounts the same share (``/mnt/press``, ``/Volumes/press``, ``P:\\``); the marker is checked, so a
wrong folder is refused. ``list`` shows each root, this desk's mount point and whether it is
online (a root offline shows its files with their thumbnails and metadata; only work that needs
the file waits for it).
"""

from __future__ import annotations

import argparse

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import EXIT_OK, add_json_flag, catalog_from_args, print_json, say
from mediadesk.services.roots import add_root, map_root, require_team, root_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roots", help=COMMANDS["roots"],
                       description=__doc__.split("\n\n")[1])
    actions = p.add_subparsers(dest="roots_command", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help="every root, this desk's mount point, online or not")
    add_json_flag(lst)
    lst.set_defaults(func=run_list)
    add = actions.add_parser("add", help="make a shared folder a root (writes its marker, maps it here)")
    add.add_argument("name", metavar="NAME", help="a short name: letters, digits, '.', '_', '-' (e.g. press)")
    add.add_argument("folder", metavar="FOLDER", help="the shared folder as this desk mounts it")
    add.add_argument("--note", help="what the root is (shown in `roots list`)")
    add.add_argument("--no-marker", action="store_true",
                     help="a read-only share: write no marker (desks then map it unchecked)")
    add_json_flag(add)
    add.set_defaults(func=run_add)
    mp = actions.add_parser("map", help="say where this desk mounts a root (its marker is checked)")
    mp.add_argument("name", metavar="NAME", help="the root's name in the team catalog (mediadesk roots list)")
    mp.add_argument("folder", metavar="FOLDER", help="the root's folder on this desk")
    mp.add_argument("--unchecked", action="store_true", help="a root added with --no-marker")
    add_json_flag(mp)
    mp.set_defaults(func=run_map)


def run_list(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        require_team(catalog)
        status = root_status(catalog)
        location = catalog.location
    if args.json:
        print_json({"catalog": location, "roots": [s.to_json() for s in status.values()]})
        return EXIT_OK
    if not status:
        say(f"{location} has no storage roots yet: mediadesk roots add NAME FOLDER")
    for s in status.values():
        state = "online" if s.online else f"offline: {s.problem}"
        say(f"{s.root.name:<14} {str(s.mount) if s.mount else '(not mapped here)'}  {s.assets:,} assets  {state}")
    return EXIT_OK


def run_add(args: argparse.Namespace) -> int:
    with catalog_from_args(args, create=True) as catalog:   # a new team catalog's first step
        root = add_root(catalog, args.name, args.folder, note=args.note, marker=not args.no_marker)
        status = root_status(catalog)[root.name]
    if args.json:
        print_json(status.to_json())
    else:
        say(f"storage root {root.name!r} added at {status.mount}; other desks: "
            f"mediadesk roots map {root.name} FOLDER")
    return EXIT_OK


def run_map(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        status = map_root(catalog, args.name, args.folder, unchecked=args.unchecked)
    if args.json:
        print_json(status.to_json())
    else:
        say(f"storage root {args.name!r} is at {status.mount} on this desk"
            + ("" if status.online else f" (offline: {status.problem})"))
    return EXIT_OK
