"""The search language: free text plus ``key:value`` filters, parsed into a Query value.

Examples::

    rutte brussels
    kind:video gallery:"President of Poland visits NATO"
    people:duda date:2025-03-01..2025-03-31 rights:editorial
    missing:caption rights:problems
    rating:>=4 picked:yes label:red,green
    "defence production" kind:video has:subtitles lang:pl chapter:"Q&A"

Free-text words match the start of words in title, caption, headline, keywords, people,
organisations, place, event, creator, credit and file name, and in the words: a document's text,
subtitle and transcript cues and chapter names (``text:``, ``subtitle:`` and ``chapter:`` look in
those alone), ignoring case and diacritics ("vucic" finds "Vučić"). Quoted text matches a
phrase. ``has:subtitles|transcript|chapters|text|links`` and ``lang:pl`` (a document's language,
or the language of a video's subtitles) filter.

A search is also a selection (``rights assign --query``, saved searches, the window), so a part
that cannot be used is an error that names it, never silently left out: ``id:1O``, a filter or
word without a letter or digit (``people:!!!``), an empty filter (``people:``), text that is not
valid UTF-8, and more than MAX_TERMS parts. Leaving such a part out would widen the selection,
up to every asset.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.languages import normalise_language
from mediadesk.domain.marks import MAX_RATING, normalise_label

# filter key -> full-text column it searches
FIELD_KEYS = {
    "people": "people", "person": "people",
    "keyword": "keywords", "keywords": "keywords", "tag": "keywords",
    "org": "organisations", "organisation": "organisations", "organization": "organisations",
    "city": "place", "country": "place", "place": "place", "location": "place",
    "creator": "creator", "by": "creator", "credit": "credit", "event": "event",
    "title": "title", "caption": "caption", "headline": "headline", "file": "file_name",
    # the words (issue 16): a document's text, subtitle and transcript cues, chapter names
    "text": "body", "body": "body", "subtitle": "timed", "subtitles": "timed", "transcript": "timed",
    "chapter": "chapters", "chapters": "chapters",
}
# the full-text columns of the words (the words' filters search them; free text searches them too)
BODY, TIMED, CHAPTERS = "body", "timed", "chapters"
WORD_COLUMNS = (BODY, TIMED, CHAPTERS)
KINDS = tuple(kind.value for kind in AssetKind)
RIGHTS_VALUES = ("editorial", "none", "embargoed", "expired", "problems", "ok")
HAS_VALUES = ("subtitles", "transcript", "chapters", "text", "links")
MISSING_VALUES = ("caption", "title", "creator", "credit", "copyright", "date", "rights", "people",
                  "keywords", "alt_text", "file")
# picked:yes|no, rejected:yes|no, pick:picked|rejected|none -> the Query.pick value
PICK_FILTERS = {
    ("picked", "yes"): "picked", ("picked", "no"): "not-picked",
    ("rejected", "yes"): "rejected", ("rejected", "no"): "not-rejected",
    ("pick", "picked"): "picked", ("pick", "rejected"): "rejected", ("pick", "none"): "none",
}
LABEL_KEYS = ("label", "color", "colour")
# (patterns as strings: re compiles them at their first use and keeps them, instead of every
# start of the command line compiling them all)
_RATING = r"^(>=|<=|=|>|<)?([0-9])$"

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_ASSET_ID = r"^[0-9]{1,19}$"    # ASCII digits only: "٣" and "1_0" are not ids
_WORD = re.compile(r"[^\W_]", re.UNICODE)   # a letter or digit: what the search index can match
MAX_ID = 2**63 - 1
MAX_TERMS = 200      # parts of one search (SQLite refuses expressions nested 1,000 deep)
MAX_IDS = 10_000     # ids in one id: filter


@dataclass(frozen=True)
class Query:
    """A parsed search: free text, field terms and filters (``parse_query``); every engine
    compiles it (catalog/search.py, catalog/postgres/search.py)."""

    text: tuple[str, ...] = ()                     # free-text words and phrases
    fields: tuple[tuple[str, str], ...] = ()       # (fts column, text)
    kind: str | None = None
    galleries: tuple[str, ...] = ()
    date_from: str | None = None                   # inclusive, ISO prefix
    date_to: str | None = None                     # inclusive, ISO prefix
    rights: str | None = None                      # one of RIGHTS_VALUES or a profile name
    missing: tuple[str, ...] = ()
    imported: str | None = None                    # "recent" (7 days) or "latest" (last batch)
    ids: tuple[int, ...] = ()
    has: tuple[str, ...] = ()                      # HAS_VALUES
    languages: tuple[str, ...] = ()                # normalised language tags (any of them)
    rating: tuple[str, int] | None = None          # (operator, stars): ("=", 0) is "not rated"
    pick: str | None = None                        # a value of PICK_FILTERS
    labels: tuple[str, ...] = ()                   # any of these; "none" / "any" as words
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return self == Query()

    def with_kind(self, kind: str | None) -> Query:
        return replace(self, kind=kind)


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # unbalanced quote while the user is still typing
        return shlex.split(text + '"', posix=True) if text.count('"') % 2 else text.split()


KNOWN_KEYS = frozenset(FIELD_KEYS) | {
    "kind", "type", "gallery", "date", "after", "since", "from", "before", "until", "to", "rights",
    "missing", "no", "imported", "id", "has", "lang", "language", "rating", "stars", "picked", "rejected",
    "pick", *LABEL_KEYS}


def _shown(token: str) -> str:
    return token if len(token) <= 60 else token[:57] + "..."


def _not_utf8(text: str) -> bool:
    """Lone surrogates: bytes that were not UTF-8 (a command-line argument, decoded with
    surrogateescape) or a broken string; SQLite cannot take them."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _parse_ids(value: str, errors: list[str]) -> tuple[int, ...]:
    parts = [p.strip() for p in value.split(",")]
    bad = [p for p in parts if not re.match(_ASSET_ID, p) or not 1 <= int(p) <= MAX_ID]
    if bad:
        errors.append(f"id:{_shown(value)}: {', '.join(repr(_shown(b)) for b in bad[:5])} "
                      f"{'is not an asset id' if len(bad) == 1 else 'are not asset ids'} "
                      "(whole numbers, e.g. id:12 or id:12,15)")
        return ()
    if len(parts) > MAX_IDS:
        errors.append(f"id: lists {len(parts)} ids; at most {MAX_IDS:,} fit in one search")
        return ()
    return tuple(dict.fromkeys(int(p) for p in parts))


