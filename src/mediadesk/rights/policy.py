"""The rights policy: may this asset leave for this purpose at this moment? (pure, no I/O)

Every path that lets an asset out of mediadesk (the export service, the command line, the
Export dialog's preview) asks :func:`decide`; nothing else decides rights. Deny wins: an asset
without a profile, a profile that does not belong to the asset, a purpose the profile does not
list, an embargo not yet lifted, an expiry passed, a required credit line that is missing, or a
profile whose dates cannot be compared all block. The reason is a sentence an editor can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mediadesk.domain.asset import Asset
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import EDITORIAL_PURPOSES, Purpose, RightsProfile

# Decision codes (stable: the CLI's JSON, the ledger and the window use them)
ALLOWED = "allowed"
NO_PROFILE = "no-profile"
PROFILE_MISMATCH = "profile-mismatch"
PURPOSE = "purpose"
EMBARGOED = "embargoed"
EXPIRED = "expired"
CREDIT_MISSING = "credit-missing"
PROFILE_INVALID = "profile-invalid"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str          # one sentence per problem, joined with ". "
    code: str            # the first problem's code, or "allowed"
    codes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"allowed": self.allowed, "code": self.code, "reason": self.reason,
                "codes": list(self.codes)}


def parse_purpose(value: str | Purpose) -> Purpose:
    """A Purpose from its slug (``editorial-online``); InvalidInput lists the valid spellings."""
    if isinstance(value, Purpose):
        return value
    text = str(value or "").strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return Purpose(text)
    except ValueError:
        valid = ", ".join(p.value for p in Purpose)
        raise InvalidInput(f"unknown purpose {value!r}; use one of: {valid}") from None


def format_moment(moment: datetime) -> str:
    """``2025-03-06 14:00 CET``: the moment in its own zone (zone abbreviation or UTC offset)."""
    zone = moment.tzname() if moment.tzinfo is not None else None
    if not zone:
        offset = moment.utcoffset()
        if offset is None:
            return moment.strftime("%Y-%m-%d %H:%M") + " (no time zone)"
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        zone = "UTC" if minutes == 0 else f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{moment.strftime('%Y-%m-%d %H:%M')} {zone}"


def _aware(moment: datetime | None) -> bool:
    return moment is not None and moment.tzinfo is not None and moment.utcoffset() is not None


def _purpose_problem(profile: RightsProfile, purpose: Purpose) -> str | None:
    if purpose in profile.allowed_purposes:
        return None
    if not profile.allowed_purposes:
        return f"Restricted: the rights profile '{profile.name}' allows no purpose"
    if profile.editorial_only:
        return f"Restricted: editorial use only; '{purpose.value}' is not an editorial purpose"
    allowed = ", ".join(sorted(p.value for p in profile.allowed_purposes))
    return f"Restricted: '{purpose.value}' is not allowed (allowed: {allowed})"


def _blocked(problems: list[tuple[str, str]]) -> Decision:
    return Decision(
        allowed=False, reason=". ".join(r for _c, r in problems), code=problems[0][0],
        codes=tuple(c for c, _r in problems), reasons=tuple(r for _c, r in problems),
    )


def decide(asset: Asset, profile: RightsProfile | None, purpose: Purpose | str,
           at: datetime) -> Decision:
    """Allowed, or blocked with every reason, for ``asset`` under ``profile`` at moment ``at``.

    ``profile`` must be the profile the asset refers to (``asset.rights_profile_id``); ``at``
    must carry a time zone. An unknown purpose or a naive ``at`` is a programming or input error
    (InvalidInput), not a decision.
    """
    purpose = parse_purpose(purpose)
    if not _aware(at):
        raise InvalidInput("the moment of a rights decision needs a time zone")
    if asset.rights_profile_id is None:
        return _blocked([(NO_PROFILE, "No rights profile: ask the rights holder")])
    if profile is None:
        return _blocked([(NO_PROFILE, f"No rights profile: profile #{asset.rights_profile_id} no "
                                      "longer exists; ask the rights holder")])
    if profile.id != asset.rights_profile_id:
        return _blocked([(PROFILE_MISMATCH, f"Rights profile '{profile.name}' is not the profile "
                                            f"of asset {asset.id}; check its rights again")])
    problems: list[tuple[str, str]] = []
    purpose_problem = _purpose_problem(profile, purpose)
    if purpose_problem:
        problems.append((PURPOSE, purpose_problem))
    if profile.embargo_until is not None:
        if not _aware(profile.embargo_until):
            problems.append((PROFILE_INVALID, f"Rights profile '{profile.name}' has an embargo "
                                              "without a time zone: fix the profile"))
        elif at < profile.embargo_until:
            problems.append((EMBARGOED, f"Embargoed until {format_moment(profile.embargo_until)}"))
    if profile.expires_at is not None:
        if not _aware(profile.expires_at):
            problems.append((PROFILE_INVALID, f"Rights profile '{profile.name}' has an expiry "
                                              "without a time zone: fix the profile"))
        elif at > profile.expires_at:
            problems.append((EXPIRED, f"Expired on {format_moment(profile.expires_at)}"))
    if profile.credit_required and not credit_line(asset, profile):
        problems.append((CREDIT_MISSING, "Credit line required but missing"))
    if problems:
        return _blocked(problems)
    return Decision(allowed=True, code=ALLOWED, codes=(ALLOWED,),
                    reason=f"Allowed: {purpose.value} under '{profile.name}'")


def credit_line(asset: Asset, profile: RightsProfile | None) -> str | None:
    """The credit line an export carries: the profile's when it requires one, else the asset's."""
    profile_credit = _visible(profile.credit_line) if profile else ""
    asset_credit = _visible(asset.credit)
    if profile is not None and profile.credit_required and profile_credit:
        return profile_credit
    return asset_credit or profile_credit or None


def _visible(text: str | None) -> str:
    """``text`` with control and invisible characters dropped and spaces collapsed."""
    return " ".join("".join(c if c.isprintable() else " " for c in (text or "")).split())


def decide_download(asset: Asset, profile: RightsProfile | None, at: datetime) -> Decision:
    """May an asset shown on a published web page also be offered as a download?

    A file saved from a press office's page goes to any newsroom for any editorial use, so the
    profile must allow every editorial purpose (broadcast, print, online, radio) at ``at``, on
    top of everything :func:`decide` checks; deny wins. A profile that allows only some of them
    keeps the asset viewable on the page without a download link."""
    online = decide(asset, profile, Purpose.EDITORIAL_ONLINE, at)
    if not online.allowed:
        return online
    assert profile is not None
    missing = sorted(p.value for p in EDITORIAL_PURPOSES if p not in profile.allowed_purposes)
    if missing:
        uses = ", ".join(m.removeprefix("editorial-") for m in missing)
        return _blocked([(PURPOSE, f"Shown without a download: the rights profile '{profile.name}' "
                                   f"does not allow editorial {uses} use")])
    return Decision(allowed=True, code=ALLOWED, codes=(ALLOWED,),
                    reason=f"Downloadable: every editorial use is allowed under '{profile.name}'")
