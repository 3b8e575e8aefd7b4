"""IPTC-IIM text: decoding by the rules of 1:90 CodedCharacterSet, and byte-limited encoding.

exiv2 hands IIM values back as raw bytes; pyexiv2 decodes them with the encoding we name, so we
read with ISO-8859-1 (a lossless byte<->char mapping), recover the bytes and decide ourselves:
ESC % G declares UTF-8; without a declaration we use UTF-8 when every value is valid UTF-8
(what modern tools write, often without the marker) and otherwise Windows-1252/Latin-1 (what
older newsroom software wrote) or Mac Roman (old Mac software: an "é" stored as 0x8E, which
Latin-1 readers show as "Ž"). Between those two, the XMP decides when it holds the same text;
otherwise the bytes do (see ``_plausibility``). The choice is reported so it can be kept in the
field's source note. exiftool instead always assumes Latin-1 without the marker.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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


def _decoder(raw_values: list[bytes], declared_utf8: bool) -> Callable[[bytes], str]:
    if declared_utf8:
        return _try_utf8
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


MAC_ROMAN_BY_XMP = "decoded as Mac Roman: no character set declared, and the XMP holds the same text"
MAC_ROMAN_BY_BYTES = "decoded as Mac Roman: no character set declared, and its bytes read as Mac Roman text"


def _letter_plausible(text: str, i: int) -> int:
    """+1 for a non-ASCII character that fits where it stands as a letter of a word, -1 for one
    that does not (an upper-case letter inside a lower-case word, a symbol between letters)."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch == "\ufffd":
        return -2
    if not ch.isalpha():
        return -1 if prev.isalpha() and nxt.isalpha() else 0
    if ch.islower():
        return 1
    # upper case: plausible at the start of a word or inside an all-capitals word
    if not prev.isalpha():
        return 1
    return 1 if prev.isupper() and not nxt.islower() else -1


def _plausibility(raw_values: list[bytes], codec: str) -> int:
    score = 0
    for raw in raw_values:
        text = raw.decode(codec, errors="replace")
        for i, byte in enumerate(raw):
            if byte >= 0x80:
                score += _letter_plausible(text, i)
    return score


def _same_text(a: str, b: object) -> bool:
    if isinstance(b, list):
        return any(_same_text(a, x) for x in b)
    if not isinstance(b, str):
        return False
    na = unicodedata.normalize("NFC", " ".join(a.split())).casefold()
    nb = unicodedata.normalize("NFC", " ".join(b.split())).casefold()
    return bool(na) and (na == nb or nb.startswith(na))


def _legacy_codec(raws: dict[str, list[bytes]], xmp: dict[str, object] | None) -> tuple[str, str | None]:
    """"cp1252" or "mac_roman" for IIM without a declaration that is not UTF-8, and the note."""
    high = {f: [b for b in bs if any(c >= 0x80 for c in b)] for f, bs in raws.items()}
    high = {f: bs for f, bs in high.items() if bs}
    if not high:
        return "cp1252", None
    if xmp:
        votes = {"cp1252": 0, "mac_roman": 0}
        for field, items in high.items():
            other = xmp.get(field)
            for codec in votes:
                if any(_same_text(clean_text(_decode_as(b, codec)), other) for b in items):
                    votes[codec] += 1
        if votes["mac_roman"] > votes["cp1252"]:
            return "mac_roman", MAC_ROMAN_BY_XMP
        if votes["cp1252"] > votes["mac_roman"]:
            return "cp1252", None
    values = [b for bs in high.values() for b in bs]
    if _plausibility(values, "mac_roman") > _plausibility(values, "cp1252"):
        return "mac_roman", MAC_ROMAN_BY_BYTES
    return "cp1252", None


def _decode_as(b: bytes, codec: str) -> str:
    return b.decode("mac_roman") if codec == "mac_roman" else _latin(b)


def decode_record(iptc: dict[str, object], xmp: dict[str, object] | None = None,
                  zone_given: bool | None = None) -> tuple[dict[str, object], bool, str | None]:
    """Catalog fields from a pyexiv2 ``read_iptc(encoding='ISO-8859-1')`` dict.

    Returns (fields, declared_utf8, note): ``note`` says how undeclared text was decoded when
    that was a decision worth keeping (Mac Roman), else None. ``xmp`` (the XMP store's catalog
    fields) helps choose the decoding. Lists for repeatable datasets (keywords); the creator
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
    note = None
    if decode is _latin:
        codec, note = _legacy_codec(raws, xmp)
        if codec == "mac_roman":
            decode = lambda b: b.decode("mac_roman")  # noqa: E731
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
    if isinstance(time, str) and not zone_given and time.endswith("+00:00"):
        time = time[:-6]
    iso = from_iim(date if isinstance(date, str) else None, time if isinstance(time, str) else None)
    if iso:
        out["date_created"] = iso
    return out, declared, note


def time_zone_given(record: bytes) -> bool | None:
    """Whether the raw IIM record's 2:60 TimeCreated carries a zone ("HHMMSS±HHMM") or not
    ("HHMMSS": tolerated by most readers). exiv2 prints "+00:00" for both, so without this a
    local time would be read as UTC. None when there is no TimeCreated in ``record``."""
    pos, n = 0, len(record)
    while pos + 5 <= n and record[pos] == 0x1C:
        rec, ds = record[pos + 1], record[pos + 2]
        length = int.from_bytes(record[pos + 3:pos + 5], "big")
        pos += 5
        if length & 0x8000:  # extended dataset: the length of the length follows
            size = length & 0x7FFF
            if size > 4 or pos + size > n:
                return None
            length = int.from_bytes(record[pos:pos + size], "big")
            pos += size
        if rec == 2 and ds == 60:
            value = record[pos:pos + length].strip(b"\x00 ")
            return len(value) > 6
        pos += length
    return None


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