def _parse_rating(key: str, value: str, errors: list[str]) -> tuple[str, int] | None:
    """``rating:4`` (exactly), ``rating:>=4``, ``rating:<3``; ``rating:0`` or ``rating:none``: not rated."""
    text = value.strip().lower()
    if text in ("none", "unrated"):
        return ("=", 0)
    m = re.match(_RATING, text)
    if not m or int(m.group(2)) > MAX_RATING:
        errors.append(f"{key}:{_shown(value)}: give stars from 0 to {MAX_RATING}, optionally with "
                      ">=, <=, > or < (rating:>=4, rating:0 for not rated)")
        return None
    return (m.group(1) or "=", int(m.group(2)))


def _parse_labels(key: str, value: str, errors: list[str]) -> tuple[str, ...]:
    """``label:red``, ``label:red,green`` (either), ``label:none``, ``label:any``."""
    out: list[str] = []
    for part in value.split(","):
        word = part.strip()
        if word.lower() in ("none", "any"):
            out.append(word.lower())
        elif _WORD.search(word):
            out.append(normalise_label(word) or word)
        else:
            errors.append(f"{key}:{_shown(value)}: name a colour label (label:red, label:red,green, "
                          "label:none, label:any)")
            return ()
    return tuple(dict.fromkeys(out))


