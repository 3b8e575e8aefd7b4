"""The search language: free text plus ``key:value`` filters, parsed into a Query value.

Examples::

    rutte brussels
    kind:video gallery:"President of Poland visits NATO"
    people:duda date:2025-03-01..2025-03-31 rights:editorial
    missing:caption rights:problems

Free-text words match the start of words in title, caption, headline, keywords, people,
organisations, place, event, creator, credit and file name, ignoring case and diacritics
("vucic" finds "Vučić"). Quoted text matches a phrase.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

# filter key -> full-text column it searches
FIELD_KEYS = {
    "people": "people", "person": "people",
    "keyword": "keywords", "keywords": "keywords", "tag": "keywords",
    "org": "organisations", "organisation": "organisations", "organization": "organisations",
    "city": "place", "country": "place", "place": "place", "location": "place",
    "creator": "creator", "by": "creator", "credit": "credit", "event": "event",
    "title": "title", "caption": "caption", "headline": "headline", "file": "file_name",
}
KINDS = ("photo", "video", "audio", "document")
RIGHTS_VALUES = ("editorial", "none", "embargoed", "expired", "problems", "ok")
MISSING_VALUES = ("caption", "title", "creator", "credit", "copyright", "date", "rights", "people",
                  "keywords", "alt_text", "file")

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Query:
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
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return self == Query()

    def with_kind(self, kind: str | None) -> "Query":
        return replace(self, kind=kind)


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # unbalanced quote while the user is still typing
        return shlex.split(text + '"', posix=True) if text.count('"') % 2 else text.split()


def parse_query(text: str | None) -> Query:
    words: list[str] = []
    fields: list[tuple[str, str]] = []
    galleries: list[str] = []
    missing: list[str] = []
    errors: list[str] = []
    values: dict = {}
    for token in _split(text or ""):
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or not value or not key.isalpha():
            if token.strip():
                words.append(token)
            continue
        if key in FIELD_KEYS:
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
            if start and not _DATE.match(start) or end and not _DATE.match(end):
                errors.append(f"date:{value} is not a date or range like 2025-03-01..2025-03-31")
            else:
                values["date_from"] = start or None
                values["date_to"] = (end if _ else start) or None
        elif key in ("after", "since", "from"):
            if _DATE.match(value):
                values["date_from"] = value
            else:
                errors.append(f"{key}:{value} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        elif key in ("before", "until", "to"):
            if _DATE.match(value):
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
            values["imported"] = "latest" if value.lower() == "latest" else "recent"
        elif key == "id":
            ids = [int(p) for p in value.split(",") if p.strip().isdigit()]
            values["ids"] = tuple(ids)
        else:
            words.append(token)
    return Query(text=tuple(words), fields=tuple(fields), galleries=tuple(galleries),
                 missing=tuple(missing), errors=tuple(errors), **values)
