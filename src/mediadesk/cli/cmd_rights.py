"""``mediadesk rights list|create|update|assign``: rights profiles and which assets they cover.

The rules (what a profile needs, how moments and purposes are written) live in the rights
service (services/rights.py), which the window uses too; every change is recorded in the
history and ``mediadesk undo`` takes it back like any other edit.
"""

from __future__ import annotations

import argparse
from typing import Any

from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_OK,
    add_json_flag,
    add_selection_args,
    add_yes_flag,
    catalog_from_args,
    confirm_many,
    print_json,
    resolve_selection,
    say,
)
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.rights.policy import format_moment
from mediadesk.services.rights import (
    assign_profile,
    checked_profile,
    create_profile,
    parse_moment,
    parse_purposes,
    update_profile,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rights", help=COMMANDS["rights"],
                       description="Rights profiles say which purposes an asset may be used for, "
                                   "from when (embargo), until when (expiry) and with which credit.")
    rsub = p.add_subparsers(dest="rights_command", metavar="ACTION", required=True)

    lp = rsub.add_parser("list", help="list the rights profiles")
    add_json_flag(lp)
    lp.set_defaults(func=run_list)

    cp = rsub.add_parser("create", help="create a rights profile")
    cp.add_argument("name", metavar="NAME", help="name of the new rights profile, e.g. \"Editorial only\"")
    cp.add_argument("--note", required=True, metavar="TEXT",
                    help="the usage terms stamped into every exported file")
    cp.add_argument("--allow", nargs="+", required=True, metavar="PURPOSE",
                    help="allowed purposes: " + ", ".join(x.value for x in Purpose)
                         + " (or 'editorial' for the four editorial ones)")
    cp.add_argument("--embargo", metavar="WHEN", help="not before, with a time zone "
                    "(2025-03-06T14:00+01:00 or '2025-03-06 14:00 Europe/Brussels')")
    cp.add_argument("--expires", metavar="WHEN", help="not after, with a time zone")
    cp.add_argument("--credit", metavar="TEXT", help="credit line")
    cp.add_argument("--credit-required", action="store_true",
                    help="block exports of assets that have no credit line")
    add_json_flag(cp)
    cp.set_defaults(func=run_create)

    up = rsub.add_parser("update", help="change a rights profile (undoable)",
                         description="Change a profile's terms; every asset with the profile is "
                                     "decided by the new terms from the next export on.")
    up.add_argument("profile", metavar="PROFILE", help="profile name or id")
    up.add_argument("--name", metavar="TEXT", help="a new name")
    up.add_argument("--note", metavar="TEXT", help="new usage terms")
    up.add_argument("--allow", nargs="+", metavar="PURPOSE", help="the allowed purposes (all of them)")
    up.add_argument("--embargo", metavar="WHEN", help="not before, with a time zone; 'none' lifts it")
    up.add_argument("--expires", metavar="WHEN", help="not after, with a time zone; 'none' removes it")
    up.add_argument("--credit", metavar="TEXT", help="credit line ('' removes it)")
    up.add_argument("--credit-required", dest="credit_required", action="store_true", default=None,
                    help="block exports of assets that have no credit line")
    up.add_argument("--credit-optional", dest="credit_required", action="store_false",
                    help="a credit line is not required")
    add_json_flag(up)
    up.set_defaults(func=run_update)

    ap = rsub.add_parser("assign", help="assign a profile to assets (a gallery, a search, ids); undoable",
                         description="assign PROFILE (--gallery NAME | --query TEXT | ID...), or "
                                     "assign --none (selection) to clear. Recorded in the history. "
                                     "A search with a part that cannot be used is an error; more "
                                     "than 10 assets are counted first and need a yes (--yes in scripts).")
    ap.add_argument("profile", nargs="?", metavar="PROFILE", help="profile name or id")
    ap.add_argument("--none", action="store_true", help="remove the rights profile from the assets")
    add_selection_args(ap)
    add_yes_flag(ap)
    add_json_flag(ap)
    ap.set_defaults(func=run_assign)


def _profile_json(p: RightsProfile) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "note": p.note,
        "allowed_purposes": sorted(x.value for x in p.allowed_purposes),
        "editorial_only": p.editorial_only,
        "embargo_until": p.embargo_until.isoformat() if p.embargo_until else None,
        "expires_at": p.expires_at.isoformat() if p.expires_at else None,
        "credit_line": p.credit_line, "credit_required": p.credit_required,
    }