def parse_query(text: str | None) -> Query:
    words: list[str] = []
    has: list[str] = []
    languages: list[str] = []
    fields: list[tuple[str, str]] = []
    galleries: list[str] = []
    missing: list[str] = []
    errors: list[str] = []
    values: dict = {}
    if text and _not_utf8(text):
        return Query(errors=("the search text is not valid UTF-8 (it holds bytes that are not "
                             "letters in any encoding mediadesk reads); type it again",))
    tokens = _split(text or "")
    if len(tokens) > MAX_TERMS:
        return Query(errors=(f"the search has {len(tokens):,} parts; at most {MAX_TERMS} are "
                             "allowed (use a gallery or a saved search for larger selections)",))
    for token in tokens:
        key, sep, value = token.partition(":")
        key = key.lower()
        if sep and key in KNOWN_KEYS and not value.strip():
            errors.append(f"{key}: has no value (e.g. {key}:…); remove it or complete it")
            continue
        if not sep or not value or not key.isalpha():
            if token.strip():
                if not _WORD.search(token):
                    errors.append(f"{_shown(token)!r} has no letter or digit to search for; "
                                  "remove it (it would match nothing)")
                    continue
                words.append(token)
            continue
        if key in FIELD_KEYS:
            if not _WORD.search(value):
                errors.append(f"{key}:{_shown(value)} has no letter or digit to search for")
                continue
            fields.append((FIELD_KEYS[key], value))
        elif key == "kind" or key == "type":
            kind = value.lower().rstrip("s")
            if kind in KINDS:
                values["kind"] = kind
            else:
                errors.append(f"kind:{value} is not one of {', '.join(KINDS)}")
        elif key == "gallery":
            galleries.append(value)
        elif key == "date":
            start, _, end = value.partition("..")
            if start and not re.match(_DATE, start) or end and not re.match(_DATE, end):
                errors.append(f"date:{value} is not a date or range like 2025-03-01..2025-03-31")
            else:
                values["date_from"] = start or None
                values["date_to"] = (end if _ else start) or None
        elif key in ("after", "since", "from"):
            if re.match(_DATE, value):
                values["date_from"] = value
            else:
                errors.append(f"{key}:{value} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        elif key in ("before", "until", "to"):
            if re.match(_DATE, value):
                values["date_to"] = value
            else:
                errors.append(f"{key}:{value} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        elif key == "rights":
            values["rights"] = value.lower() if value.lower() in RIGHTS_VALUES else value
        elif key == "missing" or key == "no":
            name = value.lower()
            if name in MISSING_VALUES:
                missing.append(name)
            else:
                errors.append(f"missing:{value}: choose one of {', '.join(MISSING_VALUES)}")
        elif key == "imported":
            if value.lower() in ("recent", "latest"):
                values["imported"] = value.lower()
            else:
                errors.append(f"imported:{_shown(value)}: use imported:recent (7 days) or imported:latest")
        elif key in ("rating", "stars"):
            rating = _parse_rating(key, value, errors)
            if rating is not None:
                values["rating"] = rating
        elif key in ("picked", "rejected", "pick"):
            pick = PICK_FILTERS.get((key, value.lower()))
            if pick is None:
                choices = ("pick:picked, pick:rejected or pick:none" if key == "pick"
                           else f"{key}:yes or {key}:no")
                errors.append(f"{key}:{_shown(value)}: use {choices}")
            else:
                values["pick"] = pick
        elif key in LABEL_KEYS:
            labels = _parse_labels(key, value, errors)
            if labels:
                values["labels"] = labels
        elif key == "has":
            name = value.lower()
            name = {"subtitle": "subtitles", "chapter": "chapters", "transcripts": "transcript",
                    "link": "links"}.get(name, name)
            if name in HAS_VALUES:
                has.append(name)
            else:
                errors.append(f"has:{_shown(value)}: choose one of {', '.join(HAS_VALUES)}")
        elif key in ("lang", "language"):
            tags = [normalise_language(v.strip()) for v in value.split(",")]
            if tags and all(tags):
                languages.extend(t for t in tags if t)
            else:
                errors.append(f"{key}:{_shown(value)} is not a language (e.g. lang:pl, lang:en-GB, "
                              "lang:pl,en)")
        elif key == "id":
            if "ids" in values:
                errors.append("give the ids in one id: filter (id:12,15)")
                continue
            ids = _parse_ids(value, errors)
            if ids:
                values["ids"] = ids
        else:
            words.append(token)
    return Query(text=tuple(words), fields=tuple(fields), galleries=tuple(galleries),
                 missing=tuple(missing), has=tuple(dict.fromkeys(has)),
                 languages=tuple(dict.fromkeys(languages)), errors=tuple(errors), **values)
