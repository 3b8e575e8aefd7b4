"""How an asset's rights state and duration read at a glance (grid badges, table cells)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mediadesk.domain.asset import Asset
from mediadesk.domain.rights import RightsProfile


@dataclass(frozen=True)
class Badge:
    text: str          # short, upper case, for the grid
    label: str         # a sentence for the table and tooltips
    colour: str        # background, as a CSS hex colour
    problem: bool      # counts as a rights problem (sidebar "Rights problems")


NO_RIGHTS = Badge("NO RIGHTS", "No rights profile: cannot be exported until one is set", "#c62828", True)


def rights_badge(asset: Asset, profiles: dict[int, RightsProfile],
                 now: datetime | None = None) -> Badge:
    return badge_for(asset.rights_profile_id, asset.rights_review, profiles, now)


def badge_for(profile_id: int | None, rights_review: str | None, profiles: dict[int, RightsProfile],
              now: datetime | None = None) -> Badge:
    """The badge of an asset with this profile link and review note (what the views paint)."""
    profile = profiles.get(profile_id) if profile_id is not None else None
    if profile is None:
        return NO_RIGHTS
    now = now or datetime.now(UTC)
    if profile.embargo_until is not None and _aware(profile.embargo_until) > now:
        when = profile.embargo_until.strftime("%Y-%m-%d %H:%M")
        return Badge("EMBARGO", f"{profile.name}: embargoed until {when}", "#ef8f00", True)
    if profile.expires_at is not None and _aware(profile.expires_at) < now:
        when = profile.expires_at.strftime("%Y-%m-%d")
        return Badge("EXPIRED", f"{profile.name}: rights expired on {when}", "#b35c00", True)
    if rights_review:
        return Badge("CHECK RIGHTS", f"{profile.name}: {rights_review}", "#ad1457", True)
    if profile.editorial_only:
        return Badge("EDITORIAL", "Editorial use only: not for commercial, advertising or marketing use",
                     "#2e7d32", False)
    return Badge("CLEARED", profile.name, "#1565c0", False)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return str(size)


def format_date(value: str | None) -> str:
    """Catalog ISO dates shown as 2025-03-12 14:05 (+01:00 kept: it is the local time there).

    The catalog's forms are YYYY[-MM[-DD[THH:MM[:SS]]]][±HH:MM]: seconds are not shown, an
    offset is shown when the file had one, and a time without an offset shows just the time."""
    if not value:
        return ""
    date, _, time = value.partition("T")
    if not time:
        return date
    clock = time[:5]
    rest = time[5:]
    if rest.startswith(":"):          # seconds (and sub-seconds, should any remain)
        rest = rest[3:].lstrip("0123456789.,")
    offset = "+00:00" if rest in ("Z", "z") else rest
    return f"{date} {clock}" + (f" {offset}" if offset else "")
