"""What ``search --json`` reports as ``matches`` and the window shows on a hit: where in an
asset's words (document text, subtitle and transcript cues, chapter names) the search's words
are, with a snippet and, for timed text, the time.

Computed from the catalog's stored text with domain/text_match.py (the index's own rules), so
each engine only has to say *which* assets match. Free text is looked for in every kind of
words; ``text:``, ``subtitle:`` and ``chapter:`` only in theirs. A phrase that runs over two
cues is found where it starts, as the index finds it in the joined text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from .query import BODY, CHAPTERS, TIMED, Query
from .text_match import Matcher, Term, snippet, terms_of
from .timed_text import Chapter, TextTrack

CUE_SEPARATOR = "\n"
MAX_MATCHES = 5
SNIPPET_CONTEXT = 60


@dataclass(frozen=True)
class Match:
    field: str                   # "text", "subtitles", "transcript", "chapter"
    snippet: str                 # one line, the hit(s) marked with ** **
    start: float | None = None   # seconds (timed text and chapters)
    end: float | None = None
    page: int | None = None      # 1-based (paged documents)
    language: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "snippet": self.snippet, "start": self.start,
                                "end": self.end}
        if self.page is not None:
            data["page"] = self.page
        if self.language is not None:
            data["language"] = self.language
        return data


def _column_terms(query: Query, column: str) -> list[Term]:
    terms = terms_of(list(query.text))
    for col, text in query.fields:
        if col == column:
            # a field filter's words are prefixes (search.py compiles them so)
            terms.extend(terms_of(text.split()))
    return terms


def find_matches(query: Query, *, pages: list[str] | None = None, paged: bool | None = None,
                 tracks: list[TextTrack] | None = None, chapters: list[Chapter] | None = None,
                 limit: int = MAX_MATCHES) -> list[Match]:
    """Up to ``limit`` matches: chapters first (they name the moment), then cues in time order,
    then the document's text in page order. A match in the text has its page number when the
    pages are real pages (``paged``: a PDF, one page or more; None: when there are several)."""
    numbered = paged if paged is not None else len(pages or ()) > 1
    found: list[Match] = []
    chapter_matcher = Matcher(_column_terms(query, CHAPTERS))
    if chapter_matcher and chapters:
        for ch in chapters:
            spans = chapter_matcher.spans(ch.title)
            if spans:
                found.append(Match("chapter", snippet(ch.title, *spans[0], spans=spans), ch.start, ch.end))
    timed_matcher = Matcher(_column_terms(query, TIMED))
    if timed_matcher and tracks:
        for track in tracks:
            found.extend(_cue_matches(timed_matcher, track, limit))
    body_matcher = Matcher(_column_terms(query, BODY))
    if body_matcher and pages:
        for number, page in enumerate(pages, 1):
            spans = body_matcher.spans(page, limit=20 * limit)
            shown_until = -1
            for start, end in spans:
                if start <= shown_until:
                    continue    # already in the snippet before
                found.append(Match("text", snippet(page, start, end, spans=spans, context=SNIPPET_CONTEXT),
                                   page=number if numbered else None))
                shown_until = end + SNIPPET_CONTEXT
                if len(found) >= 3 * limit:
                    break
    timed = sorted((m for m in found if m.field in ("subtitles", "transcript")), key=lambda m: m.start or 0.0)
    ordered = [m for m in found if m.field == "chapter"] + timed + [m for m in found if m.field == "text"]
    return ordered[:limit]


def _cue_matches(matcher: Matcher, track: TextTrack, limit: int) -> list[Match]:
    texts = [c.text for c in track.cues]
    joined = CUE_SEPARATOR.join(texts)
    offsets: list[int] = []
    at = 0
    for text in texts:
        offsets.append(at)
        at += len(text) + len(CUE_SEPARATOR)
    out: list[Match] = []
    seen: set[int] = set()
    for start, end in matcher.spans(joined):
        i = bisect.bisect_right(offsets, start) - 1
        if i in seen or i < 0:
            continue
        seen.add(i)
        cue = track.cues[i]
        local = matcher.spans(cue.text)   # the hits inside this cue (a phrase may run on)
        if not local:
            local = [(start - offsets[i], min(end - offsets[i], len(cue.text)))]
        shown = snippet(cue.text, *local[0], spans=local)
        out.append(Match(str(track.kind), shown, cue.start, cue.end, language=track.language))
        if len(out) >= limit:
            break
    return out
