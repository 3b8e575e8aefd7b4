"""What an exported file carries inside: the catalog's description plus the rights, as fields.

The field names are the catalog's (domain/fields.py); media.embed_metadata and
media.xmp_sidecar_bytes put each where it belongs (usage_terms -> xmpRights:UsageTerms,
copyright -> dc:rights + IIM 2:116, credit -> photoshop:Credit + IIM 2:110, caption ->
dc:description + IIM 2:120, instructions -> photoshop:Instructions + IIM 2:40).
"""

from __future__ import annotations

import re
from typing import Any

from mediadesk.domain.asset import Asset
from mediadesk.domain.fields import LIST_FIELDS, METADATA_FIELDS
from mediadesk.domain.rights import RightsProfile
from mediadesk.rights.policy import credit_line, format_moment

EDITORIAL_ONLY = "EDITORIAL USE ONLY."


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Text safe for XMP and IIM: control characters (XML 1.0 forbids them) become spaces."""
    return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def rights_instructions(profile: RightsProfile) -> str:
    """``EDITORIAL USE ONLY. <note>`` for editorial-only profiles, plus embargo and expiry."""
    parts: list[str] = []
    note = " ".join(profile.note.split())
    if profile.editorial_only:
        parts.append(EDITORIAL_ONLY)
    if note:
        parts.append(note if note.endswith((".", "!", "?")) else note + ".")
    if profile.embargo_until is not None:
        parts.append(f"Embargoed until {format_moment(profile.embargo_until)}.")
    if profile.expires_at is not None:
        parts.append(f"Not to be used after {format_moment(profile.expires_at)}.")
    return " ".join(parts)


def _instructions(asset: Asset, profile: RightsProfile) -> str:
    stamped = rights_instructions(profile)
    own = " ".join((asset.instructions or "").split())
    if not own or _norm(own) in _norm(stamped):
        return stamped
    if _norm(stamped) in _norm(own):
        return own
    return f"{stamped} {own}"


def stamp_fields(asset: Asset, profile: RightsProfile | None) -> dict[str, Any]:
    """Fields to write into the exported copy of ``asset`` (only an allowed asset is exported,
    and the policy allows none without a profile: ``profile`` None is refused).

    Every non-empty catalog field travels (so caption edits made in mediadesk go out), then the
    rights: the profile's note as usage terms (it replaces whatever the file said), the credit
    line the policy requires, the instructions with the editorial-only note and the dates.
    Empty fields are left out, so values the file already holds are not erased.
    """
    if profile is None:
        raise ValueError(f"asset {asset.id} has no rights profile: nothing may be stamped into its files")
    fields: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = asset.get(name)
        if name in LIST_FIELDS:
            items = [clean_text(str(v)) for v in value or ()]
            if any(items):
                fields[name] = [v for v in items if v]
        elif isinstance(value, str):
            if clean_text(value):
                fields[name] = clean_text(value)
        elif value is not None:
            fields[name] = value
    fields["usage_terms"] = clean_text(profile.note)
    credit = credit_line(asset, profile)
    if credit:
        fields["credit"] = clean_text(credit)
    fields["instructions"] = clean_text(_instructions(asset, profile))
    return fields
