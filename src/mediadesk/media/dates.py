"""Date/time normalisation to the catalog's ISO 8601 form.

Every store spells dates differently: Exif "2001:01:01 01:11:11" plus a separate OffsetTime tag,
IIM "2010-05-00" plus "10:20:30+02:00" (partial dates are legal: month/day 00), XMP
"1993-01-01T03:11:11.311+01:00", QuickTime "2020-01-05T11:19:45.000000Z". The catalog keeps
"YYYY[-MM[-DD[THH:MM[:SS]]]][±HH:MM]": the offset is kept when known (a press photo taken in
Kyiv and filed in Brussels must not shift by an hour), sub-seconds are dropped, and a missing
offset gives a naive local time string.
"""

from __future__ import annotations

import re

_EXIF_RE = re.compile(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_ISO_RE = re.compile(
    r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$")


def normalise_offset(text: str | None) -> str | None:
    """"+0100", "+01:00", "Z" -> "+01:00" / "+00:00"; anything else -> None."""
    if not text:
        return None
    text = text.strip()
    if text in ("Z", "z"):
        return "+00:00"
    m = _OFFSET_RE.match(text)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3))
    if hours > 14 or minutes > 59:
        return None
    return f"{m.group(1)}{m.group(2)}:{m.group(3)}"


def _compose(y: str, mo: str | None, d: str | None, hh: str | None, mi: str | None,
             ss: str | None, offset: str | None) -> str | None:
    if not y or y == "0000":
        return None
    out = y
    if not mo or mo == "00":
        return out
    if not 1 <= int(mo) <= 12:
        return out
    out += f"-{mo}"
    if not d or d == "00" or not 1 <= int(d) <= 31:
        return out
    out += f"-{d}"
    if hh is None or mi is None or int(hh) > 24 or int(mi) > 59:
        return out
    out += f"T{hh}:{mi}"
    if ss is not None and int(ss) <= 60:
        out += f":{ss}"
    if offset:
        out += offset
    return out


def from_exif(value: str | None, offset: str | None = None) -> str | None:
    """Exif DateTimeOriginal ("2001:01:01 01:11:11") + OffsetTimeOriginal ("+01:00")."""
    if not value:
        return None
    m = _EXIF_RE.match(value)
    if not m:
        return None
    y, mo, d, hh, mi, ss = m.groups()
    return _compose(y, mo, d, hh, mi, ss, normalise_offset(offset))


def from_iim(date: str | None, time: str | None = None) -> str | None:
    """IIM 2:55 DateCreated ("2010-05-00" as exiv2 prints it, or raw "20100500") + 2:60
    TimeCreated ("10:20:30+02:00" or raw "102030+0200"). Partial dates stay partial."""
    if not date:
        return None
    digits = re.sub(r"[^0-9]", "", date)
    if len(digits) < 4:
        return None
    y, mo, d = digits[:4], digits[4:6] or None, digits[6:8] or None
    hh = mi = ss = offset = None
    if time and mo and d and mo != "00" and d != "00":
        t = time.strip()
        m = re.match(r"^(\d{2}):?(\d{2}):?(\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?", t)
        if m:
            hh, mi, ss = m.group(1), m.group(2), m.group(3)
            offset = normalise_offset(m.group(4))
    return _compose(y, mo, d, hh, mi, ss, offset)


def from_iso(value: str | None) -> str | None:
    """XMP / QuickTime ISO 8601 ("1993-01-01T03:11:11.311+01:00", "...Z", "2004-02-26").

    Also accepts Exif-style colons, which some writers put in XMP by mistake."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_RE.match(value)
    if not m:
        m2 = _EXIF_RE.match(value)
        if not m2:
            return None
        rest = value[m2.end():]
        rest = re.sub(r"^[.,]\d+", "", rest)
        y, mo, d, hh, mi, ss = m2.groups()
        return _compose(y, mo, d, hh, mi, ss, normalise_offset(rest) if rest else None)
    y, mo, d, hh, mi, ss, off = m.groups()
    return _compose(y, mo, d, hh, mi, ss, normalise_offset(off))


_STRICT_ISO = re.compile(
    r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(?:T([01]\d|2[0-3]):([0-5]\d)"
    r"(?::([0-5]\d|60)(?:[.,]\d+)?)?(Z|[+-](?:0\d|1[0-4]):?[0-5]\d)?)?)?)?$")


def is_valid_iso(value: str | None) -> bool:
    """True for an ISO 8601 date as XMP allows it (YYYY[-MM[-DD[Thh:mm[:ss[.s]][TZD]]]]) with
    every part in range; False for Exif-style colons, second 88, hour 25, trailing text."""
    return bool(value and _STRICT_ISO.match(value.strip()))
