"""Rights profiles as stored in the catalog (the policy that enforces them lives in rights/)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mediadesk.catalog.assets import now_iso
from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.rights import Purpose, RightsProfile


def _parse_dt(value: str | None, zone: str | None = None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if zone and moment.tzinfo is not None:
        try:
            return moment.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment


def _zone_key(profile: RightsProfile) -> str | None:
    """The IANA zone name the profile's moments were given in, if they carry one."""
    for moment in (profile.embargo_until, profile.expires_at):
        key = getattr(getattr(moment, "tzinfo", None), "key", None)
        if key:
            return key
    return None


def _normalise_note(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def profile_from_row(row) -> RightsProfile:
    purposes = frozenset(Purpose(p) for p in json.loads(row["allowed_purposes"] or "[]"))
    zone = row["time_zone"]
    return RightsProfile(
        id=row["id"], name=row["name"], note=row["note"], allowed_purposes=purposes,
        embargo_until=_parse_dt(row["embargo_until"], zone),
        expires_at=_parse_dt(row["expires_at"], zone),
        credit_line=row["credit_line"], credit_required=bool(row["credit_required"]),
    )


class RightsProfileStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def list(self) -> list[RightsProfile]:
        return [profile_from_row(r) for r in self.catalog.query("SELECT * FROM rights_profiles ORDER BY name")]

    def get(self, profile_id: int) -> RightsProfile:
        rows = self.catalog.query("SELECT * FROM rights_profiles WHERE id = ?", (profile_id,))
        if not rows:
            raise NotFound(f"no rights profile with id {profile_id}")
        return profile_from_row(rows[0])

    def find(self, name_or_id: str) -> RightsProfile | None:
        if str(name_or_id).isdigit():
            rows = self.catalog.query("SELECT * FROM rights_profiles WHERE id = ?", (int(name_or_id),))
            if rows:
                return profile_from_row(rows[0])
        rows = self.catalog.query(
            "SELECT * FROM rights_profiles WHERE lower(name) = lower(?)", (str(name_or_id),)
        )
        return profile_from_row(rows[0]) if rows else None

    def require(self, name_or_id: str) -> RightsProfile:
        found = self.find(name_or_id)
        if found is None:
            names = ", ".join(f'"{p.name}"' for p in self.list()) or "none"
            raise NotFound(f'no rights profile "{name_or_id}" (profiles: {names})')
        return found

    def match_note(self, usage_terms: str | None) -> int | None:
        """The profile whose note equals the given usage terms (whitespace and case folded)."""
        wanted = _normalise_note(usage_terms)
        if not wanted:
            return None
        for row in self.catalog.query("SELECT id, note FROM rights_profiles ORDER BY id"):
            if _normalise_note(row["note"]) == wanted:
                return row["id"]
        return None

    def note_index(self) -> dict[str, int]:
        """normalised note -> profile id, for matching many files at import."""
        index: dict[str, int] = {}
        for row in self.catalog.query("SELECT id, note FROM rights_profiles ORDER BY id DESC"):
            index[_normalise_note(row["note"])] = row["id"]
        return index

    # -- writes (inside catalog.transaction()) ----------------------------------------------
    def create(self, profile: RightsProfile) -> int:
        if not profile.name.strip():
            raise InvalidInput("a rights profile needs a name")
        if self.find(profile.name) is not None:
            raise InvalidInput(f'a rights profile called "{profile.name}" already exists')
        cur = self.catalog.conn.execute(
            "INSERT INTO rights_profiles (name, note, allowed_purposes, embargo_until, expires_at,"
            " credit_line, credit_required, created_at, time_zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                profile.name.strip(), profile.note,
                json.dumps(sorted(p.value for p in profile.allowed_purposes)),
                profile.embargo_until.isoformat() if profile.embargo_until else None,
                profile.expires_at.isoformat() if profile.expires_at else None,
                profile.credit_line, 1 if profile.credit_required else 0, now_iso(), _zone_key(profile),
            ),
        )
        return cur.lastrowid

    def update(self, profile: RightsProfile) -> None:
        if profile.id is None:
            raise InvalidInput("cannot update a profile without an id")
        self.catalog.conn.execute(
            "UPDATE rights_profiles SET name = ?, note = ?, allowed_purposes = ?, embargo_until = ?,"
            " expires_at = ?, credit_line = ?, credit_required = ?, time_zone = ? WHERE id = ?",
            (
                profile.name, profile.note, json.dumps(sorted(p.value for p in profile.allowed_purposes)),
                profile.embargo_until.isoformat() if profile.embargo_until else None,
                profile.expires_at.isoformat() if profile.expires_at else None,
                profile.credit_line, 1 if profile.credit_required else 0, _zone_key(profile), profile.id,
            ),
        )

    def delete(self, profile_id: int) -> None:
        self.catalog.conn.execute("DELETE FROM rights_profiles WHERE id = ?", (profile_id,))

    def assign(self, asset_ids: Iterable[int], profile_id: int | None) -> int:
        before = self.catalog.conn.total_changes
        self.catalog.conn.executemany(
            "UPDATE assets SET rights_profile_id = ? WHERE id = ?",
            [(profile_id, aid) for aid in asset_ids],
        )
        return self.catalog.conn.total_changes - before
