"""IPTC-IIM text: decoding by the rules of 1:90 CodedCharacterSet, and byte-limited encoding.

exiv2 hands IIM values back as raw bytes; pyexiv2 decodes them with the encoding we name, so we
read with ISO-8859-1 (a lossless byte<->char mapping), recover the bytes and decide ourselves:
ESC % G declares UTF-8; without a declaration we use UTF-8 when every value is valid UTF-8
(what modern tools write, often without the marker) and Windows-1252/Latin-1 otherwise (what
older newsroom software wrote). exiftool instead always assumes Latin-1 without the marker.
"""

from __future__ import annotations

import re

from .dates import from_iim

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?"
                       r"(Z|[+-]\d{2}:?\d{2})?)?)?)?")

UTF8_MARKER = "\x1b%G"
CHARSET_KEY = "Iptc.Envelope.CharacterSet"

# catalog field -> IIM dataset key (exiv2 names)
IIM_KEYS: dict[str, str] = {
    "title": "Iptc.Application2.ObjectName",
    "headline": "Iptc.Application2.Headline",
    "caption": "Iptc.Application2.Caption",
    "keywords": "Iptc.Application2.Keywords",
    "sublocation": "Iptc.Application2.SubLocation",
    "city": "Iptc.Application2.City",
    "state": "Iptc.Application2.ProvinceState",
    "country": "Iptc.Application2.CountryName",
    "country_code": "Iptc.Application2.CountryCode",
    "creator": "Iptc.Application2.Byline",
    "credit": "Iptc.Application2.Credit",
    "source": "Iptc.Application2.Source",
    "copyright": "Iptc.Application2.Copyright",
    "instructions": "Iptc.Application2.SpecialInstructions",
}
IIM_NAMES: dict[str, str] = {
    "title": "Object Name", "headline": "Headline", "caption": "Caption-Abstract",
    "keywords": "Keywords", "sublocation": "Sub-location", "city": "City",
    "state": "Province-State", "country": "Country-PrimaryLocationName",
    "country_code": "Country-PrimaryLocationCode", "creator": "By-line", "credit": "Credit",
    "source": "Source", "copyright": "CopyrightNotice", "instructions": "SpecialInstructions",
}
DATE_KEY = "Iptc.Application2.DateCreated"
TIME_KEY = "Iptc.Application2.TimeCreated"
# exiv2 names of Record-1/2 datasets that mediadesk writes with its own value
MANAGED_KEYS = frozenset(IIM_KEYS.values()) | {DATE_KEY, TIME_KEY}


def clean_text(text: str) -> str:
    """Strip trailing NULs/whitespace (C writers pad with NUL) and leading whitespace."""
    return text.replace("\x00", " ").strip()


def _raw(value: str) -> bytes:
    return value.encode("latin-1", errors="replace")


def _decoder(raw_values: list[bytes], declared_utf8: bool):
    if declared_utf8:
        return lambda b: _try_utf8(b)
    try:
        for b in raw_values:
            b.decode("utf-8")
    except UnicodeDecodeError:
        return _latin
    return lambda b: b.decode("utf-8")


def _try_utf8(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return _latin(b)


def _latin(b: bytes) -> str:
    try:
        return b.decode("cp1252")
    except UnicodeDecodeError:
        return b.decode("latin-1")


def decode_record(iptc: dict[str, object]) -> tuple[dict[str, object], bool]:
    """Catalog fields from a pyexiv2 ``read_iptc(encoding='ISO-8859-1')`` dict.

    Returns (fields, declared_utf8). Lists for repeatable datasets (keywords); the creator
    (By-line, repeatable) is joined with "; " as the MWG joins Exif Artist."""
    charset = iptc.get(CHARSET_KEY)
    if isinstance(charset, list):
        charset = charset[0] if charset else None
    declared = isinstance(charset, str) and charset.strip("\x00 ") == UTF8_MARKER
    raws: dict[str, list[bytes]] = {}
    for field, key in IIM_KEYS.items():
        v = iptc.get(key)
        if v is None:
            continue
        items = v if isinstance(v, list) else [v]
        raws[field] = [_raw(x) for x in items if isinstance(x, str)]
    decode = _decoder([b for bs in raws.values() for b in bs], declared)
    out: dict[str, object] = {}
    for field, items in raws.items():
        texts = [t for t in (clean_text(decode(b)) for b in items) if t]
        if not texts:
            continue
        if field == "keywords":
            out[field] = texts
        elif field == "creator":
            out[field] = "; ".join(texts)
        else:
            out[field] = texts[0]
    date = iptc.get(DATE_KEY)
    time = iptc.get(TIME_KEY)
    date = date[0] if isinstance(date, list) else date
    time = time[0] if isinstance(time, list) else time
    iso = from_iim(date if isinstance(date, str) else None, time if isinstance(time, str) else None)
    if iso:
        out["date_created"] = iso
    return out, declared


def fit_utf8(text: str, limit: int) -> tuple[str, int]:
    """Shorten ``text`` so its UTF-8 form fits ``limit`` bytes, never splitting a character.

    Returns (text that fits, original byte length)."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text, len(raw)
    return raw[:limit].decode("utf-8", errors="ignore"), len(raw)


def to_iim_date(iso: str) -> tuple[str | None, str | None]:
    """ISO 8601 catalog date -> (IIM DateCreated "YYYY-MM-DD", TimeCreated "HH:MM:SS+HH:MM").

    Partial dates use 00 for the unknown month/day, as IIM allows. IIM TimeCreated must carry
    an offset, so a naive local time is not written there (XMP keeps it) rather than being
    mislabelled as UTC."""
    m = _ISO_DATE.match(iso.strip())
    if not m:
        return None, None
    y, mo, d, hh, mi, ss, off = m.groups()
    date = f"{y}-{mo or '00'}-{d or '00'}"
    if hh is None or off is None:
        return date, None
    if off == "Z":
        off = "+00:00"
    elif ":" not in off:
        off = off[:3] + ":" + off[3:]
    return date, f"{hh}:{mi}:{ss or '00'}{off}"
