"""Where a search's words are in its results: the ``matches`` of ``search --json``, the lines the
CLI prints under a result (``[2:31] ...defence production...``) and the time the window shows
on a hit and starts the player at. Read from the catalog's stored words; found by the index's
rules (domain/search_matches.py), so every engine's results are shown the same way.

The matcher and the timed-text types are imported once a result has words to look in: most
results of most searches have none, and a command-line search pays for every import."""

from __future__ import annotations

from collections.abc import Sequence

from mediadesk.domain.query import WORD_COLUMNS, Query

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog
    from mediadesk.domain.search_matches import Match


def looks_in_words(query: Query) -> bool:
    """True when the query has free text or a filter on the words (else there is nothing to show)."""
    return bool(query.text) or any(column in WORD_COLUMNS for column, _ in query.fields)


def matches_for(catalog: Catalog, query: Query, asset_ids: Sequence[int],
                limit: int | None = None) -> dict[int, list[Match]]:
    """asset id -> its matches, at most ``limit`` each (default MAX_MATCHES); assets without
    words, or without a hit in them, map to []."""
    out: dict[int, list[Match]] = {asset_id: [] for asset_id in asset_ids}
    if not looks_in_words(query):
        return out
    with_words = catalog.index.with_words(asset_ids)
    if not with_words:
        return out
    from mediadesk.domain.search_matches import MAX_MATCHES, find_matches

    limit = MAX_MATCHES if limit is None else limit
    for asset_id in asset_ids:
        if asset_id not in with_words:
            continue
        words = catalog.words.words_for(asset_id)
        if words["pages"] or words["tracks"] or words["chapters"]:
            out[asset_id] = find_matches(query, **words, limit=limit)
    return out


def first_time(matches: Sequence[Match]) -> float | None:
    """The moment the player should start at: the first timed match (a cue or a chapter)."""
    timed = [m.start for m in matches if m.start is not None]
    return min(timed) if timed else None


def match_line(match: Match) -> str:
    """One line for a person: ``[2:31] ...defence production...``, ``[p. 2] ...``, ``chapter
    [4:12] Q&A``; the hit is not marked (a terminal shows the snippet as it is)."""
    from mediadesk.domain.timed_text import clock

    text = match.snippet.replace("**", "")
    if match.field == "chapter" and match.start is not None:
        return f"chapter [{clock(match.start)}] {text}"
    if match.start is not None:
        return f"[{clock(match.start)}] {text}"
    if match.page is not None:
        return f"[p. {match.page}] {text}"
    return text
