"""Language tags as the catalog keeps them: BCP 47 with the ISO 639-1 code where one exists.

Files name languages in several ways: ``talk.pl.srt`` and HTML ``lang="en-GB"`` use ISO 639-1,
a Matroska or MP4 stream says ``pol`` or ``eng`` (ISO 639-2), a DOCX says ``pl-PL``. The filter
``lang:pl`` must find all of them, so each is normalised here to one spelling: lower-case primary
code (two letters when ISO 639-1 has one), upper-case region (``en-GB``).
"""

from __future__ import annotations

import re

# ISO 639-2 (bibliographic and terminological) -> ISO 639-1, for the languages a European press
# office meets; a three-letter code not listed here is kept as it is (still a valid BCP 47 tag).
_ISO639_2 = {
    "alb": "sq", "sqi": "sq", "ara": "ar", "arm": "hy", "hye": "hy", "aze": "az", "baq": "eu",
    "eus": "eu", "bel": "be", "bos": "bs", "bul": "bg", "cat": "ca", "chi": "zh", "zho": "zh",
    "hrv": "hr", "cze": "cs", "ces": "cs", "dan": "da", "dut": "nl", "nld": "nl", "eng": "en",
    "est": "et", "fin": "fi", "fre": "fr", "fra": "fr", "geo": "ka", "kat": "ka", "ger": "de",
    "deu": "de", "gre": "el", "ell": "el", "heb": "he", "hin": "hi", "hun": "hu", "ice": "is",
    "isl": "is", "gle": "ga", "ita": "it", "jpn": "ja", "kaz": "kk", "kor": "ko", "lav": "lv",
    "lit": "lt", "ltz": "lb", "mac": "mk", "mkd": "mk", "mlt": "mt", "mol": "ro", "nor": "no",
    "nob": "nb", "nno": "nn", "per": "fa", "fas": "fa", "pol": "pl", "por": "pt", "rum": "ro",
    "ron": "ro", "rus": "ru", "srp": "sr", "slo": "sk", "slk": "sk", "slv": "sl", "spa": "es",
    "swe": "sv", "tur": "tr", "ukr": "uk", "wel": "cy", "cym": "cy",
}
# codes that say "no language": FFmpeg's default for an unnamed stream, "undetermined", CLD2's "un"
_NONE = frozenset({"und", "unk", "un", "zxx", "mis", "mul", "xx", "none", ""})
_TAG = r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$"   # (re compiles it at first use)
# two- and three-letter words that end a file's name and are not languages (``talk.sdh.srt``)
_NOT_LANGUAGES = frozenset({"sdh", "cc", "hi", "forced", "default", "sub", "subs", "srt", "vtt"})


def normalise_language(tag: str | None) -> str | None:
    """``"eng"`` -> ``"en"``, ``"pl_PL"`` -> ``"pl-PL"``, ``"und"`` -> None; None when ``tag`` is
    not a language tag at all."""
    if not tag:
        return None
    tag = tag.strip()
    if tag.lower() in _NONE:
        return None
    m = re.match(_TAG, tag)
    if not m:
        return None
    primary = m.group(1).lower()
    primary = _ISO639_2.get(primary, primary)
    parts = [primary]
    if m.group(2):
        parts.append(m.group(2).title())
    if m.group(3):
        parts.append(m.group(3).upper())
    return "-".join(parts)


def language_from_name_part(part: str) -> str | None:
    """The language a file name's middle part names (``pl`` in ``talk.pl.srt``, ``en-GB``,
    ``pol``), or None when the part is something else (``sdh``, ``forced``, ``final``)."""
    if part.lower() in _NOT_LANGUAGES:
        return None
    m = re.match(_TAG, part)
    if not m:
        return None
    primary = m.group(1).lower()
    if len(primary) == 3 and primary not in _ISO639_2:
        return None   # "fin" is Finnish, but "cut", "raw", "new" are not languages
    return normalise_language(part)


def primary_language(tag: str | None) -> str | None:
    """``"en-GB"`` -> ``"en"`` (what ``lang:en`` compares)."""
    return tag.split("-", 1)[0] if tag else None
