"""The rights policy: reasons a person understands, and (hypothesis) no blocked asset gets through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from mediadesk.domain.asset import Asset
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import EDITORIAL_PURPOSES, Purpose, RightsProfile
from mediadesk.rights import decide, format_moment, parse_purpose, rights_instructions, stamp_fields
from mediadesk.rights.policy import (
    CREDIT_MISSING,
    EMBARGOED,
    EXPIRED,
    NO_PROFILE,
    PROFILE_INVALID,
    PROFILE_MISMATCH,
    PURPOSE,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2025, 3, 6, 12, 0, tzinfo=UTC)
NOTE = ("This media asset is free for editorial broadcast, print, online and radio use. "
        "It is restricted for use for other purposes.")


def asset(profile_id: int | None = 1, credit: str | None = "NATO", **kw) -> Asset:
    base: dict[str, Any] = {"id": 7, "kind": "photo", "path": "/x/a.jpg", "file_name": "a.jpg",
                            "content_hash": "0" * 64, "size": 1, "mtime": 0.0, "rights_profile_id": profile_id,
                            "credit": credit}
    base.update(kw)
    return Asset(**base)


def profile(purposes=EDITORIAL_PURPOSES, **kw) -> RightsProfile:
    base: dict[str, Any] = {"id": 1, "name": "Editorial only", "note": NOTE, "allowed_purposes": frozenset(purposes)}
    base.update(kw)
    return RightsProfile(**base)


def test_editorial_profile_allows_editorial_purposes():
    for purpose in EDITORIAL_PURPOSES:
        d = decide(asset(), profile(), purpose, NOW)
        assert d.allowed and d.code == "allowed"


def test_advertising_is_not_editorial():
    d = decide(asset(), profile(), "advertising", NOW)
    assert not d.allowed and d.code == PURPOSE
    assert d.reason == "Restricted: editorial use only; 'advertising' is not an editorial purpose"


def test_purpose_outside_a_mixed_profile_lists_what_is_allowed():
    d = decide(asset(), profile({Purpose.COMMERCIAL, Purpose.INTERNAL}), Purpose.ADVERTISING, NOW)
    assert d.reason == "Restricted: 'advertising' is not allowed (allowed: commercial, internal)"


def test_no_profile_is_blocked_deny_wins():
    d = decide(asset(profile_id=None), profile(), "editorial-online", NOW)
    assert (d.allowed, d.code, d.reason) == (False, NO_PROFILE, "No rights profile: ask the rights holder")
    d = decide(asset(profile_id=3), None, "editorial-online", NOW)
    assert not d.allowed and d.code == NO_PROFILE and "#3" in d.reason


def test_profile_of_another_asset_is_refused():
    d = decide(asset(profile_id=2), profile(), "editorial-online", NOW)
    assert not d.allowed and d.code == PROFILE_MISMATCH


def test_embargo_is_shown_in_the_profiles_zone():
    embargo = datetime(2025, 3, 6, 14, 0, tzinfo=BRUSSELS)
    d = decide(asset(), profile(embargo_until=embargo), "editorial-online", NOW)
    assert not d.allowed and d.code == EMBARGOED
    assert d.reason == "Embargoed until 2025-03-06 14:00 CET"
    assert decide(asset(), profile(embargo_until=embargo), "editorial-online", embargo).allowed  # not before


def test_embargo_with_only_an_offset_shows_the_offset():
    embargo = datetime(2025, 3, 6, 14, 0, tzinfo=timezone(timedelta(hours=1)))
    d = decide(asset(), profile(embargo_until=embargo), "editorial-online", NOW)
    assert d.reason == "Embargoed until 2025-03-06 14:00 UTC+01:00"


def test_expiry():
    expires = datetime(2025, 3, 1, 0, 0, tzinfo=BRUSSELS)
    d = decide(asset(), profile(expires_at=expires), "editorial-print", NOW)
    assert not d.allowed and d.code == EXPIRED and d.reason == "Expired on 2025-03-01 00:00 CET"
    assert decide(asset(), profile(expires_at=expires), "editorial-print", expires).allowed  # not after


def test_summer_time_abbreviation():
    assert format_moment(datetime(2025, 7, 1, 9, 30, tzinfo=BRUSSELS)) == "2025-07-01 09:30 CEST"


def test_credit_required_but_missing():
    p = profile(credit_required=True, credit_line=None)
    d = decide(asset(credit=None), p, "editorial-online", NOW)
    assert (d.allowed, d.code, d.reason) == (False, CREDIT_MISSING, "Credit line required but missing")
    assert not decide(asset(credit=" \x00 "), p, "editorial-online", NOW).allowed  # invisible is missing
    assert decide(asset(credit="Reuters"), p, "editorial-online", NOW).allowed
    assert decide(asset(credit=None), profile(credit_required=True, credit_line="NATO"),
                  "editorial-online", NOW).allowed


def test_all_reasons_are_given():
    p = profile(embargo_until=datetime(2030, 1, 1, tzinfo=UTC), credit_required=True)
    d = decide(asset(credit=None), p, "marketing", NOW)
    assert d.codes == (PURPOSE, EMBARGOED, CREDIT_MISSING)
    assert d.code == PURPOSE
    assert "Embargoed until 2030-01-01 00:00 UTC" in d.reason and "Credit line required" in d.reason


def test_naive_profile_dates_block():
    d = decide(asset(), profile(embargo_until=datetime(2020, 1, 1)), "editorial-online", NOW)
    assert not d.allowed and d.code == PROFILE_INVALID


def test_bad_inputs_are_errors_not_decisions():
    with pytest.raises(InvalidInput, match="editorial-online"):
        decide(asset(), profile(), "propaganda", NOW)
    with pytest.raises(InvalidInput):
        decide(asset(), profile(), "editorial-online", datetime(2025, 1, 1))
    assert parse_purpose("Editorial Online") is Purpose.EDITORIAL_ONLINE


def test_stamp_carries_note_credit_instructions_and_catalog_fields():
    p = profile(credit_required=True, credit_line="NATO",
                expires_at=datetime(2026, 1, 1, tzinfo=BRUSSELS))
    a = asset(credit="Someone else", caption="Kraków\x1b caption", copyright="© NATO",
              keywords=("a", "b"), instructions="Call the press office")
    fields = stamp_fields(a, p)
    assert fields["usage_terms"] == NOTE
    assert fields["credit"] == "NATO"  # the profile's required credit line wins
    assert fields["caption"] == "Kraków  caption"  # control characters cannot reach XMP/IIM
    assert fields["copyright"] == "© NATO" and fields["keywords"] == ["a", "b"]
    assert fields["instructions"].startswith("EDITORIAL USE ONLY. " + NOTE)
    assert "Not to be used after 2026-01-01 00:00 CET." in fields["instructions"]
    assert fields["instructions"].endswith("Call the press office")
    assert not rights_instructions(profile({Purpose.COMMERCIAL})).startswith("EDITORIAL")


# -- property-based: no combination lets a blocked asset through ---------------------------

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                       timezones=st.sampled_from([UTC, BRUSSELS, ZoneInfo("America/New_York"),
                                                  timezone(timedelta(hours=5, minutes=30))]))
maybe_moments = st.one_of(st.none(), moments, st.datetimes(min_value=datetime(2000, 1, 1),
                                                          max_value=datetime(2040, 1, 1)))
texts = st.one_of(st.none(), st.text(max_size=12))


@st.composite
def cases(draw):
    profile_id = draw(st.one_of(st.none(), st.integers(1, 3)))
    p = draw(st.one_of(st.none(), st.builds(
        RightsProfile, id=st.integers(1, 3), name=st.just("P"), note=st.text(max_size=20),
        allowed_purposes=st.frozensets(st.sampled_from(list(Purpose))),
        embargo_until=maybe_moments, expires_at=maybe_moments, credit_line=texts,
        credit_required=st.booleans())))
    a = asset(profile_id=profile_id, credit=draw(texts))
    return a, p, draw(st.sampled_from(list(Purpose))), draw(moments)


def visible(text: str | None) -> bool:
    return any(c.isprintable() and not c.isspace() for c in (text or ""))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_property_allowed_only_when_every_rule_holds(case):
    a, p, purpose, at = case
    d = decide(a, p, purpose, at)
    rules_hold = (
        a.rights_profile_id is not None and p is not None and p.id == a.rights_profile_id
        and purpose in p.allowed_purposes
        and (p.embargo_until is None or (p.embargo_until.tzinfo is not None and at >= p.embargo_until))
        and (p.expires_at is None or (p.expires_at.tzinfo is not None and at <= p.expires_at))
        and (not p.credit_required or visible(a.credit) or visible(p.credit_line))
    )
    assert d.allowed == rules_hold, (d, a, p, purpose, at)
    if not d.allowed:
        assert d.reason and d.code != "allowed" and d.code in d.codes


@settings(max_examples=150, deadline=None)
@given(cases(), st.sampled_from(list(Purpose)))
def test_property_no_profile_and_non_editorial_never_pass(case, purpose):
    a, p, _purpose, at = case
    if a.rights_profile_id is None or p is None:
        assert not decide(a, p, purpose, at).allowed
    if p is not None and p.editorial_only and not purpose.is_editorial:
        assert not decide(a, p, purpose, at).allowed