def run_list(args: argparse.Namespace) -> int:
    with catalog_from_args(args) as catalog:
        profiles = catalog.rights.list()
        counts = catalog.rights.asset_counts()
    if args.json:
        print_json([dict(_profile_json(p), assets=counts.get(p.id, 0)) for p in profiles])
        return EXIT_OK
    for p in profiles:
        allowed = ", ".join(sorted(x.value for x in p.allowed_purposes)) or "nothing"
        say(f"{p.id:>4}  {p.name}  ({counts.get(p.id, 0)} assets)")
        say(f"      allows: {allowed}")
        if p.embargo_until:
            say(f"      embargoed until {format_moment(p.embargo_until)}")
        if p.expires_at:
            say(f"      expires {format_moment(p.expires_at)}")
        if p.credit_line or p.credit_required:
            say(f"      credit: {p.credit_line or '(none)'}{' (required)' if p.credit_required else ''}")
        say(f"      note: {p.note}")
    say(f"{counts.get(None, 0)} asset(s) have no rights profile (exports block them)")
    return EXIT_OK


def run_create(args: argparse.Namespace) -> int:
    embargo = parse_moment(args.embargo, "--embargo") if args.embargo else None
    expires = parse_moment(args.expires, "--expires") if args.expires else None
    profile = RightsProfile(
        id=None, name=args.name, note=args.note, allowed_purposes=parse_purposes(args.allow),
        embargo_until=embargo, expires_at=expires, credit_line=args.credit,
        credit_required=args.credit_required,
    )
    for warning in checked_profile(profile).warnings:
        say(f"note: {warning}")
    with catalog_from_args(args, create=True) as catalog:
        result = create_profile(catalog, profile)
        assert result.object_id is not None
        created = catalog.rights.get(result.object_id)
    if args.json:
        print_json(_profile_json(created))
    else:
        say(f"created rights profile {created.id}: {created.name}")
    return EXIT_OK


def _moment_or_none(text: str, what: str) -> Any:
    return None if text.strip().lower() == "none" else parse_moment(text, what)


def run_update(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.note is not None:
        changes["note"] = args.note
    if args.allow:
        changes["allowed_purposes"] = parse_purposes(args.allow)
    if args.embargo is not None:
        changes["embargo_until"] = _moment_or_none(args.embargo, "--embargo")
    if args.expires is not None:
        changes["expires_at"] = _moment_or_none(args.expires, "--expires")
    if args.credit is not None:
        changes["credit_line"] = args.credit
    if args.credit_required is not None:
        changes["credit_required"] = args.credit_required
    if not changes:
        raise InvalidInput("say what to change: --name, --note, --allow, --embargo, --expires, --credit, "
                           "--credit-required or --credit-optional")
    with catalog_from_args(args) as catalog:
        profile = catalog.rights.require(args.profile)
        assert profile.id is not None
        result = update_profile(catalog, profile.id, **changes)
        changed = catalog.rights.get(profile.id)
    if args.json:
        print_json(dict(_profile_json(changed), operation_id=result.operation_id))
    elif result.operation_id is None:
        say(f"rights profile {changed.id}: {changed.name} already had these terms (nothing to change)")
    else:
        say(f"changed rights profile {changed.id}: {changed.name} (undo with: mediadesk undo)")
    return EXIT_OK


def run_assign(args: argparse.Namespace) -> int:
    if args.none and args.profile is not None:
        if not args.profile.isdigit():
            raise InvalidInput("assign --none takes no profile name; give the assets to clear")
        args.ids = [int(args.profile), *args.ids]
    elif not args.none and args.profile is None:
        raise InvalidInput("say which profile to assign (name or id), or --none to clear")
    with catalog_from_args(args) as catalog:
        profile = None if args.none else catalog.rights.require(args.profile)
        ids = resolve_selection(catalog, args)
        if not ids:
            raise InvalidInput("the selection is empty: no assets to assign")
        confirm_many(args, len(ids), f"give {{n}} assets the rights profile '{profile.name}'"
                     if profile else "clear the rights profile of {n} assets")
        result = assign_profile(catalog, ids, None if profile is None else profile.id)
    if args.json:
        print_json({"profile": _profile_json(profile) if profile else None, "assets": ids,
                    "changed": result.count, "operation_id": result.operation_id})
    else:
        target = f"'{profile.name}'" if profile else "no profile"
        say(f"{result.count} of {len(ids)} asset(s) now have {target}"
            + (" (undo with: mediadesk undo)" if result.count else " (nothing to change)"))
    return EXIT_OK
