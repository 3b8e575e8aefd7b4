"""``mediadesk rights list|create|assign``: rights profiles and which assets they cover.

``assign`` goes through the edit service, so it is recorded in the history and ``mediadesk
undo`` takes it back like any other edit.
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.cli.commands import COMMANDS
from mediadesk.cli.common import (
    EXIT_OK, add_json_flag, add_selection_args, add_yes_flag, catalog_from_args, confirm_many,
    print_json, resolve_selection, say,
)
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.rights.policy import format_moment, parse_purpose
from mediadesk.services.edits import apply_edits

_ZONE_SUFFIX = re.compile(r"^(?P<when>.+?)(?:\[(?P<br>[^\]]+)\]|\s+(?P<sp>[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+|UTC))$")


def parse_moment(text: str, what: str) -> datetime:
    """``2025-03-06T14:00+01:00``, ``2025-03-06 14:00 Europe/Brussels`` or ``...[Europe/Brussels]``."""
    raw = (text or "").strip()
    zone = None
    m = _ZONE_SUFFIX.match(raw)
    if m:
        name = m.group("br") or m.group("sp")
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"{what}: unknown time zone {name!r} (use e.g. Europe/Brussels)") from None
        raw = m.group("when").strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not a date and time; write e.g. "
                           "2025-03-06T14:00+01:00 or '2025-03-06 14:00 Europe/Brussels'") from None
    if moment.tzinfo is None:
        if zone is None:
            raise InvalidInput(f"{what}: {text!r} has no time zone; add one, e.g. +01:00 or Europe/Brussels")
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone) if zone else moment


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


def _profile_json(p: RightsProfile) -> dict:
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
        profiles = RightsProfileStore(catalog).list()
        counts = dict(catalog.conn.execute(
            "SELECT rights_profile_id, count(*) FROM assets GROUP BY rights_profile_id").fetchall())
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


def _purposes(values: list[str]) -> frozenset[Purpose]:
    out: set[Purpose] = set()
    for value in values:
        for part in value.replace(",", " ").split():
            if part.lower() == "editorial":
                out |= {p for p in Purpose if p.is_editorial}
            else:
                out.add(parse_purpose(part))
    return frozenset(out)


def run_create(args: argparse.Namespace) -> int:
    if not args.note.strip():
        raise InvalidInput("--note must not be empty: it is the usage terms every export carries")
    embargo = parse_moment(args.embargo, "--embargo") if args.embargo else None
    expires = parse_moment(args.expires, "--expires") if args.expires else None
    if embargo and expires and expires <= embargo:
        raise InvalidInput("--expires must be after --embargo")
    if args.credit_required and not (args.credit or "").strip():
        say("note: --credit-required without --credit: assets without their own credit line will be blocked")
    profile = RightsProfile(
        id=None, name=args.name.strip(), note=" ".join(args.note.split()),
        allowed_purposes=_purposes(args.allow), embargo_until=embargo, expires_at=expires,
        credit_line=(args.credit or "").strip() or None, credit_required=args.credit_required,
    )
    with catalog_from_args(args, create=True) as catalog:
        store = RightsProfileStore(catalog)
        with catalog.transaction():
            new_id = store.create(profile)
        created = store.get(new_id)
    if args.json:
        print_json(_profile_json(created))
    else:
        say(f"created rights profile {created.id}: {created.name}")
    return EXIT_OK


def run_assign(args: argparse.Namespace) -> int:
    if args.none and args.profile is not None:
        if not args.profile.isdigit():
            raise InvalidInput("assign --none takes no profile name; give the assets to clear")
        args.ids = [int(args.profile), *args.ids]
    elif not args.none and args.profile is None:
        raise InvalidInput("say which profile to assign (name or id), or --none to clear")
    with catalog_from_args(args) as catalog:
        profile = None if args.none else RightsProfileStore(catalog).require(args.profile)
        ids = resolve_selection(catalog, args)
        if not ids:
            raise InvalidInput("the selection is empty: no assets to assign")
        value = None if profile is None else profile.id
        what = f"Assign rights profile '{profile.name}'" if profile else "Clear rights profile"
        confirm_many(args, len(ids), f"give {{n}} assets the rights profile '{profile.name}'"
                     if profile else "clear the rights profile of {n} assets")
        result = apply_edits(catalog, {i: {"rights_profile_id": value} for i in ids},
                             kind="rights", description=f"{what} ({len(ids)} assets)")
    if args.json:
        print_json({"profile": _profile_json(profile) if profile else None, "assets": ids,
                    "changed": result.count, "operation_id": result.operation_id})
    else:
        target = f"'{profile.name}'" if profile else "no profile"
        say(f"{result.count} of {len(ids)} asset(s) now have {target}"
            + (" (undo with: mediadesk undo)" if result.count else " (nothing to change)"))
    return EXIT_OK
