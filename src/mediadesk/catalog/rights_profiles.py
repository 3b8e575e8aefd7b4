"""Rights profiles as stored in the catalog (the policy that enforces them lives in rights/).

Creating or changing a profile and giving assets a profile are a person's decisions about rights:
they go through ``services/rights.py`` (one set of rules for the command line and the window),
which records them in the edit history. The writing methods here are that service's tools, named
``..._unrecorded`` because they record nothing themselves.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mediadesk.catalog.rows import now_iso
from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.rights import Purpose, RightsProfile

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

OBJECT = "rights_profile"      # its name in object_history
RECORD_FIELDS = ("name", "note", "allowed_purposes", "embargo_until", "expires_at", "credit_line",
                 "credit_required", "created_at", "time_zone")


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
        if isinstance(key, str) and key:
            return key
    return None


def _normalise_note(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def profile_from_row(row: Any) -> RightsProfile:
    purposes = frozenset(Purpose(p) for p in json.loads(row["allowed_purposes"] or "[]"))
    zone = row["time_zone"]
    return RightsProfile(
        id=row["id"], name=row["name"], note=row["note"], allowed_purposes=purposes,
        embargo_until=_parse_dt(row["embargo_until"], zone),
        expires_at=_parse_dt(row["expires_at"], zone),
        credit_line=row["credit_line"], credit_required=bool(row["credit_required"]),
    )


def _values(profile: RightsProfile) -> dict[str, Any]:
    return {
        "name": profile.name.strip(), "note": profile.note,
        "allowed_purposes": json.dumps(sorted(p.value for p in profile.allowed_purposes)),
        "embargo_until": profile.embargo_until.isoformat() if profile.embargo_until else None,
        "expires_at": profile.expires_at.isoformat() if profile.expires_at else None,
        "credit_line": profile.credit_line, "credit_required": 1 if profile.credit_required else 0,
        "time_zone": _zone_key(profile),
    }


class RightsProfileStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def list(self) -> builtins.list[RightsProfile]:
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
                return int(row["id"])
        return None

    def note_index(self) -> dict[str, int]:
        """normalised note -> profile id, for matching many files at import."""
        index: dict[str, int] = {}
        for row in self.catalog.query("SELECT id, note FROM rights_profiles ORDER BY id DESC"):
            index[_normalise_note(row["note"])] = row["id"]
        return index

    def asset_counts(self) -> dict[int | None, int]:
        """profile id (None: no profile) -> how many assets have it."""
        return {r[0]: r[1] for r in self.catalog.execute(
            "SELECT rights_profile_id, count(*) FROM assets GROUP BY rights_profile_id")}

    def users(self, profile_id: int) -> int:
        """How many assets and galleries name the profile."""
        return int(self.catalog.scalar(
            "SELECT (SELECT count(*) FROM assets WHERE rights_profile_id = ?)"
            " + (SELECT count(*) FROM galleries WHERE rights_profile_id = ?)", (profile_id, profile_id)))

    def may_assign(self) -> bool:
        """Whether the person at this catalog may give assets a rights profile. The engine
        decides (a team catalog's column privileges); the window only mirrors it, by leaving
        the choice out where it would be refused."""
        return self.catalog.dialect.may_update(self.catalog.conn, "assets", "rights_profile_id")

    def record(self, profile_id: int) -> dict[str, Any] | None:
        """The profile's stored values (what the history keeps), or None when there is none."""
        rows = self.catalog.query(f"SELECT {', '.join(RECORD_FIELDS)} FROM rights_profiles WHERE id = ?",
                                  (profile_id,))
        return dict(rows[0]) if rows else None

    def _check_name(self, name: str, profile_id: int | None = None) -> None:
        if not name.strip():
            raise InvalidInput("a rights profile needs a name")
        other = self.catalog.scalar("SELECT id FROM rights_profiles WHERE lower(name) = lower(?)", (name.strip(),))
        if other is not None and other != profile_id:
            raise InvalidInput(f'a rights profile called "{name.strip()}" already exists')

    def _next_id(self) -> int:
        """Never an id the history still names, so an undo can always put a profile back."""
        return int(self.catalog.scalar(
            "SELECT max(coalesce((SELECT max(id) FROM rights_profiles), 0),"
            " coalesce((SELECT max(object_id) FROM object_history WHERE object = ?), 0)) + 1",
            (OBJECT,)))

    # -- writes: the rights service's tools (inside catalog.transaction()) ------------------
    @store_writer
    def create_unrecorded(self, profile: RightsProfile) -> int:
        self._check_name(profile.name)
        values = {"id": self._next_id(), **_values(profile), "created_at": now_iso()}
        return self.catalog.insert(
            f"INSERT INTO rights_profiles ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})"
            " RETURNING id", tuple(values.values()))

    @store_writer
    def update_unrecorded(self, profile: RightsProfile) -> None:
        if profile.id is None:
            raise InvalidInput("cannot update a profile without an id")
        self._check_name(profile.name, profile.id)
        values = _values(profile)
        sets = ", ".join(f"{k} = ?" for k in values)
        self.catalog.execute(f"UPDATE rights_profiles SET {sets} WHERE id = ?", (*values.values(), profile.id))

    @store_writer
    def delete_unrecorded(self, profile_id: int) -> None:
        self.catalog.execute("DELETE FROM rights_profiles WHERE id = ?", (profile_id,))

    @store_writer
    def restore_unrecorded(self, profile_id: int, record: Mapping[str, Any] | None) -> None:
        """Make the profile what ``record`` says (undo and redo); None deletes it."""
        if record is None:
            self.delete_unrecorded(profile_id)
            return
        values = {k: record.get(k) for k in RECORD_FIELDS}
        if self.record(profile_id) is None:
            columns = ["id", *values]
            self.catalog.execute(
                f"INSERT INTO rights_profiles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                (profile_id, *values.values()))
        else:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.catalog.execute(f"UPDATE rights_profiles SET {sets} WHERE id = ?", (*values.values(), profile_id))

    @store_writer
    def assign_unrecorded(self, asset_ids: Iterable[int], profile_id: int | None) -> int:
        """Link the assets to the profile WITHOUT an entry in the edit history. A person's
        assignment goes through ``services.rights.assign_profile`` (undoable)."""
        return self.catalog.executemany(
            "UPDATE assets SET rights_profile_id = ? WHERE id = ?",
            [(profile_id, aid) for aid in asset_ids],
        )
