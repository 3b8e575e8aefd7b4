"""Rights profiles as a person changes them: one set of rules for the command line and the window.

A profile is created or changed here (never straight in the store), so the same checks hold
everywhere: a name and a note are required, the note is kept on one line, an expiry comes after
the embargo, moments carry a time zone. Each change is one operation in the edit history
(``mediadesk undo`` and Edit > Undo take it back); giving assets a profile is a field edit
through the edit service, which also settles what a re-read flagged for review. Whether an asset
may be used is decided elsewhere, in one place: ``rights/policy.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.rights_profiles import OBJECT
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.permissions import names_operation
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.rights.policy import parse_purpose
from mediadesk.services.edits import EditResult, apply_edits, record_objects

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


def parse_purposes(values: Iterable[str]) -> frozenset[Purpose]:
    """Purpose slugs (comma or space separated); ``editorial`` stands for the four editorial ones."""
    out: set[Purpose] = set()
    for value in values:
        for part in value.replace(",", " ").split():
            if part.lower() == "editorial":
                out |= {p for p in Purpose if p.is_editorial}
            else:
                out.add(parse_purpose(part))
    return frozenset(out)


@dataclass(frozen=True)
class ProfileCheck:
    profile: RightsProfile
    warnings: list[str] = field(default_factory=list)


def checked_profile(profile: RightsProfile) -> ProfileCheck:
    """The profile as it may be stored (name trimmed, note on one line), or InvalidInput."""
    name = (profile.name or "").strip()
    if not name:
        raise InvalidInput("a rights profile needs a name")
    note = " ".join((profile.note or "").split())
    if not note:
        raise InvalidInput("the note must not be empty: it is the usage terms every export carries")
    for moment, what in ((profile.embargo_until, "the embargo"), (profile.expires_at, "the expiry")):
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput(f"{what} has no time zone; add one, e.g. +01:00 or Europe/Brussels")
    if profile.embargo_until and profile.expires_at and profile.expires_at <= profile.embargo_until:
        raise InvalidInput("the expiry must be after the embargo")
    credit = (profile.credit_line or "").strip() or None
    warnings = []
    if profile.credit_required and not credit:
        warnings.append("a credit is required but the profile has no credit line: assets without "
                        "their own credit line will be blocked")
    return ProfileCheck(replace(profile, name=name, note=note, credit_line=credit), warnings)


@names_operation("rights-profile")
def create_profile(catalog: Catalog, profile: RightsProfile) -> EditResult:
    """A new rights profile, one undoable operation; ``result.object_id`` is its id."""
    checked = checked_profile(profile).profile
    store = catalog.rights
    with catalog.transaction():
        profile_id = store.create_unrecorded(checked)
        result = record_objects(catalog, [(OBJECT, profile_id, None, store.record(profile_id))],
                                kind="rights", description=f'Create rights profile "{checked.name}"')
    return _with_id(result, profile_id)


@names_operation("rights-profile")
def update_profile(catalog: Catalog, profile_id: int, **changes: Any) -> EditResult:
    """Change a profile (any of name, note, allowed_purposes, embargo_until, expires_at,
    credit_line, credit_required): one undoable operation. Every asset with the profile is
    decided by the new terms from the next export on."""
    allowed = {"name", "note", "allowed_purposes", "embargo_until", "expires_at", "credit_line",
               "credit_required"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"not a rights profile field: {', '.join(sorted(unknown))}")
    store = catalog.rights
    with catalog.transaction():
        current = store.get(profile_id)   # NotFound names the id
        checked = checked_profile(replace(current, **changes)).profile
        before = store.record(profile_id)
        store.update_unrecorded(checked)
        result = record_objects(catalog, [(OBJECT, profile_id, before, store.record(profile_id))],
                                kind="rights", description=f'Change rights profile "{checked.name}"')
    return _with_id(result, profile_id)


@names_operation("rights-assign")
def assign_profile(catalog: Catalog, asset_ids: Sequence[int], profile_id: int | None) -> EditResult:
    """Give the assets the profile (None: take their profile away): one undoable operation. A
    person decided their rights, so what a re-read flagged for review is settled."""
    ids = list(dict.fromkeys(asset_ids))
    if not ids:
        raise InvalidInput("the selection is empty: no assets to assign")
    with catalog.transaction():
        profile = None if profile_id is None else catalog.rights.get(profile_id)  # NotFound names it
        what = f"Assign rights profile '{profile.name}'" if profile else "Clear rights profile"
        count = f"{len(ids):,} asset" + ("" if len(ids) == 1 else "s")
        return apply_edits(catalog, {i: {"rights_profile_id": profile_id} for i in ids},
                           kind="rights", description=f"{what} ({count})")


def _with_id(result: EditResult, profile_id: int) -> EditResult:
    return EditResult(result.operation_id, result.changed, result.skipped, result.changes, object_id=profile_id)
