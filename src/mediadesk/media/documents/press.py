"""What a press release's text says about itself when its metadata does not: the source line
("Source: NATO"), the date ("Brussels, NATO HQ, 18 March 2025 –", "On Wednesday, 19 March 2025"),
the title (the first heading or the first short line); and PDF's own date syntax.

Dates in prose are read in English, French, German and Polish (the month names of a European
press office), day-month-year and month-day-year, and ISO ``2025-03-19``; the first one in the
opening lines wins, since releases state their date at the top.
"""

from __future__ import annotations

import datetime as dt
import re

from ..dates import from_iso, normalise_offset

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # German
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
    # Polish (genitive, as dates are written: "19 marca 2025")
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
    "sierpnia": 8, "września": 9, "wrzesnia": 9, "października": 10, "pazdziernika": 10,
    "listopada": 11, "grudnia": 12,
}
_MONTH = r"([A-Za-zÀ-ÿąćęłńóśźżĄĆĘŁŃÓŚŹŻ]{3,12})\.?"
# "19 March 2025", "10 and 11 March 2025", "13 and Friday 14 March [2025]": the first day counts
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:and|&|-|\u2013|to|i|et|und)\s*"
                        r"(?:[A-Za-z]+day\s+)?\d{1,2}(?:st|nd|rd|th)?)?\.?\s+" + _MONTH
                        + r",?\s+\[?(\d{4})\b")
_MONTH_FIRST = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+\[?(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SOURCE = re.compile(r"^\s*(?:Source|Źródło|Zrodlo|Quelle)\s*:\s*(\S.{0,79}?)\s*$",
                     re.IGNORECASE | re.MULTILINE)
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{2}'?)?")
OPENING_CHARS = 1500              # where the date and source of a release are looked for
MAX_TITLE_CHARS = 200


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_in_text(text: str) -> str | None:
    """The first date written in the opening of ``text`` as ISO ``YYYY-MM-DD``, or None."""
    opening = text[:OPENING_CHARS]
    found: list[tuple[int, str]] = []
    for m in _DAY_FIRST.finditer(opening):
        month = _MONTHS.get(m.group(2).lower())
        if month and (iso := _valid(int(m.group(3)), month, int(m.group(1)))):
            found.append((m.start(), iso))
            break
    for m in _MONTH_FIRST.finditer(opening):
        month = _MONTHS.get(m.group(1).lower())
        if month and (iso := _valid(int(m.group(3)), month, int(m.group(2)))):
            found.append((m.start(), iso))
            break
    for m in _ISO_DATE.finditer(opening):
        if iso := _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            found.append((m.start(), iso))
            break
    return min(found)[1] if found else None


def source_in_text(text: str) -> str | None:
    """``NATO`` from a ``Source: NATO`` line in the opening of the text."""
    m = _SOURCE.search(text[:OPENING_CHARS])
    return m.group(1) if m else None


def title_in_text(text: str) -> str | None:
    """The first line that reads like a title: not empty, not the source line, not too long."""
    for line in text.split("\n")[:40]:
        line = " ".join(line.split())
        if not line or _SOURCE.match(line):
            continue
        if len(line) <= MAX_TITLE_CHARS:
            return line
        return None
    return None


def from_pdf_date(value: str | None) -> str | None:
    """PDF ``D:20250319143000+01'00'`` (any prefix of it) -> ``2025-03-19T14:30:00+01:00``."""
    if not value:
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    y, mo, d, hh, mi, ss, zone = m.groups()
    iso = y + (f"-{mo}" if mo else "") + (f"-{d}" if mo and d else "")
    if mo and d and hh and mi:
        iso += f"T{hh}:{mi}" + (f":{ss}" if ss else "")
        iso += (normalise_offset(zone.replace("'", "")) or "") if zone else ""
    return from_iso(iso)
